#include "net/server_connection.hpp"

#include "net/error.hpp"
#include "net/stream_deadlines.hpp"

#include <algorithm>
#include <type_traits>
#include <vector>

#include <nghttp2/nghttp2.h>

namespace net {
namespace {

namespace asio = boost::asio;

template <class Stream>
class ServerConnection final : public H2Connection<Stream>, public detail::ConnectionCore {
  using Base = H2Connection<Stream>;

public:
  ServerConnection(asio::io_context& io, Stream stream, std::shared_ptr<ServerRuntime> runtime,
                   std::size_t slot, PeerInfo peer)
      : Base(io, std::move(stream), runtime->options.write_high_water),
        runtime_(std::move(runtime)), slot_(*runtime_->slots[slot]), peer_info_(std::move(peer)),
        settings_(runtime_->options.settings), stream_timer_(io) {}
  void start() {
    self_ = std::static_pointer_cast<detail::ConnectionCore>(shared());
    slot_.connections.emplace(peer_info_.connection_id, self_);
    runtime_->connection_opened();
    if (runtime_->shutting_down.load()) {
      this->close_now({});
      return;
    }
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      this->arm_timer(runtime_->options.handshake_timeout);
      this->stream_.async_handshake(
          asio::ssl::stream_base::server,
          [self = shared()](const boost::system::error_code& ec) { self->on_handshake(ec); });
    } else {
      start_serving();
    }
  }

  // --- ConnectionCore: callable from any thread ---------------------------------------------

  bool respond(std::int32_t stream_id, Response&& response) override {
    if (this->on_own_thread()) return respond_here(stream_id, std::move(response));
    asio::post(this->executor(), [self = shared(), stream_id, r = std::move(response)]() mutable {
      self->respond_here(stream_id, std::move(r));
    });
    return true;
  }

  bool respond_copy(std::int32_t stream_id, const Response& response) override {
    if (this->on_own_thread()) return respond_here(stream_id, response);
    return respond(stream_id, Response(response));
  }

  void close_with_goaway(std::uint32_t error_code, std::string debug_data,
                         std::int32_t last_stream_id) override {
    if (!this->on_own_thread()) {
      asio::post(this->executor(), [self = shared(), error_code, d = std::move(debug_data),
                                    last_stream_id]() mutable {
        self->close_with_goaway(error_code, std::move(d), last_stream_id);
      });
      return;
    }
    if (!this->open() || !handler_) return;
    // An id the client could not have opened is refused by nghttp2: name the last processed one.
    if (!this->session_->submit_goaway(error_code, debug_data, last_stream_id))
      (void)this->session_->submit_goaway(error_code, debug_data);
    phase_ = Phase::Draining;
    this->arm_timer(runtime_->options.shutdown_timeout); // a peer that stops reading
    this->close_after_flush();
  }

  void set_max_concurrent_streams(std::uint32_t max_streams) override {
    if (!this->on_own_thread()) {
      asio::post(this->executor(),
                 [self = shared(), max_streams] { self->set_max_concurrent_streams(max_streams); });
      return;
    }
    // From inside the HandlerFactory the session has not started: the value goes into the
    // initial SETTINGS (APNs advertises 1 on token connections from the start,
    // apns-provider-api.md §3.2).
    if (!handler_) {
      settings_.max_concurrent_streams = max_streams;
      return;
    }
    if (!this->open()) return;
    settings_.max_concurrent_streams = max_streams;
    // Behind the responses already submitted: APNs raises the limit after answering (V72).
    settings_pending_ = true;
    this->schedule_write();
  }

  void drop() override {
    if (!this->on_own_thread()) {
      asio::post(this->executor(), [self = shared()] { self->drop(); });
      return;
    }
    this->close_now({});
  }

  bool submit_after_pull() override {
    if (!settings_pending_) return false;
    settings_pending_ = false;
    return static_cast<bool>(this->session_->submit_settings(settings_));
  }

  void begin_shutdown() override {
    if (!handler_) { // still in the TLS handshake: nothing to finish
      this->close_now({});
      return;
    }
    if (phase_ != Phase::Serving || !this->open()) return;
    this->session_->submit_shutdown_notice(); // on_goaway_sent() follows it with a PING
    phase_ = Phase::ShutdownNotice;
    this->arm_timer(runtime_->options.shutdown_grace);
    this->schedule_write();
  }

  void force_close() override { this->close_now({}); }

private:
  enum class Phase { Handshake, Serving, ShutdownNotice, Draining };

  std::shared_ptr<ServerConnection> shared() {
    return std::static_pointer_cast<ServerConnection>(this->shared_from_this());
  }

