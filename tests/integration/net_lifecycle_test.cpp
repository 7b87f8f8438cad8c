// Connection and request lifecycle: graceful shutdown, idle timeout, GOAWAY from the handler,
// SETTINGS updates, handler failures, limits, timeouts and connect errors.

#include "integration/test_server.hpp"
#include "net/error.hpp"
#include "support/wait.hpp"

#include <gtest/gtest.h>
#include <nghttp2/nghttp2.h>

namespace integration {
namespace {

using namespace std::chrono_literals;
constexpr std::int32_t kMaxStreamId = 0x7fffffff;

net::Request post(std::string path, std::string body = "{}") {
  net::Request r;
  r.method = "POST";
  r.path = std::move(path);
  r.body = std::move(body);
  return r;
}

// Records GOAWAY frames the client receives and lets a test wait for one.
struct GoawayLog {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<net::GoawayInfo> frames;

  std::function<void(const net::GoawayInfo&)> hook() {
    return [this](const net::GoawayInfo& g) {
      std::lock_guard lock(mutex);
      frames.push_back(g);
      changed.notify_all();
    };
  }
  bool wait_for(std::size_t count) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, support::kEventTimeout, [&] { return frames.size() >= count; });
  }
};

TEST(Lifecycle, ShutdownFinishesInFlightRequestsAndRefusesTheRestRetryably) {
  HeldRequests held;
  net::ServerOptions options;
  options.settings.max_concurrent_streams = 10;
  options.shutdown_grace = std::chrono::seconds(60); // only the PING's answer can end the notice
  options.handler = held.handler();
  TestServer server(options);

  GoawayLog goaways;
  net::IoThreads io;
  auto client_opts = client_options(server.port(), false);
  client_opts.on_goaway = goaways.hook();
  net::Client client(io, client_opts);
  std::vector<std::future<net::ResponseResult>> futures;
  for (int i = 0; i < 30; ++i)
    futures.push_back(client.submit(post("/r" + std::to_string(i))));
  ASSERT_TRUE(held.wait_for(10));

  server.server().shutdown();
  ASSERT_TRUE(goaways.wait_for(2)); // the notice, then the final GOAWAY
  EXPECT_EQ(goaways.frames[0].last_stream_id, kMaxStreamId);
  EXPECT_EQ(goaways.frames[1].last_stream_id, 19); // the tenth client stream
  EXPECT_EQ(goaways.frames[1].error_code, NGHTTP2_NO_ERROR);
  held.release_all();

  for (int i = 0; i < 30; ++i) {
    auto result = await(futures[i]);
    if (i < 10) {
      ASSERT_TRUE(result) << i << ": " << result.error().message;
      EXPECT_EQ(result->status, 200);
      EXPECT_EQ(result->body, "/r" + std::to_string(i));
    } else {
      ASSERT_FALSE(result) << i;
      EXPECT_EQ(result.error().code, net::Errc::GoAway) << result.error().message;
      EXPECT_TRUE(result.error().retryable) << i;
    }
  }

  auto after = client.submit(post("/after"));
  auto refused = await(after);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, net::Errc::ConnectFailed) << refused.error().message;
  EXPECT_TRUE(refused.error().retryable);
}

struct ReasonHandler final : net::Handler {
  void on_request(net::Request&& request, net::Responder responder) override {
    echo(std::move(request), std::move(responder));
  }
  std::string goaway_debug_data(net::GoawayCause cause) override {
    return cause == net::GoawayCause::IdleTimeout ? R"({"reason":"IdleTimeout"})"
                                                  : R"({"reason":"Shutdown"})";
  }
};

TEST(Lifecycle, IdleConnectionGetsGoawayWithTheHandlersReason) {
  net::ServerOptions options;
  options.idle_timeout = 300ms;
  options.handler = [](const net::PeerInfo&, net::ConnectionHandle) {
    return std::make_shared<ReasonHandler>();
  };
  TestServer server(options);

  GoawayLog goaways;
  net::IoThreads io;
  auto client_opts = client_options(server.port(), false);
  client_opts.on_goaway = goaways.hook();
  net::Client client(io, client_opts);
  auto first = client.submit(post("/once"));
  ASSERT_TRUE(await(first));
  ASSERT_TRUE(goaways.wait_for(1));
  EXPECT_EQ(goaways.frames[0].debug_data, R"({"reason":"IdleTimeout"})");
  EXPECT_EQ(goaways.frames[0].error_code, NGHTTP2_NO_ERROR);
  EXPECT_EQ(goaways.frames[0].last_stream_id, 1);
}

