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
  // Two buffers take turns: the queue fills one while the other's batch is committed, so
  // neither grows from empty for every batch.
  std::vector<Item> batch;
  std::unique_lock lock(queue_mutex_);
  for (;;) {
    queue_changed_.wait(lock, [this] { return !queue_.empty() || stopping_; });
    if (queue_.empty()) return; // stopping, and nothing left to commit
    batch.swap(queue_);
    lock.unlock();
    commit(batch);
    batch.clear();
    lock.lock();
  }
}

void GroupCommit::commit(std::vector<Item>& batch) {
  std::vector<core::Result<void>> results;
  {
    std::lock_guard db_lock(db_mutex_);
    results = write(batch);
  }
  for (std::size_t i = 0; i < batch.size(); ++i)
    batch[i].done(std::move(results[i]));
}

std::vector<core::Result<void>> GroupCommit::write(std::vector<Item>& batch) {
  std::vector<core::Result<void>> results;
  results.reserve(batch.size());
  std::size_t first_in_transaction = 0; // the writes the open transaction holds start here
  auto begun = db_.begin();
  for (auto& item : batch) {
    if (!begun) {
      results.push_back(core::Unexpected(begun.error()));
      continue;
    }
    results.push_back(item.work());
    if (results.back() || db_.in_transaction()) continue;
    // SQLite rolled the whole transaction back after this error (SQLITE_FULL, SQLITE_IOERR):
    // the writes before it in the batch are gone with it, and the rest need a new one.
    const core::Error lost = results.back().error();
    for (std::size_t i = first_in_transaction; i + 1 < results.size(); ++i) {
      if (results[i])
        results[i] = core::Unexpected(
            core::Error{lost.code, "rolled back with a later write of its batch: " + lost.detail});
    }
    first_in_transaction = results.size();
    begun = db_.begin();
  }
  if (begun) {
    if (auto committed = db_.commit(); !committed) {
      db_.rollback();
      for (std::size_t i = first_in_transaction; i < results.size(); ++i)
        results[i] = core::Unexpected(committed.error());
    }
  }
  return results;
}

} // namespace pipeline
