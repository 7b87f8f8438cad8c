#include "net/client_connection.hpp"

#include "net/error.hpp"
#include "net/h2_connection.hpp"
#include "net/transport_failure.hpp"

#include <deque>
#include <map>
#include <type_traits>
#include <unordered_map>

#include <nghttp2/nghttp2.h>

namespace net {
namespace {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

template <class Stream>
constexpr bool kIsTls = std::is_same_v<Stream, TlsStream>;

template <class Stream>
class ClientConnection final : public H2Connection<Stream>, public ClientConnectionBase {
  using Base = H2Connection<Stream>;

public:
  ClientConnection(asio::io_context& io, Stream stream, const ClientOptions& options)
      : Base(io, std::move(stream), options.write_high_water), options_(options), resolver_(io),
        request_timer_(io) {}

  void start() {
    this->arm_timer(options_.connect_timeout);
    resolver_.async_resolve(options_.host, std::to_string(options_.port),
                            [self = shared()](const boost::system::error_code& ec,
                                              const Tcp::resolver::results_type& results) {
                              self->on_resolve(ec, results);
                            });
  }

  bool accepting() const override {
    return (phase_ == Phase::Connecting || phase_ == Phase::Ready) && !this->winding_down();
  }

  void enqueue(PendingRequest&& request) override {
    if (!accepting()) {
      finish_with(std::move(request.done), Errc::ConnectionClosed, "connection is closing", true);
      return;
    }
    if (queue_.size() >= options_.max_queued_requests) {
      finish_with(std::move(request.done), Errc::QueueFull,
                  std::to_string(queue_.size()) + " requests already wait for a stream", true);
      return;
    }
    const std::uint64_t seq = next_seq_++;
    const auto deadline = request.deadline;
    pending_.emplace(seq, Pending{std::move(request.request), std::move(request.done), deadline});
    queue_.push_back(seq);
    arm_request_timer();
    dispatch();
  }

  void close_gracefully() override {
    if (phase_ == Phase::Connecting) {
      fail_all(Errc::Cancelled, "client closed before the connection was up");
      this->close_now({});
      return;
    }
    if (phase_ != Phase::Ready) return;
    phase_ = Phase::Draining;
    fail_queued(Errc::Cancelled, "client closed before the request was sent");
    close_when_idle_ = true;
    close_if_idle();
  }

  void cancel_all() override {
    fail_all(Errc::Cancelled, "client destroyed");
    this->close_now({});
  }

private:
  enum class Phase { Connecting, Ready, Draining, Done };

  // How a connection failed its requests.
  struct Failure {
    Errc code;
    std::string message;
    std::error_code cause{}; // the socket's or TLS layer's error, if any
    int tls_alert = 0;
  };

  struct Pending {
    Request request; // moved into the session when sent
    ResponseCallback done;
    SteadyClock::time_point deadline;
    std::int32_t stream_id = 0; // 0: not sent yet
    bool body_too_large = false;
  };

  std::shared_ptr<ClientConnection> shared() {
    return std::static_pointer_cast<ClientConnection>(this->shared_from_this());
  }

  // --- connecting ----------------------------------------------------------------------------

  void on_resolve(const boost::system::error_code& ec, const Tcp::resolver::results_type& results) {
    if (this->closed()) return;
    if (ec) {
      give_up(Errc::ConnectFailed, "cannot resolve '" + options_.host + "': " + ec.message());
      return;
    }
    asio::async_connect(this->socket(), results,
                        [self = shared()](const boost::system::error_code& ec,
                                          const Tcp::endpoint&) { self->on_connect(ec); });
  }

  void on_connect(const boost::system::error_code& ec) {
    if (this->closed()) return;
    if (ec) {
      give_up({.code = Errc::ConnectFailed,
               .message = "cannot connect to " + endpoint() + ": " + ec.message(),
               .cause = ec});
      return;
    }
    boost::system::error_code ignored;
    this->socket().set_option(Tcp::no_delay(true), ignored);
    if constexpr (kIsTls<Stream>) {
      const std::string& name =
          options_.tls->server_name.empty() ? options_.host : options_.tls->server_name;
      if (auto checked = expect_server_name(this->stream_.native_handle(), name); !checked) {
        give_up(Errc::InvalidOptions, checked.error().message());
        return;
      }
      this->stream_.async_handshake(
          asio::ssl::stream_base::client,
          [self = shared()](const boost::system::error_code& ec) { self->on_handshake(ec); });
    } else {
      begin_session();
    }
  }

