#pragma once
// IoThreads: N Asio io_contexts with one thread each. A connection lives on one context for its
// whole life, so its state needs no lock; work from other threads is posted to it.

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>

namespace boost::asio {
class io_context;
}

namespace net {

class IoThreads {
public:
  // Starts `count` (at least 1) threads at once.
  explicit IoThreads(std::size_t count = 1);
  // stop()s: pending handlers are dropped, threads joined.
  ~IoThreads();
  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;

  std::size_t size() const;
  boost::asio::io_context& context(std::size_t index);
  // Round-robin over the contexts; thread-safe.
  std::size_t next_index();
  // Runs `task` on the thread of context `index`, after what is queued there. Thread-safe.
  void post(std::size_t index, std::function<void()> task);
  // Stops every context and joins the threads. Idempotent; never call from an I/O thread.
  void stop();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace net
