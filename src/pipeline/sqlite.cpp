#include "pipeline/sqlite.hpp"

#include "pipeline/error.hpp"

#include <cerrno>
#include <system_error>

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pipeline::sqlite {
namespace {

// The store locks its file exclusively: busy means another process holds it, which waiting
// longer would not change; a short wait covers one that is just closing.
constexpr int kBusyTimeoutMs = 1000;
constexpr std::size_t kSqlShownInErrors = 60;

// Busy and locked (whatever their extended codes) mean another connection holds the file:
// Errc::Busy, which callers decide on; every other SQLite failure is Errc::Database.
Errc errc_of(int code) {
  const int primary = code & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED ? Errc::Busy : Errc::Database;
}

// "message (SQLite 19)", plus where, so a failure names its statement and SQLite's reason.
core::Error database_error(std::string message, int code, std::string_view where = {}) {
  std::string detail = std::move(message) + " (SQLite " + std::to_string(code) + ")";
  if (!where.empty()) detail += " in: " + std::string(where.substr(0, kSqlShownInErrors));
  return core::Error{make_error_code(errc_of(code)), std::move(detail)};
}

core::Error connection_error(sqlite3* db, int code, std::string_view where = {}) {
  return database_error(db ? sqlite3_errmsg(db) : sqlite3_errstr(code), code, where);
}

// The database holds private keys: it must never be readable by others, whatever the umask.
// SQLite makes the -wal and -shm files with the database file's mode, so creating that file
// 0600 first covers all three; an existing one (or a companion left by a crash) that others may
// use loses the group and other bits.
core::Result<void> make_owner_only(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::string file = path + suffix;
    const bool main = *suffix == '\0';
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | (main ? O_CREAT : 0), 0600);
    // Absent (a companion), or a file SQLite cannot open either: its own error says why.
    if (fd < 0) continue;
    struct stat st {};
    int error = ::fstat(fd, &st) != 0 ? errno : 0;
    if (error == 0 && (st.st_mode & 077) != 0 && ::fchmod(fd, st.st_mode & 0700) != 0)
      error = errno;
    ::close(fd);
    if (error != 0)
      return core::fail(std::error_code(error, std::generic_category()),
                        "cannot make " + file + " readable by its owner only");
  }
  return {};
}

// SQLite counts every allocation it makes behind one process-wide mutex unless told not to,
// and this build (Debian's) has no lookaside memory, so every step of every statement took it.
// The setting is only accepted before SQLite initialises: made once, ahead of the first open,
// and ignored (SQLITE_MISUSE) when the embedding program used SQLite first.
void stop_counting_memory() {
  static const int once = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)once;
}

} // namespace

// --- Statement -------------------------------------------------------------------------------

Statement::Statement(sqlite3_stmt* statement) : statement_(statement) {}

void Statement::Finalize::operator()(sqlite3_stmt* statement) const {
  sqlite3_finalize(statement);
}

void Statement::bind(int index, std::int64_t value) {
  const int code = sqlite3_bind_int64(statement_.get(), index, value);
  remember_bind_failure(code);
}

void Statement::bind(int index, std::string_view text) {
  // SQLITE_STATIC: SQLite reads the caller's text at each step and never frees it (bind_all).
  // An empty view may have no data pointer, which SQLite would bind as NULL instead of ''.
  const char* data = text.data() != nullptr ? text.data() : "";
  const int code =
      sqlite3_bind_text64(statement_.get(), index, data, text.size(), SQLITE_STATIC, SQLITE_UTF8);
  remember_bind_failure(code);
}

void Statement::bind(int index, const std::optional<std::int64_t>& value) {
  if (value) return bind(index, *value);
  const int code = sqlite3_bind_null(statement_.get(), index);
  remember_bind_failure(code);
}

void Statement::remember_bind_failure(int code) {
  if (code != SQLITE_OK && bind_failure_ == SQLITE_OK) bind_failure_ = code;
}

core::Result<void> Statement::run() {
  for (;;) {
    auto row = next_row();
    if (!row) return core::Unexpected(std::move(row).error());
    if (!*row) return {};
  }
}

core::Result<bool> Statement::next_row() {
  if (bind_failure_ != SQLITE_OK) {
    return core::Unexpected(database_error(sqlite3_errstr(bind_failure_), bind_failure_,
                                           sqlite3_sql(statement_.get())));
  }
  const int code = sqlite3_step(statement_.get());
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  return core::Unexpected(error(code));
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(statement_.get(), column);
}

std::optional<std::int64_t> Statement::optional_integer(int column) const {
  if (sqlite3_column_type(statement_.get(), column) == SQLITE_NULL) return std::nullopt;
  return integer(column);
}

