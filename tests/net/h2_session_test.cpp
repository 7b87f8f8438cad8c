#include "net/error.hpp"
#include "net/h2_session.hpp"
#include "net/session_pair.hpp"
#include "support/raw_h2.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <malloc.h>
#include <nghttp2/nghttp2.h>

namespace {

using net_test::SessionPair;

std::string pattern(std::size_t size, char seed) {
  std::string s(size, '\0');
  for (std::size_t i = 0; i < size; ++i)
    s[i] = static_cast<char>(seed + (i * 31) % 251);
  return s;
}

TEST(H2Session, RequestAndResponseRoundTripWithHeadersInOrder) {
  SessionPair pair;
  net::Headers headers{{"apns-topic", "com.example.app.voip"},
                       {"x-dup", "first"},
                       {"apns-push-type", "voip"},
                       {"x-dup", "second"}};
  auto id =
      pair.client->submit_request(SessionPair::request("POST", "/3/device/abcd", headers, "{}"));
  ASSERT_TRUE(id);
  ASSERT_TRUE(pair.pump());

  ASSERT_EQ(pair.server_events.requests.size(), 1u);
  const auto& [stream, req] = pair.server_events.requests[0];
  EXPECT_EQ(stream, *id);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.scheme, "https");
  EXPECT_EQ(req.authority, "api.sandbox.push.apple.com");
  EXPECT_EQ(req.path, "/3/device/abcd");
  ASSERT_EQ(req.headers.size(), 4u);
  for (std::size_t i = 0; i < headers.size(); ++i) {
    EXPECT_EQ(req.headers[i].name, headers[i].name);
    EXPECT_EQ(req.headers[i].value, headers[i].value);
  }
  EXPECT_EQ(net::count_header(req.headers, "x-dup"), 2u);
  EXPECT_EQ(req.body, "{}");

  ASSERT_TRUE(pair.server->submit_response(
      stream, net::Response{400, {{"apns-id", "X"}}, R"({"reason":"BadTopic"})"}));
  ASSERT_TRUE(pair.pump());
  ASSERT_EQ(pair.client_events.responses.size(), 1u);
  const auto& res = pair.client_events.responses[0].second;
  EXPECT_EQ(res.status, 400);
  ASSERT_NE(net::find_header(res.headers, "apns-id"), nullptr);
  EXPECT_EQ(*net::find_header(res.headers, "apns-id"), "X");
  EXPECT_EQ(res.body, R"({"reason":"BadTopic"})");
  EXPECT_EQ(pair.client_events.closed,
            (std::vector<std::pair<std::int32_t, std::uint32_t>>{{*id, 0}}));
  EXPECT_FALSE(pair.server->stream_open(stream));
}

TEST(H2Session, MegabyteBodiesCrossTheFlowControlWindows) {
  SessionPair pair; // default 65535-byte windows: 1 MiB needs many WINDOW_UPDATEs
  const std::string up = pattern(1 << 20, 'a');
  const std::string down = pattern((1 << 20) + 7, 'z');
  auto id = pair.client->submit_request(SessionPair::request("POST", "/upload", {}, up));
  ASSERT_TRUE(id);
  ASSERT_TRUE(pair.pump());
  ASSERT_EQ(pair.server_events.requests.size(), 1u);
  EXPECT_TRUE(pair.server_events.requests[0].second.body == up);
  ASSERT_TRUE(pair.server->submit_response(*id, net::Response{200, {}, down}));
  ASSERT_TRUE(pair.pump());
  ASSERT_EQ(pair.client_events.responses.size(), 1u);
  EXPECT_TRUE(pair.client_events.responses[0].second.body == down);
}

