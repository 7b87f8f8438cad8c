#include "net/http1_server.hpp"

#include "net/asio.hpp"
#include "net/json_api.hpp"

#include <array>
#include <list>
#include <optional>
#include <set>
#include <thread>
#include <utility>

// Beast reaches Asio through its own includes; net/asio.hpp above comes first.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <sys/resource.h>

namespace net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

Http1Handler answer_at_once(std::function<Http1Response(const Http1Request&)> handler) {
  return [handler = std::move(handler)](const std::shared_ptr<Http1Exchange>& exchange) {
    exchange->respond(handler(exchange->request()));
  };
}

struct Http1Server::Impl : std::enable_shared_from_this<Http1Server::Impl> {
  Impl(Http1ServerOptions o, Http1Handler h)
      : options(std::move(o)), handler(std::move(h)), acceptor(io) {}

  class Session;
  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void refuse(tcp::socket socket);

  Http1ServerOptions options;
  RequestGuard guard; // options' host and allowed names, with the port actually bound
  Http1Handler handler;
  asio::io_context io;
  tcp::acceptor acceptor;
  asio::steady_timer accept_pause{io}; // after an accept error, before the next try
  std::thread thread;
  // I/O thread only. Every connection (closed by stop()); those reading a request, longest
  // waiting first (the first to close when a new connection needs room); how many exchanges
  // are long-polls or streams.
  std::set<std::shared_ptr<Session>> sessions;
  std::list<Session*> reading;
  std::size_t waiting = 0;
  bool started = false;
  bool stopped = false;
};

namespace {

constexpr const char* kBusyBody =
    R"({"error":"SERVER_BUSY","message":"too many connections, long-polls or event streams are open; try again in a second"})"
    "\n";

// The answer to a connection or a wait the server has no room for.
Http1Response busy() {
  return {503, "application/json", kBusyBody, {{"Retry-After", "1"}}};
}

// A server holding thousands of connections needs more descriptors than a shell's usual soft
// limit of 1,024; the hard limit is what the system allows the process.
void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

} // namespace

