// Protocol abuse against the mock's TLS listeners (issue #8, "HTTP/2 conformance"): raw frames
// that no client library would send, each answered as RFC 9113 says — a GOAWAY with the
// connection error's code, or RST_STREAM for a stream error — and after each the mock still
// answers a valid push on a new connection. Also floods: CONTINUATION frames, rapid resets and
// thousands of connections opened and dropped.
#include "integration/mock_fixture.hpp"
#include "support/raw_h2.hpp"

#include <gtest/gtest.h>

namespace integration {
namespace {

using namespace std::chrono_literals;
using mock_apns::Environment;
using support::Frame;
using support::RawH2;
namespace h2 = support::h2;

constexpr auto kWait = 10s;

// The header block of a valid VoIP push on a certificate connection (C_UNIV may push to the
// .voip topic), optionally with extra fields.
std::string push_header_block(const std::vector<std::pair<std::string, std::string>>& extra = {}) {
  std::string block;
  const std::pair<std::string, std::string> fields[] = {
      {":method", "POST"},
      {":scheme", "https"},
      {":authority", "api.sandbox.push.apple.com"},
      {":path", std::string("/3/device/") + mock_apns_test::T_VOIP_SBX},
      {"apns-push-type", "voip"},
      {"apns-topic", "com.example.imapp.voip"}};
  for (const auto& [name, value] : fields)
    block += h2::hpack_literal(name, value);
  for (const auto& [name, value] : extra)
    block += h2::hpack_literal(name, value);
  return block;
}

std::string push_headers(std::uint32_t stream, std::uint8_t flags = h2::END_HEADERS) {
  return h2::frame(h2::HEADERS, flags, stream, push_header_block());
}

std::string push_body(std::uint32_t stream) {
  return h2::frame(h2::DATA, h2::END_STREAM, stream, R"({"aps":{},"call":"x"})");
}

std::string push(std::uint32_t stream) {
  return push_headers(stream) + push_body(stream);
}

// :status 200 is entry 8 of HPACK's static table (RFC 7541 Appendix A); nghttp2 sends it as
// that one indexed byte.
bool is_200(const Frame& f) {
  return f.type == h2::HEADERS && !f.payload.empty() &&
         static_cast<std::uint8_t>(f.payload[0]) == 0x88;
}

// A certificate connection (C_UNIV) to the sandbox listener of `mock` that has sent the preface
// and an empty SETTINGS, read the server's SETTINGS and acknowledged it, so that the mock's
// advertised settings are in force (RFC 9113 §6.5.3).
std::unique_ptr<RawH2> open_connection(MockFixture& mock) {
  RawH2::Options options;
  options.port = mock.port(Environment::Sandbox);
  options.certificate_file = WirePki::get().cert_file("C_UNIV");
  options.private_key_file = WirePki::get().key_file("C_UNIV");
  auto conn = RawH2::open(options);
  EXPECT_TRUE(conn->ok()) << conn->error();
  if (!conn->ok()) return conn;
  EXPECT_TRUE(conn->send(std::string(h2::kPreface) + h2::settings({})));
  const auto first = conn->next_frame(kWait);
  EXPECT_TRUE(first && first->type == h2::SETTINGS) << conn->transcript();
  EXPECT_TRUE(conn->send(h2::frame(h2::SETTINGS, h2::ACK, 0, "")));
  return conn;
}

class MockProtocolAbuse : public ::testing::Test {
protected:
  std::unique_ptr<RawH2> connect() { return open_connection(mock_); }

  // Reads until the server's GOAWAY and checks its error code; the connection must then close.
  void expect_goaway(RawH2& conn, std::uint32_t code) {
    const auto frames = conn.read_until(h2::GOAWAY, kWait);
    ASSERT_FALSE(frames.empty()) << "no GOAWAY:\n" << conn.transcript();
    ASSERT_EQ(frames.back().type, h2::GOAWAY) << conn.transcript();
    EXPECT_EQ(h2::error_name(frames.back().error_code().value_or(999)), h2::error_name(code))
        << conn.transcript();
    EXPECT_TRUE(conn.wait_closed(kWait)) << "still open after its GOAWAY:\n" << conn.transcript();
  }