TEST(H2Session, RequestBodyOverTheLimitIsHandedOverHeadOnlyAndItsAnswerEndsTheStream) {
  net::H2SessionOptions server_options;
  server_options.max_body_size = 1000;
  SessionPair pair({}, server_options);
  auto id =
      pair.client->submit_request(SessionPair::request("POST", "/big", {}, pattern(200000, 'b')));
  ASSERT_TRUE(id);
  ASSERT_TRUE(pair.pump());
  EXPECT_TRUE(pair.server_events.requests.empty());
  ASSERT_EQ(pair.server_events.requests_too_large.size(), 1u);
  const auto& [stream, head] = pair.server_events.requests_too_large[0];
  EXPECT_EQ(head.path, "/big");
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(pair.server_events.started, std::vector<std::int32_t>{stream});
  // Answered before the client finished sending: RST_STREAM NO_ERROR follows the response.
  ASSERT_TRUE(pair.server->submit_response(stream, net::Response{413, {}, {}}));
  ASSERT_TRUE(pair.pump());
  ASSERT_EQ(pair.client_events.responses.size(), 1u);
  EXPECT_EQ(pair.client_events.responses[0].second.status, 413);
  ASSERT_EQ(pair.client_events.closed.size(), 1u);
  EXPECT_EQ(pair.client_events.closed[0].second, NGHTTP2_NO_ERROR);
}

TEST(H2Session, ResponseBodyOverTheLimitIsReportedAndCancelled) {
  net::H2SessionOptions client_options;
  client_options.max_body_size = 1000;
  SessionPair pair(client_options, {});
  auto id = pair.client->submit_request(SessionPair::request("GET", "/big"));
  ASSERT_TRUE(pair.pump());
  ASSERT_TRUE(pair.server->submit_response(*id, net::Response{200, {}, pattern(5000, 'c')}));
  ASSERT_TRUE(pair.pump());
  EXPECT_TRUE(pair.client_events.responses.empty());
  EXPECT_EQ(pair.client_events.too_large, std::vector<std::int32_t>{*id});
  ASSERT_EQ(pair.client_events.closed.size(), 1u);
}

TEST(H2Session, UpperCaseHeaderNameResetsTheStream) {
  SessionPair pair; // RFC 9113 §8.2.1: a malformed request is a stream error PROTOCOL_ERROR
  auto id = pair.client->submit_request(
      SessionPair::request("POST", "/3/device/abcd", {{"Apns-Topic", "com.example"}}, "{}"));
  ASSERT_TRUE(id);
  ASSERT_TRUE(pair.pump());
  EXPECT_TRUE(pair.server_events.requests.empty());
  EXPECT_EQ(pair.client_events.closed,
            (std::vector<std::pair<std::int32_t, std::uint32_t>>{{*id, NGHTTP2_PROTOCOL_ERROR}}));
}

TEST(H2Session, HeaderListOverTheAdvertisedLimitResetsTheStream) {
  net::H2SessionOptions server_options;
  server_options.settings.max_header_list_size = 8000;
  SessionPair pair({}, server_options);
  auto id = pair.client->submit_request(SessionPair::request(
      "POST", "/x", {{"authorization", "bearer " + std::string(9000, 'j')}}, "{}"));
  ASSERT_TRUE(pair.pump());
  EXPECT_TRUE(pair.server_events.requests.empty());
  ASSERT_EQ(pair.client_events.closed.size(), 1u);
  EXPECT_EQ(pair.client_events.closed[0].first, *id);
  EXPECT_NE(pair.client_events.closed[0].second, NGHTTP2_NO_ERROR);
}

TEST(H2Session, AdvertisesSettingsAndUpdatesThemLater) {
  net::H2SessionOptions server_options;
  server_options.settings.max_concurrent_streams = 1;
  SessionPair pair({}, server_options);
  ASSERT_TRUE(pair.pump());
  EXPECT_TRUE(pair.client->remote_settings_received());
  EXPECT_EQ(pair.client->remote_max_concurrent_streams(), 1u);
  EXPECT_EQ(pair.client_events.settings, 1);

  server_options.settings.max_concurrent_streams = 1000;
  ASSERT_TRUE(pair.server->submit_settings(server_options.settings));
  ASSERT_TRUE(pair.pump());
  EXPECT_EQ(pair.client->remote_max_concurrent_streams(), 1000u);
  EXPECT_EQ(pair.client_events.settings, 2);
}

