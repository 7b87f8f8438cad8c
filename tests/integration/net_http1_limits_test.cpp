// net::Http1Server under connection floods (issue #26): idle sockets and held event streams do
// not lock health checks out, the server says 503 with Retry-After when it has no room, a client
// that hangs up ends its long-poll at once, and HEAD answers like GET.
#include "net/http1_client.hpp"
#include "net/http1_server.hpp"
#include "support/raw_socket.hpp"
#include "support/wait.hpp"

#include <future>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using support::get_request;
using Socket = support::RawSocket;

struct Polls {
  support::Counter started; // handlers run
  support::Counter ended;   // on_close calls: the client left, or the server refused the wait
};

// "/stream" streams forever; "/poll" waits for 60 s (or the client); anything else is health.
net::Http1Handler test_handler(Polls* polls = nullptr) {
  return [polls](const std::shared_ptr<net::Http1Exchange>& exchange) {
    const std::string& target = exchange->request().target;
    if (target == "/stream") {
      exchange->start_stream("text/event-stream");
      return exchange->write(": hello\n\n", nullptr);
    }
    if (target == "/poll") {
      exchange->on_close([polls] {
        if (polls) polls->ended.add();
      });
      exchange->start_timer(60s, [exchange] { exchange->respond({200, "text/plain", "late"}); });
      if (polls) polls->started.add();
      return;
    }
    exchange->respond({200, "application/json", R"({"status":"ok"})"});
  };
}

net::HttpEndpoint endpoint_of(const net::Http1Server& server) {
  return {"127.0.0.1", server.port()};
}

TEST(Http1ServerLimits, HealthAnswersWithinASecondBeside2000IdleSocketsAnd1100Streams) {
  net::Http1Server server({}, test_handler());
  ASSERT_TRUE(server.start());
  std::vector<Socket> idle;
  for (int i = 0; i < 2000; ++i) {
    idle.emplace_back(server.port());
    ASSERT_TRUE(idle.back().connected()) << "idle socket " << i;
  }
  std::vector<Socket> streams;
  for (int i = 0; i < 1100; ++i) {
    streams.emplace_back(server.port());
    ASSERT_TRUE(streams.back().connected()) << "stream " << i;
    ASSERT_TRUE(streams.back().send_text(get_request("/stream", server.port())));
  }
  int streaming = 0, busy = 0;
  for (auto& stream : streams) {
    const std::string head = stream.read_until("\r\n\r\n");
    if (head.rfind("HTTP/1.1 200", 0) == 0) ++streaming;
    if (head.rfind("HTTP/1.1 503", 0) == 0 && head.find("Retry-After: 1\r\n") != std::string::npos)
      ++busy;
  }
  // The default limit on streams and long-polls holds; the rest were told to come back.
  EXPECT_EQ(streaming, 1024);
  EXPECT_EQ(busy, 1100 - 1024);

  const auto health = net::http1_request(endpoint_of(server), "GET", "/v1/health", {}, 1s);
  ASSERT_TRUE(health) << health.error().message();
  EXPECT_EQ(health->status, 200);
}

TEST(Http1ServerLimits, AtTheConnectionLimitTheLongestIdleConnectionMakesRoom) {
  net::Http1ServerOptions options;
  options.max_connections = 4;
  net::Http1Server server(options, test_handler());
  ASSERT_TRUE(server.start());
  std::vector<Socket> idle;
  for (int i = 0; i < 4; ++i)
    idle.emplace_back(server.port());
  // Each new connection is accepted in order: make sure all four are in before the fifth.
  ASSERT_TRUE(idle.back().send_text(get_request("/v1/health", server.port())));
  ASSERT_NE(idle.back().read_until("ok").find("ok"), std::string::npos);

  const auto health = net::http1_request(endpoint_of(server), "GET", "/v1/health", {}, 5s);
  ASSERT_TRUE(health) << health.error().message();
  EXPECT_EQ(health->status, 200);
  EXPECT_TRUE(idle.front().closed_by_server());
}

