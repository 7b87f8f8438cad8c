#include "mock_apns/admin_server.hpp"

#include "core/error.hpp"
#include "mock_apns/admin_api.hpp"
#include "mock_apns/json_codec.hpp"
#include "mock_apns/server.hpp"

// Boost 1.74's asio needs <utility> first under g++ 12 in C++20 (STYLE.md, version traps).
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

namespace mock_apns {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kKeepAliveComment = std::chrono::seconds(15);
constexpr std::size_t kStreamBatch = 100;

} // namespace

struct AdminServer::Impl : std::enable_shared_from_this<AdminServer::Impl> {
  Impl(Server& m, AdminServerOptions o) : mock(m), options(std::move(o)), acceptor(io) {}

  class Session;

  void do_accept();
  void forget(Session* session) {
    std::lock_guard lock(sessions_mutex);
    sessions.erase(session);
  }

  Server& mock;
  AdminServerOptions options;
  asio::io_context io;
  tcp::acceptor acceptor;
  std::thread thread;
  std::mutex sessions_mutex;
  std::set<Session*> sessions; // closed by stop(); each removes itself when it ends
  bool started = false;
  bool stopped = false;
};

// One client connection: requests in turn, or one endless event stream.
class AdminServer::Impl::Session : public std::enable_shared_from_this<Session> {
public:
  Session(std::shared_ptr<Impl> server, tcp::socket socket)
      : server_(std::move(server)), socket_(std::move(socket)), timer_(socket_.get_executor()) {}

  ~Session() { server_->forget(this); }

  void start() {
    {
      std::lock_guard lock(server_->sessions_mutex);
      server_->sessions.insert(this);
    }
    do_read();
  }

