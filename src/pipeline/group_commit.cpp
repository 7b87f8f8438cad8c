#include "pipeline/group_commit.hpp"

#include "core/wait_for_answer.hpp"
#include "pipeline/sqlite.hpp"

#include <utility>

namespace pipeline {

GroupCommit::GroupCommit(sqlite::Connection& db, std::mutex& db_mutex)
    : db_(db), db_mutex_(db_mutex), thread_([this] { loop(); }) {}

GroupCommit::~GroupCommit() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_changed_.notify_all();
  thread_.join();
}

void GroupCommit::run_then(Work work, Done done) {
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back({std::move(work), std::move(done)});
  }
  queue_changed_.notify_all();
}

core::Result<void> GroupCommit::run(Work work) {
  return core::wait_for_answer<core::Result<void>>(
      [&](Done committed) { run_then(std::move(work), std::move(committed)); });
}

void GroupCommit::run_later(Work work) {
  run_then(std::move(work), [this](core::Result<void> r) {
    if (!r) failures_.fetch_add(1);
  });
}

void GroupCommit::flush() {
  (void)run([] { return core::Result<void>{}; });
}

void GroupCommit::loop() {
  std::unique_lock lock(queue_mutex_);
  for (;;) {
    queue_changed_.wait(lock, [this] { return !queue_.empty() || stopping_; });
    if (queue_.empty()) return; // stopping, and nothing left to commit
    auto batch = std::exchange(queue_, {});
    lock.unlock();
    commit(batch);
    lock.lock();
  }
}

void GroupCommit::commit(std::vector<Item>& batch) {
  std::vector<core::Result<void>> results;
  results.reserve(batch.size());
  {
    std::lock_guard db_lock(db_mutex_);
    auto begun = db_.begin();
    for (auto& item : batch) {
      if (!begun) {
        results.push_back(core::Unexpected(begun.error()));
        continue;
      }
      auto saved = db_.savepoint();
      auto result = saved ? item.work() : core::Result<void>(core::Unexpected(saved.error()));
      if (!result) db_.undo_savepoint();
      db_.release_savepoint();
      results.push_back(std::move(result));
    }
    if (begun) {
      if (auto committed = db_.commit(); !committed) {
        db_.rollback();
        for (auto& result : results)
          result = core::Unexpected(committed.error());
      }
    }
  }
  for (std::size_t i = 0; i < batch.size(); ++i)
    batch[i].done(std::move(results[i]));
}

} // namespace pipeline
