#include "integration/test_server.hpp"

#include "net/error.hpp"
#include "support/test_pki.hpp"
#include "support/wait.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

namespace integration {

TestServer::TestServer(net::ServerOptions options) : server_(std::move(options)) {
  if (auto started = server_.start(); !started)
    throw std::runtime_error("test server did not start: " + started.error().message());
}

TestServer::~TestServer() {
  server_.stop();
}

std::string TestServer::url(const std::string& scheme, const std::string& path) const {
  const std::string host = scheme == "https" ? "localhost" : "127.0.0.1";
  return scheme + "://" + host + ":" + std::to_string(port()) + path;
}

net::ServerOptions tls_server_options(net::ClientCertMode mode) {
  const auto& pki = support::TestPki::get();
  net::ServerOptions o;
  net::TlsServerConfig tls;
  tls.certificate_chain_file = pki.server_cert;
  tls.private_key_file = pki.server_key;
  tls.client_certificates = mode;
  if (mode != net::ClientCertMode::None) tls.client_ca_file = pki.ca_cert;
  o.tls = std::move(tls);
  return o;
}

net::ClientOptions client_options(std::uint16_t port, bool tls) {
  net::ClientOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  if (tls) {
    net::TlsClientConfig t;
    t.ca_file = support::TestPki::get().ca_cert;
    t.server_name = "localhost";
    o.tls = t;
  }
  return o;
}

void echo(net::Request&& request, net::Responder responder) {
  net::Response r;
  r.status = 200;
  r.headers = {{"x-method", request.method},
               {"x-path", request.path},
               {"x-alpn", request.peer ? request.peer->alpn : ""},
               {"x-tls-version", request.peer ? request.peer->tls_version : ""},
               {"x-client-subject", request.peer ? request.peer->client_subject : ""}};
  r.body = std::move(request.body);
  responder.respond(std::move(r));
}

net::HandlerFactory echo_handler() {
  return net::handle_each(echo);
}

net::HandlerFactory HeldRequests::handler() {
  return net::handle_each([this](net::Request&& request, net::Responder responder) {
    std::lock_guard lock(mutex_);
    held_.emplace_back(std::move(request), std::move(responder));
    changed_.notify_all();
  });
}

bool HeldRequests::wait_for(std::size_t count) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, support::kEventTimeout, [&] { return held_.size() >= count; });
}

std::size_t HeldRequests::size() {
  std::lock_guard lock(mutex_);
  return held_.size();
}

void HeldRequests::release_all() {
  std::vector<std::pair<net::Request, net::Responder>> held;
  {
    std::lock_guard lock(mutex_);
    held.swap(held_);
  }
  for (auto& [request, responder] : held)
    responder.respond(net::Response{200, {}, request.path});
}

WorkerResponder::WorkerResponder() : thread_([this] { run(); }) {}

WorkerResponder::~WorkerResponder() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

net::HandlerFactory WorkerResponder::handler() {
  return net::handle_each([this](net::Request&& request, net::Responder responder) {
    std::lock_guard lock(mutex_);
    queue_.emplace_back(std::move(request), std::move(responder));
    max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
    changed_.notify_all();
  });
}

std::size_t WorkerResponder::max_in_flight() {
  std::lock_guard lock(mutex_);
  return max_in_flight_;
}

void WorkerResponder::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;
    auto [request, responder] = std::move(queue_.front());
    queue_.pop_front();
    --in_flight_; // before answering: the stream may close, and the next arrive, at once
    lock.unlock();
    echo(std::move(request), std::move(responder));
    lock.lock();
  }
}

net::ResponseResult await(std::future<net::ResponseResult>& future) {
  if (future.wait_for(support::kEventTimeout) != std::future_status::ready) {
    ADD_FAILURE() << "request did not finish within " << support::kEventTimeout.count() << " s";
    return core::Unexpected(
        net::RequestError{.code = make_error_code(net::Errc::Timeout), .message = "test timeout"});
  }
  return future.get();
}

std::string body_for(std::size_t i, std::size_t size) {
  std::string s(size, '\0');
  std::uint32_t x = static_cast<std::uint32_t>(i * 2654435761u + 1);
  for (auto& c : s) {
    x = x * 1664525u + 1013904223u;
    c = static_cast<char>(x >> 24);
  }
  return s;
}

} // namespace integration
