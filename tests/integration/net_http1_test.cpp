// net::Http1Server and net::http1_request against each other (and curl): answers at once and
// later, body limits, malformed requests, a throwing handler, stop() with a request waiting, and
// the bearer secret.
#include "net/http1_client.hpp"
#include "net/http1_server.hpp"
#include "net/json_api.hpp"
#include "support/child_process.hpp"
#include "support/wait.hpp"

#include <atomic>
#include <future>

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;

// A raw TCP connection to the server, for bytes no HTTP client would send; -1 on failure.
int connect_to(std::uint16_t port) {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  if (connect(s, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(s);
    return -1;
  }
  return s;
}

net::HttpEndpoint endpoint_of(const net::Http1Server& server) {
  return {"127.0.0.1", server.port()};
}

TEST(Http1Server, AnswersAtOnceWithTheRequestSeen) {
  net::Http1Server server(
      {}, net::answer_at_once([](const net::Http1Request& r) {
        return net::Http1Response{201, "text/plain", r.method + " " + r.target + " " + r.body};
      }));
  ASSERT_TRUE(server.start());
  const auto reply =
      net::http1_request(endpoint_of(server), "POST", "/v1/things?x=1", R"({"a":1})", 5s);
  ASSERT_TRUE(reply) << reply.error().message();
  EXPECT_EQ(reply->status, 201);
  EXPECT_EQ(reply->body, R"(POST /v1/things?x=1 {"a":1})");
}

TEST(Http1Server, KeepsTheConnectionForTheNextRequest) {
  ASSERT_FALSE(support::find_program("curl").empty());
  net::Http1Server server({}, net::answer_at_once([](const net::Http1Request& r) {
                            return net::Http1Response{200, "text/plain", r.target + "\n"};
                          }));
  ASSERT_TRUE(server.start());
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  const auto run = support::run_process({"curl", "-sS", "-v", base + "/one", base + "/two"}, 30s);
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_NE(run.output.find("/one\n"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("/two\n"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("Re-using existing connection"), std::string::npos) << run.output;
}

TEST(Http1Server, AnswersLaterFromAnotherThread) {
  std::promise<std::shared_ptr<net::Http1Exchange>> held;
  net::Http1Server server({}, [&](const std::shared_ptr<net::Http1Exchange>& exchange) {
    held.set_value(exchange); // answered by the test's thread below
  });
  ASSERT_TRUE(server.start());
  auto client = std::async(std::launch::async, [&] {
    return net::http1_request(endpoint_of(server), "GET", "/", {}, 20s);
  });
  auto exchange = held.get_future();
  ASSERT_EQ(exchange.wait_for(support::kEventTimeout), std::future_status::ready);
  exchange.get()->respond({200, "text/plain", "later"});
  const auto reply = client.get();
  ASSERT_TRUE(reply) << reply.error().message();
  EXPECT_EQ(reply->body, "later");
}

TEST(Http1Server, OversizedBodyGetsTheConfiguredAnswer) {
  net::Http1ServerOptions options;
  options.body_limit = 10;
  options.too_large_message = "too big";
  net::Http1Server server(
      options, net::answer_at_once([](const net::Http1Request&) { return net::Http1Response{}; }));
  ASSERT_TRUE(server.start());
  const auto reply =
      net::http1_request(endpoint_of(server), "POST", "/", std::string(100, 'x'), 5s);
  ASSERT_TRUE(reply) << reply.error().message();
  EXPECT_EQ(reply->status, 413);
  EXPECT_EQ(reply->body, "{\"error\":\"BODY_TOO_LARGE\",\"message\":\"too big\"}\n");
}

TEST(Http1Server, ThrowingHandlerIsA500AndTheServerCarriesOn) {
  net::Http1Server server({}, net::answer_at_once([](const net::Http1Request& r) {
                            if (r.target == "/boom") throw std::runtime_error("boom");
                            return net::Http1Response{200, "text/plain", "fine"};
                          }));
  ASSERT_TRUE(server.start());
  const auto boom = net::http1_request(endpoint_of(server), "GET", "/boom", {}, 5s);
  ASSERT_TRUE(boom);
  EXPECT_EQ(boom->status, 500);
  const auto said = net::api_error_of(boom->status, boom->body);
  EXPECT_EQ(said.code, "INTERNAL_ERROR") << boom->body;
  EXPECT_NE(said.message.find("boom"), std::string::npos) << boom->body;
  const auto fine = net::http1_request(endpoint_of(server), "GET", "/", {}, 5s);
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->body, "fine");
}

TEST(Http1Server, MalformedRequestIsA400) {
  net::Http1Server server(
      {}, net::answer_at_once([](const net::Http1Request&) { return net::Http1Response{}; }));
  ASSERT_TRUE(server.start());
  const int s = connect_to(server.port());
  ASSERT_GE(s, 0);
  const std::string garbage = "NOT HTTP AT ALL\r\n\r\n";
  ASSERT_EQ(send(s, garbage.data(), garbage.size(), 0), static_cast<ssize_t>(garbage.size()));
  std::string answer;
  char buffer[1024];
  for (ssize_t n; (n = recv(s, buffer, sizeof buffer, 0)) > 0;)
    answer.append(buffer, static_cast<std::size_t>(n));
  close(s);
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
}

TEST(Http1Server, StopEndsAWaitingExchangeAndTellsItsHandler) {
  std::promise<void> closed;
  std::promise<void> waiting;
  net::Http1Server server({}, [&](const std::shared_ptr<net::Http1Exchange>& exchange) {
    exchange->on_close([&closed] { closed.set_value(); });
    waiting.set_value(); // never answered
  });
  ASSERT_TRUE(server.start());
  auto client = std::async(std::launch::async, [&] {
    return net::http1_request(endpoint_of(server), "GET", "/wait", {}, 20s);
  });
  auto waited = waiting.get_future();
  ASSERT_EQ(waited.wait_for(support::kEventTimeout), std::future_status::ready);
  server.stop();
  auto closed_future = closed.get_future();
  EXPECT_EQ(closed_future.wait_for(support::kEventTimeout), std::future_status::ready);
  const auto reply = client.get();
  EXPECT_FALSE(reply); // the connection closed without an answer
}

TEST(Http1Server, ASilentConnectionIsClosedAfterTheIdleTimeout) {
  net::Http1ServerOptions options;
  options.idle_timeout = 100ms;
  net::Http1Server server(
      options, net::answer_at_once([](const net::Http1Request&) { return net::Http1Response{}; }));
  ASSERT_TRUE(server.start());
  const int s = connect_to(server.port());
  ASSERT_GE(s, 0);
  const std::string partial = "GET / HTTP/1.1\r\nHost: x\r\n"; // never finished
  ASSERT_EQ(send(s, partial.data(), partial.size(), 0), static_cast<ssize_t>(partial.size()));
  timeval limit{20, 0}; // the bound on this test's wait, far above the 100 ms timeout
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  char buffer[64];
  EXPECT_EQ(recv(s, buffer, sizeof buffer, 0), 0); // closed by the server, no answer
  close(s);
}

TEST(Http1Server, BusyPortIsAClearError) {
  net::Http1Server first(
      {}, net::answer_at_once([](const net::Http1Request&) { return net::Http1Response{}; }));
  ASSERT_TRUE(first.start());
  net::Http1ServerOptions same_port;
  same_port.port = first.port();
  net::Http1Server second(same_port, net::answer_at_once([](const net::Http1Request&) {
                            return net::Http1Response{};
                          }));
  const auto started = second.start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().detail.find("cannot listen on 127.0.0.1:"), std::string::npos);
}

TEST(Http1Server, ABearerSecretIsCheckedBeforeTheHandler) {
  ASSERT_FALSE(support::find_program("curl").empty());
  std::atomic<int> handled{0};
  net::Http1ServerOptions options;
  options.auth = {"k3y-for-the-test", {"/v1/health"}, "the test's secret"};
  net::Http1Server server(options, net::answer_at_once([&](const net::Http1Request& r) {
                            ++handled;
                            return net::Http1Response{200, "text/plain", r.target};
                          }));
  ASSERT_TRUE(server.start());
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port());

  const auto bare = support::run_process({"curl", "-sS", "-i", url + "/v1/tokens"}, 30s);
  ASSERT_EQ(bare.exit_code, 0) << bare.describe();
  EXPECT_EQ(bare.output.rfind("HTTP/1.1 401 Unauthorized\r\n", 0), 0u) << bare.output;
  EXPECT_NE(bare.output.find("WWW-Authenticate: Bearer realm=\"voipsim\"\r\n"), std::string::npos)
      << bare.output;
  EXPECT_NE(bare.output.find(R"({"error":"UNAUTHORIZED")"), std::string::npos) << bare.output;
  EXPECT_EQ(handled, 0);

  const auto right = support::run_process(
      {"curl", "-sS", "-H", "Authorization: Bearer k3y-for-the-test", url + "/v1/tokens"}, 30s);
  EXPECT_EQ(right.output, "/v1/tokens") << right.describe();
  EXPECT_EQ(handled, 1);

  net::HttpEndpoint with_secret = endpoint_of(server);
  with_secret.bearer_secret = "k3y-for-the-test";
  const auto ours = net::http1_request(with_secret, "POST", "/v1/x", "{}", 5s);
  ASSERT_TRUE(ours) << ours.error().message();
  EXPECT_EQ(ours->status, 200);
  const auto without = net::http1_request(endpoint_of(server), "POST", "/v1/x", "{}", 5s);
  ASSERT_TRUE(without) << without.error().message();
  EXPECT_EQ(without->status, 401);
  const auto health = net::http1_request(endpoint_of(server), "GET", "/v1/health", {}, 5s);
  ASSERT_TRUE(health) << health.error().message();
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(handled, 3);
}

} // namespace