TEST(H2Session, GoawayCarriesDebugDataAndStopsNewStreams) {
  SessionPair pair;
  auto id = pair.client->submit_request(SessionPair::request("POST", "/3/device/aa", {}, "{}"));
  ASSERT_TRUE(pair.pump());
  ASSERT_TRUE(
      pair.server->submit_goaway(NGHTTP2_NO_ERROR, R"({"reason":"BadCertificateEnvironment"})", 0));
  ASSERT_TRUE(pair.pump());
  EXPECT_EQ(pair.server_events.goaways_sent, std::vector<std::int32_t>{0});
  ASSERT_EQ(pair.client_events.goaways.size(), 1u);
  EXPECT_EQ(pair.client_events.goaways[0].last_stream_id, 0);
  EXPECT_EQ(pair.client_events.goaways[0].error_code, NGHTTP2_NO_ERROR);
  EXPECT_EQ(pair.client_events.goaways[0].debug, R"({"reason":"BadCertificateEnvironment"})");
  // Stream 1 is above last-stream-id 0: nghttp2 closes it as refused, i.e. unprocessed.
  EXPECT_EQ(pair.client_events.closed,
            (std::vector<std::pair<std::int32_t, std::uint32_t>>{{*id, NGHTTP2_REFUSED_STREAM}}));
  auto refused =
      pair.client->submit_request(SessionPair::request("POST", "/3/device/bb", {}, "{}"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, net::Errc::GoAway);
}

TEST(H2Session, ShutdownNoticeThenFinalGoawayWithTheLastProcessedStream) {
  SessionPair pair;
  auto id = pair.client->submit_request(SessionPair::request("GET", "/"));
  ASSERT_TRUE(pair.pump());
  pair.server->submit_shutdown_notice();
  ASSERT_TRUE(pair.pump());
  ASSERT_TRUE(pair.server->submit_goaway(NGHTTP2_NO_ERROR, ""));
  ASSERT_TRUE(pair.pump());
  ASSERT_EQ(pair.client_events.goaways.size(), 2u);
  EXPECT_EQ(pair.client_events.goaways[0].last_stream_id, (1u << 31) - 1);
  EXPECT_EQ(pair.client_events.goaways[1].last_stream_id, *id);
  // The stream at or below last-stream-id still gets its answer.
  ASSERT_TRUE(pair.server->submit_response(*id, net::Response{200, {}, {}}));
  ASSERT_TRUE(pair.pump());
  ASSERT_EQ(pair.client_events.responses.size(), 1u);
  EXPECT_FALSE(pair.server->want_read() || pair.server->want_write());
}

TEST(H2Session, GoawayNamingAStreamThePeerCouldNotOpenIsRefused) {
  SessionPair pair;
  ASSERT_TRUE(pair.pump());
  // Client streams are odd; 2 would be a server push stream, which this server never opened.
  auto refused = pair.server->submit_goaway(NGHTTP2_NO_ERROR, "", 2);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("last-stream-id 2"), std::string::npos);
}

TEST(H2Session, PingIsAcknowledged) {
  SessionPair pair;
  pair.client->submit_ping();
  ASSERT_TRUE(pair.pump());
  EXPECT_EQ(pair.client_events.ping_acks, 1);
}

TEST(H2Session, AnswerToAClosedOrAnsweredStreamFails) {
  SessionPair pair;
  auto id = pair.client->submit_request(SessionPair::request("GET", "/"));
  ASSERT_TRUE(pair.pump());
  ASSERT_TRUE(pair.server->submit_response(*id, net::Response{200, {}, "x"}));
  auto twice = pair.server->submit_response(*id, net::Response{500, {}, {}});
  EXPECT_FALSE(twice);
  ASSERT_TRUE(pair.pump());
  auto closed = pair.server->submit_response(*id, net::Response{200, {}, {}});
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().code, net::Errc::StreamReset);
}

