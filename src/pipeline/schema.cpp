// Spec: docs/spec/im-voip-flow.md
#include "pipeline/schema.hpp"

#include "pipeline/error.hpp"

#include <iterator>
#include <map>
#include <memory>
#include <mutex>

namespace pipeline {
namespace {

constexpr const char* kInMemory = ":memory:";

// kMigrations[v] takes a database from version v to v + 1. A new file (version 0) runs them all,
// so every step is exercised by every new store (a new in-memory store copies one that ran them:
// copy_new_schema); the steps an open needs share one transaction.
//
// Version 1. Times are integer milliseconds since the UNIX epoch; enums are their to_string
// text. AUTOINCREMENT so record and message numbers are never reused after a delete: the
// certificate IDs handed to app owners and the message ids (and apns-ids derived from them)
// must stay unique for the life of the file.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE certificates (
  record_id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  bundle_id TEXT NOT NULL,
  type TEXT NOT NULL,
  not_before_ms INTEGER NOT NULL,
  not_after_ms INTEGER NOT NULL,
  cert_id_dev INTEGER UNIQUE,  -- NULL only inside the transaction that adds the record
  cert_id_prod INTEGER UNIQUE,
  certificate_pem TEXT NOT NULL,
  private_key_pem TEXT NOT NULL,
  health TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);
-- A registration is only good for the certificate it was reported with (§3.3): deleting the
-- certificate deletes them.
CREATE TABLE registrations (
  user TEXT PRIMARY KEY,
  token_hex TEXT NOT NULL,
  cert_record_id INTEGER NOT NULL REFERENCES certificates (record_id) ON DELETE CASCADE,
  environment TEXT NOT NULL,
  bundle_id TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX registrations_by_certificate ON registrations (cert_record_id);
CREATE TABLE presence (
  user TEXT PRIMARY KEY,
  presence TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
-- No foreign key on cert_record_id: a message keeps the push target it was sent to after the
-- certificate is gone ("Nothing is lost").
CREATE TABLE messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT UNIQUE,  -- "msg-<seq>", written with the row
  sender TEXT NOT NULL,
  receiver TEXT NOT NULL,
  content TEXT NOT NULL,
  ios_push_type TEXT NOT NULL,
  ext TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL,
  apns_id TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at_ms INTEGER,
  token_hex TEXT NOT NULL,
  cert_record_id INTEGER NOT NULL,
  environment TEXT NOT NULL,
  bundle_id TEXT NOT NULL
);
-- What a restart resumes, without reading every finished message.
CREATE INDEX messages_pending ON messages (seq) WHERE state = 'pending';
)sql";

// Version 2: a message's id ("msg-<seq>") is made from seq instead of stored. Its UNIQUE index
// cost an eighth of the instructions of every message's writes, and its keys, which do not sort
// as numbers ("msg-10" < "msg-9"), spread each batch's inserts over many pages. The table is
// rebuilt (SQLite cannot drop a UNIQUE column); its AUTOINCREMENT counter moves with it, so no
// id is ever handed out twice.
constexpr const char* kVersion2 = R"sql(
CREATE TABLE messages_v2 (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  sender TEXT NOT NULL,
  receiver TEXT NOT NULL,
  content TEXT NOT NULL,
  ios_push_type TEXT NOT NULL,
  ext TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL,
  apns_id TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at_ms INTEGER,
  token_hex TEXT NOT NULL,
  cert_record_id INTEGER NOT NULL,
  environment TEXT NOT NULL,
  bundle_id TEXT NOT NULL
);
INSERT INTO messages_v2 SELECT seq, sender, receiver, content, ios_push_type, ext, title,
  description, created_at_ms, state, reason, apns_id, attempts, next_attempt_at_ms, token_hex,
  cert_record_id, environment, bundle_id FROM messages;
DELETE FROM sqlite_sequence WHERE name = 'messages_v2';
UPDATE sqlite_sequence SET name = 'messages_v2' WHERE name = 'messages';
DROP TABLE messages;
ALTER TABLE messages_v2 RENAME TO messages;
CREATE INDEX messages_pending ON messages (seq) WHERE state = 'pending';
)sql";

// Version 3: receive options ("Do not notify", im-voip-flow.md §4.3), one row per (user, scope,
// target); target is '' for the global one.
constexpr const char* kVersion3 = R"sql(
CREATE TABLE receive_options (
  user TEXT NOT NULL,
  scope TEXT NOT NULL,
  target TEXT NOT NULL,
  option TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (user, scope, target)
);
)sql";