  // A stream error `code` on `stream`: RST_STREAM, or a GOAWAY with that code, since an
  // endpoint may treat any stream error as a connection error (RFC 9113 §5.4.1). Returns
  // whether the connection is still open.
  bool expect_stream_error(RawH2& conn, std::uint32_t stream, std::uint32_t code) {
    for (;;) {
      const auto f = conn.next_frame(kWait);
      EXPECT_TRUE(f) << "no RST_STREAM or GOAWAY for stream " << stream << ":\n"
                     << conn.transcript();
      if (!f) return false;
      if (f->type == h2::GOAWAY || (f->type == h2::RST_STREAM && f->stream == stream)) {
        EXPECT_EQ(h2::error_name(f->error_code().value_or(999)), h2::error_name(code))
            << conn.transcript();
        if (f->type == h2::RST_STREAM) return true;
        EXPECT_TRUE(conn.wait_closed(kWait)) << conn.transcript();
        return false;
      }
    }
  }

  // Reads until RST_STREAM on `stream` and checks its error code.
  void expect_rst(RawH2& conn, std::uint32_t stream, std::uint32_t code) {
    for (;;) {
      const auto f = conn.next_frame(kWait);
      ASSERT_TRUE(f) << "no RST_STREAM on stream " << stream << ":\n" << conn.transcript();
      ASSERT_NE(f->type, h2::GOAWAY) << "a stream error became a connection error:\n"
                                     << conn.transcript();
      if (f->type == h2::RST_STREAM && f->stream == stream) {
        EXPECT_EQ(h2::error_name(f->error_code().value_or(999)), h2::error_name(code))
            << conn.transcript();
        return;
      }
    }
  }

  // A valid push on `stream` of `conn` is answered 200.
  void expect_push_answered(RawH2& conn, std::uint32_t stream) {
    ASSERT_TRUE(conn.send(push(stream))) << conn.transcript();
    for (;;) {
      const auto f = conn.next_frame(kWait);
      ASSERT_TRUE(f) << "no answer on stream " << stream << ":\n" << conn.transcript();
      if (f->stream == stream && f->type == h2::HEADERS) {
        EXPECT_TRUE(is_200(*f)) << conn.transcript();
        return;
      }
      ASSERT_NE(f->type, h2::GOAWAY) << conn.transcript();
    }
  }

  // The mock carries on: a new connection gets its valid push answered 200.
  void expect_mock_still_serves() {
    auto conn = connect();
    ASSERT_TRUE(conn->ok());
    expect_push_answered(*conn, 1);
  }