TEST(H2Session, ClientResetCancelsTheServerStream) {
  SessionPair pair;
  auto id = pair.client->submit_request(SessionPair::request("GET", "/slow"));
  ASSERT_TRUE(pair.pump());
  pair.client->submit_rst_stream(*id, NGHTTP2_CANCEL);
  ASSERT_TRUE(pair.pump());
  EXPECT_FALSE(pair.server->stream_open(*id));
  EXPECT_EQ(pair.server_events.closed,
            (std::vector<std::pair<std::int32_t, std::uint32_t>>{{*id, NGHTTP2_CANCEL}}));
}

// Heap bytes in use, or nothing where a sanitizer's allocator replaces glibc's (its mallinfo2
// answers zeros).
std::optional<std::size_t> heap_in_use() {
  const struct mallinfo2 info = mallinfo2();
  const std::size_t used = info.uordblks + info.hblkhd; // small chunks + mmapped large ones
  if (used == 0) return std::nullopt;
  return used;
}

// A server's stream keeps its last response's buffers for the next stream (respond_copy's
// reuse): each answer must still carry exactly its own fields and body, fewer or more.
TEST(H2Session, AStreamReusedForAnotherAnswerSendsOnlyThatAnswer) {
  SessionPair pair;
  net::Response kept{400,
                     {{"content-type", "application/json"},
                      {"apns-id", std::string(36, 'A')},
                      {"apns-unique-id", std::string(36, 'b')}},
                     R"({"reason":"BadDeviceToken"})"};
  const auto round_trip = [&](auto&& response) -> net::Response {
    auto id = pair.client->submit_request(SessionPair::request("POST", "/3/device/ab"));
    EXPECT_TRUE(id);
    if (!id) return {};
    EXPECT_TRUE(pair.pump());
    EXPECT_TRUE(pair.server->submit_response(*id, std::forward<decltype(response)>(response)));
    EXPECT_TRUE(pair.pump());
    EXPECT_EQ(pair.client_events.responses.size(), 1u);
    net::Response got = pair.client_events.responses.at(0).second;
    pair.client_events.responses.clear();
    return got;
  };
  const auto fields = [](const net::Response& r) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& h : r.headers)
      out.emplace_back(h.name, h.value);
    return out;
  };

  auto got = round_trip(std::as_const(kept));
  EXPECT_EQ(got.status, 400);
  EXPECT_EQ(fields(got), fields(kept));
  EXPECT_EQ(got.body, kept.body);

  kept.status = 200; // the same object, fewer fields and no body
  kept.headers.erase(kept.headers.begin());
  kept.headers[0].value = std::string(36, 'C');
  kept.body.clear();
  got = round_trip(std::as_const(kept));
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(fields(got), fields(kept));
  EXPECT_EQ(got.body, "");

  got = round_trip(net::Response{410, {{"apns-id", "D"}}, R"({"reason":"Unregistered"})"});
  EXPECT_EQ(got.status, 410);
  EXPECT_EQ(fields(got), (std::vector<std::pair<std::string, std::string>>{{"apns-id", "D"}}));
  EXPECT_EQ(got.body, R"({"reason":"Unregistered"})");

  got = round_trip(std::as_const(kept));
  EXPECT_EQ(fields(got), fields(kept));
  EXPECT_EQ(got.body, "");
}