std::string Statement::text(int column) const {
  // sqlite3_column_text before sqlite3_column_bytes, as the SQLite documentation requires.
  const auto* bytes = sqlite3_column_text(statement_.get(), column);
  if (!bytes) return {};
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), column));
  return {reinterpret_cast<const char*>(bytes), size};
}

void Statement::reset() {
  sqlite3_reset(statement_.get());
  sqlite3_clear_bindings(statement_.get());
  bind_failure_ = SQLITE_OK;
}

core::Error Statement::error(int code) const {
  return connection_error(sqlite3_db_handle(statement_.get()), code, sqlite3_sql(statement_.get()));
}

// --- Connection ------------------------------------------------------------------------------

void Connection::Close::operator()(sqlite3* db) const {
  // _v2: should a statement outlive the connection, the close waits for it instead of failing.
  sqlite3_close_v2(db);
}

Connection::Connection(std::unique_ptr<sqlite3, Close> db) : db_(std::move(db)) {}

Connection::~Connection() = default;

core::Result<std::unique_ptr<Connection>> Connection::open(const std::string& path) {
  sqlite3* raw = nullptr;
  // NOMUTEX: the Store serialises every call itself; SQLite's own mutex would be a second lock.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  stop_counting_memory();
  if (path != ":memory:") {
    if (auto owner_only = make_owner_only(path); !owner_only)
      return core::Unexpected(std::move(owner_only).error());
  }
  const int code = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<sqlite3, Close> db(raw); // closed on every path, even when the open failed
  if (code != SQLITE_OK) return core::Unexpected(connection_error(raw, code));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);

  std::unique_ptr<Connection> connection(new Connection(std::move(db)));
  if (auto prepared = connection->prepare_transaction_statements(); !prepared) {
    return core::Unexpected(std::move(prepared).error());
  }
  return connection;
}

core::Result<void> Connection::prepare_transaction_statements() {
  for (auto [statement, sql] : {std::pair{&begin_, "BEGIN IMMEDIATE"},
                                std::pair{&commit_, "COMMIT"}, std::pair{&rollback_, "ROLLBACK"}}) {
    auto prepared = prepare(sql);
    if (!prepared) return core::Unexpected(std::move(prepared).error());
    *statement = std::move(*prepared);
  }
  return {};
}

core::Result<void> Connection::execute(const std::string& sql) {
  const int code = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr);
  if (code != SQLITE_OK) return core::Unexpected(connection_error(db_.get(), code, sql));
  return {};
}

core::Result<Statement> Connection::prepare(const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  const int code = sqlite3_prepare_v3(db_.get(), sql.c_str(), static_cast<int>(sql.size() + 1),
                                      SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  Statement statement(raw);
  if (code != SQLITE_OK) return core::Unexpected(connection_error(db_.get(), code, sql));
  return statement;
}

core::Result<std::int64_t> Connection::query_integer(const std::string& sql) {
  auto statement = prepare(sql);
  if (!statement) return core::Unexpected(std::move(statement).error());
  auto row = statement->next_row();
  if (!row) return core::Unexpected(std::move(row).error());
  return *row ? statement->integer(0) : 0;
}

core::Result<std::string> Connection::query_text(const std::string& sql) {
  auto statement = prepare(sql);
  if (!statement) return core::Unexpected(std::move(statement).error());
  auto row = statement->next_row();
  if (!row) return core::Unexpected(std::move(row).error());
  return *row ? statement->text(0) : std::string();
}

core::Result<void> Connection::copy_from(Connection& source) {
  sqlite3_backup* backup = sqlite3_backup_init(db_.get(), "main", source.db_.get(), "main");
  if (!backup) {
    const int code = sqlite3_errcode(db_.get());
    return core::Unexpected(connection_error(db_.get(), code, "backup"));
  }
  sqlite3_backup_step(backup, -1);
  // Finish reports the step's error too.
  if (const int code = sqlite3_backup_finish(backup); code != SQLITE_OK)
    return core::Unexpected(connection_error(db_.get(), code, "backup"));
  return {};
}

std::int64_t Connection::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_.get());
}

std::int64_t Connection::changes() const {
  return sqlite3_changes64(db_.get());
}

core::Result<void> Connection::begin() {
  ResetOnExit reset(begin_);
  return begin_.run();
}

core::Result<void> Connection::commit() {
  ResetOnExit reset(commit_);
  return commit_.run();
}

void Connection::rollback() {
  ResetOnExit reset(rollback_);
  // It fails only when there is no transaction left: SQLite rolls back on its own after some
  // errors (SQLITE_FULL, SQLITE_IOERR), and then there is nothing more to undo.
  (void)rollback_.run();
}

bool Connection::in_transaction() const {
  return sqlite3_get_autocommit(db_.get()) == 0;
}

} // namespace pipeline::sqlite