TEST(Http1ServerLimits, WhenEveryConnectionIsBusyANewOneGets503WithRetryAfter) {
  net::Http1ServerOptions options;
  options.max_connections = 2;
  net::Http1Server server(options, test_handler());
  ASSERT_TRUE(server.start());
  std::vector<Socket> streams;
  for (int i = 0; i < 2; ++i) {
    streams.emplace_back(server.port());
    ASSERT_TRUE(streams.back().send_text(get_request("/stream", server.port())));
    ASSERT_EQ(streams.back().read_until("hello").rfind("HTTP/1.1 200", 0), 0u);
  }
  Socket extra(server.port());
  ASSERT_TRUE(extra.send_text(get_request("/v1/health", server.port())));
  const std::string answer = extra.read_until("}\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 503", 0), 0u) << answer;
  EXPECT_NE(answer.find("Retry-After: 1\r\n"), std::string::npos) << answer;
  EXPECT_NE(answer.find("SERVER_BUSY"), std::string::npos) << answer;
}

TEST(Http1ServerLimits, AClientThatHangsUpEndsItsLongPollAtOnce) {
  Polls polls;
  net::Http1Server server({}, test_handler(&polls));
  ASSERT_TRUE(server.start());
  Socket client(server.port());
  ASSERT_TRUE(client.send_text(get_request("/poll", server.port())));
  ASSERT_TRUE(polls.started.wait_for_at_least(1));
  EXPECT_EQ(polls.ended.value(), 0); // the poll waits 60 s: only the hang-up ends it in time
  client.reset();
  EXPECT_TRUE(polls.ended.wait_for_at_least(1));
}

TEST(Http1ServerLimits, LongPollsOverTheLimitAre503AndTheirHandlerIsTold) {
  net::Http1ServerOptions options;
  options.max_waiting = 1;
  Polls polls;
  net::Http1Server server(options, test_handler(&polls));
  ASSERT_TRUE(server.start());
  Socket first(server.port());
  ASSERT_TRUE(first.send_text(get_request("/poll", server.port())));
  ASSERT_TRUE(polls.started.wait_for_at_least(1));
  Socket second(server.port());
  ASSERT_TRUE(second.send_text(get_request("/poll", server.port())));
  const std::string answer = second.read_until("}\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 503", 0), 0u) << answer;
  EXPECT_NE(answer.find("Retry-After: 1\r\n"), std::string::npos) << answer;
  EXPECT_TRUE(polls.ended.wait_for_at_least(1)); // the refused poll's handler let go
  EXPECT_EQ(polls.ended.value(), 1);             // and the first still waits
  const auto health = net::http1_request(endpoint_of(server), "GET", "/v1/health", {}, 5s);
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST(Http1ServerLimits, HeadAnswersLikeGetWithoutTheBodyEvenWithASecret) {
  net::Http1ServerOptions options;
  options.auth = {"s3cret", {"/v1/health"}, "the test's secret"};
  net::Http1Server server(options, test_handler());
  ASSERT_TRUE(server.start());
  Socket client(server.port());
  ASSERT_TRUE(client.send_text(
      "HEAD /v1/health HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port()) + "\r\n\r\n"));
  const std::string head = client.read_until("\r\n\r\n");
  EXPECT_EQ(head.rfind("HTTP/1.1 200", 0), 0u) << head;
  EXPECT_NE(head.find("Content-Length: 15\r\n"), std::string::npos) << head; // {"status":"ok"}
  // Nothing follows the head: the next request's answer comes next on the same connection.
  ASSERT_TRUE(client.send_text(get_request("/v1/health", server.port())));
  const std::string next = client.read_until("}");
  EXPECT_EQ(next.rfind("HTTP/1.1 200", 0), 0u) << next;
}

} // namespace
