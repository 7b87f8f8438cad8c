#include "net/server.hpp"

#include "net/asio.hpp"
#include "net/error.hpp"
#include "net/io_threads.hpp"
#include "net/server_connection.hpp"
#include "net/server_runtime.hpp"

#include <algorithm>
#include <thread>

namespace net {

namespace asio = boost::asio;

bool Responder::respond(Response response) const {
  if (auto connection = connection_.lock())
    return connection->respond(stream_id_, std::move(response));
  return false;
}

bool Responder::respond_copy(const Response& response) const {
  if (auto connection = connection_.lock()) return connection->respond_copy(stream_id_, response);
  return false;
}

void ConnectionHandle::close_with_goaway(std::uint32_t error_code, std::string debug_data,
                                         std::int32_t last_stream_id) const {
  if (auto connection = connection_.lock())
    connection->close_with_goaway(error_code, std::move(debug_data), last_stream_id);
}

void ConnectionHandle::set_max_concurrent_streams(std::uint32_t max_streams) const {
  if (auto connection = connection_.lock()) connection->set_max_concurrent_streams(max_streams);
}

void ConnectionHandle::drop() const {
  if (auto connection = connection_.lock()) connection->drop();
}

void Handler::on_request_too_large(Request&& /*head*/, Responder responder) {
  responder.respond(Response{413, {}, {}});
}

void Handler::on_request_idle(const Request& /*head*/, Responder responder) {
  responder.respond(Response{408, {}, {}});
}

HandlerFactory handle_each(std::function<void(Request&&, Responder)> handle) {
  struct Shared final : Handler {
    explicit Shared(std::function<void(Request&&, Responder)> f) : fn(std::move(f)) {}
    void on_request(Request&& request, Responder responder) override {
      fn(std::move(request), std::move(responder));
    }
    std::function<void(Request&&, Responder)> fn;
  };
  auto shared = std::make_shared<Shared>(std::move(handle));
  return [shared](const PeerInfo&, const ConnectionHandle&) { return shared; };
}

struct Server::Impl {
  explicit Impl(ServerOptions options) : runtime(std::make_shared<ServerRuntime>()) {
    runtime->options = std::move(options);
    for (std::size_t i = 0; i < std::max<std::size_t>(1, runtime->options.threads); ++i)
      runtime->slots.push_back(std::make_unique<ServerRuntime::Slot>());
  }

  std::shared_ptr<ServerRuntime> runtime;
  std::unique_ptr<IoThreads> threads;
  std::unique_ptr<Tcp::acceptor> acceptor;          // used on thread 0 only
  std::unique_ptr<asio::steady_timer> accept_retry; // thread 0 only
  std::uint16_t port = 0;
  std::mutex lifecycle; // start() and stop() against each other; never held while waiting
  std::atomic<bool> started{false}; // set last in start(): threads and acceptor exist
  bool stopped = false;

  core::Result<Tcp::endpoint> resolve() const {
    const auto& o = runtime->options;
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(o.host, ec);
    if (!ec) return Tcp::endpoint(address, o.port);
    asio::io_context io;
    Tcp::resolver resolver(io);
    auto results = resolver.resolve(o.host, std::to_string(o.port), ec);
    if (ec || results.empty())
      return core::fail(Errc::InvalidOptions,
                        "cannot resolve listen host '" + o.host + "': " + ec.message());
    return results.begin()->endpoint();
  }

  void do_accept() {
    const std::size_t slot = threads->next_index();
    acceptor->async_accept(threads->context(slot), [this, slot](const boost::system::error_code& ec,
                                                                Tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
      if (!ec) {
        hand_over(slot, std::move(socket));
        do_accept();
        return;
      }
      // Out of descriptors or memory (EMFILE, ENFILE, ENOBUFS): the listening socket stays
      // readable, so retrying at once would spin. Other errors concern one attempt.
      const bool exhausted = ec == asio::error::no_descriptors ||
                             ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
      if (!exhausted) {
        do_accept();
        return;
      }
      accept_retry->expires_after(std::chrono::milliseconds(100));
      accept_retry->async_wait([this](const boost::system::error_code& wait_ec) {
        if (!wait_ec && acceptor->is_open()) do_accept();
      });
    });
  }

  void hand_over(std::size_t slot, Tcp::socket socket) { // Ids count accepted connections from 1.
    const std::uint64_t id =
        runtime->connections_accepted.fetch_add(1, std::memory_order_relaxed) + 1;
    boost::system::error_code ec;
    socket.set_option(Tcp::no_delay(true), ec); // small frames must not wait for Nagle
    PeerInfo peer;
    peer.connection_id = id;
    const auto remote = socket.remote_endpoint(ec);
    if (!ec) {
      peer.remote_address = remote.address().to_string();
      peer.remote_port = remote.port();
    }
    auto& io = threads->context(slot);
    asio::post(io, [&io, rt = runtime, slot, s = std::move(socket), p = std::move(peer)]() mutable {
      start_server_connection(io, std::move(s), std::move(rt), slot, std::move(p));
    });
  }

