// The frame-level vectors of apns-provider-api.md §11.2 (V68, V71–V78) and broken HTTP/2 against a
// running mock: nghttp shows the SETTINGS frames, openssl s_client carries raw frames and refused
// handshakes, our client offers no ALPN and watches for GOAWAY.
#include "integration/mock_fixture.hpp"
#include "integration/test_server.hpp"
#include "net/client.hpp"
#include "support/child_process.hpp"
#include "support/raw_h2.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>

namespace integration {
namespace {

using namespace std::chrono_literals;
using mock_apns::Environment;
using mock_apns_test::SpecWorld;
namespace h2 = support::h2;

constexpr const char* kVoipToken = mock_apns_test::T_VOIP_SBX;

std::string port_text(MockFixture& mock, Environment env) {
  return std::to_string(mock.port(env));
}

// nghttp -nv with request R (apns-provider-api.md §11.1) on a connection with `certificate`: every
// frame it sends and receives, as text.
support::ProcessResult nghttp_r(MockFixture& mock, const std::string& certificate) {
  support::TempDir dir;
  std::vector<std::string> argv = {"nghttp", "-nv",
                                   "-H",     ":authority: api.sandbox.push.apple.com",
                                   "-H",     "apns-push-type: voip",
                                   "-H",     "apns-topic: com.example.imapp.voip",
                                   "-d",     dir.write("body", R"({"aps":{},"call":"x"})")};
  argv.insert(argv.end(), {"--cert=" + WirePki::get().cert_file(certificate),
                           "--key=" + WirePki::get().key_file(certificate)});
  argv.push_back("https://127.0.0.1:" + port_text(mock, Environment::Sandbox) + "/3/device/" +
                 kVoipToken);
  return support::run_process(argv, 30s);
}

// The text of the n-th (0-based) "recv SETTINGS frame" nghttp printed, up to the next frame.
std::string received_settings(const std::string& output, int n) {
  std::size_t at = 0;
  for (int i = 0; i <= n; ++i) {
    at = output.find("recv SETTINGS frame <length=", at == 0 ? 0 : at + 1);
    if (at == std::string::npos) return "";
  }
  const auto end = output.find("frame <", at + 30);
  return output.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

class MockFrames : public ::testing::Test {
protected:
  void SetUp() override {
    for (const char* tool : {"curl", "nghttp", "openssl"}) {
      ASSERT_FALSE(support::find_program(tool).empty())
          << tool << " is missing: run scripts/setup.sh";
    }
  }
};

// Raw frames over TLS with openssl s_client: the preface, an empty SETTINGS, `frames`, and
// (unless `goaway` is false) a GOAWAY so that the server finishes and closes. Returns everything
// s_client printed.
support::ProcessResult raw_frames(MockFixture& mock, const std::string& frames, bool goaway = true,
                                  const std::string& certificate = "") {
  std::string input = std::string(h2::kPreface) + h2::settings({}) + frames;
  if (goaway) input += h2::goaway(0, h2::NO_ERROR);
  std::vector<std::string> argv = {"openssl",
                                   "s_client",
                                   "-quiet",
                                   "-alpn",
                                   "h2",
                                   "-connect",
                                   "127.0.0.1:" + port_text(mock, Environment::Sandbox)};
  if (!certificate.empty()) {
    argv.insert(argv.end(), {"-cert", WirePki::get().cert_file(certificate), "-key",
                             WirePki::get().key_file(certificate)});
  }
  return support::run_process(argv, 30s, input);
}

// Request R as HEADERS (literal fields without indexing, RFC 7541 §6.2.2) and DATA frames;
// without the DATA frame when `with_body` is false.
std::string raw_request_r(std::uint32_t stream, bool with_body = true) {
  const std::vector<std::pair<std::string, std::string>> fields = {
      {":method", "POST"},
      {":scheme", "https"},
      {":authority", "api.sandbox.push.apple.com"},
      {":path", std::string("/3/device/") + kVoipToken},
      {"authorization", "bearer " + SpecWorld::get().jwt({})},
      {"apns-push-type", "voip"},
      {"apns-topic", "com.example.imapp.voip"},
      {"apns-id", mock_apns_test::kDefaultApnsId}};
  std::string block;
  for (const auto& [name, value] : fields) {
    block += h2::hpack_literal(name, value);
  }
  const std::string headers = h2::frame(h2::HEADERS, h2::END_HEADERS, stream, block);
  return with_body
             ? headers + h2::frame(h2::DATA, h2::END_STREAM, stream, R"({"aps":{},"call":"x"})")
             : headers;
}

// V67: HEADERS without END_STREAM and no DATA: 400 IdleTimeout on that stream once
// streamIdleTimeout passes (short here; the default is 10 s); the connection goes on serving.
TEST_F(MockFrames, V67_AStreamWhoseBodyNeverComesGets400IdleTimeout) {
  MockFixture mock([](mock_apns::ServerOptions& o) {
    o.settings.stream_idle_timeout = std::chrono::milliseconds(200);
    o.settings.connection_idle_timeout = std::chrono::milliseconds(1500);
  });
  // A certificate connection: a token connection allows one stream until its first 200.
  const auto r =
      raw_frames(mock, raw_request_r(1, false) + raw_request_r(3), /*goaway=*/false, "C_UNIV");
  const std::string& out = r.output;
  // Stream 3 (complete) is answered 200 at once; stream 1 gets its error body later.
  const auto ok_3 = out.find(std::string("\x01\x05\x00\x00\x00\x03", 6));
  const auto idle_body =
      out.find(std::string("\x00\x01\x00\x00\x00\x01") + R"({"reason":"IdleTimeout"})");
  ASSERT_NE(ok_3, std::string::npos) << "stream 3 not answered 200";
  ASSERT_NE(idle_body, std::string::npos) << "no IdleTimeout body on stream 1";
  EXPECT_LT(ok_3, idle_body);
  const auto journal = mock.server().journal().query({});
  ASSERT_EQ(journal.size(), 2u);
  EXPECT_EQ(journal[1].reason, mock_apns::Reason::IdleTimeout);
  EXPECT_EQ(journal[1].apns_id, mock_apns_test::kDefaultApnsId) << "the HEADERS' apns-id is echoed";
}

// A body far over every APNs limit (beyond what the transport reads) still gets an APNs-shaped
// 413: the apns-id echoed and {"reason":"PayloadTooLarge"}, then RST_STREAM NO_ERROR to stop
// the upload. (nghttp, because curl 7.88 reports that RST_STREAM as an error.)
TEST_F(MockFrames, AHugeBodyGetsAnApnsShapedPayloadTooLarge) {
  MockFixture mock;
  support::TempDir dir;
  const auto& pki = WirePki::get();
  const auto r = support::run_process(
      {"nghttp", "-v", "--cert=" + pki.cert_file("C_UNIV"), "--key=" + pki.key_file("C_UNIV"), "-H",
       "apns-push-type: voip", "-H", "apns-topic: com.example.imapp.voip", "-H",
       std::string("apns-id: ") + mock_apns_test::kDefaultApnsId, "-d",
       dir.write("body", "{\"p\":\"" + std::string(200'000, 'x') + "\"}"),
       "https://127.0.0.1:" + port_text(mock, Environment::Sandbox) + "/3/device/" + kVoipToken},
      30s);
  for (const std::string& expected :
       {std::string(":status: 413"), std::string("apns-id: ") + mock_apns_test::kDefaultApnsId,
        std::string(R"({"reason":"PayloadTooLarge"})"), std::string("error_code=NO_ERROR")}) {
    EXPECT_NE(r.output.find(expected), std::string::npos) << expected << "\n" << r.describe();
  }
  const auto journal = mock.server().journal().query({});
  ASSERT_EQ(journal.size(), 1u);
  EXPECT_EQ(journal[0].reason, mock_apns::Reason::PayloadTooLarge);
}

// V72: a token connection starts with one stream and gets the configured value after its first
// 200. Raw frames, so that the order of SETTINGS and response on the wire is visible.
TEST_F(MockFrames, V72_TokenConnectionStartsWithOneStreamThenGetsTheConfiguredLimit) {
  // The idle timeout ends the connection (and s_client) once everything was answered.
  MockFixture mock([](mock_apns::ServerOptions& o) {
    o.settings.connection_idle_timeout = std::chrono::milliseconds(500);
  });
  const auto r = raw_frames(mock, raw_request_r(1), /*goaway=*/false);
  const std::string& out = r.output;
  const auto setting = [](std::uint16_t id, std::uint32_t value) {
    std::string s = {static_cast<char>(id >> 8), static_cast<char>(id & 0xFF)};
    for (int shift : {24, 16, 8, 0})
      s += static_cast<char>((value >> shift) & 0xFF);
    return s;
  };
  const auto initial = out.find(setting(0x3, 1));
  ASSERT_NE(initial, std::string::npos) << "initial SETTINGS without MAX_CONCURRENT_STREAMS=1";
  for (const auto& [id, value] : std::vector<std::pair<std::uint16_t, std::uint32_t>>{
           {0x1, 4096}, {0x4, 65535}, {0x5, 16384}, {0x6, 8000}}) {
    EXPECT_NE(out.find(setting(id, value)), std::string::npos) << "setting " << id;
  }
  // The response: HEADERS with END_STREAM|END_HEADERS on stream 1.
  const auto response = out.find(std::string("\x01\x05\x00\x00\x00\x01", 6));
  ASSERT_NE(response, std::string::npos) << "no 200 on stream 1";
  const auto raised = out.find(setting(0x3, 1000));
  ASSERT_NE(raised, std::string::npos) << "no SETTINGS raising the limit";
  EXPECT_LT(initial, response);
  EXPECT_GT(raised, response) << "raised only after the first valid token was answered";
  EXPECT_NE(out.find(R"({"reason":"IdleTimeout"})"), std::string::npos);
}

// V73: certificate connections get the configured value at once. V75: nghttp sends PRIORITY
// frames before its request (its default dependency tree); they are ignored.
TEST_F(MockFrames, V73_V75_CertificateConnectionGetsTheFullLimitAndPriorityIsIgnored) {
  MockFixture mock;
  const auto r = nghttp_r(mock, "C_UNIV");
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(received_settings(r.output, 0).find("SETTINGS_MAX_CONCURRENT_STREAMS(0x03):1000]"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("send PRIORITY frame"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(":status: 200"), std::string::npos) << r.output;
}

// V74: PING is answered with PING+ACK carrying the same 8 bytes.
TEST_F(MockFrames, V74_PingIsAcknowledgedWithTheSameBytes) {
  MockFixture mock;
  const std::string opaque = "voipsim!";
  const auto r = raw_frames(mock, std::string("\x00\x00\x08\x06\x00\x00\x00\x00\x00", 9) + opaque);
  const std::string ack = std::string("\x00\x00\x08\x06\x01\x00\x00\x00\x00", 9) + opaque;
  EXPECT_NE(r.output.find(ack), std::string::npos) << r.describe();
}

// Broken HTTP/2 (issue #4 acceptance 3): a frame on the wrong stream, a frame of a size over
// SETTINGS_MAX_FRAME_SIZE, and a header list far over the limit each end only that connection;
// the mock carries on serving.
TEST_F(MockFrames, BrokenHttp2EndsThatConnectionAndTheMockCarriesOn) {
  MockFixture mock;
  const std::string data_on_stream_0("\x00\x00\x01\x00\x00\x00\x00\x00\x00x", 10);
  const std::string oversized("\x00\x80\x00\x00\x00\x00\x00\x00\x01", 9); // 32 KiB DATA
  const std::string garbage = "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff";
  for (const std::string& frames : {data_on_stream_0, oversized, garbage}) {
    const auto r = raw_frames(mock, frames + std::string(40'000, 'x'));
    EXPECT_FALSE(r.timed_out) << r.describe();
  }
  const auto& pki = WirePki::get();
  const auto big_header = support::run_process(
      {"curl", "-sS", "--http2", "--cacert", pki.ca_bundle, "--resolve",
       mock.curl_resolve(Environment::Sandbox), "-H", "x-big: " + std::string(20'000, 'b'),
       "--data-binary", "{}", "-w", "%{http_code}",
       mock.origin(Environment::Sandbox) + "/3/device/" + kVoipToken},
      30s);
  EXPECT_NE(big_header.output, "200") << big_header.describe();
  const auto after = nghttp_r(mock, "C_UNIV");
  EXPECT_NE(after.output.find(":status: 200"), std::string::npos) << after.describe();
}

// V76: TLS 1.1 is refused by the mock (SECLEVEL=0 makes the client really offer it).
TEST_F(MockFrames, V76_Tls11IsRefused) {
  MockFixture mock;
  const auto r = support::run_process({"openssl", "s_client", "-connect",
                                       "127.0.0.1:" + port_text(mock, Environment::Sandbox),
                                       "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"},
                                      30s, "Q\n");
  EXPECT_NE(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.output.find("protocol version"), std::string::npos) << r.describe();
}

// V77: an ALPN offer without h2 fails the handshake: no HTTP/1.1 fallback.
TEST_F(MockFrames, V77_AlpnWithoutH2FailsTheHandshake) {
  MockFixture mock;
  const auto r = support::run_process(
      {"curl", "-sS", "--http1.1", "--cacert", WirePki::get().ca_bundle, "--resolve",
       mock.curl_resolve(Environment::Sandbox), mock.origin(Environment::Sandbox) + "/"},
      30s);
  EXPECT_NE(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.output.find("no application protocol"), std::string::npos) << r.describe();
  EXPECT_TRUE(mock.server().journal().query({}).empty());
}

// A client of our own on one connection to the sandbox, reporting GOAWAY frames.
class Connection {
public:
  Connection(MockFixture& mock, std::vector<std::string> alpn = {"h2"}) {
    net::ClientOptions o;
    o.port = mock.port(Environment::Sandbox);
    o.authority = "api.sandbox.push.apple.com";
    net::TlsClientConfig tls;
    tls.ca_file = WirePki::get().ca_bundle;
    tls.server_name = "api.sandbox.push.apple.com";
    tls.alpn = std::move(alpn);
    o.tls = tls;
    o.on_goaway = [this](const net::GoawayInfo& info) {
      if (info.debug_data.empty()) return; // a shutdown notice; the final GOAWAY follows
      goaway_ = info;
      goaways_.add();
    };
    client_ = std::make_unique<net::Client>(io_, o);
  }
  // Request R, to `token` (apns-provider-api.md §11.1's T_VOIP_SBX by default).
  net::ResponseResult send_r(const std::string& token = kVoipToken) {
    net::Request r;
    r.method = "POST";
    r.path = "/3/device/" + token;
    r.headers = {{"authorization", "bearer " + SpecWorld::get().jwt({})},
                 {"apns-push-type", "voip"},
                 {"apns-topic", "com.example.imapp.voip"},
                 {"apns-id", mock_apns_test::kDefaultApnsId}};
    r.body = R"({"aps":{},"call":"x"})";
    auto future = client_->submit(std::move(r));
    return await(future);
  }
  // Waits for the first GOAWAY with debug data: NO_ERROR and {"reason":"<reason>"} expected.
  void expect_goaway(const std::string& reason) {
    ASSERT_TRUE(goaways_.wait_for_at_least(1)) << "no GOAWAY with a reason";
    EXPECT_EQ(goaway_.error_code, 0u);
    EXPECT_EQ(goaway_.debug_data, R"({"reason":")" + reason + R"("})");
  }

private:
  net::IoThreads io_{1};
  support::Counter goaways_;
  net::GoawayInfo goaway_; // written before goaways_ counts it
  std::unique_ptr<net::Client> client_;
};

// V78: a client offering no ALPN at all is served HTTP/2.
TEST_F(MockFrames, V78_NoAlpnIsServedHttp2) {
  MockFixture mock;
  Connection connection(mock, {});
  const auto result = connection.send_r();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->status, 200);
}

// V68: an idle connection is closed with GOAWAY NO_ERROR {"reason":"IdleTimeout"} (a short
// timeout here; the default is 3600 s).
TEST_F(MockFrames, V68_IdleConnectionGetsGoawayIdleTimeout) {
  MockFixture mock([](mock_apns::ServerOptions& o) {
    o.settings.connection_idle_timeout = std::chrono::milliseconds(300);
  });
  Connection connection(mock);
  ASSERT_EQ(connection.send_r()->status, 200);
  connection.expect_goaway("IdleTimeout");
}

// Error throttling (apns-provider-api.md §3.2, a setting): after errorBudget consecutive non-410
// 4xx answers the connection is closed with GOAWAY carrying the last reason; a 200 resets the
// count.
TEST_F(MockFrames, ErrorThrottlingClosesAConnectionAfterItsErrorBudget) {
  MockFixture mock([](mock_apns::ServerOptions& o) {
    o.settings.error_throttling = true;
    o.settings.error_budget = 3;
  });
  Connection connection(mock);
  // Each answer must arrive: an early GOAWAY would fail the requests after it.
  const auto status_of = [&](const std::string& token) {
    const auto result = connection.send_r(token);
    return result ? result->status : -1;
  };
  EXPECT_EQ(status_of("db3582a3"), 400);
  EXPECT_EQ(status_of("db3582a3"), 400);
  EXPECT_EQ(status_of(kVoipToken), 200) << "a 200 starts the count again";
  EXPECT_EQ(status_of(mock_apns_test::T_UNREG_SBX), 410) << "410 is no error";
  // Still the first connection: no GOAWAY made the client reconnect so far.
  EXPECT_EQ(mock.server().listener_stats(Environment::Sandbox).connections_accepted, 1u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(status_of("db3582a3"), 400) << "error " << i + 1;
  }
  connection.expect_goaway("BadDeviceToken");
}

// V71: the Shutdown fault answers 503 Shutdown, then GOAWAY {"reason":"Shutdown"}.
TEST_F(MockFrames, V71_ShutdownFaultAnswersThenSendsGoaway) {
  MockFixture mock;
  mock_apns::FaultRule rule;
  rule.reason = mock_apns::Reason::Shutdown;
  ASSERT_TRUE(mock.server().faults().add(rule));
  Connection connection(mock);
  const auto result = connection.send_r();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->status, 503);
  EXPECT_EQ(result->body, R"({"reason":"Shutdown"})");
  connection.expect_goaway("Shutdown");
}

// Graceful stop with a request in flight (held by a latency fault on the virtual clock): the
// client gets GOAWAY {"reason":"Shutdown"}, the held request is still answered, then the mock
// closes (apns-provider-api.md §3.4, §5.4 Shutdown).
TEST_F(MockFrames, StoppingTheMockSendsGoawayShutdownAndFinishesInFlightRequests) {
  MockFixture mock;
  mock_apns::FaultRule hold;
  hold.latency = std::chrono::seconds(5);
  ASSERT_TRUE(mock.server().faults().add(hold));
  support::Counter accepted;
  mock.server().deliveries().subscribe([&](const auto&) { accepted.add(); });
  Connection connection(mock);
  auto in_flight = std::async(std::launch::async, [&] { return connection.send_r(); });
  ASSERT_TRUE(accepted.wait_for_at_least(1)) << "the request reached validation";
  auto stopped = std::async(std::launch::async, [&] { mock.server().stop(); });
  connection.expect_goaway("Shutdown");
  mock.clock().advance(std::chrono::seconds(5)); // releases the held answer
  const auto result = support::get_within(in_flight);
  ASSERT_TRUE(result);
  ASSERT_TRUE(*result) << result->error().message;
  EXPECT_EQ((*result)->status, 200);
  EXPECT_EQ(stopped.wait_for(support::kEventTimeout), std::future_status::ready);
}

} // namespace
} // namespace integration
