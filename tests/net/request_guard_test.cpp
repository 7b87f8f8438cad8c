// net::check_request_guard: which Host, Origin and Content-Type a local API answers (the
// DNS-rebinding and cross-site cases of issue #28), as a pure function.
#include "net/request_guard.hpp"

#include <gtest/gtest.h>

namespace {

net::Http1Request request(std::string method, std::string host, std::string origin = {},
                          std::string content_type = {}) {
  net::Http1Request r;
  r.method = std::move(method);
  r.target = "/v1/faults";
  r.host = std::move(host);
  r.origin = std::move(origin);
  r.content_type = std::move(content_type);
  return r;
}

int status_of(const net::RequestGuard& guard, const net::Http1Request& r) {
  const auto refused = net::check_request_guard(guard, r);
  return refused ? refused->status : 0;
}

const net::RequestGuard kLoopback{"127.0.0.1", 8090, {}};

TEST(RequestGuard, LoopbackNamesAndAddressesWithTheServersPortPass) {
  for (const char* host : {"127.0.0.1:8090", "localhost:8090", "LocalHost:8090", "localhost.:8090",
                           "[::1]:8090", "127.0.0.2:8090"})
    EXPECT_EQ(status_of(kLoopback, request("GET", host)), 0) << host;
}

TEST(RequestGuard, AForeignNameOrAnotherPortIsMisdirected) {
  for (const char* host :
       {"evil.example:8090", "evil.example", "localtest:8090", "127.0.0.1:8091", "localhost:80",
        "localhost", "10.0.0.1:8090", "localhost.evil.example:8090", "[127.0.0.1]:8090", "::1:8090",
        "localhost:", "localhost:99999", "[::1", ":8090"}) {
    const auto refused = net::check_request_guard(kLoopback, request("GET", host));
    ASSERT_TRUE(refused) << host;
    EXPECT_EQ(refused->status, 421) << host;
    EXPECT_NE(refused->body.find("MISDIRECTED_REQUEST"), std::string::npos);
    EXPECT_NE(refused->body.find("--allow-host"), std::string::npos) << refused->body;
  }
}

TEST(RequestGuard, ARequestWithoutHostIsBad) {
  EXPECT_EQ(status_of(kLoopback, request("GET", "")), 400);
}

TEST(RequestGuard, AnAllowedNamePassesOnAnyPortAndOnlyIt) {
  net::RequestGuard guard = kLoopback;
  guard.allowed_hosts = {"Mock.Internal"};
  EXPECT_EQ(status_of(guard, request("GET", "mock.internal:443")), 0);
  EXPECT_EQ(status_of(guard, request("GET", "mock.internal")), 0);
  EXPECT_EQ(status_of(guard, request("GET", "other.internal:8090")), 421);
}

TEST(RequestGuard, AServerOnAllAddressesAnswersAnyOfItsAddressesButNoName) {
  const net::RequestGuard any{"0.0.0.0", 8090, {}};
  EXPECT_EQ(status_of(any, request("GET", "192.168.1.20:8090")), 0);
  EXPECT_EQ(status_of(any, request("GET", "printer.lan:8090")), 421);
  const net::RequestGuard own{"192.168.1.20", 8090, {}};
  EXPECT_EQ(status_of(own, request("GET", "192.168.1.20:8090")), 0);
  EXPECT_EQ(status_of(own, request("GET", "192.168.1.21:8090")), 421);
}

TEST(RequestGuard, AForeignOriginIsForbiddenOnReadsAndWrites) {
  for (const char* origin : {"http://evil.example", "http://127.0.0.1:8091", "null",
                             "http://localhost:8091", "file://", "http://localtest:8090"}) {
    EXPECT_EQ(status_of(kLoopback, request("GET", "127.0.0.1:8090", origin)), 403) << origin;
    EXPECT_EQ(status_of(kLoopback, request("POST", "127.0.0.1:8090", origin, "application/json")),
              403)
        << origin;
  }
}

TEST(RequestGuard, TheServersOwnOriginPasses) {
  for (const char* origin : {"http://127.0.0.1:8090", "http://localhost:8090", "http://[::1]:8090"})
    EXPECT_EQ(status_of(kLoopback, request("POST", "127.0.0.1:8090", origin, "application/json")),
              0)
        << origin;
}

TEST(RequestGuard, StateChangingMethodsNeedJson) {
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
    for (const char* type : {"", "text/plain", "application/x-www-form-urlencoded",
                             "multipart/form-data; boundary=x", "application/jsonx"})
      EXPECT_EQ(status_of(kLoopback, request(method, "127.0.0.1:8090", "", type)), 415)
          << method << " " << type;
    for (const char* type : {"application/json", "Application/JSON; charset=utf-8"})
      EXPECT_EQ(status_of(kLoopback, request(method, "127.0.0.1:8090", "", type)), 0)
          << method << " " << type;
  }
  EXPECT_EQ(status_of(kLoopback, request("GET", "127.0.0.1:8090", "", "text/plain")), 0);
}

TEST(RequestGuard, LoopbackAddressesAreToldApart) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"})
    EXPECT_TRUE(net::is_loopback_address(host)) << host;
  for (const char* host : {"0.0.0.0", "::", "10.0.0.1", "192.168.1.2", "localhost", "", "junk"})
    EXPECT_FALSE(net::is_loopback_address(host)) << host;
}

} // namespace
