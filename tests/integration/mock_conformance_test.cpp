// Every request-level vector of apns-provider-api.md §11.2 over TLS against a running mock: single
// requests with curl --http2 (a real client, a fresh connection each), multi-request vectors and
// connection- level answers (GOAWAY) with our own client on one connection, the virtual clock
// advanced between requests.
#include "core/uuid.hpp"
#include "integration/mock_fixture.hpp"
#include "integration/test_server.hpp"
#include "net/client.hpp"
#include "spec_vectors.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

#include <cctype>
#include <map>
#include <mutex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace integration {
namespace {

using namespace std::chrono_literals;
using mock_apns::Environment;
using mock_apns_test::SpecVector;
using mock_apns_test::Step;

struct WireResponse {
  int status = 0;
  std::map<std::string, std::string> headers; // lower-case names
  std::string body;
  std::string failure; // transport-level failure, if any
  std::optional<net::GoawayInfo> goaway;
};

std::string host_for(Environment env) {
  return env == Environment::Sandbox ? "api.sandbox.push.apple.com" : "api.push.apple.com";
}

// One request with curl --http2 on a fresh TLS connection.
WireResponse send_with_curl(MockFixture& mock, const SpecVector& vector, const Step& step) {
  const WirePki& pki = WirePki::get();
  const auto& world = mock_apns_test::SpecWorld::get();
  support::TempDir dir;
  std::vector<std::string> argv = mock.curl_to(vector.environment);
  argv.insert(argv.end(), {"-X", step.request.method, "-D", dir.file("headers"), "-o",
                           dir.file("body"), "-w", "%{http_code}"});
  if (!vector.certificate.empty()) {
    argv.insert(argv.end(), {"--cert", pki.cert_file(vector.certificate), "--key",
                             pki.key_file(vector.certificate)});
  }
  if (auto auth = world.authorization(step.request)) {
    argv.insert(argv.end(), {"-H", "authorization: " + *auth});
  }
  for (const auto& [name, value] : step.request.headers) {
    argv.insert(argv.end(), {"-H", name + ": " + value});
  }
  if (!step.request.body.empty()) {
    argv.insert(argv.end(), {"--data-binary", "@" + dir.write("request", step.request.body)});
  }
  argv.push_back(mock.origin(vector.environment) + step.request.path);
  const auto run = support::run_process(argv, 30s);
  WireResponse response;
  if (run.exit_code != 0) {
    response.failure = run.describe();
    return response;
  }
  response.status = std::atoi(run.output.c_str());
  response.body = support::read_file(dir.file("body"));
  const std::string head = support::read_file(dir.file("headers"));
  for (std::size_t at = 0, end; (end = head.find("\r\n", at)) != std::string::npos; at = end + 2) {
    const std::string line = head.substr(at, end - at);
    const auto colon = line.find(": ");
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (char& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      response.headers[name] = line.substr(colon + 2);
    }
  }
  return response;
}

// All steps of a vector with our client on one connection; returns the last step's answer.
class OneConnection {
public:
  OneConnection(MockFixture& mock, const SpecVector& vector) : mock_(mock), vector_(vector) {
    const WirePki& pki = WirePki::get();
    net::ClientOptions o;
    o.port = mock.port(vector.environment);
    o.authority = host_for(vector.environment);
    net::TlsClientConfig tls;
    tls.ca_file = pki.ca_bundle;
    tls.server_name = host_for(vector.environment);
    if (!vector.certificate.empty()) {
      tls.certificate_file = pki.cert_file(vector.certificate);
      tls.private_key_file = pki.key_file(vector.certificate);
    }
    o.tls = tls;
    o.on_goaway = [this](const net::GoawayInfo& info) {
      std::lock_guard lock(mutex_);
      goaway_ = info;
    };
    client_ = std::make_unique<net::Client>(io_, o);
  }