// One client connection, which is also the exchange of its current request: requests are read
// one at a time, the next only once the current one is answered.
class Http1Server::Impl::Session final : public Http1Exchange,
                                         public std::enable_shared_from_this<Session> {
public:
  Session(Impl& server, tcp::socket socket)
      : server_(server), socket_(std::move(socket)), timer_(socket_.get_executor()),
        idle_(socket_.get_executor()) {}

  void start() { do_read(); }

  void close() {
    if (closed_) return;
    closed_ = true;
    stop_reading();
    stop_waiting();
    timer_.cancel();
    idle_.cancel();
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    if (auto closed = std::exchange(on_close_, nullptr)) closed();
    server_.sessions.erase(shared_from_this());
  }

  // --- Http1Exchange ---------------------------------------------------------------------------
  const Http1Request& request() const override { return request_; }

  void respond(Http1Response response) override {
    post([self = shared_from_this(), response = std::move(response)]() mutable {
      if (self->closed_ || self->answered_) return;
      self->answer(std::move(response));
    });
  }

  void start_stream(std::string content_type) override {
    post([self = shared_from_this(), content_type = std::move(content_type)] {
      if (self->closed_ || self->answered_ || !self->start_waiting()) return;
      self->answered_ = true;
      self->streaming_ = true;
      std::function<void(bool)> after_head;
      if (self->head_only_) after_head = [self](bool) { self->close(); }; // HEAD: no events
      self->write_raw("HTTP/1.1 200 OK\r\nContent-Type: " + content_type +
                          "\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
                      std::move(after_head));
    });
  }

  void write(std::string chunk, std::function<void(bool)> done) override {
    post([self = shared_from_this(), chunk = std::move(chunk), done = std::move(done)]() mutable {
      if (self->closed_ || !self->streaming_) {
        if (done) done(false);
        return;
      }
      self->write_raw(std::move(chunk), std::move(done));
    });
  }

  void start_timer(std::chrono::milliseconds delay, std::function<void()> fired) override {
    post([self = shared_from_this(), delay, fired = std::move(fired)]() mutable {
      if (self->closed_ || (self->answered_ && !self->streaming_)) return;
      if (!self->start_waiting()) return;
      self->timer_.expires_after(delay);
      self->timer_.async_wait([self, fired = std::move(fired)](beast::error_code ec) {
        if (!ec && !self->closed_) fired();
      });
    });
  }

  void cancel_timer() override {
    post([self = shared_from_this()] { self->timer_.cancel(); });
  }

  void post(std::function<void()> task) override {
    asio::post(socket_.get_executor(), std::move(task));
  }

  void on_close(std::function<void()> closed) override {
    post([self = shared_from_this(), closed = std::move(closed)]() mutable {
      if (self->closed_ || (self->answered_ && !self->streaming_)) return closed();
      self->on_close_ = std::move(closed);
    });
  }

private:
  void answer(Http1Response response) {
    answered_ = true;
    on_close_ = nullptr;
    timer_.cancel();
    stop_waiting();
    send(std::move(response));
  }

  // Counts this exchange among the long-polls and streams, or answers 503 when there is no
  // room (and tells the handler through on_close). False when it was refused.
  bool start_waiting() {
    if (waiting_) return true;
    if (server_.waiting >= server_.options.max_waiting) {
      auto closed = std::exchange(on_close_, nullptr);
      answer(busy());
      if (closed) closed();
      return false;
    }
    waiting_ = true;
    ++server_.waiting;
    watch_for_hang_up();
    return true;
  }

  void stop_waiting() {
    if (!waiting_) return;
    waiting_ = false;
    --server_.waiting;
  }

  // While an exchange waits, nothing reads the socket: a readable socket with no bytes is the
  // client's FIN (or an error), and the connection closes at once rather than at the next write.
  // Bytes mean a pipelined request, left for after the answer.
  void watch_for_hang_up() {
    socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](beast::error_code ec) {
      if (ec || self->closed_ || !self->waiting_) return;
      beast::error_code available_ec;
      if (self->socket_.available(available_ec) == 0 || available_ec) self->close();
    });
  }

  void start_reading() {
    server_.reading.push_back(this);
    reading_at_ = std::prev(server_.reading.end());
    is_reading_ = true;
  }

  void stop_reading() {
    if (!is_reading_) return;
    server_.reading.erase(reading_at_);
    is_reading_ = false;
  }

  void do_read() {
    start_reading();
    parser_.emplace();
    parser_->body_limit(server_.options.body_limit);
    // Slow or silent clients do not keep a connection forever.
    idle_.expires_after(server_.options.idle_timeout);
    idle_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->close();
    });
    http::async_read(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    idle_.cancel();
    if (closed_) return;
    stop_reading();
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted) return close();
    keep_alive_ = false;
    answered_ = true;
    streaming_ = false;
    head_only_ = false;
    if (ec == http::error::body_limit)
      return send(error_response({"BODY_TOO_LARGE", server_.options.too_large_message, 413}));
    if (ec) return send(error_response({"BAD_HTTP", "malformed HTTP/1.1 request", 400}));
    auto parsed = parser_->release();
    keep_alive_ = parsed.keep_alive();
    answered_ = false;
    request_ = {std::string(parsed.method_string()),
                std::string(parsed.target()),
                std::move(parsed.body()),
                std::string(parsed[http::field::authorization]),
                std::string(parsed[http::field::host]),
                std::string(parsed[http::field::origin]),
                std::string(parsed[http::field::content_type])};
    // HEAD is GET without the body (RFC 9110 §9.3.2): handlers and checks see a GET.
    if (request_.method == "HEAD") {
      request_.method = "GET";
      head_only_ = true;
    }
    // The guard first: a page in a browser must learn nothing, not even whether a secret is set.
    auto refused = check_request_guard(server_.guard, request_);
    if (!refused) refused = check_bearer(server_.options.auth, request_);
    if (refused) {
      answered_ = true;
      return send(std::move(*refused));
    }
    try {
      server_.handler(shared_from_this());
    } catch (const std::exception& e) { // a bug, not the client's fault: say so, keep serving
      respond(error_response(
          {"INTERNAL_ERROR",
           std::string("internal error: ") + e.what() + " (a bug in voipsim; please report it)",
           500}));
    }
  }

  void send(Http1Response response) {
    auto message = std::make_shared<http::response<http::string_body>>();
    message->version(11);
    message->result(static_cast<unsigned>(response.status));
    message->set(http::field::server, server_.options.server_name);
    message->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers)
      message->set(name, value);
    message->body() = std::move(response.body);
    message->keep_alive(keep_alive_);
    message->prepare_payload();
    auto written = [self = shared_from_this(), message](beast::error_code ec, std::size_t) {
      if (ec || !self->keep_alive_) return self->close();
      self->do_read();
    };
    if (!head_only_) return http::async_write(socket_, *message, std::move(written));
    // HEAD: the fields GET would have (Content-Length included), no body.
    auto serializer = std::make_shared<http::response_serializer<http::string_body>>(*message);
    http::async_write_header(socket_, *serializer,
                             [serializer, written = std::move(written)](
                                 beast::error_code ec, std::size_t n) mutable { written(ec, n); });
  }

  void write_raw(std::string text, std::function<void(bool)> done) {
    auto owned = std::make_shared<std::string>(std::move(text));
    asio::async_write(socket_, asio::buffer(*owned),
                      [self = shared_from_this(), owned,
                       done = std::move(done)](beast::error_code ec, std::size_t) {
                        if (ec) self->close();
                        if (done) done(!ec);
                      });
  }

  Impl& server_;
  tcp::socket socket_;
  asio::steady_timer timer_; // the exchange's (start_timer)
  asio::steady_timer idle_;  // the read deadline
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Http1Request request_;
  std::function<void()> on_close_;
  std::list<Session*>::iterator reading_at_; // in server_.reading while is_reading_
  bool is_reading_ = false;
  bool waiting_ = false; // counted in server_.waiting
  bool keep_alive_ = false;
  bool answered_ = true;
  bool streaming_ = false; // start_stream() answered the exchange
  bool head_only_ = false; // the request was HEAD
  bool closed_ = false;
};