TEST(H2Session, AClientSendingManyRequestsDoesNotGrowItsMemory) {
  SessionPair pair;
  const net::Headers headers{{"apns-topic", "com.example.app.voip"},
                             {"apns-push-type", "voip"},
                             {"apns-priority", "10"},
                             {"apns-expiration", "0"},
                             {"apns-id", "123e4567-e89b-12d3-a456-426614174000"},
                             {"authorization", "bearer " + std::string(40, 'j')}};
  auto round_trips = [&](int count) {
    for (int i = 0; i < count; ++i) {
      auto id = pair.client->submit_request(SessionPair::request("POST", "/3/device/ab", headers));
      ASSERT_TRUE(id);
      ASSERT_TRUE(pair.pump());
      ASSERT_TRUE(pair.server->submit_response(*id, net::Response{200, {{"apns-id", "X"}}, {}}));
      ASSERT_TRUE(pair.pump());
      ASSERT_EQ(pair.client_events.responses.size(), 1u);
      pair.server_events.requests.clear();
      pair.server_events.closed.clear();
      pair.client_events.responses.clear();
      pair.client_events.closed.clear();
    }
  };
  round_trips(100); // the sessions' and the recorders' buffers reach their working size
  const auto before = heap_in_use();
  if (!before) GTEST_SKIP() << "the allocator does not report heap use";
  round_trips(5000);
  // Kept after each request, its six fields would add some 2 MB here.
  EXPECT_LT(*heap_in_use(), *before + 64 * 1024);
}

// A HEADERS frame answering `stream` with this :status, HPACK-coded without indexing (so the
// client's header table stays as the real server left it).
std::string status_frame(std::int32_t stream, std::string_view status) {
  namespace h2 = support::h2;
  return h2::frame(h2::HEADERS, h2::END_HEADERS | h2::END_STREAM,
                   static_cast<std::uint32_t>(stream), h2::hpack_literal(":status", status));
}

// RFC 9113 §8.3.2: :status is three digits; anything else makes the response malformed, a
// stream error PROTOCOL_ERROR (RFC 9113 §8.1.1), and no response reaches the handler.
TEST(H2Session, AMalformedStatusResetsTheStreamWithoutAResponse) {
  for (const std::string status : {"2x0", "20", "2000", "+20", "-20", " 20", "200 "}) {
    SessionPair pair;
    auto id = pair.client->submit_request(SessionPair::request("GET", "/x"));
    ASSERT_TRUE(id);
    ASSERT_TRUE(pair.pump());
    const std::string frame = status_frame(*id, status);
    ASSERT_TRUE(
        pair.client->feed({reinterpret_cast<const std::uint8_t*>(frame.data()), frame.size()}));
    ASSERT_TRUE(pair.pump());
    EXPECT_TRUE(pair.client_events.responses.empty()) << status;
    EXPECT_EQ(pair.client_events.closed,
              (std::vector<std::pair<std::int32_t, std::uint32_t>>{{*id, NGHTTP2_PROTOCOL_ERROR}}))
        << status;
  }
}

TEST(H2Session, AWellFormedStatusInARawFrameIsAnswered) { // the frame helper itself
  SessionPair pair;
  auto id = pair.client->submit_request(SessionPair::request("GET", "/x"));
  ASSERT_TRUE(pair.pump());
  const std::string frame = status_frame(*id, "410");
  ASSERT_TRUE(
      pair.client->feed({reinterpret_cast<const std::uint8_t*>(frame.data()), frame.size()}));
  ASSERT_TRUE(pair.pump());
  ASSERT_EQ(pair.client_events.responses.size(), 1u);
  EXPECT_EQ(pair.client_events.responses[0].second.status, 410);
}

TEST(H2Session, BadPrefaceIsFatal) {
  net_test::Recorder events;
  auto server = net::H2Session::create(net::H2Session::Side::Server, {}, events);
  ASSERT_TRUE(server);
  const std::string http1 = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  auto fed = (*server)->feed({reinterpret_cast<const std::uint8_t*>(http1.data()), http1.size()});
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().code.category(), net::nghttp2_category());
  EXPECT_TRUE(events.requests.empty());
}

} // namespace