  WireResponse send(const Step& step) {
    const auto& world = mock_apns_test::SpecWorld::get();
    net::Request request;
    request.method = step.request.method;
    request.path = step.request.path;
    if (auto auth = world.authorization(step.request)) {
      request.headers.push_back({"authorization", *auth});
    }
    for (const auto& [name, value] : step.request.headers) {
      request.headers.push_back({name, value});
    }
    request.body = step.request.body;
    auto future = client_->submit(std::move(request));
    auto result = await(future);
    WireResponse response;
    if (result) {
      response.status = result->status;
      response.body = result->body;
      for (const auto& h : result->headers) {
        response.headers[h.name] = h.value;
      }
    } else {
      response.failure = result.error().message;
    }
    std::lock_guard lock(mutex_);
    response.goaway = goaway_;
    return response;
  }

private:
  MockFixture& mock_;
  const SpecVector& vector_;
  net::IoThreads io_{1};
  std::unique_ptr<net::Client> client_;
  std::mutex mutex_;
  std::optional<net::GoawayInfo> goaway_;
};

bool is_upper_case_uuid(const std::string& text) {
  return core::Uuid::parse(text).has_value() &&
         std::none_of(text.begin(), text.end(), [](char c) { return c >= 'a' && c <= 'f'; });
}

// Status, reason, timestamp and headers as apns-provider-api.md §5 describes them.
void check_answer(const SpecVector& vector, const Step& step, const WireResponse& got) {
  const auto& want = vector.expected;
  ASSERT_TRUE(got.failure.empty()) << got.failure;
  EXPECT_EQ(got.status, want.status) << got.body;
  if (want.status == 200) {
    EXPECT_TRUE(got.body.empty()) << "a 200 has no body: " << got.body;
  } else {
    EXPECT_EQ(got.headers.count("content-type") ? got.headers.at("content-type") : "",
              "application/json");
    const auto body = nlohmann::json::parse(got.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << got.body;
    EXPECT_EQ(body.value("reason", ""), want.reason) << got.body;
    EXPECT_EQ(body.contains("timestamp"), want.status == 410) << got.body;
    if (want.timestamp) {
      EXPECT_EQ(body.value("timestamp", std::int64_t{0}), *want.timestamp) << got.body;
    }
  }
  std::optional<std::string> sent_id;
  for (const auto& [name, value] : step.request.headers) {
    if (name == "apns-id") sent_id = value;
  }
  const std::string answered_id = got.headers.count("apns-id") ? got.headers.at("apns-id") : "";
  if (sent_id && core::Uuid::parse(*sent_id)) {
    EXPECT_EQ(answered_id, *sent_id) << "apns-id must be echoed byte for byte";
  } else {
    EXPECT_TRUE(is_upper_case_uuid(answered_id)) << "generated apns-id: " << answered_id;
  }
  EXPECT_EQ(got.headers.count("apns-unique-id") == 1, vector.environment == Environment::Sandbox)
      << "apns-unique-id is sent by the sandbox only";
}

bool needs_one_connection(const SpecVector& vector) {
  return vector.steps.size() > 1 || vector.expected.goaway;
}

class MockConformance : public testing::TestWithParam<SpecVector> {};

TEST_P(MockConformance, AnswersAsTheSpecSays) {
  ASSERT_FALSE(support::find_program("curl").empty()) << "curl is missing: run scripts/setup.sh";
  const SpecVector& vector = GetParam();
  MockFixture mock([&](mock_apns::ServerOptions& o) {
    if (vector.configure) vector.configure(o.settings);
  });
  if (vector.fault) {
    ASSERT_TRUE(mock.server().faults().add(*vector.fault));
  }
  std::mutex deliveries_mutex;
  std::vector<mock_apns::Delivery> deliveries;
  const auto subscription = mock.server().deliveries().subscribe([&](const auto& d) {
    std::lock_guard lock(deliveries_mutex);
    deliveries.push_back(d);
  });

  WireResponse last;
  if (needs_one_connection(vector)) {
    OneConnection connection(mock, vector);
    for (std::size_t i = 0; i < vector.steps.size(); ++i) {
      const Step& step = vector.steps[i];
      mock.clock().advance_to(core::from_unix_seconds(mock_apns_test::kNowSeconds + step.at));
      last = connection.send(step);
      if (i + 1 < vector.steps.size()) {
        ASSERT_EQ(last.status, 200) << "step " << i + 1 << ": " << last.body << last.failure;
      }
    }
  } else {
    last = send_with_curl(mock, vector, vector.steps.back());
  }
  mock.server().deliveries().unsubscribe(subscription);

  const auto journal = mock.server().journal().query({});
  ASSERT_FALSE(journal.empty());
  EXPECT_EQ(journal.back().status, vector.expected.status) << journal.back().cause;
  if (vector.expected.goaway) {
    // apns-provider-api.md §3.4 / V61: GOAWAY NO_ERROR, last-stream-id 0, {"reason":...}; no stream
    // response.
    ASSERT_TRUE(last.goaway) << "no GOAWAY; response status " << last.status;
    EXPECT_EQ(last.goaway->last_stream_id, 0);
    EXPECT_EQ(last.goaway->error_code, 0u);
    EXPECT_EQ(last.goaway->debug_data, R"({"reason":")" + vector.expected.reason + R"("})");
    EXPECT_EQ(last.status, 0) << "the request must not be answered";
    EXPECT_TRUE(journal.back().goaway);
    return;
  }
  check_answer(vector, vector.steps.back(), last);
  std::lock_guard lock(deliveries_mutex);
  if (vector.expected.status == 200) {
    ASSERT_FALSE(deliveries.empty()) << "an accepted push is published";
    const auto& d = deliveries.back();
    EXPECT_EQ(d.apns_id, last.headers["apns-id"]);
    if (vector.expected.push_type) {
      EXPECT_EQ(d.push_type, *vector.expected.push_type);
    }
    if (vector.expected.expiration) {
      EXPECT_EQ(d.expiration, vector.expected.expiration);
    }
  }
}

std::string vector_name(const testing::TestParamInfo<SpecVector>& info) {
  std::string name = info.param.id;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Spec, MockConformance, testing::ValuesIn(mock_apns_test::spec_vectors()),
                         vector_name);

} // namespace
} // namespace integration
