#include "net/io_threads.hpp"

#include "net/asio.hpp"

#include <optional>
#include <thread>
#include <vector>

namespace net {

namespace asio = boost::asio;

struct IoThreads::Impl {
  struct Slot {
    asio::io_context context{1}; // concurrency hint: exactly one thread runs it
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::thread thread;
  };
  std::vector<std::unique_ptr<Slot>> slots;
  std::atomic<std::size_t> next{0};
};

IoThreads::IoThreads(std::size_t count) : impl_(std::make_unique<Impl>()) {
  if (count == 0) count = 1;
  for (std::size_t i = 0; i < count; ++i) {
    auto slot = std::make_unique<Impl::Slot>();
    slot->work.emplace(slot->context.get_executor());
    impl_->slots.push_back(std::move(slot));
  }
  for (auto& slot : impl_->slots)
    slot->thread = std::thread([ctx = &slot->context] {
      // Handlers catch their own exceptions; this keeps a stray one from ending the thread.
      for (;;) {
        try {
          ctx->run();
          return;
        } catch (...) {
        }
      }
    });
}

IoThreads::~IoThreads() {
  stop();
}

std::size_t IoThreads::size() const {
  return impl_->slots.size();
}

asio::io_context& IoThreads::context(std::size_t index) {
  return impl_->slots.at(index)->context;
}

std::size_t IoThreads::next_index() {
  return impl_->next.fetch_add(1, std::memory_order_relaxed) % impl_->slots.size();
}

void IoThreads::post(std::size_t index, std::function<void()> task) {
  asio::post(context(index), std::move(task));
}

void IoThreads::stop() {
  for (auto& slot : impl_->slots) {
    slot->work.reset();
    slot->context.stop();
  }
  for (auto& slot : impl_->slots)
    if (slot->thread.joinable()) slot->thread.join();
}

} // namespace net
