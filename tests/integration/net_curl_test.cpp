// Our server driven by real clients: curl (TLS with and without a client certificate, h2c
// prior knowledge) and nghttp.

#include "integration/test_server.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_pki.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>

namespace integration {
namespace {

using namespace std::chrono_literals;
using support::run_process;

class RealClients : public ::testing::Test {
protected:
  void SetUp() override {
    for (const char* tool : {"curl", "nghttp"})
      ASSERT_FALSE(support::find_program(tool).empty())
          << tool << " is missing: run scripts/setup.sh";
  }
  const support::TestPki& pki = support::TestPki::get();
};

// curl's -w line, last in its output: "<http_version> <status>".
std::string curl_summary(const std::string& output) {
  const auto at = output.rfind("\nHTTP/");
  return at == std::string::npos ? output : output.substr(at + 1);
}

TEST_F(RealClients, CurlOverTlsWithoutClientCertificate) {
  TestServer server([] {
    auto o = tls_server_options();
    o.handler = echo_handler();
    return o;
  }());
  const auto r =
      run_process({"curl", "-sS", "--http2", "--cacert", pki.ca_cert, "-D", "-", "--data-binary",
                   R"({"aps":{}})", "-w", "\nHTTP/%{http_version} %{http_code}",
                   server.url("https", "/3/device/abc")},
                  30s);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(curl_summary(r.output), "HTTP/2 200") << r.describe();
  EXPECT_NE(r.output.find("x-method: POST"), std::string::npos) << r.describe();
  EXPECT_NE(r.output.find("x-path: /3/device/abc"), std::string::npos) << r.describe();
  EXPECT_NE(r.output.find("x-alpn: h2"), std::string::npos) << r.describe();
  EXPECT_NE(r.output.find(R"({"aps":{}})"), std::string::npos) << r.describe();
}

TEST_F(RealClients, RequireModeShowsTheClientSubjectToTheHandler) {
  TestServer server([] {
    auto o = tls_server_options(net::ClientCertMode::Require);
    o.handler = echo_handler();
    return o;
  }());
  const auto r =
      run_process({"curl", "-sS", "--http2", "--cacert", pki.ca_cert, "--cert", pki.client_cert,
                   "--key", pki.client_key, "-D", "-", "-o", "/dev/null", server.url("https", "/")},
                  30s);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.output.find("x-client-subject: CN=voipsim test client,O=voipsim"), std::string::npos)
      << r.describe();
}

TEST_F(RealClients, RequireModeRefusesAClientWithoutCertificate) {
  support::Counter refused;
  std::string reason;
  TestServer server([&] {
    auto o = tls_server_options(net::ClientCertMode::Require);
    o.handler = echo_handler();
    o.on_handshake_failure = [&](const net::PeerInfo&, const std::string& why) {
      reason = why;
      refused.add();
    };
    return o;
  }());
  const auto r = run_process(
      {"curl", "-sS", "--http2", "--cacert", pki.ca_cert, server.url("https", "/")}, 30s);
  EXPECT_NE(r.exit_code, 0) << r.describe();
  // Under TLS 1.3 curl can exit before the server has finished its side: wait for it.
  ASSERT_TRUE(refused.wait_for_at_least(1));
  EXPECT_NE(reason.find("did not return a certificate"), std::string::npos) << reason;
  EXPECT_EQ(server.server().stats().requests, 0u);
}

TEST_F(RealClients, RequestModeServesAnonymousClientsButRefusesAForeignCertificate) {
  TestServer server([] {
    auto o = tls_server_options(net::ClientCertMode::Request);
    o.handler = echo_handler();
    return o;
  }());
  const auto anonymous = run_process(
      {"curl", "-sS", "--http2", "--cacert", pki.ca_cert, "-D", "-", server.url("https", "/")},
      30s);
  ASSERT_EQ(anonymous.exit_code, 0) << anonymous.describe();
  EXPECT_NE(anonymous.output.find("x-client-subject: \r\n"), std::string::npos)
      << anonymous.describe();

  const auto foreign =
      run_process({"curl", "-sS", "--http2", "--cacert", pki.ca_cert, "--cert",
                   pki.other_client_cert, "--key", pki.other_client_key, server.url("https", "/")},
                  30s);
  EXPECT_NE(foreign.exit_code, 0) << foreign.describe();
  EXPECT_EQ(server.server().stats().requests, 1u);
}

// A client certificate the listener refuses (TlsServerConfig::refuse_client_certificate) reaches
// curl as the certificate_revoked alert. Under TLS 1.3 curl has sent its request by then: a
// server that closed at once answered those unread bytes with a RST, and curl reported a failed
// send ("getpeername() failed") instead of the refusal.
TEST_F(RealClients, ARefusedClientCertificateReachesCurlAsTheAlertNotAReset) {
  TestServer server([] {
    auto o = tls_server_options(net::ClientCertMode::Request);
    o.tls->refuse_client_certificate = [](std::string_view) { return true; };
    o.handler = echo_handler();
    return o;
  }());
  for (const auto& tls : {std::vector<std::string>{"--tlsv1.3"},
                          std::vector<std::string>{"--tlsv1.2", "--tls-max", "1.2"}}) {
    SCOPED_TRACE(tls.front());
    std::vector<std::string> argv = {"curl", "-sS", "--http2", "--cacert", pki.ca_cert};
    argv.insert(argv.end(), {"--cert", pki.client_cert, "--key", pki.client_key});
    argv.insert(argv.end(), {"-d", R"({"aps":{}})"});
    argv.insert(argv.end(), tls.begin(), tls.end());
    argv.push_back(server.url("https", "/3/device/abc"));
    const auto r = run_process(argv, 30s);
    EXPECT_NE(r.exit_code, 0) << r.describe();
    EXPECT_NE(r.output.find("alert certificate revoked"), std::string::npos) << r.describe();
  }
  EXPECT_EQ(server.server().stats().requests, 0u);
}

TEST_F(RealClients, CurlWithPriorKnowledgeOverH2c) {
  TestServer server([] {
    net::ServerOptions o;
    o.handler = echo_handler();
    return o;
  }());
  const auto r = run_process({"curl", "-sS", "--http2-prior-knowledge", "-D", "-", "-w",
                              "\nHTTP/%{http_version} %{http_code}", server.url("http", "/h2c")},
                             30s);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(curl_summary(r.output), "HTTP/2 200") << r.describe();
  EXPECT_NE(r.output.find("x-path: /h2c"), std::string::npos) << r.describe();
}

TEST_F(RealClients, CurlUploadsAndDownloadsOneMebibyte) {
  TestServer server([] {
    auto o = tls_server_options();
    o.handler = echo_handler();
    return o;
  }());
  support::TempDir dir;
  const std::string body = body_for(1, 1 << 20);
  const std::string in = dir.write("in.bin", body);
  const std::string out = dir.file("out.bin");
  const auto r = run_process({"curl", "-sS", "--http2", "--cacert", pki.ca_cert, "--data-binary",
                              "@" + in, "-o", out, server.url("https", "/upload")},
                             60s);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const std::string received = support::read_file(out);
  EXPECT_EQ(received.size(), body.size());
  EXPECT_TRUE(received == body);
}

TEST_F(RealClients, NghttpOverTlsAndH2c) {
  TestServer tls([] {
    auto o = tls_server_options();
    o.handler = echo_handler();
    return o;
  }());
  TestServer plain([] {
    net::ServerOptions o;
    o.handler = echo_handler();
    return o;
  }());
  support::TempDir dir;
  const std::string data = dir.write("payload.json", R"({"aps":{"alert":"hi"}})");
  for (const auto& url : {tls.url("https", "/3/device/01"), plain.url("http", "/3/device/02")}) {
    const auto r = run_process({"nghttp", "-n", "-v", "-d", data, url}, 30s);
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_NE(r.output.find(":status: 200"), std::string::npos) << r.describe();
    EXPECT_NE(r.output.find("x-method: POST"), std::string::npos) << r.describe();
  }
  EXPECT_EQ(tls.server().stats().requests, 1u);
  EXPECT_EQ(plain.server().stats().requests, 1u);
}

} // namespace
} // namespace integration