  void on_handshake(const boost::system::error_code& ec) {
    if (this->closed()) return;
    if constexpr (kIsTls<Stream>) {
      SSL* ssl = this->stream_.native_handle();
      if (ec) {
        // Reset or closed mid-handshake is a lost connection, not a refusal (im-voip-flow.md
        // §4.5): the kind comes from the TLS alert and the socket error.
        give_up(failure_of(ec, "TLS handshake with " + endpoint() + " failed: "));
        return;
      }
      const std::string alpn = negotiated_alpn(ssl);
      if (!alpn.empty() && alpn != "h2") {
        give_up(Errc::NotHttp2, "server selected ALPN '" + alpn + "' instead of h2");
        return;
      }
    }
    begin_session();
  }

  void begin_session() {
    H2SessionOptions session_options{options_.settings, options_.max_response_body};
    if (auto started = this->start_session(H2Session::Side::Client, session_options); !started) {
      give_up(Errc::ProtocolError, started.error().message());
      return;
    }
    phase_ = Phase::Ready;
    if (options_.ping_interval.count() > 0)
      this->arm_timer(options_.ping_interval);
    else
      this->cancel_timer();
    dispatch();
  }

  // The connection never came up: everything fails, nothing was sent, so all may be retried.
  void give_up(Errc code, std::string message) {
    give_up({.code = code, .message = std::move(message)});
  }
  void give_up(Failure failure) {
    const Errc code = failure.code;
    close_reason_ = std::move(failure);
    this->close_now(make_error_code(code));
  }

  std::string endpoint() const { return options_.host + ":" + std::to_string(options_.port); }

  // --- requests ------------------------------------------------------------------------------

  void dispatch() {
    if (phase_ != Phase::Ready || !this->session_ || !this->session_->remote_settings_received())
      return;
    const std::size_t limit = this->session_->remote_max_concurrent_streams();
    while (!queue_.empty() && active_.size() < limit) {
      const std::uint64_t seq = queue_.front();
      queue_.pop_front();
      const auto it = pending_.find(seq);
      if (it == pending_.end()) continue; // timed out while queued
      auto id = this->session_->submit_request(std::move(it->second.request));
      if (!id) {
        // No new streams on this connection (GOAWAY, or stream ids used up). Nothing queued
        // was sent; later submits go to a new connection.
        const Errc code = id.error().code == Errc::GoAway ? Errc::GoAway : Errc::ConnectionClosed;
        const std::string why = "connection takes no new streams: " + id.error().message();
        phase_ = Phase::Draining;
        fail(seq, code, why, true);
        fail_queued(code, why);
        close_when_idle_ = true;
        close_if_idle();
        break;
      }
      it->second.stream_id = *id;
      active_.emplace(*id, seq);
    }
    this->schedule_write();
  }

  void finish(std::uint64_t seq, ResponseResult&& result) {
    auto node = pending_.extract(seq);
    if (node.empty()) return;
    if (node.mapped().stream_id != 0) active_.erase(node.mapped().stream_id);
    invoke(node.mapped().done, std::move(result));
    close_if_idle();
  }

  void fail(std::uint64_t seq, Errc code, std::string message, bool retryable,
            std::uint32_t h2 = 0) {
    fail(seq, {.code = code, .message = std::move(message)}, retryable, h2);
  }
  void fail(std::uint64_t seq, const Failure& failure, bool retryable, std::uint32_t h2 = 0) {
    RequestError error{.code = make_error_code(failure.code),
                       .message = failure.message,
                       .retryable = retryable,
                       .h2_error = h2,
                       .cause = failure.cause,
                       .tls_alert = failure.tls_alert};
    if (failure.code == Errc::GoAway) error.goaway = goaway_;
    finish(seq, core::Unexpected(std::move(error)));
  }

  static void invoke(ResponseCallback& done, ResponseResult result) {
    try {
      done(std::move(result));
    } catch (...) {
      // A throwing callback must not take the connection down with it.
    }
  }

  void finish_with(ResponseCallback done, Errc code, std::string message, bool retryable) {
    invoke(done, core::Unexpected(RequestError{.code = make_error_code(code),
                                               .message = std::move(message),
                                               .retryable = retryable}));
  }