  // From stop(), on the I/O thread.
  void close() {
    cancel_wait();
    timer_.cancel();
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

private:
  void do_read() {
    parser_.emplace();
    parser_->body_limit(server_->options.body_limit);
    http::async_read(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted) {
      return close();
    }
    if (ec == http::error::body_limit) {
      return send(
          {413, "application/json",
           R"({"error":"request body over the admin API's limit; load large token sets with --tokens FILE"})"
           "\n"},
          false);
    }
    if (ec) {
      return send({400, "application/json",
                   json_text({{"error", "malformed HTTP request: " + ec.message()}}) + "\n"},
                  false);
    }
    request_ = parser_->release();
    const AdminRequest request{std::string(request_.method_string()),
                               std::string(request_.target()), request_.body()};
    const AdminTarget target = parse_admin_target(request.target);
    if (request.method == "GET" && target.path == "/v1/deliveries/stream") {
      return start_stream(delivery_poll_of(target).after);
    }
    if (request.method == "GET" && target.path == "/v1/deliveries") {
      const DeliveryPoll poll = delivery_poll_of(target);
      if (poll.wait_ms > 0 && server_->mock.feed().last_cursor() <= poll.after) {
        return wait_then_answer(request, poll);
      }
    }
    answer(request);
  }

  void answer(const AdminRequest& request) {
    AdminResponse response;
    try {
      response = handle_admin_request(request, server_->mock);
    } catch (const std::exception& e) { // a bug, not the client's fault: say so, keep serving
      response = {500, "application/json",
                  json_text({{"error", std::string("internal error: ") + e.what()}}) + "\n"};
    }
    send(std::move(response), request_.keep_alive());
  }

  // Long-poll: answer when a delivery arrives or when wait_ms passes, whichever is first.
  void wait_then_answer(AdminRequest request, DeliveryPoll poll) {
    auto answered = std::make_shared<bool>(false);
    auto finish = [self = shared_from_this(), request, answered] {
      if (*answered) return;
      *answered = true;
      self->cancel_wait();
      self->timer_.cancel();
      self->answer(request);
    };
    waiter_ = server_->mock.feed().notify_after(poll.after, [self = shared_from_this(), finish] {
      asio::post(self->socket_.get_executor(), finish);
    });
    timer_.expires_after(std::chrono::milliseconds(poll.wait_ms));
    timer_.async_wait([finish](beast::error_code ec) {
      if (!ec) finish();
    });
  }

  void send(AdminResponse response, bool keep_alive) {
    auto message = std::make_shared<http::response<http::string_body>>();
    message->version(11);
    message->result(static_cast<unsigned>(response.status));
    message->set(http::field::server, "voipsim mock-apns admin");
    message->set(http::field::content_type, response.content_type);
    message->body() = std::move(response.body);
    message->keep_alive(keep_alive);
    message->prepare_payload();
    http::async_write(
        socket_, *message,
        [self = shared_from_this(), message, keep_alive](beast::error_code ec, std::size_t) {
          if (ec || !keep_alive) return self->close();
          self->do_read();
        });
  }

  // Server-sent events: one "id: <cursor>\ndata: <delivery JSON>\n\n" per delivery, forever.
  void start_stream(std::uint64_t after) {
    cursor_ = after;
    auto head = std::make_shared<std::string>(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
        "Connection: close\r\n\r\n");
    asio::async_write(socket_, asio::buffer(*head),
                      [self = shared_from_this(), head](beast::error_code ec, std::size_t) {
                        if (ec) return self->close();
                        self->pump();
                      });
  }

  void pump() {
    auto batch = server_->mock.feed().since(cursor_, kStreamBatch);
    if (batch.empty()) {
      waiter_ = server_->mock.feed().notify_after(cursor_, [self = shared_from_this()] {
        asio::post(self->socket_.get_executor(), [self] {
          self->waiter_ = 0;
          self->timer_.cancel();
        });
      });
      // Woken by a delivery (timer cancelled) or after kKeepAliveComment: a comment line finds
      // out whether the client is still there.
      timer_.expires_after(kKeepAliveComment);
      timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (!self->socket_.is_open()) return;
        if (ec) return self->pump(); // cancelled: something arrived
        self->cancel_wait();
        self->write_events(std::make_shared<std::string>(": keep-alive\n\n"));
      });
      return;
    }
    auto text = std::make_shared<std::string>();
    for (const auto& [cursor, delivery] : batch) {
      nlohmann::json j = to_json(delivery);
      j["cursor"] = cursor;
      *text +=
          "id: " + std::to_string(cursor) + "\nevent: delivery\ndata: " + json_text(j) + "\n\n";
      cursor_ = cursor;
    }
    write_events(std::move(text));
  }

  void write_events(std::shared_ptr<std::string> text) {
    asio::async_write(socket_, asio::buffer(*text),
                      [self = shared_from_this(), text](beast::error_code ec, std::size_t) {
                        if (ec) return self->close();
                        self->pump();
                      });
  }

  void cancel_wait() {
    if (waiter_ != 0) {
      server_->mock.feed().cancel(waiter_);
      waiter_ = 0;
    }
  }

  std::shared_ptr<Impl> server_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::request<http::string_body> request_;
  std::uint64_t cursor_ = 0;
  std::uint64_t waiter_ = 0;
};

void AdminServer::Impl::do_accept() {
  acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !self->acceptor.is_open()) return;
    if (!ec) std::make_shared<Session>(self, std::move(socket))->start();
    self->do_accept();
  });
}

AdminServer::AdminServer(Server& mock, AdminServerOptions options)
    : impl_(std::make_shared<Impl>(mock, std::move(options))) {}

AdminServer::~AdminServer() {
  stop();
}

core::Result<void> AdminServer::start() {
  if (impl_->started) {
    return core::fail(core::Errc::InvalidArgument, "the admin server was already started");
  }
  beast::error_code ec;
  const auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) {
    return core::fail(ec, "admin address \"" + impl_->options.host + "\" is not an IP address");
  }
  const tcp::endpoint endpoint(address, impl_->options.port);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return core::fail(ec, "admin API cannot listen on " + impl_->options.host + ":" +
                              std::to_string(impl_->options.port));
  }
  impl_->started = true;
  impl_->do_accept();
  impl_->thread = std::thread([impl = impl_] {
    // A handler that throws must not end the admin API: Asio lets run() resume after it.
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

void AdminServer::stop() {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  asio::post(impl_->io, [impl = impl_] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
    std::vector<Impl::Session*> open;
    {
      std::lock_guard lock(impl->sessions_mutex);
      open.assign(impl->sessions.begin(), impl->sessions.end());
    }
    for (Impl::Session* session : open)
      session->close();
  });
  // Closing makes every pending operation complete; run() returns once none is left.
  impl_->thread.join();
}

std::uint16_t AdminServer::port() const {
  beast::error_code ec;
  const auto endpoint = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

} // namespace mock_apns