// Version 4: a message keeps its sender's MsgRandom (duplicate sends, §4.3), so a restart still
// knows the sends of the last 60 s; only messages that carry one are indexed by time.
constexpr const char* kVersion4 = R"sql(
ALTER TABLE messages ADD COLUMN msg_random INTEGER;
CREATE INDEX messages_random_by_time ON messages (created_at_ms) WHERE msg_random IS NOT NULL;
)sql";

// Version 5: several installations of one user (im-voip-flow.md §3.4). Registrations and presence
// are kept per (user, installation); rows of before are the user's "default" installation, the
// one a client that names none reports for. presence.login_seq orders logins (the kick policy
// kicks the installation that logged in first; 0: before this version). A message's pushes, one
// per installation §4.3 was applied to, have their own attempts and states. A message of one
// push (most users have one phone) keeps it in its own row, as before this version, naming its
// installation in messages.installation: its send costs one row write, not two. Two or more
// pushes get rows in pushes, and the message row (installation '') keeps their summary
// (message_summary.hpp). A message of before that was queued for APNs (it has a token) becomes
// one push to the default installation, in its row.
constexpr const char* kVersion5 = R"sql(
CREATE TABLE registrations_v5 (
  user TEXT NOT NULL,
  installation TEXT NOT NULL,
  token_hex TEXT NOT NULL,
  cert_record_id INTEGER NOT NULL REFERENCES certificates (record_id) ON DELETE CASCADE,
  environment TEXT NOT NULL,
  bundle_id TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (user, installation)
);
INSERT INTO registrations_v5 SELECT user, 'default', token_hex, cert_record_id, environment,
  bundle_id, updated_at_ms, state, reason FROM registrations;
DROP TABLE registrations;
ALTER TABLE registrations_v5 RENAME TO registrations;
CREATE INDEX registrations_by_certificate ON registrations (cert_record_id);
CREATE TABLE presence_v5 (
  user TEXT NOT NULL,
  installation TEXT NOT NULL,
  presence TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  login_seq INTEGER NOT NULL,
  PRIMARY KEY (user, installation)
);
INSERT INTO presence_v5 SELECT user, 'default', presence, updated_at_ms, 0 FROM presence;
DROP TABLE presence;
ALTER TABLE presence_v5 RENAME TO presence;
CREATE TABLE pushes (
  message_seq INTEGER NOT NULL,
  installation TEXT NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL,
  apns_id TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at_ms INTEGER,
  token_hex TEXT NOT NULL,
  cert_record_id INTEGER NOT NULL,
  environment TEXT NOT NULL,
  bundle_id TEXT NOT NULL,
  PRIMARY KEY (message_seq, installation)
) WITHOUT ROWID;
ALTER TABLE messages ADD COLUMN installation TEXT NOT NULL DEFAULT '';
UPDATE messages SET installation = 'default' WHERE token_hex != '';
CREATE INDEX pushes_pending ON pushes (message_seq) WHERE state = 'pending';
)sql";

// Version 6: group sends (im-voip-flow.md §4.3 "Group sends"). Groups (chat_groups: GROUPS is
// an SQL keyword) and their members. A group message's row names its group (receiver holds the
// group id too); its pushes, one per (member, installation), always have rows of their own, so a
// push's key gains its receiver: two members may both have a "default" installation. Pushes of
// before are their message's receiver's.
constexpr const char* kVersion6 = R"sql(
CREATE TABLE chat_groups (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE group_members (
  group_id TEXT NOT NULL REFERENCES chat_groups (id) ON DELETE CASCADE,
  user TEXT NOT NULL,
  joined_at_ms INTEGER NOT NULL,
  PRIMARY KEY (group_id, user)
) WITHOUT ROWID;
ALTER TABLE messages ADD COLUMN group_id TEXT NOT NULL DEFAULT '';
CREATE TABLE pushes_v6 (
  message_seq INTEGER NOT NULL,
  receiver TEXT NOT NULL,
  installation TEXT NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL,
  apns_id TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at_ms INTEGER,
  token_hex TEXT NOT NULL,
  cert_record_id INTEGER NOT NULL,
  environment TEXT NOT NULL,
  bundle_id TEXT NOT NULL,
  PRIMARY KEY (message_seq, receiver, installation)
) WITHOUT ROWID;
INSERT INTO pushes_v6 SELECT p.message_seq, m.receiver, p.installation, p.state, p.reason,
  p.apns_id, p.attempts, p.next_attempt_at_ms, p.token_hex, p.cert_record_id, p.environment,
  p.bundle_id FROM pushes p JOIN messages m ON m.seq = p.message_seq;
DROP TABLE pushes;
ALTER TABLE pushes_v6 RENAME TO pushes;
CREATE INDEX pushes_pending ON pushes (message_seq) WHERE state = 'pending';
)sql";

