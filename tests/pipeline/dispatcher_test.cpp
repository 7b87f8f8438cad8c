// The dispatcher's backpressure, and its retries of each push on its own, with APNs out of reach
// (a closed loopback port) and a virtual clock: every attempt loses its connection and waits for
// a retry that only the test's clock can bring, so the pushes stay in flight exactly as long as
// the test says.
#include "core/clock.hpp"
#include "pipeline/dispatcher.hpp"
#include "pipeline/message_summary.hpp"
#include "pipeline/store.hpp"

#include <atomic>
#include <future>

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using pipeline::Dispatcher;

constexpr auto kPatience = 10s; // bounds every wait; a passing run never comes near it

class DispatcherBackpressure : public ::testing::Test {
protected:
  DispatcherBackpressure() {
    auto opened = pipeline::Store::open(":memory:");
    EXPECT_TRUE(opened) << opened.error().message();
    store_ = std::move(*opened);
  }

  std::unique_ptr<Dispatcher> dispatcher(std::size_t max_in_flight) {
    pipeline::DispatcherOptions options;
    options.sandbox = {"127.0.0.1", 1, "api.sandbox.push.apple.com"}; // nothing listens there
    options.production = options.sandbox;
    // The first retry (20-30 s) fits in a call push's 30 s lifetime; the one after waits for
    // its edge, so the push settles once the clock passes 30 s.
    options.retry.first_delay = 20s;
    options.retry.max_delay = 20s;
    options.max_in_flight = max_in_flight;
    return std::make_unique<Dispatcher>(*store_, clock_, options);
  }

  // alice's call to bob, made now, not stored.
  pipeline::MessageRecord call() const {
    pipeline::MessageRecord m;
    m.sender = "alice";
    m.receiver = "bob";
    m.ios_push_type = "voip";
    m.ext = "{}";
    m.created_at = clock_.now();
    return m;
  }

  // A Pending message in the store, with its push target.
  pipeline::MessageRecord message() {
    pipeline::MessageRecord m = call();
    m.token_hex = std::string(64, 'a');
    m.cert_record_id = 1;
    m.bundle_id = "com.example.app";
    m.attempts = 1; // as the pipeline stores it: the first attempt counted (Dispatcher::send)
    auto added = store_->add_message(m);
    EXPECT_TRUE(added);
    return added.value_or(m);
  }

  core::VirtualClock clock_;
  std::unique_ptr<pipeline::Store> store_;
};

TEST_F(DispatcherBackpressure, CallersWaitWhileTooManyPushesAreInFlight) {
  auto d = dispatcher(2);
  std::atomic<int> admitted{0};
  d->send(message(), [&] { ++admitted; });
  d->send(message(), [&] { ++admitted; });
  EXPECT_EQ(admitted.load(), 2); // at once, on this thread
  std::promise<void> third;
  d->send(message(), [&] { third.set_value(); });
  auto third_admitted = third.get_future();

  // All three attempts have failed and wait for their retries: in flight, none settled, so the
  // third caller is still held back (its push went out all the same).
  ASSERT_TRUE(d->wait_quiet(kPatience));
  EXPECT_EQ(d->in_flight(), 3u);
  EXPECT_EQ(third_admitted.wait_for(0s), std::future_status::timeout);

  clock_.advance(1min); // each push is tried again, then dropped: they settle, it is let in
  EXPECT_EQ(third_admitted.wait_for(kPatience), std::future_status::ready);
  EXPECT_TRUE(d->wait_idle(kPatience));
  EXPECT_EQ(admitted.load(), 2);
}

TEST_F(DispatcherBackpressure, StoppingLetsTheHeldBackCallersGo) {
  auto d = dispatcher(1);
  std::atomic<int> admitted{0};
  d->send(message(), [&] { ++admitted; });
  d->send(message(), [&] { ++admitted; });
  ASSERT_TRUE(d->wait_quiet(kPatience));
  EXPECT_EQ(admitted.load(), 1);
  d.reset(); // their messages are stored and stay Pending: the callers must not wait forever
  EXPECT_EQ(admitted.load(), 2);
}

// im-voip-flow.md §3.4: each push of a message is retried and ended on its own. Both pushes
// lose their connection; at the retry, the iPhone (logged in, registered) is tried again until
// the call is too old (expired), while the iPad, which never logged in, ends skipped with its
// one attempt. The message shows the push that got furthest.
TEST_F(DispatcherBackpressure, EachPushOfAMessageIsRetriedAndEndedOnItsOwn) {
  pipeline::CertificateRecord certificate;
  certificate.name = "Acme VoIP";
  certificate.bundle_id = "com.example.app";
  ASSERT_TRUE(store_->add_certificate(certificate)); // record 1
  pipeline::Registration iphone;
  iphone.user = "bob";
  iphone.installation = "bobs-iphone";
  iphone.token_hex = std::string(64, 'a');
  iphone.cert_record_id = 1;
  iphone.bundle_id = "com.example.app";
  ASSERT_TRUE(store_->put_registration(iphone));
  ASSERT_TRUE(
      store_->set_presence("bob", "bobs-iphone", pipeline::Presence::Background, clock_.now()));

  pipeline::MessageRecord m = call();
  for (const char* installation : {"bobs-ipad", "bobs-iphone"}) {
    pipeline::PushRecord push;
    push.installation = installation;
    push.attempts = 1;
    push.token_hex =
        installation == std::string("bobs-ipad") ? std::string(64, 'b') : iphone.token_hex;
    push.cert_record_id = 1;
    push.bundle_id = "com.example.app";
    m.pushes.push_back(push);
  }
  auto added = store_->add_message(m);
  ASSERT_TRUE(added);
  auto d = dispatcher(16);
  for (const auto& push : added->pushes)
    d->send(pipeline::push_view(*added, push));
  ASSERT_TRUE(d->wait_quiet(kPatience));
  auto read = store_->message(added->message_id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->state, pipeline::MessageState::Pending);
  for (const auto& push : read->pushes) {
    EXPECT_EQ(push.state, pipeline::MessageState::Pending) << push.installation;
    EXPECT_TRUE(push.next_attempt_at) << push.installation; // each waits for its own retry
  }

  clock_.advance(1min);
  ASSERT_TRUE(d->wait_idle(kPatience));
  read = store_->message(added->message_id);
  ASSERT_TRUE(read);
  ASSERT_EQ(read->pushes.size(), 2u);
  const auto& ipad = read->pushes[0];
  const auto& phone = read->pushes[1];
  EXPECT_EQ(ipad.state, pipeline::MessageState::SkippedLoggedOut);
  EXPECT_EQ(ipad.reason, "never logged in");
  EXPECT_EQ(ipad.attempts, 1); // the retry never went
  EXPECT_EQ(phone.state, pipeline::MessageState::Expired);
  EXPECT_GE(phone.attempts, 2);
  EXPECT_EQ(read->state, pipeline::MessageState::Expired);
  EXPECT_EQ(read->attempts, phone.attempts);
}

} // namespace
