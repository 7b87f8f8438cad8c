#include "net/http1_server.hpp"

// Boost 1.74's asio needs <utility> first under g++ 12 in C++20 (STYLE.md, version traps).
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

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

  Http1ServerOptions options;
  Http1Handler handler;
  asio::io_context io;
  tcp::acceptor acceptor;
  std::thread thread;
  std::set<std::shared_ptr<Session>> sessions; // I/O thread only; closed by stop()
  bool started = false;
  bool stopped = false;
};

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
      self->answered_ = true;
      self->on_close_ = nullptr;
      self->timer_.cancel();
      self->send(std::move(response));
    });
  }

  void start_stream(std::string content_type) override {
    post([self = shared_from_this(), content_type = std::move(content_type)] {
      if (self->closed_ || self->answered_) return;
      self->answered_ = true;
      self->write_raw("HTTP/1.1 200 OK\r\nContent-Type: " + content_type +
                          "\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
                      nullptr);
    });
  }

  void write(std::string chunk, std::function<void(bool)> done) override {
    post([self = shared_from_this(), chunk = std::move(chunk), done = std::move(done)]() mutable {
      if (self->closed_) {
        if (done) done(false);
        return;
      }
      self->write_raw(std::move(chunk), std::move(done));
    });
  }

  void start_timer(std::chrono::milliseconds delay, std::function<void()> fired) override {
    post([self = shared_from_this(), delay, fired = std::move(fired)]() mutable {
      if (self->closed_) return;
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
      if (self->closed_) return closed();
      self->on_close_ = std::move(closed);
    });
  }

private:
  void do_read() {
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
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted) return close();
    keep_alive_ = false;
    answered_ = true;
    if (ec == http::error::body_limit)
      return send({413, "application/json", server_.options.too_large_body + "\n"});
    if (ec)
      return send({400, "application/json",
                   R"({"error":"BAD_HTTP","message":"malformed HTTP/1.1 request"})"
                   "\n"});
    auto parsed = parser_->release();
    keep_alive_ = parsed.keep_alive();
    answered_ = false;
    request_ = {std::string(parsed.method_string()), std::string(parsed.target()),
                std::move(parsed.body()), std::string(parsed[http::field::authorization])};
    if (auto refused = check_bearer(server_.options.auth, request_)) {
      answered_ = true;
      return send(std::move(*refused));
    }
    try {
      server_.handler(shared_from_this());
    } catch (const std::exception& e) { // a bug, not the client's fault: say so, keep serving
      respond({500, "text/plain", std::string("internal error: ") + e.what() + "\n"});
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
    http::async_write(socket_, *message,
                      [self = shared_from_this(), message](beast::error_code ec, std::size_t) {
                        if (ec || !self->keep_alive_) return self->close();
                        self->do_read();
                      });
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
  bool keep_alive_ = false;
  bool answered_ = true;
  bool closed_ = false;
};

void Http1Server::Impl::do_accept() {
  acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !self->acceptor.is_open()) return;
    if (!ec && self->sessions.size() >= self->options.max_connections) {
      beast::error_code ignored;
      socket.close(ignored); // over the cap: the client sees the connection close
    } else if (!ec) {
      auto session = std::make_shared<Session>(*self, std::move(socket));
      self->sessions.insert(session);
      session->start();
    }
    self->do_accept();
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
    for (const auto& session : std::set(impl->sessions))
      session->close();
  });
  // Closing makes every pending operation complete; run() returns once none is left.
  impl_->thread.join();
}

bool is_loopback_address(const std::string& host) {
  beast::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return false;
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).is_loopback();
  return address.is_loopback();
}

std::uint16_t Http1Server::port() const {
  beast::error_code ec;
  const auto endpoint = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

} // namespace net
