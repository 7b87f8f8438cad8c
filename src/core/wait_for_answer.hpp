#pragma once
// The blocking form of a call that answers through a callback: one piece for every
// "call it, then wait until the callback has run" (the pipeline's sendMessage, the store's
// add_message, the group commit's run). Include it from .cpp files only: <future> is heavy.

#include <future>
#include <utility>

namespace core {

// Calls `start(answer)` and returns the value passed to `answer`. `answer` must be called
// exactly once: inside `start`, or later on another thread (never one that waits for this).
template <class T, class Start>
T wait_for_answer(Start&& start) {
  std::promise<T> answered;
  auto result = answered.get_future();
  std::forward<Start>(start)([&answered](T value) { answered.set_value(std::move(value)); });
  return result.get();
}

} // namespace core
