#pragma once
// A raw HTTP/2 peer for protocol-abuse tests: it writes whatever bytes a test builds (broken
// frames included) over loopback TLS with ALPN h2, or plain TCP, and reads back the server's
// frames one by one with a deadline. It never interprets HTTP/2 itself, so it can say what a
// well-behaved client library would refuse to send. One thread at a time.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace support {

// Frame types and error codes of RFC 9113 §6 and §7, by the RFC's names.
namespace h2 {
enum FrameType : std::uint8_t {
  DATA = 0x0,
  HEADERS = 0x1,
  PRIORITY = 0x2,
  RST_STREAM = 0x3,
  SETTINGS = 0x4,
  PUSH_PROMISE = 0x5,
  PING = 0x6,
  GOAWAY = 0x7,
  WINDOW_UPDATE = 0x8,
  CONTINUATION = 0x9,
};
enum Flag : std::uint8_t {
  END_STREAM = 0x1,
  ACK = 0x1,
  END_HEADERS = 0x4,
  PADDED = 0x8,
  PRIORITY_FLAG = 0x20,
};
enum ErrorCode : std::uint32_t {
  NO_ERROR = 0x0,
  PROTOCOL_ERROR = 0x1,
  INTERNAL_ERROR = 0x2,
  FLOW_CONTROL_ERROR = 0x3,
  SETTINGS_TIMEOUT = 0x4,
  STREAM_CLOSED = 0x5,
  FRAME_SIZE_ERROR = 0x6,
  REFUSED_STREAM = 0x7,
  CANCEL = 0x8,
  COMPRESSION_ERROR = 0x9,
  CONNECT_ERROR = 0xa,
  ENHANCE_YOUR_CALM = 0xb,
  INADEQUATE_SECURITY = 0xc,
  HTTP_1_1_REQUIRED = 0xd,
};
std::string error_name(std::uint32_t code); // "PROTOCOL_ERROR", or "0x2a" when unknown

inline constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

// A frame's bytes: the 9-byte header of RFC 9113 §4.1, then the payload.
std::string frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream,
                  std::string_view payload);
// SETTINGS with the given (identifier, value) pairs.
std::string settings(const std::vector<std::pair<std::uint16_t, std::uint32_t>>& values);
std::string window_update(std::uint32_t stream, std::uint32_t increment);
std::string rst_stream(std::uint32_t stream, std::uint32_t error_code);
std::string goaway(std::uint32_t last_stream, std::uint32_t error_code);
// One header field as a literal without indexing, new name (RFC 7541 §6.2.2), no Huffman.
std::string hpack_literal(std::string_view name, std::string_view value);
} // namespace h2

struct Frame {
  std::uint8_t type = 0;
  std::uint8_t flags = 0;
  std::uint32_t stream = 0;
  std::string payload;

  // GOAWAY and RST_STREAM: the error code (RFC 9113 §6.8, §6.4); nullopt for other frames.
  std::optional<std::uint32_t> error_code() const;
  // GOAWAY: the additional debug data.
  std::string debug_data() const;
  std::string describe() const; // "GOAWAY stream=0 PROTOCOL_ERROR last=1 debug=..." for messages
};

class RawH2 {
public:
  struct Options {
    std::uint16_t port = 0;
    bool tls = true;
    std::string alpn = "h2";
    std::string certificate_file; // client certificate, optional
    std::string private_key_file;
  };

  // Connects to 127.0.0.1 (and completes the TLS handshake). Never null; check ok().
  static std::unique_ptr<RawH2> open(const Options& options);
  ~RawH2();
  RawH2(const RawH2&) = delete;
  RawH2& operator=(const RawH2&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  // Writes all of `bytes`; false once the peer has closed or reset the connection (or the
  // write could not finish within `timeout`, which error() then says).
  bool send(std::string_view bytes, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // The next whole frame; nullopt when the peer closed the connection or `timeout` passed
  // (closed() tells which).
  std::optional<Frame> next_frame(std::chrono::milliseconds timeout);
  // Frames until one of `type` arrives (it is the last one returned); stops early on close or
  // timeout, which the caller sees from the last frame's type.
  std::vector<Frame> read_until(std::uint8_t type, std::chrono::milliseconds timeout);
  // Reads and discards until the peer closes; false when it is still open after `timeout`.
  bool wait_closed(std::chrono::milliseconds timeout);
  bool closed() const { return closed_; }
  // Every frame read so far, for failure messages.
  std::string transcript() const;

private:
  RawH2() = default;
  struct Tls;
  bool read_some(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::unique_ptr<Tls> tls_;
  std::string error_;
  std::string inbox_;
  bool closed_ = false;
  std::vector<std::string> seen_;
};

} // namespace support