  // Runs `fn(connection)` on each live connection, on its own thread.
  void for_each_connection(void (detail::ConnectionCore::*fn)()) {
    for (std::size_t i = 0; i < threads->size(); ++i) {
      asio::post(threads->context(i), [rt = runtime, i, fn] {
        std::vector<std::shared_ptr<detail::ConnectionCore>> live;
        for (auto& [id, weak] : rt->slots[i]->connections)
          if (auto c = weak.lock()) live.push_back(std::move(c));
        for (auto& c : live)
          ((*c).*fn)(); // may erase from the map: iterate a copy
      });
    }
  }
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Server::~Server() {
  stop();
}

core::Result<void> Server::start() {
  std::lock_guard lock(impl_->lifecycle);
  if (impl_->started || impl_->stopped)
    return core::fail(Errc::InvalidOptions, "a server starts once");
  auto& rt = *impl_->runtime;
  const auto& o = rt.options;
  if (!o.handler) return core::fail(Errc::InvalidOptions, "ServerOptions::handler is not set");
  if (o.threads == 0)
    return core::fail(Errc::InvalidOptions, "ServerOptions::threads must be at least 1");
  if (o.write_high_water == 0)
    return core::fail(Errc::InvalidOptions, "write_high_water must be positive");
  if (o.tls) {
    auto tls = make_server_tls_context(*o.tls);
    if (!tls) return core::Unexpected(tls.error());
    rt.tls = std::move(*tls);
  }
  auto endpoint = impl_->resolve();
  if (!endpoint) return core::Unexpected(endpoint.error());

  impl_->threads = std::make_unique<IoThreads>(o.threads);
  auto acceptor = std::make_unique<Tcp::acceptor>(impl_->threads->context(0));
  boost::system::error_code ec;
  const std::string where = o.host + ":" + std::to_string(o.port);
  acceptor->open(endpoint->protocol(), ec);
  if (!ec) acceptor->set_option(Tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor->bind(*endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    impl_->threads->stop();
    return core::fail(ec, "cannot listen on " + where);
  }
  impl_->port = acceptor->local_endpoint().port();
  impl_->acceptor = std::move(acceptor);
  impl_->accept_retry = std::make_unique<asio::steady_timer>(impl_->threads->context(0));
  impl_->started = true;
  asio::post(impl_->threads->context(0), [impl = impl_.get()] { impl->do_accept(); });
  return {};
}

std::uint16_t Server::port() const {
  return impl_->port;
}

void Server::shutdown() {
  // Lock-free, so a handler may call it while another thread is inside stop().
  if (!impl_->started || impl_->runtime->shutting_down.exchange(true)) return;
  asio::post(impl_->threads->context(0), [impl = impl_.get()] {
    boost::system::error_code ignored;
    impl->acceptor->close(ignored);
    impl->accept_retry->cancel();
  });
  impl_->for_each_connection(&detail::ConnectionCore::begin_shutdown);
}

void Server::stop() {
  {
    std::lock_guard lock(impl_->lifecycle);
    if (!impl_->started || impl_->stopped) return;
    impl_->stopped = true;
  }
  shutdown();
  const auto& o = impl_->runtime->options;
  // Each connection bounds its own shutdown (grace, then drain timeout, then linger); the
  // extra seconds cover the linger before the last socket is closed.
  const auto deadline = std::chrono::steady_clock::now() + o.shutdown_grace + o.shutdown_timeout +
                        std::chrono::seconds(2);
  if (!impl_->runtime->wait_all_closed(deadline)) {
    impl_->for_each_connection(&detail::ConnectionCore::force_close);
    impl_->runtime->wait_all_closed(std::chrono::steady_clock::now() + std::chrono::seconds(2));
  }
  // The acceptor and timer belong to thread 0's context: destroy them after the join.
  impl_->threads->stop();
  impl_->accept_retry.reset();
  impl_->acceptor.reset();
}

ServerStats Server::stats() const {
  ServerStats s;
  const auto& rt = *impl_->runtime;
  s.connections_accepted = rt.connections_accepted.load(std::memory_order_relaxed);
  s.handshake_failures = rt.handshake_failures.load(std::memory_order_relaxed);
  s.connections_open = impl_->runtime->open_connections();
  for (const auto& slot : rt.slots) {
    s.requests += slot->requests.load(std::memory_order_relaxed);
    s.handler_exceptions += slot->handler_exceptions.load(std::memory_order_relaxed);
    s.late_responses += slot->late_responses.load(std::memory_order_relaxed);
  }
  return s;
}

} // namespace net
