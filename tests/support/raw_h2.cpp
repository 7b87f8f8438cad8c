#include "support/raw_h2.hpp"

#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace support {

namespace h2 {

std::string error_name(std::uint32_t code) {
  static const char* const kNames[] = {"NO_ERROR",
                                       "PROTOCOL_ERROR",
                                       "INTERNAL_ERROR",
                                       "FLOW_CONTROL_ERROR",
                                       "SETTINGS_TIMEOUT",
                                       "STREAM_CLOSED",
                                       "FRAME_SIZE_ERROR",
                                       "REFUSED_STREAM",
                                       "CANCEL",
                                       "COMPRESSION_ERROR",
                                       "CONNECT_ERROR",
                                       "ENHANCE_YOUR_CALM",
                                       "INADEQUATE_SECURITY",
                                       "HTTP_1_1_REQUIRED"};
  if (code < std::size(kNames)) return kNames[code];
  char text[16];
  std::snprintf(text, sizeof text, "0x%x", code);
  return text;
}

namespace {
void put32(std::string& out, std::uint32_t v) {
  for (int shift : {24, 16, 8, 0})
    out += static_cast<char>((v >> shift) & 0xFF);
}

// HPACK string length with a 7-bit prefix and H = 0 (RFC 7541 §5.1, §5.2).
std::string hpack_length(std::size_t n) {
  if (n < 127) return std::string(1, static_cast<char>(n));
  std::string out(1, '\x7f');
  for (n -= 127; n >= 128; n /= 128)
    out += static_cast<char>(n % 128 + 128);
  return out + static_cast<char>(n);
}
} // namespace

std::string frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream,
                  std::string_view payload) {
  std::string out;
  const auto size = static_cast<std::uint32_t>(payload.size());
  for (int shift : {16, 8, 0})
    out += static_cast<char>((size >> shift) & 0xFF);
  out += static_cast<char>(type);
  out += static_cast<char>(flags);
  put32(out, stream);
  out += payload;
  return out;
}

std::string settings(const std::vector<std::pair<std::uint16_t, std::uint32_t>>& values) {
  std::string payload;
  for (const auto& [id, value] : values) {
    payload += static_cast<char>(id >> 8);
    payload += static_cast<char>(id & 0xFF);
    put32(payload, value);
  }
  return frame(SETTINGS, 0, 0, payload);
}

std::string window_update(std::uint32_t stream, std::uint32_t increment) {
  std::string payload;
  put32(payload, increment);
  return frame(WINDOW_UPDATE, 0, stream, payload);
}

std::string rst_stream(std::uint32_t stream, std::uint32_t error_code) {
  std::string payload;
  put32(payload, error_code);
  return frame(RST_STREAM, 0, stream, payload);
}

std::string goaway(std::uint32_t last_stream, std::uint32_t error_code) {
  std::string payload;
  put32(payload, last_stream);
  put32(payload, error_code);
  return frame(GOAWAY, 0, 0, payload);
}

std::string hpack_literal(std::string_view name, std::string_view value) {
  return '\0' + hpack_length(name.size()) + std::string(name) + hpack_length(value.size()) +
         std::string(value);
}

} // namespace h2

namespace {
std::uint32_t get32(std::string_view bytes) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v = (v << 8) | static_cast<std::uint8_t>(bytes[i]);
  return v;
}

const char* type_name(std::uint8_t type) {
  static const char* const kNames[] = {"DATA",          "HEADERS",      "PRIORITY", "RST_STREAM",
                                       "SETTINGS",      "PUSH_PROMISE", "PING",     "GOAWAY",
                                       "WINDOW_UPDATE", "CONTINUATION"};
  return type < std::size(kNames) ? kNames[type] : "UNKNOWN";
}
} // namespace

std::optional<std::uint32_t> Frame::error_code() const {
  if (type == h2::GOAWAY && payload.size() >= 8) return get32(std::string_view(payload).substr(4));
  if (type == h2::RST_STREAM && payload.size() >= 4) return get32(payload);
  return std::nullopt;
}