constexpr const char* kMigrations[] = {kVersion1, kVersion2, kVersion3,
                                       kVersion4, kVersion5, kVersion6};
constexpr int kNewestVersion = static_cast<int>(std::size(kMigrations));

core::Error in_file(const std::string& path, core::Error error) {
  error.detail = "pipeline store " + path + ": " + error.detail;
  return error;
}

core::Result<void> check_version(const std::string& path, std::int64_t found, int supported) {
  if (found >= 0 && found <= supported) return {};
  return core::fail(make_error_code(Errc::UnsupportedSchemaVersion),
                    "pipeline store " + path + " has schema version " + std::to_string(found) +
                        "; this build supports version " + std::to_string(supported));
}

// WAL with synchronous=NORMAL survives a process crash without an fsync per commit (only a
// power loss can drop the last commits). The exclusive lock, taken at the first access and
// held until close, halves the system calls of a commit (no file locks per transaction, no
// shared-memory index) and keeps a second pipeline off the same outbox.
core::Result<void> set_pragmas(sqlite::Connection& connection, const std::string& path) {
  if (auto locked = connection.execute("PRAGMA locking_mode=EXCLUSIVE"); !locked) return locked;
  auto mode = connection.query_text("PRAGMA journal_mode=WAL");
  if (!mode) return core::Unexpected(std::move(mode).error());
  if (path != kInMemory && *mode != "wal") {
    return core::fail(make_error_code(Errc::Database),
                      "journal mode is " + *mode +
                          ", not wal (the file system lacks shared memory?)");
  }
  return connection.execute("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON");
}

// Under the write lock, so two processes opening a new file do not both create the schema.
core::Result<void> migrate(sqlite::Connection& connection, const std::string& path, int version) {
  return sqlite::in_transaction(connection, [&]() -> core::Result<void> {
    auto found = connection.query_integer("PRAGMA user_version");
    if (!found) return core::Unexpected(std::move(found).error());
    if (auto supported = check_version(path, *found, version); !supported) return supported;
    for (auto step = *found; step < version; ++step) {
      if (auto done = connection.execute(kMigrations[step]); !done) return done;
    }
    return connection.execute("PRAGMA user_version=" + std::to_string(version));
  });
}

// A new in-memory store (one per scenario of a `voipsim run`) starts as a page copy of one the
// migrations made once in this process, per version: the same schema, without parsing and
// running every migration again for each store.
core::Result<void> copy_new_schema(sqlite::Connection& connection, int version) {
  static std::mutex mutex;
  static std::map<int, std::unique_ptr<sqlite::Connection>> templates;
  std::lock_guard lock(mutex); // the template connection is NOMUTEX: one user at a time
  auto& made = templates[version];
  if (!made) {
    auto opened = sqlite::Connection::open(kInMemory);
    if (!opened) return core::Unexpected(std::move(opened).error());
    if (auto migrated = migrate(**opened, kInMemory, version); !migrated) return migrated;
    made = std::move(*opened);
  }
  return connection.copy_from(*made);
}

} // namespace

core::Result<void> prepare_database(sqlite::Connection& connection, const std::string& path,
                                    int version) {
  if (version < 1 || version > kNewestVersion) {
    return core::fail(make_error_code(Errc::UnsupportedSchemaVersion),
                      "this build has no schema version " + std::to_string(version));
  }
  // Read before anything is written: a file that is not ours stays untouched.
  auto found = connection.query_integer("PRAGMA user_version");
  if (!found) return core::Unexpected(in_file(path, std::move(found).error()));
  if (auto supported = check_version(path, *found, version); !supported) return supported;

  if (auto set = set_pragmas(connection, path); !set) {
    return core::Unexpected(in_file(path, std::move(set).error()));
  }
  if (*found == version) return {};
  if (path == kInMemory && *found == 0) {
    if (auto copied = copy_new_schema(connection, version); !copied)
      return core::Unexpected(in_file(path, std::move(copied).error()));
    return {};
  }
  auto migrated = migrate(connection, path, version);
  if (!migrated && migrated.error().code != Errc::UnsupportedSchemaVersion) {
    return core::Unexpected(in_file(path, std::move(migrated).error()));
  }
  return migrated;
}

} // namespace pipeline