// Closes every connection on its first request, like APNs for a certificate of the wrong
// environment (apns-provider-api.md §3.4): GOAWAY with last-stream-id 0 and a JSON reason.
struct WrongEnvironmentHandler final : net::Handler {
  explicit WrongEnvironmentHandler(net::ConnectionHandle c) : connection(std::move(c)) {}
  void on_request(net::Request&&, net::Responder) override {
    connection.close_with_goaway(NGHTTP2_NO_ERROR, R"({"reason":"BadCertificateEnvironment"})", 0);
  }
  net::ConnectionHandle connection;
};

TEST(Lifecycle, HandlerCanCloseTheConnectionWithGoawayBeforeAnyStream) {
  net::ServerOptions options;
  options.handler = [](const net::PeerInfo&, net::ConnectionHandle c) {
    return std::make_shared<WrongEnvironmentHandler>(std::move(c));
  };
  TestServer server(options);
  net::IoThreads io;
  net::Client client(io, client_options(server.port(), false));

  for (int attempt = 0; attempt < 2; ++attempt) { // the second submit opens a new connection
    auto future = client.submit(post("/3/device/aa"));
    auto result = await(future);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, net::Errc::GoAway);
    EXPECT_TRUE(result.error().retryable);
    // The GOAWAY's fields, for callers that decide on them (never on the message's text).
    ASSERT_TRUE(result.error().goaway) << result.error().message;
    EXPECT_EQ(result.error().goaway->error_code, NGHTTP2_NO_ERROR);
    EXPECT_EQ(result.error().goaway->last_stream_id, 0);
    EXPECT_EQ(result.error().goaway->debug_data, R"({"reason":"BadCertificateEnvironment"})");
  }
  EXPECT_EQ(server.server().stats().connections_accepted, 2u);
}

// Starts at MAX_CONCURRENT_STREAMS 1 and raises it on the first request, as APNs does after
// the first valid provider token (apns-provider-api.md §3.2); holds requests until released.
struct RaisingHandler final : net::Handler {
  RaisingHandler(net::ConnectionHandle c, HeldRequests& h, net::HandlerFactory f)
      : connection(std::move(c)), held(h), hold(f(net::PeerInfo{}, connection)) {}
  void on_request(net::Request&& request, net::Responder responder) override {
    if (!raised) connection.set_max_concurrent_streams(20);
    raised = true;
    hold->on_request(std::move(request), std::move(responder));
  }
  net::ConnectionHandle connection;
  HeldRequests& held;
  std::shared_ptr<net::Handler> hold;
  bool raised = false;
};

TEST(Lifecycle, HandlerRaisesMaxConcurrentStreamsMidConnection) {
  HeldRequests held;
  net::ServerOptions options;
  options.settings.max_concurrent_streams = 1;
  options.handler = [&held](const net::PeerInfo&, net::ConnectionHandle c) {
    return std::make_shared<RaisingHandler>(std::move(c), held, held.handler());
  };
  TestServer server(options);
  net::IoThreads io;
  net::Client client(io, client_options(server.port(), false));
  std::vector<std::future<net::ResponseResult>> futures;
  for (int i = 0; i < 20; ++i)
    futures.push_back(client.submit(post("/" + std::to_string(i))));
  ASSERT_TRUE(held.wait_for(20)) << "only " << held.size() << " requests arrived concurrently";
  held.release_all();
  for (auto& f : futures)
    EXPECT_TRUE(await(f));
}

TEST(Lifecycle, HandlerExceptionBecomes500) {
  net::ServerOptions options;
  options.handler =
      net::handle_each([](net::Request&&, net::Responder) { throw std::runtime_error("boom"); });
  TestServer server(options);
  net::IoThreads io;
  net::Client client(io, client_options(server.port(), false));
  auto future = client.submit(post("/"));
  auto result = await(future);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 500);
  EXPECT_EQ(server.server().stats().handler_exceptions, 1u);
}

