#pragma once
// Group commit for the store: writes from many threads share one SQLite transaction, committed
// by one thread, so the outbox's cost per message is a share of a commit instead of a whole one
// (a commit is mostly system calls: ~60-120 us here). A caller hands its write over with what
// to do once the batch holding it is committed (sendMessage: answer, then send the push), or
// waits for that commit, or hands it over and goes on (the dispatcher's answers: a crash
// before the commit leaves the message Pending, and a restart sends it again, which the crash
// test counts).

#include "core/result.hpp"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace pipeline::sqlite {
class Connection;
}

namespace pipeline {

class GroupCommit {
public:
  // `work` runs on the committer's thread with `db_mutex` held, inside the batch's transaction.
  // It is one statement, which SQLite undoes alone when it fails, so a failing write leaves the
  // others of its batch to commit (a savepoint around each write cost more than the write's
  // own INSERT). It must not begin or end a transaction.
  using Work = std::function<core::Result<void>()>;
  // Runs on the committer's thread after the batch's commit, without `db_mutex`: its write's
  // own result, or the commit's error. It must not wait for another write (run, flush).
  using Done = std::function<void(core::Result<void>)>;

  GroupCommit(sqlite::Connection& db, std::mutex& db_mutex);
  // Commits what is queued, then stops the thread.
  ~GroupCommit();
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Queues `work`; `done` learns how it went once its batch is committed. Any thread.
  void run_then(Work work, Done done);
  // Waits until the batch holding `work` is committed; its own result, or the commit's error.
  core::Result<void> run(Work work);
  // Queues `work` and returns at once; a failure only counts in failures().
  void run_later(Work work);
  // Waits until everything queued before it is committed (read-your-writes for readers).
  void flush();
  std::uint64_t failures() const { return failures_.load(); }

private:
  struct Item {
    Work work;
    Done done;
  };
  void loop();
  void commit(std::vector<Item>& batch);
  // Runs the batch's writes in one transaction: each write's result.
  std::vector<core::Result<void>> write(std::vector<Item>& batch);

  sqlite::Connection& db_;
  std::mutex& db_mutex_;
  std::mutex queue_mutex_;
  std::condition_variable queue_changed_;
  std::vector<Item> queue_;
  bool stopping_ = false;
  std::atomic<std::uint64_t> failures_{0};
  std::thread thread_; // last: starts once everything above is set
};

} // namespace pipeline
