#pragma once
// The last few results of work that is a pure function of a text (parsing a file's bytes), by
// that text: the same input twice gives the earlier result without the work. Thread-safe; the
// oldest result is dropped first. What the texts hold (keys, passwords) stays in memory.

#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace core {

template <class Value>
class KeptResults {
public:
  explicit KeptResults(std::size_t capacity) : capacity_(capacity) {}

  std::optional<Value> find(const std::string& key) const {
    std::lock_guard lock(mutex_);
    const auto it = results_.find(key);
    if (it == results_.end()) return std::nullopt;
    return it->second;
  }

  void keep(const std::string& key, Value value) {
    std::lock_guard lock(mutex_);
    if (!results_.emplace(key, std::move(value)).second) return; // another thread was first
    order_.push_back(key);
    if (order_.size() > capacity_) {
      results_.erase(order_.front());
      order_.pop_front();
    }
  }

private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::map<std::string, Value> results_;
  std::deque<std::string> order_; // oldest first
};

} // namespace core
