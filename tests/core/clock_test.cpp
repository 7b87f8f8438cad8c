#include "core/clock.hpp"
#include "support/wait.hpp"

#include <future>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;

TEST(VirtualClock, StandsStillUntilAdvanced) {
  core::VirtualClock clock(core::from_unix_seconds(1000));
  EXPECT_EQ(core::unix_seconds(clock.now()), 1000);
  clock.advance(90min);
  EXPECT_EQ(core::unix_seconds(clock.now()), 1000 + 90 * 60);
  clock.advance_to(core::from_unix_seconds(10)); // backwards: ignored
  EXPECT_EQ(core::unix_seconds(clock.now()), 1000 + 90 * 60);
}

TEST(VirtualClock, RunsDueTimersInOrderAtTheirOwnTime) {
  core::VirtualClock clock(core::from_unix_seconds(0));
  std::vector<std::pair<std::string, std::int64_t>> fired;
  auto record = [&](std::string name) {
    return [&, name] { fired.emplace_back(name, core::unix_seconds(clock.now())); };
  };
  clock.schedule_after(30s, record("b"));
  clock.schedule_after(10s, record("a"));
  clock.schedule_after(30s, record("c")); // same instant as b: scheduling order
  clock.schedule_after(100s, record("late"));

  clock.advance(30s);
  const std::vector<std::pair<std::string, std::int64_t>> expected{{"a", 10}, {"b", 30}, {"c", 30}};
  EXPECT_EQ(fired, expected);
  EXPECT_EQ(clock.pending_timers(), 1u);
}

TEST(VirtualClock, TimersScheduledByCallbacksWithinTheWindowRunToo) {
  core::VirtualClock clock(core::from_unix_seconds(0));
  std::vector<std::int64_t> fired;
  clock.schedule_after(1s, [&] {
    fired.push_back(core::unix_seconds(clock.now()));
    clock.schedule_after(2s, [&] { fired.push_back(core::unix_seconds(clock.now())); });
  });
  clock.advance(5s);
  EXPECT_EQ(fired, (std::vector<std::int64_t>{1, 3}));
  EXPECT_EQ(core::unix_seconds(clock.now()), 5);
}

TEST(VirtualClock, CancelledTimersNeverRun) {
  core::VirtualClock clock;
  bool ran = false;
  const auto id = clock.schedule_after(1s, [&] { ran = true; });
  EXPECT_TRUE(clock.cancel(id));
  EXPECT_FALSE(clock.cancel(id));
  clock.advance(1h);
  EXPECT_FALSE(ran);
}

TEST(SystemClock, FiresTimersInDueOrder) {
  core::SystemClock clock;
  std::mutex mutex;
  std::vector<int> order;
  std::promise<void> done;
  clock.schedule_after(40ms, [&] {
    std::lock_guard lock(mutex);
    order.push_back(2);
    done.set_value();
  });
  clock.schedule_after(1ms, [&] {
    std::lock_guard lock(mutex);
    order.push_back(1);
  });
  auto future = done.get_future();
  ASSERT_EQ(future.wait_for(support::kEventTimeout), std::future_status::ready);
  std::lock_guard lock(mutex);
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST(SystemClock, CancelPreventsTheCallback) {
  core::SystemClock clock;
  std::atomic<bool> cancelled_ran{false};
  std::promise<void> later;
  // Far enough out that cancel() surely comes first, even on a slow sanitizer build.
  const auto id = clock.schedule_after(200ms, [&] { cancelled_ran = true; });
  EXPECT_TRUE(clock.cancel(id));
  // Due after the cancelled one: had cancel() not removed it, it would have run by now.
  clock.schedule_after(400ms, [&] { later.set_value(); });
  auto future = later.get_future();
  ASSERT_EQ(future.wait_for(support::kEventTimeout), std::future_status::ready);
  EXPECT_FALSE(cancelled_ran);
}

TEST(UnixTime, ConvertsBothWays) {
  const auto t = core::from_unix_seconds(1735689600);
  EXPECT_EQ(core::unix_seconds(t), 1735689600);
  EXPECT_EQ(core::unix_millis(t), 1735689600000);
  EXPECT_EQ(core::unix_millis(core::from_unix_millis(1735689600250)), 1735689600250);
}

// A bound written as "far in the future" (INT64_MAX from a filter) is the clock's last instant,
// not an overflowed one in the past.
TEST(UnixTime, MillisPastTheClocksRangeSaturate) {
  EXPECT_EQ(core::from_unix_millis(std::numeric_limits<std::int64_t>::max()),
            core::TimePoint::max());
  EXPECT_EQ(core::from_unix_millis(std::numeric_limits<std::int64_t>::min()),
            core::TimePoint::min());
}

} // namespace
