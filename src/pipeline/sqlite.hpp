#pragma once
// A thin owner of one SQLite connection and its prepared statements, for the Store only: every
// failure becomes a core::Error that keeps sqlite3_errmsg and the result code. Not thread-safe;
// the Store calls it with its mutex held. <sqlite3.h> stays in the .cpp.

#include "core/result.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace pipeline::sqlite {

// One prepared statement, reused for every call: bind, run or read rows, then reset (a
// ResetOnExit at the top of each use does it, so an early return cannot leave it mid-step).
class Statement {
public:
  Statement() = default;
  explicit Statement(sqlite3_stmt* statement);

  // Binds the parameters ?1, ?2, ... in order. Text is not copied (the outbox's rows are
  // mostly text, and copying it was a fifth of the committer's time): it must stay alive until
  // the last step. Bind and step in one expression, so even a temporary (a to_string result)
  // lives long enough; the ResetOnExit at the top of the scope then unbinds it.
  template <class... Values>
  Statement& bind_all(const Values&... values) {
    int index = 0;
    (bind(++index, values), ...);
    return *this;
  }
  void bind(int index, std::int64_t value);
  void bind(int index, std::string_view text);                    // not copied: see bind_all
  void bind(int index, const std::optional<std::int64_t>& value); // nullopt binds NULL

  // Steps to the end; for statements that return no rows.
  core::Result<void> run();
  // Steps once: true when a row is ready to be read, false when there are no more.
  core::Result<bool> next_row();

  std::int64_t integer(int column) const;
  std::optional<std::int64_t> optional_integer(int column) const; // nullopt for NULL
  std::string text(int column) const;                             // "" for NULL

  // Back to the start with every parameter unbound.
  void reset();

private:
  core::Error error(int code) const;
  void remember_bind_failure(int code);

  struct Finalize {
    void operator()(sqlite3_stmt* statement) const;
  };
  std::unique_ptr<sqlite3_stmt, Finalize> statement_;
  int bind_failure_ = 0; // the first bind's error code, reported by the next run or next_row
};

// Calls `row(statement)` for each row `statement` returns; the first step error ends it.
template <class Row>
core::Result<void> for_each_row(Statement& statement, Row&& row) {
  for (;;) {
    auto next = statement.next_row();
    if (!next) return core::Unexpected(std::move(next).error());
    if (!*next) return {};
    row(statement);
  }
}

class ResetOnExit {
public:
  explicit ResetOnExit(Statement& statement) : statement_(statement) {}
  ~ResetOnExit() { statement_.reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

private:
  Statement& statement_;
};

class Connection {
public:
  // Opens (creating if needed) the database at `path`; ":memory:" for a private in-memory one.
  // The file and its -wal/-shm companions are owner-only (0600), even an existing wider one.
  static core::Result<std::unique_ptr<Connection>> open(const std::string& path);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements that need no parameters (pragmas, schema).
  core::Result<void> execute(const std::string& sql);
  core::Result<Statement> prepare(const std::string& sql);
  // The first column of the first row of `sql` (PRAGMA user_version, PRAGMA journal_mode).
  core::Result<std::int64_t> query_integer(const std::string& sql);
  core::Result<std::string> query_text(const std::string& sql);
  // Replaces this database's content with `source`'s, page by page (SQLite's online backup).
  // Neither connection may be in use on another thread meanwhile.
  core::Result<void> copy_from(Connection& source);

  std::int64_t last_insert_rowid() const;
  // Rows the last INSERT, UPDATE or DELETE changed directly (not by a cascade).
  std::int64_t changes() const;

  // BEGIN IMMEDIATE: takes the write lock up front, so a transaction never fails half-way
  // because another process wrote first.
  core::Result<void> begin();
  core::Result<void> commit();
  void rollback();
  // False outside BEGIN ... COMMIT, including after SQLite rolled a transaction back on its own
  // (it does after some errors: SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM).
  bool in_transaction() const;

private:
  struct Close {
    void operator()(sqlite3* db) const;
  };
  explicit Connection(std::unique_ptr<sqlite3, Close> db);
  core::Result<void> prepare_transaction_statements();

  std::unique_ptr<sqlite3, Close> db_;
  // Declared after db_ so they are finalized before it closes.
  Statement begin_;
  Statement commit_;
  Statement rollback_;
};

// Runs `work` (returning a core::Result) in one transaction: commits when it succeeds, rolls
// back when it fails or the commit does.
template <class Work>
auto in_transaction(Connection& connection, Work&& work) -> decltype(work()) {
  if (auto begun = connection.begin(); !begun) return core::Unexpected(begun.error());
  auto result = work();
  if (!result) {
    connection.rollback();
    return result;
  }
  if (auto committed = connection.commit(); !committed) {
    connection.rollback();
    return core::Unexpected(committed.error());
  }
  return result;
}

} // namespace pipeline::sqlite
