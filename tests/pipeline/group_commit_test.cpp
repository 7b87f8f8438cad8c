#include "pipeline/group_commit.hpp"
#include "pipeline/schema.hpp"
#include "pipeline/sqlite.hpp"

#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using pipeline::GroupCommit;

constexpr auto kPatience = 10s; // bounds every wait; a passing run never comes near it

struct Fixture {
  std::unique_ptr<pipeline::sqlite::Connection> db;
  std::mutex db_mutex;

  Fixture() {
    auto opened = pipeline::sqlite::Connection::open(":memory:");
    EXPECT_TRUE(opened) << opened.error().message();
    db = std::move(*opened);
    EXPECT_TRUE(pipeline::prepare_database(*db, ":memory:", 2));
  }

  GroupCommit::Work set_presence(const std::string& user) {
    return [this, user] {
      return db->execute("INSERT INTO presence VALUES ('" + user + "', 'online', 0)");
    };
  }

  std::int64_t rows_for(const std::string& user) {
    std::lock_guard lock(db_mutex);
    auto count = db->query_integer("SELECT COUNT(*) FROM presence WHERE user = '" + user + "'");
    EXPECT_TRUE(count);
    return count ? *count : -1;
  }
};

// Collects the results of a batch's writes, in the order they were handed over.
struct Answers {
  std::vector<std::promise<core::Result<void>>> promises;
  explicit Answers(std::size_t count) : promises(count) {}
  GroupCommit::Done done(std::size_t index) {
    return
        [this, index](core::Result<void> result) { promises[index].set_value(std::move(result)); };
  }
  core::Result<void> get(std::size_t index) {
    auto answer = promises[index].get_future();
    if (answer.wait_for(kPatience) != std::future_status::ready)
      return core::fail(std::make_error_code(std::errc::timed_out), "no answer");
    return answer.get();
  }
};

// The committer takes a blocker alone, then the writes queued while it blocks as one batch.
void hold_committer_while(GroupCommit& commit, const std::function<void()>& queue_batch) {
  std::promise<void> release;
  auto released = release.get_future().share();
  std::promise<void> holding;
  commit.run_then(
      [&holding, released] {
        holding.set_value();
        released.wait_for(kPatience);
        return core::Result<void>{};
      },
      [](core::Result<void>) {});
  ASSERT_EQ(holding.get_future().wait_for(kPatience), std::future_status::ready);
  queue_batch();
  release.set_value();
}

TEST(GroupCommit, AFailingWriteLeavesTheOthersOfItsBatchCommitted) {
  Fixture f;
  GroupCommit commit(*f.db, f.db_mutex);
  Answers answers(3);
  hold_committer_while(commit, [&] {
    commit.run_then(f.set_presence("ann"), answers.done(0));
    commit.run_then(f.set_presence("ann"), answers.done(1)); // the same key again: it fails
    commit.run_then(f.set_presence("bob"), answers.done(2));
  });
  EXPECT_TRUE(answers.get(0));
  EXPECT_FALSE(answers.get(1));
  EXPECT_TRUE(answers.get(2));
  EXPECT_EQ(f.rows_for("ann"), 1);
  EXPECT_EQ(f.rows_for("bob"), 1);
}

// SQLite ends the whole transaction after some errors (SQLITE_FULL, SQLITE_IOERR); the write
// here does what SQLite would. The writes before it in the batch are lost with it and must say
// so; the ones after it go into a new transaction.
TEST(GroupCommit, AWriteThatLosesTheTransactionFailsTheWritesBeforeItOnly) {
  Fixture f;
  GroupCommit commit(*f.db, f.db_mutex);
  Answers answers(3);
  hold_committer_while(commit, [&] {
    commit.run_then(f.set_presence("ann"), answers.done(0));
    commit.run_then(
        [&f]() -> core::Result<void> {
          (void)f.db->execute("ROLLBACK");
          return core::fail(std::make_error_code(std::errc::no_space_on_device), "disk full");
        },
        answers.done(1));
    commit.run_then(f.set_presence("bob"), answers.done(2));
  });
  const auto lost = answers.get(0);
  ASSERT_FALSE(lost);
  EXPECT_EQ(lost.error().code, std::errc::no_space_on_device);
  EXPECT_EQ(lost.error().detail, "rolled back with a later write of its batch: disk full");
  EXPECT_FALSE(answers.get(1));
  EXPECT_TRUE(answers.get(2));
  EXPECT_EQ(f.rows_for("ann"), 0);
  EXPECT_EQ(f.rows_for("bob"), 1);
}

} // namespace