// A handler that does not override on_request_too_large answers 413; on_request never sees it.
TEST(Lifecycle, OversizedRequestBodyGets413FromTheDefaultHandler) {
  net::ServerOptions options;
  options.max_request_body = 4096;
  options.handler = echo_handler();
  TestServer server(options);
  net::IoThreads io;
  net::Client client(io, client_options(server.port(), false));
  auto big = client.submit(post("/big", body_for(1, 100'000)));
  auto small = client.submit(post("/small", body_for(2, 4096)));
  auto big_result = await(big);
  ASSERT_TRUE(big_result) << big_result.error().message;
  EXPECT_EQ(big_result->status, 413);
  auto small_result = await(small);
  ASSERT_TRUE(small_result);
  EXPECT_EQ(small_result->status, 200);
  EXPECT_EQ(server.server().stats().requests, 2u) << "both requests reached the handler";
}

TEST(Lifecycle, TimedOutRequestIsNotRetryableAndItsLateAnswerIsDropped) {
  HeldRequests held;
  net::ServerOptions options;
  options.handler = held.handler();
  TestServer server(options);
  net::IoThreads io;
  auto client_opts = client_options(server.port(), false);
  client_opts.request_timeout = 300ms;
  net::Client client(io, client_opts);

  auto slow = client.submit(post("/slow"));
  auto timed_out = await(slow);
  ASSERT_FALSE(timed_out);
  EXPECT_EQ(timed_out.error().code, net::Errc::Timeout);
  EXPECT_FALSE(timed_out.error().retryable); // the server may have acted on it

  // The client reset /slow before sending /next, so once /next is held the reset has arrived.
  auto next = client.submit(post("/next"));
  ASSERT_TRUE(held.wait_for(2));
  held.release_all();
  auto next_result = await(next);
  ASSERT_TRUE(next_result) << next_result.error().message;
  EXPECT_EQ(next_result->body, "/next");
  EXPECT_EQ(server.server().stats().late_responses, 1u);
}

// Timed-out streams are reset from inside nghttp2's send path, which frees slots for queued
// requests while output is being pulled: every request must still end exactly once. Fast
// requests pace the submissions, so deadlines are staggered and the queue is never empty.
TEST(Lifecycle, TimeoutsWhileRequestsQueueEndEachRequestOnce) {
  net::ServerOptions options;
  options.settings.max_concurrent_streams = 4;
  options.handler = net::handle_each([](net::Request&& request, net::Responder responder) {
    if (request.path == "/fast") responder.respond(net::Response{200, {}, {}}); // /slow: never
  });
  TestServer server(options);
  net::IoThreads io;
  auto client_opts = client_options(server.port(), false);
  client_opts.request_timeout = 30ms;
  net::Client client(io, client_opts);

  constexpr int kRounds = 300;
  support::Counter ended;
  std::atomic<int> submitted{0};
  std::atomic<int> slow_timeouts{0};
  std::function<void()> next_round = [&] {
    if (submitted.fetch_add(1) >= kRounds) return;
    client.submit(post("/slow"), [&](net::ResponseResult result) {
      if (!result && result.error().code == net::Errc::Timeout) ++slow_timeouts;
      ended.add();
    });
    client.submit(post("/fast"), [&](net::ResponseResult) {
      // Submit first: the last add() lets the test end and destroy next_round.
      next_round();
      ended.add();
    });
  };
  for (int i = 0; i < 6; ++i)
    next_round();
  ASSERT_TRUE(ended.wait_for_at_least(2 * kRounds)) << ended.value() << " ended";
  EXPECT_EQ(ended.value(), 2 * kRounds);
  EXPECT_EQ(slow_timeouts.load(), kRounds);
}

TEST(Lifecycle, ConnectFailureIsRetryable) {
  std::uint16_t port = 0;
  {
    net::ServerOptions options;
    options.handler = echo_handler();
    TestServer gone(options);
    port = gone.port();
  }
  net::IoThreads io;
  net::Client client(io, client_options(port, false));
  auto future = client.submit(post("/"));
  auto result = await(future);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, net::Errc::ConnectFailed);
  EXPECT_TRUE(result.error().retryable);
  EXPECT_NE(result.error().message.find(std::to_string(port)), std::string::npos)
      << result.error().message;
}

TEST(Lifecycle, ClientCloseLetsInFlightFinishAndReconnectsOnNextSubmit) {
  HeldRequests held;
  net::ServerOptions options;
  options.handler = held.handler();
  TestServer server(options);
  net::IoThreads io;
  net::Client client(io, client_options(server.port(), false));
  std::vector<std::future<net::ResponseResult>> futures;
  for (int i = 0; i < 5; ++i)
    futures.push_back(client.submit(post("/" + std::to_string(i))));
  ASSERT_TRUE(held.wait_for(5));
  client.close();
  held.release_all();
  for (auto& f : futures)
    EXPECT_TRUE(await(f));

  auto again = client.submit(post("/again"));
  ASSERT_TRUE(held.wait_for(1));
  held.release_all();
  EXPECT_TRUE(await(again));
  EXPECT_EQ(server.server().stats().connections_accepted, 2u);
}

TEST(Lifecycle, StartReportsAPortInUse) {
  net::ServerOptions options;
  options.handler = echo_handler();
  TestServer first(options);
  options.port = first.port();
  net::Server second(options);
  auto started = second.start();
  ASSERT_FALSE(started);
  EXPECT_NE(
      started.error().message().find("cannot listen on 127.0.0.1:" + std::to_string(first.port())),
      std::string::npos)
      << started.error().message();
}

TEST(Lifecycle, StartRejectsOptionsWithoutHandler) {
  net::Server server(net::ServerOptions{});
  auto started = server.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, net::Errc::InvalidOptions);
  EXPECT_NE(started.error().message().find("handler"), std::string::npos);
}

} // namespace
} // namespace integration