  void fail_queued(Errc code, const std::string& message, std::uint32_t h2 = 0) {
    while (!queue_.empty()) {
      const std::uint64_t seq = queue_.front();
      queue_.pop_front();
      fail(seq, code, message, true, h2);
    }
  }

  // Unsent requests may be retried; sent ones only when above a GOAWAY's last-stream-id.
  void fail_all(Errc code, const std::string& message) {
    fail_all({.code = code, .message = message});
  }
  void fail_all(const Failure& failure) {
    queue_.clear();
    while (!pending_.empty()) {
      const auto& [seq, p] = *pending_.begin();
      const bool unprocessed =
          p.stream_id == 0 || (goaway_ && p.stream_id > goaway_->last_stream_id);
      fail(seq, failure, unprocessed);
    }
  }

  void close_if_idle() {
    if (!close_when_idle_ || !active_.empty() || !this->open()) return;
    close_when_idle_ = false;
    (void)this->session_->submit_goaway(NGHTTP2_NO_ERROR, {}); // last processed id: always valid
    this->close_after_flush();
  }

  void arm_request_timer() {
    if (request_timer_armed_ || pending_.empty()) return;
    const auto deadline = pending_.begin()->second.deadline;
    if (deadline == SteadyClock::time_point::max()) return;
    request_timer_armed_ = true;
    request_timer_.expires_at(deadline);
    request_timer_.async_wait([self = shared()](const boost::system::error_code& ec) {
      self->request_timer_armed_ = false;
      if (!ec) self->on_request_deadline();
    });
  }

  // Pending requests are ordered by submission, which is also deadline order.
  void on_request_deadline() {
    const auto now = SteadyClock::now();
    while (!pending_.empty() && pending_.begin()->second.deadline <= now) {
      const auto& [seq, p] = *pending_.begin();
      const std::int32_t stream_id = p.stream_id;
      if (stream_id != 0 && this->open())
        this->session_->submit_rst_stream(stream_id, NGHTTP2_CANCEL);
      fail(seq, Errc::Timeout,
           "no response within " + std::to_string(options_.request_timeout.count()) + " ms",
           stream_id == 0);
    }
    if (this->open()) this->schedule_write();
    arm_request_timer();
  }

  // --- H2SessionHandler ----------------------------------------------------------------------

  void on_response(std::int32_t stream_id, Response&& response) override {
    const auto it = active_.find(stream_id);
    if (it == active_.end()) return;
    finish(it->second, std::move(response));
    dispatch();
  }

  void on_stream_close(std::int32_t stream_id, std::uint32_t error_code) override {
    const auto it = active_.find(stream_id);
    if (it == active_.end()) {
      dispatch();
      return;
    }
    const std::uint64_t seq = it->second;
    const auto p = pending_.find(seq);
    if (p != pending_.end() && p->second.body_too_large) {
      fail(seq, Errc::BodyTooLarge,
           "response body over " + std::to_string(options_.max_response_body) + " bytes", false);
    } else if (goaway_ && stream_id > goaway_->last_stream_id) {
      fail(seq, Errc::GoAway, goaway_text(), true, goaway_->error_code);
    } else {
      // REFUSED_STREAM guarantees the server did no work on it (RFC 9113 §8.7).
      fail(seq, Errc::StreamReset,
           "stream " + std::to_string(stream_id) + " reset: " + nghttp2_http2_strerror(error_code),
           error_code == NGHTTP2_REFUSED_STREAM, error_code);
    }
    dispatch();
  }

  void on_body_too_large(std::int32_t stream_id) override {
    const auto it = active_.find(stream_id);
    if (it == active_.end()) return;
    if (auto p = pending_.find(it->second); p != pending_.end()) p->second.body_too_large = true;
  }

  void on_remote_settings() override { dispatch(); }

  void on_goaway(std::int32_t last_stream_id, std::uint32_t error_code,
                 std::string_view debug_data) override {
    goaway_ = GoawayInfo{last_stream_id, error_code, std::string(debug_data)};
    if (phase_ == Phase::Ready) phase_ = Phase::Draining;
    // RFC 9113 §6.8: no new streams after GOAWAY; what is queued was never sent.
    fail_queued(Errc::GoAway, goaway_text(), error_code);
    if (options_.on_goaway) {
      try {
        options_.on_goaway(*goaway_);
      } catch (...) {
      }
    }
  }