  MockFixture mock_;
};

// RFC 9113 §3.4: an invalid preface is a connection error; the GOAWAY may be omitted.
TEST_F(MockProtocolAbuse, ABadPrefaceClosesTheConnection) {
  RawH2::Options options;
  options.port = mock_.port(Environment::Sandbox);
  auto conn = RawH2::open(options);
  ASSERT_TRUE(conn->ok()) << conn->error();
  conn->send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
  EXPECT_TRUE(conn->wait_closed(kWait)) << conn->transcript();
  expect_mock_still_serves();
}

// RFC 9113 §6.1: DATA on stream 0 is a connection error PROTOCOL_ERROR.
TEST_F(MockProtocolAbuse, DataOnStreamZeroIsAProtocolError) {
  auto conn = connect();
  conn->send(h2::frame(h2::DATA, 0, 0, "x"));
  expect_goaway(*conn, h2::PROTOCOL_ERROR);
  expect_mock_still_serves();
}

// RFC 9113 §5.1.1: a client's streams are odd-numbered and increasing.
TEST_F(MockProtocolAbuse, AnEvenOrDecreasingStreamIdIsAProtocolError) {
  auto even = connect();
  even->send(push(2));
  expect_goaway(*even, h2::PROTOCOL_ERROR);

  auto decreasing = connect();
  expect_push_answered(*decreasing, 5);
  decreasing->send(push(3));
  expect_goaway(*decreasing, h2::PROTOCOL_ERROR);
  expect_mock_still_serves();
}

// RFC 9113 §5.1: DATA or WINDOW_UPDATE on an idle stream is a connection error PROTOCOL_ERROR.
TEST_F(MockProtocolAbuse, FramesOnAnIdleStreamAreAProtocolError) {
  auto data = connect();
  data->send(push_body(7));
  expect_goaway(*data, h2::PROTOCOL_ERROR);

  auto window = connect();
  window->send(h2::window_update(9, 100));
  expect_goaway(*window, h2::PROTOCOL_ERROR);
  expect_mock_still_serves();
}

// RFC 9113 §5.1 "closed": DATA after the stream ended is STREAM_CLOSED.
TEST_F(MockProtocolAbuse, DataOnAClosedStreamIsStreamClosed) {
  auto conn = connect();
  expect_push_answered(*conn, 1);
  conn->send(push_body(1));
  expect_goaway(*conn, h2::STREAM_CLOSED);
  expect_mock_still_serves();
}

// RFC 9113 §4.2: a frame over SETTINGS_MAX_FRAME_SIZE (16384 by default) is FRAME_SIZE_ERROR.
TEST_F(MockProtocolAbuse, AFrameOverMaxFrameSizeIsAFrameSizeError) {
  auto conn = connect();
  conn->send(push_headers(1, h2::END_HEADERS) +
             h2::frame(h2::DATA, h2::END_STREAM, 1, std::string(16385, 'x')));
  expect_goaway(*conn, h2::FRAME_SIZE_ERROR);
  expect_mock_still_serves();
}

// RFC 9113 §6.5, §6.5.2: malformed SETTINGS frames and out-of-range values.
TEST_F(MockProtocolAbuse, BrokenSettingsGetTheirErrorCodes) {
  struct Case {
    const char* what;
    std::string frame;
    std::uint32_t code;
  };
  const Case cases[] = {
      {"length not a multiple of 6", h2::frame(h2::SETTINGS, 0, 0, std::string(5, '\0')),
       h2::FRAME_SIZE_ERROR},
      {"ACK with a payload", h2::frame(h2::SETTINGS, h2::ACK, 0, std::string(6, '\0')),
       h2::FRAME_SIZE_ERROR},
      {"on a stream", h2::frame(h2::SETTINGS, 0, 1, ""), h2::PROTOCOL_ERROR},
      {"ENABLE_PUSH 2", h2::settings({{0x2, 2}}), h2::PROTOCOL_ERROR},
      {"INITIAL_WINDOW_SIZE 2^31", h2::settings({{0x4, 0x80000000u}}), h2::FLOW_CONTROL_ERROR},
      {"MAX_FRAME_SIZE 16383", h2::settings({{0x5, 16383}}), h2::PROTOCOL_ERROR},
      {"MAX_FRAME_SIZE 2^24", h2::settings({{0x5, 1u << 24}}), h2::PROTOCOL_ERROR},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    auto conn = connect();
    conn->send(c.frame);
    expect_goaway(*conn, c.code);
  }
  expect_mock_still_serves();
}

// RFC 9113 §6.7: PING is 8 bytes on stream 0.
TEST_F(MockProtocolAbuse, BrokenPingsGetTheirErrorCodes) {
  auto short_ping = connect();
  short_ping->send(h2::frame(h2::PING, 0, 0, std::string(7, '\0')));
  expect_goaway(*short_ping, h2::FRAME_SIZE_ERROR);

  auto stream_ping = connect();
  stream_ping->send(h2::frame(h2::PING, 0, 1, std::string(8, '\0')));
  expect_goaway(*stream_ping, h2::PROTOCOL_ERROR);
  expect_mock_still_serves();
}

// RFC 9113 §5.1.2 and apns-provider-api.md §3.2: a stream beyond the acknowledged
// MAX_CONCURRENT_STREAMS ends the connection with GOAWAY PROTOCOL_ERROR and APNs' words.
TEST(MockStreamLimit, AStreamBeyondTheLimitGetsApnsGoaway) {
  MockFixture mock([](mock_apns::ServerOptions& o) { o.settings.max_concurrent_streams = 3; });
  auto conn = open_connection(mock);
  ASSERT_TRUE(conn->ok());
  // Three bodies still to come keep three streams open; the fourth is one too many.
  conn->send(push_headers(1) + push_headers(3) + push_headers(5) + push_headers(7));
  const auto frames = conn->read_until(h2::GOAWAY, kWait);
  ASSERT_FALSE(frames.empty()) << conn->transcript();
  ASSERT_EQ(frames.back().type, h2::GOAWAY) << conn->transcript();
  EXPECT_EQ(frames.back().error_code(), h2::PROTOCOL_ERROR) << conn->transcript();
  EXPECT_EQ(frames.back().debug_data(), "Maximum active streams violated for this endpoint.");
  EXPECT_TRUE(conn->wait_closed(kWait)) << conn->transcript();
}

// RFC 9113 §6.9: a zero increment is PROTOCOL_ERROR, a connection error on stream 0 and a stream
// error on a stream; RFC 9113 §6.9.1: a window above 2^31-1 is FLOW_CONTROL_ERROR, likewise.
TEST_F(MockProtocolAbuse, WindowUpdatesThatBreakFlowControl) {
  auto zero = connect();
  zero->send(h2::window_update(0, 0));
  expect_goaway(*zero, h2::PROTOCOL_ERROR);

  auto overflow = connect();
  overflow->send(h2::window_update(0, 0x7fffffff));
  expect_goaway(*overflow, h2::FLOW_CONTROL_ERROR);

  auto stream_overflow = connect();
  stream_overflow->send(push_headers(1) + h2::window_update(1, 0x7fffffff));
  if (expect_stream_error(*stream_overflow, 1, h2::FLOW_CONTROL_ERROR))
    expect_push_answered(*stream_overflow, 3);

  auto stream_zero = connect();
  stream_zero->send(push_headers(1) + h2::window_update(1, 0));
  if (expect_stream_error(*stream_zero, 1, h2::PROTOCOL_ERROR))
    expect_push_answered(*stream_zero, 3);
  expect_mock_still_serves();
}

// RFC 9113 §6.9.1: DATA beyond the stream window the mock advertised is FLOW_CONTROL_ERROR. (With
// the default 65,535-byte window no single frame can exceed it, and nghttp2 reopens the window as
// it reads, so the mock is set to a 1,000-byte window here.)
TEST(MockFlowControl, DataBeyondTheAdvertisedWindowIsAFlowControlError) {
  MockFixture mock([](mock_apns::ServerOptions& o) { o.settings.initial_window_size = 1000; });
  auto conn = open_connection(mock);
  ASSERT_TRUE(conn->ok());
  conn->send(push_headers(1) + h2::frame(h2::DATA, h2::END_STREAM, 1, std::string(1001, 'x')));
  bool flow_control = false;
  while (auto f = conn->next_frame(kWait)) {
    if (f->error_code() && (f->type == h2::GOAWAY || f->stream == 1)) {
      flow_control = f->error_code() == h2::FLOW_CONTROL_ERROR;
      break;
    }
  }
  EXPECT_TRUE(flow_control) << conn->transcript();
  EXPECT_EQ(mock.server().journal().counters().requests, 0u);
}

// A body far over the window and the 5,120-byte payload limit: the mock reads and drops it
// (the window reopens as it reads), answers 413 PayloadTooLarge as APNs does
// (apns-provider-api.md §4.4) and the connection goes on.
TEST_F(MockProtocolAbuse, AHugeBodyIsReadAndDroppedNotKept) {
  auto conn = connect();
  std::string frames = push_headers(1);
  for (int i = 0; i < 16; ++i)
    frames += h2::frame(h2::DATA, 0, 1, std::string(16384, 'x'));
  conn->send(frames + h2::frame(h2::DATA, h2::END_STREAM, 1, ""), 20s);
  for (;;) {
    const auto f = conn->next_frame(kWait);
    ASSERT_TRUE(f) << conn->transcript();
    ASSERT_NE(f->type, h2::GOAWAY) << conn->transcript();
    if (f->type == h2::HEADERS && f->stream == 1) {
      EXPECT_FALSE(is_200(*f)) << conn->transcript();
      break;
    }
  }
  EXPECT_EQ(mock_.server().journal().counters().by_reason["PayloadTooLarge"], 1u);
  expect_push_answered(*conn, 3);
}

// RFC 7541 §2.3.3: an index beyond both tables is a decoding error, COMPRESSION_ERROR (§4.3).
TEST_F(MockProtocolAbuse, AnHpackIndexOutOfRangeIsACompressionError) {
  auto conn = connect();
  conn->send(h2::frame(h2::HEADERS, h2::END_HEADERS | h2::END_STREAM, 1, "\xc6")); // index 70
  expect_goaway(*conn, h2::COMPRESSION_ERROR);
  expect_mock_still_serves();
}

// RFC 9113 §6.10: CONTINUATION only right after HEADERS without END_HEADERS; nothing may come
// between.
TEST_F(MockProtocolAbuse, MisplacedContinuationIsAProtocolError) {
  auto orphan = connect();
  orphan->send(h2::frame(h2::CONTINUATION, h2::END_HEADERS, 1, h2::hpack_literal("a", "b")));
  expect_goaway(*orphan, h2::PROTOCOL_ERROR);

  auto interleaved = connect();
  interleaved->send(push_headers(1, 0) + h2::frame(h2::PING, 0, 0, std::string(8, '\0')));
  expect_goaway(*interleaved, h2::PROTOCOL_ERROR);
  expect_mock_still_serves();
}

// More of h2spec's connection-error cases, one connection each; the mock goes on serving.
TEST_F(MockProtocolAbuse, ConnectionErrorsOfTheFrameRules) {
  struct Case {
    const char* what; // RFC 9113 section and rule
    std::string frames;
    std::uint32_t code;
  };
  const Case cases[] = {
      {"6.2: HEADERS padding longer than the payload",
       h2::frame(h2::HEADERS, h2::END_HEADERS | h2::PADDED, 1, std::string(1, '\xff') + "ab"),
       h2::PROTOCOL_ERROR},
      {"6.1: DATA padding longer than the payload",
       push_headers(1) + h2::frame(h2::DATA, h2::PADDED, 1, std::string(1, '\x05') + "ab"),
       h2::PROTOCOL_ERROR},
      {"6.4: RST_STREAM on stream 0", h2::rst_stream(0, h2::CANCEL), h2::PROTOCOL_ERROR},
      {"6.4: RST_STREAM on an idle stream", h2::rst_stream(1, h2::CANCEL), h2::PROTOCOL_ERROR},
      {"6.4: RST_STREAM of 3 bytes", push_headers(1) + h2::frame(h2::RST_STREAM, 0, 1, "abc"),
       h2::FRAME_SIZE_ERROR},
      {"6.6: PUSH_PROMISE from a client",
       push_headers(1) + h2::frame(h2::PUSH_PROMISE, h2::END_HEADERS, 1,
                                   std::string("\0\0\0\x02", 4) + push_header_block()),
       h2::PROTOCOL_ERROR},
      {"6.8: GOAWAY on a stream", h2::frame(h2::GOAWAY, 0, 1, std::string(8, '\0')),
       h2::PROTOCOL_ERROR},
      {"6.9: WINDOW_UPDATE of 3 bytes", h2::frame(h2::WINDOW_UPDATE, 0, 0, "abc"),
       h2::FRAME_SIZE_ERROR},
      {"4.3: a dynamic table size update above SETTINGS_HEADER_TABLE_SIZE",
       // RFC 7541 §6.3: 001 and a 5-bit prefix integer, 31 + 98 + 31 * 128 = 4097
       h2::frame(h2::HEADERS, h2::END_HEADERS | h2::END_STREAM, 1,
                 "\x3f\xe2\x1f" + push_header_block()),
       h2::COMPRESSION_ERROR},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    auto conn = connect();
    conn->send(c.frames);
    expect_goaway(*conn, c.code);
  }
  expect_mock_still_serves();
}

// h2spec's stream-error cases: malformed requests (RFC 9113 §8.1.1, §8.2, §8.3) and a bad PRIORITY
// (RFC 9113 §5.3.1, §6.3) reset their stream; the connection goes on serving (or, as RFC 9113
// §5.4.1 allows, ends with the same code).
TEST_F(MockProtocolAbuse, StreamErrorsOfTheMessageRules) {
  const std::string body = R"({"aps":{},"call":"x"})";
  const auto request = [&](const std::vector<std::pair<std::string, std::string>>& fields,
                           std::uint8_t flags = h2::END_HEADERS | h2::END_STREAM) {
    std::string block;
    for (const auto& [name, value] : fields)
      block += h2::hpack_literal(name, value);
    return h2::frame(h2::HEADERS, flags, 1, block);
  };
  const std::string path = std::string("/3/device/") + mock_apns_test::T_VOIP_SBX;
  struct Case {
    const char* what;
    std::string frames;
    std::uint32_t code;
  };
  const Case cases[] = {
      {"8.3.1: no :method", request({{":scheme", "https"}, {":authority", "a"}, {":path", path}}),
       h2::PROTOCOL_ERROR},
      {"8.3: an unknown pseudo-header",
       request({{":method", "POST"}, {":scheme", "https"}, {":path", path}, {":what", "x"}}),
       h2::PROTOCOL_ERROR},
      {"8.3: a pseudo-header after a regular field",
       request({{":method", "POST"}, {"apns-topic", "t"}, {":scheme", "https"}, {":path", path}}),
       h2::PROTOCOL_ERROR},
      {"8.2.2: a connection-specific field",
       request({{":method", "POST"},
                {":scheme", "https"},
                {":path", path},
                {"connection", "keep-alive"}}),
       h2::PROTOCOL_ERROR},
      {"8.2.2: TE other than trailers",
       request({{":method", "POST"}, {":scheme", "https"}, {":path", path}, {"te", "gzip"}}),
       h2::PROTOCOL_ERROR},
      {"8.1.1: content-length that the body does not match",
       request(
           {{":method", "POST"}, {":scheme", "https"}, {":path", path}, {"content-length", "1"}},
           h2::END_HEADERS) +
           h2::frame(h2::DATA, h2::END_STREAM, 1, body),
       h2::PROTOCOL_ERROR},
      {"5.3.1: a stream depending on itself",
       h2::frame(h2::PRIORITY, 0, 1, std::string("\0\0\0\x01\x10", 5)), h2::PROTOCOL_ERROR},
      {"6.3: PRIORITY of 4 bytes", h2::frame(h2::PRIORITY, 0, 1, std::string(4, '\0')),
       h2::FRAME_SIZE_ERROR},
  };
  std::uint64_t valid_pushes = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    auto conn = connect();
    conn->send(c.frames);
    if (!expect_stream_error(*conn, 1, c.code)) continue;
    expect_push_answered(*conn, 3);
    ++valid_pushes;
  }
  EXPECT_EQ(mock_.server().journal().counters().requests, valid_pushes)
      << "a malformed request is no push";
}

// RFC 9113 §8.2.1 and apns-provider-api.md §3.3: an upper-case field name makes the request
// malformed: RST_STREAM PROTOCOL_ERROR, and the connection goes on.
TEST_F(MockProtocolAbuse, AnUpperCaseHeaderNameResetsTheStream) {
  auto conn = connect();
  conn->send(h2::frame(h2::HEADERS, h2::END_HEADERS, 1, push_header_block({{"Apns-Id", "x"}})) +
             push_body(1));
  expect_rst(*conn, 1, h2::PROTOCOL_ERROR);
  expect_push_answered(*conn, 3);
}

// RFC 9113 §4.1, §5.5: frames of an unknown type are ignored, on stream 0 and inside a request.
TEST_F(MockProtocolAbuse, UnknownFrameTypesAreIgnored) {
  auto conn = connect();
  conn->send(h2::frame(0xfa, 0xff, 0, "whatever") + push_headers(1) + h2::frame(0xfb, 0, 1, "x"));
  conn->send(push_body(1));
  for (;;) {
    const auto f = conn->next_frame(kWait);
    ASSERT_TRUE(f) << conn->transcript();
    ASSERT_NE(f->type, h2::GOAWAY) << conn->transcript();
    if (f->type == h2::HEADERS) {
      EXPECT_TRUE(is_200(*f)) << conn->transcript();
      break;
    }
  }
}

// A header list far over SETTINGS_MAX_HEADER_LIST_SIZE (8000), in a HEADERS frame and
// CONTINUATIONs: the request is refused without the mock keeping it, and the mock carries on.
TEST_F(MockProtocolAbuse, AnOversizedHeaderListIsRefused) {
  auto conn = connect();
  const std::string block = push_header_block({{"x-big", std::string(60'000, 'b')}});
  std::string frames = h2::frame(h2::HEADERS, 0, 1, block.substr(0, 16384));
  std::size_t at = 16384;
  for (; at + 16384 < block.size(); at += 16384)
    frames += h2::frame(h2::CONTINUATION, 0, 1, block.substr(at, 16384));
  frames += h2::frame(h2::CONTINUATION, h2::END_HEADERS, 1, block.substr(at)) + push_body(1);
  conn->send(frames);
  bool refused = false;
  while (auto f = conn->next_frame(kWait)) {
    ASSERT_FALSE(is_200(*f)) << "an oversized request was answered 200:\n" << conn->transcript();
    if (f->type == h2::GOAWAY || (f->type == h2::RST_STREAM && f->stream == 1) ||
        (f->type == h2::HEADERS && f->stream == 1)) {
      refused = true;
      break;
    }
  }
  EXPECT_TRUE(refused) << conn->transcript();
  EXPECT_EQ(mock_.server().journal().counters().requests, 0u);
  expect_mock_still_serves();
}

// CVE-2024-28182 shape: a header block that never ends, one small CONTINUATION after another.
// The mock must end the connection early rather than decode them all, and serve others.
TEST_F(MockProtocolAbuse, AContinuationFloodEndsThatConnection) {
  auto conn = connect();
  std::string frames = push_headers(1, 0);
  for (int i = 0; i < 20'000; ++i)
    frames += h2::frame(h2::CONTINUATION, 0, 1, h2::hpack_literal("x-f", std::to_string(i)));
  const bool all_sent = conn->send(frames, 20s);
  const auto got = conn->read_until(h2::GOAWAY, kWait);
  EXPECT_TRUE(!all_sent || (!got.empty() && got.back().type == h2::GOAWAY) || conn->closed())
      << "the flood was read to the end without a GOAWAY:\n"
      << conn->transcript();
  EXPECT_EQ(mock_.server().journal().counters().requests, 0u);
  expect_mock_still_serves();
}

// CVE-2023-44487 shape: streams opened and reset at once, thousands of times on one
// connection. No request reaches the handler; the mock either goes on serving that connection
// or ends it with a GOAWAY, and serves others either way.
TEST_F(MockProtocolAbuse, RapidResetsReachNoHandlerAndTheMockCarriesOn) {
  auto conn = connect();
  std::string frames;
  constexpr std::uint32_t kStreams = 5'000;
  for (std::uint32_t i = 0; i < kStreams; ++i) {
    const std::uint32_t stream = 1 + 2 * i;
    frames += push_headers(stream) + h2::rst_stream(stream, h2::CANCEL);
  }
  const bool sent = conn->send(frames, 20s);
  if (sent && !conn->closed()) {
    const std::uint32_t next = 1 + 2 * kStreams;
    conn->send(push(next));
    bool answered = false, goaway = false;
    while (auto f = conn->next_frame(kWait)) {
      if (f->type == h2::GOAWAY) {
        // nghttp2's limit (1,000 resets, then 33 a second) ends the session as an internal
        // error; ENHANCE_YOUR_CALM would say the same.
        goaway = true;
        EXPECT_TRUE(f->error_code() == h2::INTERNAL_ERROR ||
                    f->error_code() == h2::ENHANCE_YOUR_CALM)
            << conn->transcript();
        break;
      }
      if (f->type == h2::HEADERS && f->stream == next) {
        answered = is_200(*f);
        break;
      }
    }
    EXPECT_TRUE(answered || goaway) << conn->transcript();
  }
  // The final push may have been answered; none of the reset ones were.
  EXPECT_LE(mock_.server().journal().counters().requests, 1u);
  expect_mock_still_serves();
}

// Thousands of connections opened and dropped — before the handshake, during it, right after
// the preface — leave the mock serving (bounded: 3,000 connections, each closed at once).
TEST_F(MockProtocolAbuse, AConnectionFloodLeavesTheMockServing) {
  constexpr int kConnections = 3'000;
  for (int i = 0; i < kConnections; ++i) {
    RawH2::Options options;
    options.port = mock_.port(Environment::Sandbox);
    options.tls = i % 3 != 0; // a third never start TLS at all
    auto conn = RawH2::open(options);
    ASSERT_TRUE(conn->ok()) << "connection " << i << ": " << conn->error();
    if (i % 3 == 2) conn->send(std::string(h2::kPreface) + h2::settings({}));
  }
  expect_mock_still_serves();
}

} // namespace
} // namespace integration