std::string Frame::debug_data() const {
  return type == h2::GOAWAY && payload.size() > 8 ? payload.substr(8) : std::string();
}

std::string Frame::describe() const {
  std::string out = std::string(type_name(type)) + " stream=" + std::to_string(stream) +
                    " flags=" + std::to_string(flags) + " length=" + std::to_string(payload.size());
  if (auto code = error_code()) out += " " + h2::error_name(*code);
  if (type == h2::GOAWAY && payload.size() >= 8)
    out += " last=" + std::to_string(get32(payload) & 0x7fffffff) + " debug=" + debug_data();
  return out;
}

struct RawH2::Tls {
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;
  ~Tls() {
    if (ssl) SSL_free(ssl);
    if (ctx) SSL_CTX_free(ctx);
  }
};

namespace {
using SteadyClock = std::chrono::steady_clock;

int remaining_ms(SteadyClock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Waits until fd is ready for `events`; false on timeout.
bool wait_fd(int fd, short events, SteadyClock::time_point deadline) {
  pollfd p{fd, events, 0};
  for (;;) {
    const int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return true; // let the next call report the error
  }
}

std::string openssl_error() {
  char text[256] = "unknown TLS error";
  if (unsigned long e = ERR_get_error(); e != 0) ERR_error_string_n(e, text, sizeof text);
  ERR_clear_error();
  return text;
}
} // namespace

std::unique_ptr<RawH2> RawH2::open(const Options& options) {
  std::unique_ptr<RawH2> conn(new RawH2());
  const auto deadline = SteadyClock::now() + std::chrono::seconds(10);
  conn->fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (conn->fd_ < 0) {
    conn->error_ = std::string("socket: ") + std::strerror(errno);
    return conn;
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(options.port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(conn->fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    conn->error_ = std::string("connect: ") + std::strerror(errno);
    return conn;
  }
  const int one = 1;
  ::setsockopt(conn->fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::fcntl(conn->fd_, F_SETFL, ::fcntl(conn->fd_, F_GETFL) | O_NONBLOCK);
  if (!options.tls) return conn;

  auto tls = std::make_unique<Tls>();
  tls->ctx = SSL_CTX_new(TLS_client_method());
  // The tests look at the server's HTTP/2, not its identity: no verification.
  SSL_CTX_set_verify(tls->ctx, SSL_VERIFY_NONE, nullptr);
  if (!options.certificate_file.empty() &&
      (SSL_CTX_use_certificate_chain_file(tls->ctx, options.certificate_file.c_str()) != 1 ||
       SSL_CTX_use_PrivateKey_file(tls->ctx, options.private_key_file.c_str(), SSL_FILETYPE_PEM) !=
           1)) {
    conn->error_ = "client certificate: " + openssl_error();
    return conn;
  }
  if (!options.alpn.empty()) {
    std::string wire(1, static_cast<char>(options.alpn.size()));
    wire += options.alpn;
    SSL_CTX_set_alpn_protos(tls->ctx, reinterpret_cast<const unsigned char*>(wire.data()),
                            static_cast<unsigned>(wire.size()));
  }
  tls->ssl = SSL_new(tls->ctx);
  SSL_set_mode(tls->ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_set_fd(tls->ssl, conn->fd_);
  SSL_set_tlsext_host_name(tls->ssl, "localhost");
  for (;;) {
    const int rv = SSL_connect(tls->ssl);
    if (rv == 1) break;
    const int err = SSL_get_error(tls->ssl, rv);
    const short events = err == SSL_ERROR_WANT_READ    ? POLLIN
                         : err == SSL_ERROR_WANT_WRITE ? POLLOUT
                                                       : 0;
    if (events == 0) {
      conn->error_ = "TLS handshake: " + openssl_error();
      return conn;
    }
    if (!wait_fd(conn->fd_, events, deadline)) {
      conn->error_ = "TLS handshake: timed out";
      return conn;
    }
  }
  conn->tls_ = std::move(tls);
  return conn;
}

RawH2::~RawH2() {
  tls_.reset();
  if (fd_ >= 0) ::close(fd_);
}

// Reads what is there (waiting for something until `deadline`) into inbox_; false on timeout
// or close.
bool RawH2::read_some(SteadyClock::time_point deadline) {
  if (closed_) return false;
  char buffer[16384];
  for (;;) {
    long n;
    bool again;
    if (tls_) {
      n = SSL_read(tls_->ssl, buffer, sizeof buffer);
      const int err = n > 0 ? SSL_ERROR_NONE : SSL_get_error(tls_->ssl, static_cast<int>(n));
      again = err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE;
      if (n <= 0 && !again) ERR_clear_error();
    } else {
      n = ::read(fd_, buffer, sizeof buffer);
      again = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
    }
    if (n > 0) {
      inbox_.append(buffer, static_cast<std::size_t>(n));
      return true;
    }
    if (!again) {
      closed_ = true; // EOF, close_notify or a reset: the peer is gone either way
      return false;
    }
    if (!wait_fd(fd_, POLLIN, deadline)) return false; // timed out, still open
  }
}

bool RawH2::send(std::string_view bytes, std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  while (!bytes.empty()) {
    if (closed_) return false;
    long n;
    bool again;
    if (tls_) {
      n = SSL_write(tls_->ssl, bytes.data(), static_cast<int>(bytes.size()));
      const int err = n > 0 ? SSL_ERROR_NONE : SSL_get_error(tls_->ssl, static_cast<int>(n));
      again = err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ;
      if (n <= 0 && !again) ERR_clear_error();
    } else {
      n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      again = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
    }
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (!again) {
      closed_ = true;
      return false;
    }
    // While our writes wait, keep taking what the server sends, so that neither side blocks on
    // a full socket buffer.
    pollfd p{fd_, POLLIN | POLLOUT, 0};
    if (::poll(&p, 1, remaining_ms(deadline)) == 0) {
      error_ = "send: timed out with " + std::to_string(bytes.size()) + " bytes unsent";
      return false;
    }
    if (p.revents & POLLIN) read_some(SteadyClock::now());
  }
  return true;
}

std::optional<Frame> RawH2::next_frame(std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    if (inbox_.size() >= 9) {
      const std::size_t length = (static_cast<std::uint8_t>(inbox_[0]) << 16) |
                                 (static_cast<std::uint8_t>(inbox_[1]) << 8) |
                                 static_cast<std::uint8_t>(inbox_[2]);
      if (inbox_.size() >= 9 + length) {
        Frame f;
        f.type = static_cast<std::uint8_t>(inbox_[3]);
        f.flags = static_cast<std::uint8_t>(inbox_[4]);
        f.stream = get32(std::string_view(inbox_).substr(5)) & 0x7fffffff;
        f.payload = inbox_.substr(9, length);
        inbox_.erase(0, 9 + length);
        seen_.push_back(f.describe());
        return f;
      }
    }
    if (!read_some(deadline)) return std::nullopt;
  }
}

std::vector<Frame> RawH2::read_until(std::uint8_t type, std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  std::vector<Frame> frames;
  while (auto f = next_frame(std::chrono::duration_cast<std::chrono::milliseconds>(
             deadline - SteadyClock::now()))) {
    frames.push_back(std::move(*f));
    if (frames.back().type == type) break;
  }
  return frames;
}

bool RawH2::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  while (!closed_ && SteadyClock::now() < deadline)
    next_frame(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()));
  return closed_;
}

std::string RawH2::transcript() const {
  std::string out;
  for (const auto& line : seen_)
    out += "  recv " + line + "\n";
  if (closed_) out += "  (closed by the server)\n";
  if (!error_.empty()) out += "  error: " + error_ + "\n";
  return out.empty() ? "  (nothing received)\n" : out;
}

} // namespace support
