// Our client against our server: many requests multiplexed on one connection, every response
// checked, the server's stream limit respected.

#include "integration/test_server.hpp"
#include "support/wait.hpp"

#include <atomic>

#include <gtest/gtest.h>

namespace integration {
namespace {

constexpr std::size_t kRequests = 10'000;

// Mostly empty and 5 KiB bodies, and 1 MiB for one request in a hundred.
std::size_t body_size(std::size_t i) {
  if (i % 100 == 99) return 1 << 20;
  return i % 2 == 0 ? 0 : 5 * 1024;
}

struct Outcome {
  std::size_t ok = 0;
  std::vector<std::string> problems;
};

// Submits kRequests at once (the client queues beyond the server's limit) and checks each echo.
Outcome run_load(net::Client& client) {
  std::mutex mutex;
  Outcome outcome;
  support::Counter done;
  for (std::size_t i = 0; i < kRequests; ++i) {
    net::Request r;
    r.method = "POST";
    r.path = "/load/" + std::to_string(i);
    r.body = body_for(i, body_size(i));
    client.submit(std::move(r), [i, &mutex, &outcome, &done](net::ResponseResult result) {
      std::string problem;
      if (!result)
        problem = result.error().message;
      else if (result->status != 200)
        problem = "status " + std::to_string(result->status);
      else if (*net::find_header(result->headers, "x-path") != "/load/" + std::to_string(i))
        problem = "answer for another request";
      else if (result->body != body_for(i, body_size(i)))
        problem = "body differs";
      {
        std::lock_guard lock(mutex);
        if (problem.empty())
          ++outcome.ok;
        else if (outcome.problems.size() < 10)
          outcome.problems.push_back(std::to_string(i) + ": " + problem);
      }
      done.add();
    });
  }
  EXPECT_TRUE(done.wait_for_at_least(kRequests, std::chrono::minutes(4)))
      << done.value() << " of " << kRequests << " finished";
  std::lock_guard lock(mutex);
  return outcome;
}

std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines)
    s += l + "\n";
  return s;
}

TEST(Load, TenThousandRequestsOverOneTlsConnectionWithAHundredStreams) {
  WorkerResponder worker;
  auto options = tls_server_options();
  options.settings.max_concurrent_streams = 100;
  options.handler = worker.handler();
  TestServer server(options);

  net::IoThreads io;
  auto client_opts = client_options(server.port(), true);
  client_opts.request_timeout = std::chrono::minutes(4);
  net::Client client(io, client_opts);
  const Outcome outcome = run_load(client);

  EXPECT_EQ(outcome.ok, kRequests) << join(outcome.problems);
  EXPECT_EQ(server.server().stats().connections_accepted, 1u);
  EXPECT_LE(worker.max_in_flight(), 100u);
  EXPECT_GT(worker.max_in_flight(), 1u) << "requests were never concurrent";
}

TEST(Load, AServerThatAllowsOneStreamStillGetsEveryRequest) {
  WorkerResponder worker;
  net::ServerOptions options;
  options.settings.max_concurrent_streams = 1;
  options.handler = worker.handler();
  TestServer server(options);

  net::IoThreads io;
  auto client_opts = client_options(server.port(), false);
  client_opts.request_timeout = std::chrono::minutes(4);
  net::Client client(io, client_opts);
  const Outcome outcome = run_load(client);

  EXPECT_EQ(outcome.ok, kRequests) << join(outcome.problems);
  EXPECT_EQ(worker.max_in_flight(), 1u);
  EXPECT_EQ(server.server().stats().connections_accepted, 1u);
}

TEST(Load, ConnectionsSpreadOverSeveralServerThreads) {
  net::ServerOptions options;
  options.threads = 3;
  options.handler = echo_handler();
  TestServer server(options);

  net::IoThreads io(2);
  std::vector<std::unique_ptr<net::Client>> clients;
  std::vector<std::future<net::ResponseResult>> futures;
  for (int c = 0; c < 6; ++c) {
    clients.push_back(std::make_unique<net::Client>(io, client_options(server.port(), false)));
    for (int i = 0; i < 50; ++i) {
      net::Request r;
      r.method = "POST";
      r.path = "/c" + std::to_string(c);
      r.body = body_for(i, 100);
      futures.push_back(clients.back()->submit(std::move(r)));
    }
  }
  for (auto& f : futures) {
    auto result = support::get_within(f);
    ASSERT_TRUE(result && *result);
    EXPECT_EQ((*result)->status, 200);
  }
  EXPECT_EQ(server.server().stats().connections_accepted, 6u);
  EXPECT_EQ(server.server().stats().requests, 300u);
}

} // namespace
} // namespace integration