  void on_handshake(const boost::system::error_code& ec) {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      SSL* ssl = this->stream_.native_handle();
      // Reported even when shutdown closed the socket meanwhile: the verdict was already in.
      if (ec && ec != asio::error::operation_aborted) {
        handshake_failed(describe_tls_failure(ssl, ec));
        this->linger_close(); // the alert must reach the client, not a RST
        return;
      }
      if (this->closed()) return;
      describe_tls_peer(ssl, peer_info_);
      // The context refuses older versions and non-h2 ALPN already; re-check after the
      // handshake so a misconfigured context cannot slip through (RFC 9113 §9.2).
      const bool alpn_ok = peer_info_.alpn.empty() || peer_info_.alpn == "h2";
      if (SSL_version(ssl) < TLS1_2_VERSION || !alpn_ok) {
        handshake_failed("negotiated " + peer_info_.tls_version + " with ALPN '" + peer_info_.alpn +
                         "'");
        this->close_now(make_error_code(Errc::NotHttp2));
        return;
      }
      start_serving();
    }
  }

  void handshake_failed(const std::string& reason) {
    runtime_->handshake_failures.fetch_add(1, std::memory_order_relaxed);
    if (!runtime_->options.on_handshake_failure) return;
    try {
      runtime_->options.on_handshake_failure(peer_info_, reason);
    } catch (...) {
      slot_.handler_exceptions.fetch_add(1, std::memory_order_relaxed);
    }
  }

  void start_serving() {
    peer_ = std::make_shared<const PeerInfo>(peer_info_);
    try {
      handler_ = runtime_->options.handler(*peer_, ConnectionHandle(self_));
    } catch (...) {
      handler_.reset(); // a factory that throws refuses the connection, like one returning null
    }
    if (!handler_) {
      this->close_now(make_error_code(Errc::InvalidOptions));
      return;
    }
    phase_ = Phase::Serving;
    H2SessionOptions session_options{settings_, runtime_->options.max_request_body};
    if (auto started = this->start_session(H2Session::Side::Server, session_options); !started) {
      this->close_now(started.error().code);
      return;
    }
    this->arm_timer(runtime_->options.idle_timeout);
  }

