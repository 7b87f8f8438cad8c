#pragma once
// StreamDeadlines: the open streams whose request has not fully arrived, each with the time by
// which it must, in deadline order. A server connection adds a stream when its HEADERS come
// without END_STREAM and removes it when the request completes or the stream closes: with a
// hundred or a thousand streams in flight that is two lookups per request, so removal is a
// binary search by stream id (clients open streams in increasing id order, RFC 9113 §5.1.1,
// and a constant timeout keeps that order the deadline order too) and a mark, not a scan and
// an erase.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

namespace net {

class StreamDeadlines {
public:
  using TimePoint = std::chrono::steady_clock::time_point;

  void add(std::int32_t stream_id, TimePoint deadline);
  // True if the stream was there (and is not any more).
  bool remove(std::int32_t stream_id);
  bool empty() const { return live_ == 0; }
  std::size_t size() const { return live_; }
  // The earliest deadline; only when !empty().
  TimePoint earliest() const { return entries_.front().deadline; }
  // Removes and returns a stream whose deadline is at or before `now`, earliest first.
  std::optional<std::int32_t> pop_expired(TimePoint now);

private:
  struct Entry {
    std::int32_t stream_id;
    bool live;
    TimePoint deadline;
  };
  // Drops removed entries from the front, and all of them once they outnumber the live ones.
  void tidy();

  std::deque<Entry> entries_; // by stream id; removed ones stay as marks until tidy()
  std::size_t live_ = 0;
};

} // namespace net
