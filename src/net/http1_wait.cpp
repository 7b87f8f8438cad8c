#include "net/http1_wait.hpp"

#include <mutex>

namespace net {

namespace {

// One wait. Kept alive by the exchange's timer and close callbacks; the event's source holds it
// weakly, so a source that forgets to let go keeps nothing of the connection.
class EventWait : public std::enable_shared_from_this<EventWait> {
public:
  EventWait(const std::shared_ptr<Http1Exchange>& exchange, std::function<void(bool)> finish)
      : exchange_(exchange), finish_(std::move(finish)) {}

  void start(std::chrono::milliseconds limit, const Subscribe& subscribe) {
    const auto exchange = exchange_.lock();
    if (!exchange) return;
    exchange->on_close([self = shared_from_this()] { self->end(End::ClientLeft); });
    exchange->start_timer(limit, [self = shared_from_this()] { self->end(End::TimeUp); });
    // The source may call from its own thread: the end runs on the exchange's.
    Unsubscribe undo = subscribe([weak = weak_from_this()] {
      const auto self = weak.lock();
      if (!self) return;
      if (const auto exchange = self->exchange_.lock())
        exchange->post([self] { self->end(End::Event); });
    });
    {
      std::lock_guard lock(mutex_);
      if (!ended_) {
        unsubscribe_ = std::move(undo);
        return;
      }
    }
    if (undo) undo(); // ended while subscribing (the server refused the wait)
  }

private:
  enum class End { Event, TimeUp, ClientLeft };

  void end(End how) {
    Unsubscribe undo;
    std::function<void(bool)> finish;
    {
      std::lock_guard lock(mutex_);
      if (ended_) return;
      ended_ = true;
      undo = std::move(unsubscribe_);
      finish = std::move(finish_); // it may hold the exchange: let go of it here
    }
    if (undo) undo();
    if (how == End::ClientLeft) return;
    if (const auto exchange = exchange_.lock(); exchange && how == End::Event)
      exchange->cancel_timer();
    finish(how == End::Event);
  }

  const std::weak_ptr<Http1Exchange> exchange_;
  std::mutex mutex_;
  bool ended_ = false;
  Unsubscribe unsubscribe_;
  std::function<void(bool)> finish_;
};

} // namespace

void wait_for_event(const std::shared_ptr<Http1Exchange>& exchange, std::chrono::milliseconds limit,
                    const Subscribe& subscribe, std::function<void(bool event_came)> finish) {
  std::make_shared<EventWait>(exchange, std::move(finish))->start(limit, subscribe);
}

} // namespace net