  template <class Given> // Response&& or const Response&
  bool respond_here(std::int32_t stream_id, Given&& response) {
    if (!this->open() || !handler_ ||
        !this->session_->submit_response(stream_id, std::forward<Given>(response))) {
      slot_.late_responses.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    this->schedule_write();
    return true;
  }

  // The handler's GOAWAY text; a handler that throws gets an empty one.
  std::string debug_data_for(GoawayCause cause) {
    try {
      return handler_->goaway_debug_data(cause);
    } catch (...) {
      slot_.handler_exceptions.fetch_add(1, std::memory_order_relaxed);
      return {};
    }
  }

  std::string too_many_streams_debug_data() override {
    return debug_data_for(GoawayCause::TooManyStreams);
  }

  void send_final_goaway() {
    (void)this->session_->submit_goaway(NGHTTP2_NO_ERROR, debug_data_for(GoawayCause::Shutdown));
    phase_ = Phase::Draining;
    this->arm_timer(runtime_->options.shutdown_timeout);
    this->schedule_write();
  }

  // --- H2SessionHandler ----------------------------------------------------------------------

  void on_request(std::int32_t stream_id, Request&& request) override {
    if (!incomplete_.remove(stream_id) && idle_answered(stream_id)) return;
    slot_.requests.fetch_add(1, std::memory_order_relaxed);
    request.peer = peer_;
    guarded(stream_id,
            [&] { handler_->on_request(std::move(request), Responder(self_, stream_id)); });
  }

  void on_request_started(std::int32_t stream_id, const Request&) override {
    if (runtime_->options.stream_idle_timeout.count() == 0) return;
    incomplete_.add(stream_id,
                    std::chrono::steady_clock::now() + runtime_->options.stream_idle_timeout);
    if (!stream_timer_armed_) arm_stream_timer();
  }

  void on_request_too_large(std::int32_t stream_id, Request&& head) override {
    if (!incomplete_.remove(stream_id) && idle_answered(stream_id)) return;
    slot_.requests.fetch_add(1, std::memory_order_relaxed);
    head.peer = peer_;
    guarded(stream_id,
            [&] { handler_->on_request_too_large(std::move(head), Responder(self_, stream_id)); });
  }

  void on_stream_close(std::int32_t stream_id, std::uint32_t) override {
    incomplete_.remove(stream_id);
    std::erase(idle_answered_, stream_id);
  }

  // --- stream idle timeout: streams whose HEADERS came without END_STREAM (incomplete_), and
  // one timer for the earliest deadline.

  // True for a stream already answered by on_request_idle: its late completion is dropped.
  bool idle_answered(std::int32_t stream_id) const {
    return std::find(idle_answered_.begin(), idle_answered_.end(), stream_id) !=
           idle_answered_.end();
  }

  void arm_stream_timer() {
    stream_timer_armed_ = true;
    stream_timer_.expires_at(incomplete_.earliest());
    stream_timer_.async_wait(
        [self = shared()](const boost::system::error_code& ec) { self->on_stream_timer(ec); });
  }

  void on_stream_timer(const boost::system::error_code& ec) {
    stream_timer_armed_ = false;
    if (ec || !this->open() || !handler_) return;
    const auto now = std::chrono::steady_clock::now();
    while (const auto expired = incomplete_.pop_expired(now)) {
      const std::int32_t stream_id = *expired;
      idle_answered_.push_back(stream_id);
      static const Request kNone; // not reached: a stream in incomplete_ is open
      const Request* head = this->session_->request_on(stream_id);
      guarded(stream_id, [&] {
        handler_->on_request_idle(head != nullptr ? *head : kNone, Responder(self_, stream_id));
      });
    }
    if (!incomplete_.empty()) arm_stream_timer();
  }

  // Runs a handler call; an exception becomes a 500 on the stream (Handler's contract).
  template <class Call>
  void guarded(std::int32_t stream_id, Call&& call) {
    try {
      call();
    } catch (...) {
      slot_.handler_exceptions.fetch_add(1, std::memory_order_relaxed);
      respond_here(stream_id, Response{500, {}, {}});
    }
  }

  // PING only once the notice is on its way: nghttp2 sends PING ahead of queued GOAWAYs, and
  // the ACK must prove the client has seen the notice (RFC 9113 §6.8).
  void on_goaway_sent(std::int32_t) override {
    if (phase_ != Phase::ShutdownNotice || notice_pinged_) return;
    notice_pinged_ = true;
    this->session_->submit_ping();
  }

  void on_ping_ack() override {
    if (phase_ == Phase::ShutdownNotice && notice_pinged_) send_final_goaway();
  }

  // --- H2Connection --------------------------------------------------------------------------

  void on_deadline() override {
    switch (phase_) {
    case Phase::Handshake:
      handshake_failed("no TLS handshake within " +
                       std::to_string(runtime_->options.handshake_timeout.count()) + " ms");
      this->close_now(make_error_code(Errc::Timeout));
      return;
    case Phase::Serving: {
      const auto idle = std::chrono::steady_clock::now() - this->last_read();
      if (idle < runtime_->options.idle_timeout) {
        this->arm_timer(runtime_->options.idle_timeout - idle);
        return;
      }
      (void)this->session_->submit_goaway(NGHTTP2_NO_ERROR,
                                          debug_data_for(GoawayCause::IdleTimeout));
      phase_ = Phase::Draining;
      this->arm_timer(runtime_->options.shutdown_timeout);
      this->schedule_write();
      return;
    }
    case Phase::ShutdownNotice:
      send_final_goaway();
      return;
    case Phase::Draining:
      this->close_now(make_error_code(Errc::Timeout));
      return;
    }
  }

  void on_closed(std::error_code) override {
    stream_timer_.cancel();
    slot_.connections.erase(peer_info_.connection_id);
    if (handler_) {
      try {
        handler_->on_connection_closed();
      } catch (...) {
        slot_.handler_exceptions.fetch_add(1, std::memory_order_relaxed);
      }
    }
    runtime_->connection_closed();
  }

  std::shared_ptr<ServerRuntime> runtime_;
  ServerRuntime::Slot& slot_;
  // What Responder and ConnectionHandle hold; made once in start(), not per request.
  std::weak_ptr<detail::ConnectionCore> self_;
  PeerInfo peer_info_;
  std::shared_ptr<const PeerInfo> peer_;
  std::shared_ptr<Handler> handler_;
  H2Settings settings_;
  bool settings_pending_ = false; // a SETTINGS change waiting for the next pull
  StreamDeadlines incomplete_;
  std::vector<std::int32_t> idle_answered_; // open streams answered by on_request_idle
  asio::steady_timer stream_timer_;
  bool stream_timer_armed_ = false;
  Phase phase_ = Phase::Handshake;
  bool notice_pinged_ = false;
};

} // namespace

void start_server_connection(asio::io_context& io, Tcp::socket socket,
                             std::shared_ptr<ServerRuntime> runtime, std::size_t slot,
                             PeerInfo peer) {
  if (runtime->tls) {
    TlsStream stream(std::move(socket), *runtime->tls);
    std::make_shared<ServerConnection<TlsStream>>(io, std::move(stream), std::move(runtime), slot,
                                                  std::move(peer))
        ->start();
  } else {
    std::make_shared<ServerConnection<TcpStream>>(io, std::move(socket), std::move(runtime), slot,
                                                  std::move(peer))
        ->start();
  }
}

} // namespace net
