#pragma once
// Helpers for transport integration tests: a net::Server on 127.0.0.1 port 0 for one test,
// TLS options from the test PKI, and handlers that echo or hold requests.

#include "net/client.hpp"
#include "net/server.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace integration {

// Started in the constructor (throws with the reason if it cannot), stopped in the destructor.
class TestServer {
public:
  explicit TestServer(net::ServerOptions options);
  ~TestServer();

  std::uint16_t port() const { return server_.port(); }
  net::Server& server() { return server_; }
  std::string url(const std::string& scheme, const std::string& path = "/") const;

private:
  net::Server server_;
};

// TLS listener options with the test PKI's server certificate.
net::ServerOptions tls_server_options(net::ClientCertMode mode = net::ClientCertMode::None);
// A client for `port` trusting the test CA (tls) or speaking h2c.
net::ClientOptions client_options(std::uint16_t port, bool tls);

// Answers 200 with the request body, and headers telling what the server saw:
// x-method, x-path, x-alpn, x-tls-version, x-client-subject.
void echo(net::Request&& request, net::Responder responder);
net::HandlerFactory echo_handler();

// Holds requests until the test releases them; answers from the test's thread.
class HeldRequests {
public:
  net::HandlerFactory handler();
  bool wait_for(std::size_t count);
  std::size_t size();
  // Answers every held request with 200 and its path as the body.
  void release_all();

private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::pair<net::Request, net::Responder>> held_;
};

// Answers on its own thread, tracking how many requests it holds at once.
class WorkerResponder {
public:
  WorkerResponder();
  ~WorkerResponder();
  net::HandlerFactory handler(); // echoes, from the worker thread
  std::size_t max_in_flight();

private:
  void run();
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::pair<net::Request, net::Responder>> queue_;
  std::size_t in_flight_ = 0;
  std::size_t max_in_flight_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

// The request's outcome, waiting at most support::kEventTimeout; a test failure and a Timeout
// error when it takes longer.
net::ResponseResult await(std::future<net::ResponseResult>& future);

// Deterministic body for request number `i` of `size` bytes.
std::string body_for(std::size_t i, std::size_t size);

} // namespace integration