  void on_ping_ack() override { ping_outstanding_ = false; }

  std::string goaway_text() const {
    std::string text = "GOAWAY " + std::string(nghttp2_http2_strerror(goaway_->error_code)) +
                       ", last stream " + std::to_string(goaway_->last_stream_id);
    if (!goaway_->debug_data.empty()) text += ": " + goaway_->debug_data;
    return text;
  }

  // --- H2Connection --------------------------------------------------------------------------

  void on_deadline() override {
    if (phase_ == Phase::Connecting) {
      give_up(Errc::Timeout, "no connection to " + options_.host + ":" +
                                 std::to_string(options_.port) + " within " +
                                 std::to_string(options_.connect_timeout.count()) + " ms");
      return;
    }
    if (options_.ping_interval.count() <= 0 || !this->open()) return;
    if (ping_outstanding_) {
      close_reason_ = Failure{.code = Errc::Timeout,
                              .message = "server did not answer PING within " +
                                         std::to_string(options_.ping_interval.count()) + " ms"};
      this->close_now(make_error_code(Errc::Timeout));
      return;
    }
    const auto idle = SteadyClock::now() - this->last_read();
    if (idle >= options_.ping_interval) {
      this->session_->submit_ping();
      ping_outstanding_ = true;
      this->schedule_write();
      this->arm_timer(options_.ping_interval);
    } else {
      this->arm_timer(options_.ping_interval - idle);
    }
  }

  void on_transport_error(const boost::system::error_code& ec) override {
    transport_failure_ = failure_of(ec, "connection to " + endpoint() + " ended: ");
  }

  // A failed TLS or socket operation: its kind from the TLS alert and the socket error
  // (transport_failure.hpp), described after `what`.
  Failure failure_of(const boost::system::error_code& ec, const std::string& what) {
    const TransportFailure failure = classify_transport_failure(ec);
    std::string detail;
    if constexpr (kIsTls<Stream>)
      detail = describe_tls_failure(this->stream_.native_handle(), ec);
    else
      detail = ec.message();
    return {.code = failure.kind,
            .message = what + detail,
            .cause = ec,
            .tls_alert = failure.tls_alert};
  }

  void on_closed(std::error_code cause) override {
    const bool was_up = phase_ != Phase::Connecting;
    phase_ = Phase::Done;
    boost::system::error_code ignored;
    request_timer_.cancel();
    resolver_.cancel();
    if (pending_.empty()) return;
    if (close_reason_) {
      fail_all(*close_reason_);
    } else if (transport_failure_ && transport_failure_->code != Errc::ConnectionClosed) {
      // A TLS alert after the handshake: under TLS 1.3 a refusal of our certificate.
      fail_all(*transport_failure_);
    } else if (goaway_) {
      fail_all(Errc::GoAway, goaway_text());
    } else {
      const std::string why = cause ? cause.message() : std::string("closed");
      fail_all({.code = was_up ? Errc::ConnectionClosed : Errc::ConnectFailed,
                .message = "connection to " + endpoint() + " ended: " + why,
                .cause = cause});
    }
  }

  const ClientOptions options_; // a copy: the connection may outlive its Client
  Tcp::resolver resolver_;
  asio::steady_timer request_timer_;
  bool request_timer_armed_ = false;
  Phase phase_ = Phase::Connecting;
  std::map<std::uint64_t, Pending> pending_; // every unfinished request, by submission
  std::deque<std::uint64_t> queue_;          // not yet sent, in order
  std::unordered_map<std::int32_t, std::uint64_t> active_; // stream id -> request
  std::uint64_t next_seq_ = 1;
  std::optional<GoawayInfo> goaway_;
  std::optional<Failure> close_reason_;      // why we closed it (give_up, a PING unanswered)
  std::optional<Failure> transport_failure_; // the read or write error that closed it
  bool close_when_idle_ = false;
  bool ping_outstanding_ = false;
};

} // namespace

std::shared_ptr<ClientConnectionBase>
start_client_connection(asio::io_context& io, const ClientOptions& options,
                        const std::shared_ptr<SslContext>& tls) {
  if (tls) {
    auto c = std::make_shared<ClientConnection<TlsStream>>(io, TlsStream(io, *tls), options);
    c->start();
    return c;
  }
  auto c = std::make_shared<ClientConnection<TcpStream>>(io, TcpStream(io), options);
  c->start();
  return c;
}

} // namespace net
