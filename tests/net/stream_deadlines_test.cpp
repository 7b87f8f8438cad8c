#include "net/stream_deadlines.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace {

using net::StreamDeadlines;
using namespace std::chrono_literals;

const StreamDeadlines::TimePoint t0{};

std::vector<std::int32_t> expired_by(StreamDeadlines& d, StreamDeadlines::TimePoint now) {
  std::vector<std::int32_t> ids;
  while (const auto id = d.pop_expired(now))
    ids.push_back(*id);
  return ids;
}

TEST(StreamDeadlines, StreamsExpireInDeadlineOrderOnlyOnce) {
  StreamDeadlines d;
  d.add(1, t0 + 10s);
  d.add(3, t0 + 11s);
  d.add(5, t0 + 12s);
  EXPECT_EQ(d.size(), 3u);
  EXPECT_EQ(d.earliest(), t0 + 10s);
  EXPECT_EQ(expired_by(d, t0 + 9s), std::vector<std::int32_t>{});
  EXPECT_EQ(expired_by(d, t0 + 11s), (std::vector<std::int32_t>{1, 3}));
  EXPECT_EQ(d.earliest(), t0 + 12s);
  EXPECT_EQ(expired_by(d, t0 + 60s), std::vector<std::int32_t>{5});
  EXPECT_TRUE(d.empty());
  EXPECT_FALSE(d.remove(5)); // expired streams are gone
}

TEST(StreamDeadlines, ARemovedStreamNeverExpiresAndIsRemovedOnce) {
  StreamDeadlines d;
  d.add(1, t0 + 10s);
  d.add(3, t0 + 11s);
  d.add(5, t0 + 12s);
  EXPECT_TRUE(d.remove(3));
  EXPECT_FALSE(d.remove(3));
  EXPECT_FALSE(d.remove(7)); // never added
  EXPECT_FALSE(d.remove(0));
  EXPECT_TRUE(d.remove(1));
  EXPECT_EQ(d.earliest(), t0 + 12s); // the front is always a stream still waiting
  EXPECT_EQ(d.size(), 1u);
  EXPECT_EQ(expired_by(d, t0 + 60s), std::vector<std::int32_t>{5});
}

// A long-waiting stream at the front while thousands of others come and go behind it: each of
// them is found when it goes, and the waiting one still expires first.
TEST(StreamDeadlines, ManyStreamsComeAndGoBehindOneThatWaits) {
  StreamDeadlines d;
  d.add(1, t0 + 10s);
  for (std::int32_t id = 3; id <= 20'001; id += 2) {
    d.add(id, t0 + 10s + std::chrono::milliseconds(id));
    if (id >= 203) {
      ASSERT_TRUE(d.remove(id - 200)) << id; // 100 in flight behind stream 1
    }
  }
  EXPECT_EQ(d.size(), 101u); // 1, and 19'803 .. 20'001
  EXPECT_EQ(d.earliest(), t0 + 10s);
  EXPECT_TRUE(d.remove(19'803));
  const auto expired = expired_by(d, t0 + 60s);
  ASSERT_EQ(expired.size(), 100u);
  EXPECT_EQ(expired.front(), 1);
  EXPECT_EQ(expired[1], 19'805);
  EXPECT_EQ(expired.back(), 20'001);
}

// Not sent by a conforming client (nghttp2 refuses it first): an id below the newest one is
// still kept in id order, so that removing it works.
TEST(StreamDeadlines, AnIdOutOfOrderIsStillFound) {
  StreamDeadlines d;
  d.add(5, t0 + 10s);
  d.add(9, t0 + 11s);
  d.add(7, t0 + 12s);
  d.add(9, t0 + 13s); // the same id again replaces its deadline
  EXPECT_EQ(d.size(), 3u);
  EXPECT_TRUE(d.remove(7));
  EXPECT_EQ(expired_by(d, t0 + 60s), (std::vector<std::int32_t>{5, 9}));
}

} // namespace
