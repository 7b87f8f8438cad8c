// net::wait_for_event on a real net::Http1Server: a long-poll ends exactly once, on the event
// (from another thread, or at once during the subscription), on its time limit, or when the
// client leaves or the server has no room for the wait; whatever ends it undoes the
// subscription, and `finish` runs only when somebody is there to answer.
#include "net/http1_client.hpp"
#include "net/http1_server.hpp"
#include "net/http1_wait.hpp"
#include "support/raw_socket.hpp"
#include "support/wait.hpp"

#include <atomic>
#include <future>

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;

// An event source a test controls: it hands the test the notify of each subscription and
// counts the undone ones.
struct Source {
  std::promise<std::function<void()>> subscribed;
  std::promise<void> unsubscribed;
  bool notify_at_once = false;

  net::Subscribe subscribe() {
    return [this](std::function<void()> notify) -> net::Unsubscribe {
      if (notify_at_once) notify();
      subscribed.set_value(std::move(notify));
      return [this] { unsubscribed.set_value(); };
    };
  }
};

// A server whose every request waits on `source` for at most `limit`, then answers "event" or
// "time"; `finished` counts the answers its handler gave.
class WaitingServer {
public:
  WaitingServer(Source& source, std::chrono::milliseconds limit,
                net::Http1ServerOptions options = {})
      : server_(options, [this, &source, limit](const std::shared_ptr<net::Http1Exchange>& ex) {
          net::wait_for_event(ex, limit, source.subscribe(), [this, ex](bool event_came) {
            ++finished;
            ex->respond({200, "text/plain", event_came ? "event" : "time"});
          });
        }) {}
  core::Result<void> start() { return server_.start(); }
  net::HttpEndpoint endpoint() const { return {"127.0.0.1", server_.port()}; }
  std::uint16_t port() const { return server_.port(); }

  std::atomic<int> finished{0};

private:
  net::Http1Server server_;
};

bool ready(std::future<void>& f) {
  return f.wait_for(support::kEventTimeout) == std::future_status::ready;
}

TEST(WaitForEvent, TheEventFromAnotherThreadAnswersAndUndoesTheSubscription) {
  Source source;
  WaitingServer server(source, 20s);
  ASSERT_TRUE(server.start());
  auto reply = std::async(std::launch::async, [&] {
    return net::http1_request(server.endpoint(), "GET", "/wait", {}, 30s);
  });
  auto subscribed = source.subscribed.get_future();
  auto notify = support::get_within(subscribed);
  ASSERT_TRUE(notify);
  std::thread([n = *notify] {
    n();
    n(); // only the first counts
  }).join();
  const auto answer = reply.get();
  ASSERT_TRUE(answer) << answer.error().message();
  EXPECT_EQ(answer->body, "event");
  auto unsubscribed = source.unsubscribed.get_future();
  EXPECT_TRUE(ready(unsubscribed));
  EXPECT_EQ(server.finished, 1);
}

TEST(WaitForEvent, AnEventDuringTheSubscriptionItselfAnswers) {
  Source source;
  source.notify_at_once = true;
  WaitingServer server(source, 20s);
  ASSERT_TRUE(server.start());
  const auto answer = net::http1_request(server.endpoint(), "GET", "/wait", {}, 30s);
  ASSERT_TRUE(answer) << answer.error().message();
  EXPECT_EQ(answer->body, "event");
  auto unsubscribed = source.unsubscribed.get_future();
  EXPECT_TRUE(ready(unsubscribed));
}

TEST(WaitForEvent, TheTimeLimitAnswersWhenNoEventComes) {
  Source source;
  WaitingServer server(source, 50ms);
  ASSERT_TRUE(server.start());
  const auto answer = net::http1_request(server.endpoint(), "GET", "/wait", {}, 30s);
  ASSERT_TRUE(answer) << answer.error().message();
  EXPECT_EQ(answer->body, "time");
  auto unsubscribed = source.unsubscribed.get_future();
  EXPECT_TRUE(ready(unsubscribed));
  EXPECT_EQ(server.finished, 1);
}

// Issue #24 point 4: the pipeline's wait was never cancelled when its client went away.
TEST(WaitForEvent, AClientThatLeavesEndsTheWaitWithoutAnAnswer) {
  Source source;
  WaitingServer server(source, 60s);
  ASSERT_TRUE(server.start());
  std::function<void()> notify;
  {
    support::RawSocket client(server.port());
    ASSERT_TRUE(client.connected());
    ASSERT_TRUE(client.send_text(support::get_request("/wait", server.port())));
    auto subscribed = source.subscribed.get_future();
    auto got = support::get_within(subscribed);
    ASSERT_TRUE(got);
    notify = *got;
  } // hangs up
  auto unsubscribed = source.unsubscribed.get_future();
  EXPECT_TRUE(ready(unsubscribed)) << "the subscription outlived its client";
  notify(); // a late event finds nobody to answer
  EXPECT_EQ(server.finished, 0);
}

TEST(WaitForEvent, AWaitTheServerHasNoRoomForIsA503AndUndone) {
  Source source;
  net::Http1ServerOptions options;
  options.max_waiting = 0;
  WaitingServer server(source, 60s, options);
  ASSERT_TRUE(server.start());
  const auto answer = net::http1_request(server.endpoint(), "GET", "/wait", {}, 30s);
  ASSERT_TRUE(answer) << answer.error().message();
  EXPECT_EQ(answer->status, 503);
  auto unsubscribed = source.unsubscribed.get_future();
  EXPECT_TRUE(ready(unsubscribed));
  EXPECT_EQ(server.finished, 0);
}

} // namespace