void Http1Server::Impl::do_accept() {
  acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
    self->on_accept(ec, std::move(socket));
  });
}

void Http1Server::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
  if (ec) {
    // Out of descriptors, say: free one from the longest-idle connection, and pause rather than
    // spin on an accept that fails again at once.
    if (!reading.empty()) reading.front()->close();
    accept_pause.expires_after(std::chrono::milliseconds(50));
    accept_pause.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
      if (!wait_ec) self->do_accept();
    });
    return;
  }
  if (sessions.size() >= options.max_connections) {
    if (reading.empty()) {
      refuse(std::move(socket));
      return do_accept();
    }
    reading.front()->close(); // the one that has waited longest for a request makes room
  }
  auto session = std::make_shared<Session>(*this, std::move(socket));
  sessions.insert(session);
  session->start();
  do_accept();
}

// A fast "503, come back in a second" rather than a connection closed without a word. The
// request the client may have sent is read and dropped until it closes (or 2 s pass), so that
// closing does not reset the connection before the client reads the answer.
void Http1Server::Impl::refuse(tcp::socket socket) {
  struct Refusal {
    explicit Refusal(tcp::socket s) : socket(std::move(s)), deadline(socket.get_executor()) {}
    tcp::socket socket;
    asio::steady_timer deadline;
    std::string text;
    std::array<char, 1024> sink{};
    void drain(const std::shared_ptr<Refusal>& self) {
      socket.async_read_some(asio::buffer(sink), [self](beast::error_code ec, std::size_t) {
        if (!ec) return self->drain(self);
        self->deadline.cancel(); // the client closed: close now
      });
    }
  };
  const Http1Response answer = busy();
  auto refusal = std::make_shared<Refusal>(std::move(socket));
  refusal->text = "HTTP/1.1 503 Service Unavailable\r\nServer: " + options.server_name +
                  "\r\nContent-Type: " + answer.content_type + "\r\nRetry-After: 1\r\n" +
                  "Content-Length: " + std::to_string(answer.body.size()) +
                  "\r\nConnection: close\r\n\r\n" + answer.body;
  asio::async_write(refusal->socket, asio::buffer(refusal->text),
                    [refusal](beast::error_code ec, std::size_t) {
                      beast::error_code ignored;
                      if (ec) return refusal->socket.close(ignored);
                      refusal->socket.shutdown(tcp::socket::shutdown_send, ignored);
                      refusal->deadline.expires_after(std::chrono::seconds(2));
                      refusal->deadline.async_wait([refusal](beast::error_code) {
                        beast::error_code ignored_too;
                        refusal->socket.close(ignored_too);
                      });
                      refusal->drain(refusal);
                    });
}

Http1Server::Http1Server(Http1ServerOptions options, Http1Handler handler)
    : impl_(std::make_shared<Impl>(std::move(options), std::move(handler))) {}

Http1Server::~Http1Server() {
  stop();
}

core::Result<void> Http1Server::start() {
  if (impl_->started)
    return core::fail(core::Errc::InvalidArgument, "the server was already started");
  const std::string where = impl_->options.host + ":" + std::to_string(impl_->options.port);
  beast::error_code ec;
  const auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) return core::fail(ec, "\"" + impl_->options.host + "\" is not an IP address");
  const tcp::endpoint endpoint(address, impl_->options.port);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return core::fail(ec, "cannot listen on " + where);
  raise_open_file_limit();
  impl_->guard = {impl_->options.host, port(), impl_->options.allowed_hosts,
                  impl_->options.allow_flag};
  impl_->started = true;
  impl_->do_accept();
  impl_->thread = std::thread([impl = impl_] {
    // A handler that throws past the session's catch must not end the server: Asio lets run()
    // resume after it.
    for (;;) {
      try {
        impl->io.run();
        return;
      } catch (...) {
      }
    }
  });
  return {};
}

void Http1Server::stop() {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  asio::post(impl_->io, [impl = impl_] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
    impl->accept_pause.cancel();
    for (const auto& session : std::set(impl->sessions))
      session->close();
  });
  // Closing makes every pending operation complete; run() returns once none is left.
  impl_->thread.join();
}

std::uint16_t Http1Server::port() const {
  beast::error_code ec;
  const auto endpoint = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

} // namespace net
