// Spec: docs/spec/im-voip-flow.md
#include "pipeline/store.hpp"

#include "core/parse_number.hpp"
#include "core/wait_for_answer.hpp"
#include "pipeline/error.hpp"
#include "pipeline/group_commit.hpp"
#include "pipeline/message_summary.hpp"
#include "pipeline/push_request.hpp"
#include "pipeline/schema.hpp"
#include "pipeline/sqlite.hpp"
#include "pipeline/user_cache.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string_view>

namespace pipeline {
namespace {

// How a row spells an environment: dev/prod, as rows always have (a store's format does not
// change under it); core::parse_apns_environment reads these words back.
std::string_view stored(Environment environment) {
  return environment == Environment::Sandbox ? "dev" : "prod";
}

using sqlite::ResetOnExit;
using sqlite::Statement;

std::int64_t to_millis(core::TimePoint at) {
  return core::unix_millis(at);
}

std::optional<std::int64_t> to_millis(const std::optional<core::TimePoint>& at) {
  if (!at) return std::nullopt;
  return to_millis(*at);
}

// The console's pair for the n-th record ever added: (1001, 1002), (1003, 1004), ... (§2.1).
constexpr std::int64_t dev_certificate_id(std::int64_t record_id) {
  return 999 + 2 * record_id;
}
constexpr std::int64_t prod_certificate_id(std::int64_t record_id) {
  return 1000 + 2 * record_id;
}

constexpr std::string_view kMessageIdPrefix = "msg-";

std::string message_id_for(std::int64_t seq) {
  return std::string(kMessageIdPrefix) + std::to_string(seq);
}

// The row number of a message id; nothing for text message_id_for never makes ("msg-01").
std::optional<std::int64_t> seq_of(std::string_view message_id) {
  if (!message_id.starts_with(kMessageIdPrefix)) return std::nullopt;
  const std::string_view digits = message_id.substr(kMessageIdPrefix.size());
  const auto seq = core::parse_whole<std::int64_t>(digits);
  if (!seq || *seq < 1 || digits.front() == '0') return std::nullopt;
  return seq;
}

const std::string kCertificateColumns =
    "record_id, name, bundle_id, type, not_before_ms, not_after_ms, cert_id_dev, cert_id_prod, "
    "certificate_pem, private_key_pem, health, created_at_ms";
const std::string kRegistrationColumns = "user, token_hex, cert_record_id, environment, bundle_id, "
                                         "updated_at_ms, state, reason, installation";
// Everything but seq (the message id's number), in the order add_message binds them.
// `installation` names the message's one push when the row holds it (im-voip-flow.md §3.4);
// '' when it has none or its pushes have rows (has_push_rows). group_id: a group message's group.
const std::string kMessageFields =
    "sender, receiver, content, ios_push_type, ext, title, description, created_at_ms, state, "
    "reason, apns_id, attempts, next_attempt_at_ms, token_hex, cert_record_id, environment, "
    "bundle_id, msg_random, installation, group_id";
// A push's columns but message_seq, in the order insert_push binds them and read_push reads them.
const std::string kPushFields = "receiver, installation, state, reason, apns_id, attempts, "
                                "next_attempt_at_ms, token_hex, cert_record_id, environment, "
                                "bundle_id";
constexpr int kMessageColumns = 21; // seq, then kMessageFields

// "a, b" with `prefix` before each column: "m.a, m.b".
std::string prefixed(std::string_view prefix, const std::string& columns) {
  std::string out(prefix);
  for (const char c : columns) {
    out += c;
    if (c == ' ') out += prefix;
  }
  return out;
}

CertificateRecord read_certificate(const Statement& row) {
  CertificateRecord record;
  record.record_id = row.integer(0);
  record.name = row.text(1);
  record.bundle_id = row.text(2);
  record.type = row.text(3);
  record.not_before = core::from_unix_millis(row.integer(4));
  record.not_after = core::from_unix_millis(row.integer(5));
  record.cert_id_dev = row.integer(6);
  record.cert_id_prod = row.integer(7);
  record.certificate_pem = row.text(8);
  record.private_key_pem = row.text(9);
  // A health this build does not know (a newer build's) reads as ok rather than hiding the row.
  record.health = parse_certificate_health(row.text(10)).value_or(CertificateHealth::Ok);
  record.created_at = core::from_unix_millis(row.integer(11));
  return record;
}

// nullopt for a row whose enum text this build does not know (written by hand, or by a build
// with another schema version, which open() refuses).
std::optional<Registration> read_registration(const Statement& row) {
  const auto environment = core::parse_apns_environment(row.text(3));
  const auto state = parse_registration_state(row.text(6));
  if (!environment || !state) return std::nullopt;
  Registration registration;
  registration.user = row.text(0);
  registration.token_hex = row.text(1);
  registration.cert_record_id = row.integer(2);
  registration.environment = *environment;
  registration.bundle_id = row.text(4);
  registration.updated_at = core::from_unix_millis(row.integer(5));
  registration.state = *state;
  registration.reason = row.text(7);
  registration.installation = row.text(8);
  return registration;
}

// Columns: seq, then kMessageFields.
std::optional<MessageRecord> read_message(const Statement& row) {
  const auto state = parse_message_state(row.text(9));
  const auto environment = core::parse_apns_environment(row.text(16));
  if (!state || !environment) return std::nullopt;
  MessageRecord message;
  message.message_id = message_id_for(row.integer(0));
  message.sender = row.text(1);
  message.receiver = row.text(2);
  message.content = row.text(3);
  message.ios_push_type = row.text(4);
  message.ext = row.text(5);
  message.title = row.text(6);
  message.desc = row.text(7);
  message.created_at = core::from_unix_millis(row.integer(8));
  message.state = *state;
  message.reason = row.text(10);
  message.apns_id = row.text(11);
  message.attempts = static_cast<int>(row.integer(12));
  if (const auto next = row.optional_integer(13))
    message.next_attempt_at = core::from_unix_millis(*next);
  message.token_hex = row.text(14);
  message.cert_record_id = row.integer(15);
  message.environment = *environment;
  message.bundle_id = row.text(17);
  // Stored as SQLite's signed integer, bit for bit.
  if (const auto random = row.optional_integer(18))
    message.random = static_cast<std::uint64_t>(*random);
  // A row that holds its message's one push reads as that push's view (take_only_push).
  message.installation = row.text(19);
  if (!message.installation.empty()) message.push_count = 1;
  message.group = row.text(20);
  return message;
}

// kPushFields from column `at` on.
std::optional<PushRecord> read_push(const Statement& row, int from) {
  PushRecord push;
  push.receiver = row.text(from);
  const int at = from + 1; // the columns after receiver
  const auto state = parse_message_state(row.text(at + 1));
  const auto environment = core::parse_apns_environment(row.text(at + 8));
  if (!state || !environment) return std::nullopt;
  push.installation = row.text(at);
  push.state = *state;
  push.reason = row.text(at + 2);
  push.apns_id = row.text(at + 3);
  push.attempts = static_cast<int>(row.integer(at + 4));
  if (const auto next = row.optional_integer(at + 5))
    push.next_attempt_at = core::from_unix_millis(*next);
  push.token_hex = row.text(at + 6);
  push.cert_record_id = row.integer(at + 7);
  push.environment = *environment;
  push.bundle_id = row.text(at + 9);
  return push;
}

} // namespace

// Every statement is prepared once in open() and reused; the mutex serialises all use of the
// connection and of the statements' bindings.
struct Store::Impl {
  std::mutex mutex;
  std::unique_ptr<sqlite::Connection> db;

  Statement insert_certificate;
  Statement set_certificate_ids;
  Statement select_certificates;
  Statement select_certificate;
  Statement select_certificate_by_id;
  Statement delete_certificate;
  Statement update_certificate_health;
  Statement upsert_registration;
  Statement update_registration_state;
  Statement delete_registration;
  Statement upsert_presence;
  Statement insert_push;
  Statement update_push;
  Statement select_pushes;
  Statement select_pending_pushes;
  Statement upsert_receive_option;
  Statement insert_group;
  Statement insert_group_member;
  Statement delete_group_member;
  Statement insert_message;
  Statement update_message;
  Statement select_message;
  Statement select_pending_messages;
  Statement select_messages_with_random;

  core::Result<void> prepare_statements();
  // Runs a statement that changes rows; true when it changed at least one.
  bool changed_rows(Statement& statement);
  std::vector<CertificateRecord> read_certificates(Statement& query);

  // The message writes go through here (group_commit.hpp); made once the statements are ready.
  std::optional<GroupCommit> writes;
  // What sendMessage reads, without the connection (user_cache.hpp); changed under `mutex`.
  UserCache users;

  core::Result<void> load_users();

  // Every group with its members (§4.3 "Group sends"), loaded at open and written through as
  // the users are; a group send reads its group here, never from the connection.
  mutable std::shared_mutex groups_mutex;
  std::map<std::string, Group, std::less<>> groups;
  core::Result<void> load_groups();
  // The last login number handed out (presence.login_seq); changed under `mutex`.
  std::uint64_t last_login_seq = 0;

  // The last message row number handed out (AUTOINCREMENT's counter, read at open): the store
  // holds its file exclusively, so it numbers the rows itself and knows each id, and so the
  // apns-id, before the row is written. Changed on the group committer's thread, under `mutex`.
  std::int64_t last_message_seq = 0;
  core::Result<void> load_last_message_seq();

  core::Result<void> insert_message_row(MessageRecord& message);
  core::Result<void> update_message_row(const MessageRecord& message);
  core::Result<void> insert_push_rows(std::int64_t seq, const std::vector<PushRecord>& pushes);
  core::Result<void> update_push_row(std::int64_t seq, const MessageRecord& view);
  // The pushes of message row `seq`, ordered by installation; with `mutex` held.
  core::Result<std::vector<PushRecord>> read_pushes(std::int64_t seq);
};

core::Result<void> Store::Impl::prepare_statements() {
  const std::string select_certificates_sql =
      "SELECT " + kCertificateColumns + " FROM certificates";
  const std::string select_messages_sql = "SELECT seq, " + kMessageFields + " FROM messages";
  const std::pair<Statement*, std::string> statements[] = {
      {&insert_certificate,
       "INSERT INTO certificates (name, bundle_id, type, not_before_ms, not_after_ms, "
       "certificate_pem, private_key_pem, health, created_at_ms) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
      {&set_certificate_ids,
       "UPDATE certificates SET cert_id_dev = ?2, cert_id_prod = ?3 WHERE record_id = ?1"},
      {&select_certificates, select_certificates_sql + " ORDER BY record_id"},
      {&select_certificate, select_certificates_sql + " WHERE record_id = ?1"},
      {&select_certificate_by_id,
       select_certificates_sql + " WHERE cert_id_dev = ?1 OR cert_id_prod = ?1"},
      {&delete_certificate, "DELETE FROM certificates WHERE record_id = ?1"},
      {&update_certificate_health, "UPDATE certificates SET health = ?2 WHERE record_id = ?1"},
      {&upsert_registration,
       "INSERT INTO registrations (" + kRegistrationColumns +
           ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (user, installation) DO "
           "UPDATE SET "
           "token_hex = ?2, cert_record_id = ?3, environment = ?4, bundle_id = ?5, "
           "updated_at_ms = ?6, state = ?7, reason = ?8"},
      {&update_registration_state, "UPDATE registrations SET state = ?2, reason = ?3 "
                                   "WHERE user = ?1 AND installation = ?5 AND "
                                   "(?4 = '' OR token_hex = ?4)"},
      {&delete_registration, "DELETE FROM registrations WHERE user = ?1 AND installation = ?2"},
      {&upsert_presence,
       "INSERT INTO presence (user, installation, presence, updated_at_ms, login_seq) "
       "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (user, installation) DO UPDATE SET "
       "presence = ?3, updated_at_ms = ?4, login_seq = ?5"},
      {&insert_push,
       "INSERT INTO pushes (" + kPushFields +
           ", message_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"},
      {&update_push,
       "UPDATE pushes SET state = ?4, reason = ?5, apns_id = ?6, attempts = ?7, "
       "next_attempt_at_ms = ?8, token_hex = ?9, cert_record_id = ?10, environment = ?11, "
       "bundle_id = ?12 WHERE message_seq = ?1 AND receiver = ?2 AND installation = ?3"},
      {&select_pushes, "SELECT " + kPushFields +
                           " FROM pushes WHERE message_seq = ?1 ORDER BY receiver, installation"},
      {&select_pending_pushes,
       "SELECT m.seq, " + prefixed("m.", kMessageFields) + ", " + prefixed("p.", kPushFields) +
           ", (SELECT count(*) FROM pushes q WHERE q.message_seq = p.message_seq)"
           " FROM pushes p JOIN messages m ON m.seq = p.message_seq WHERE p.state = 'pending' "
           "ORDER BY p.message_seq, p.receiver, p.installation"},
      {&upsert_receive_option,
       "INSERT INTO receive_options (user, scope, target, option, updated_at_ms) "
       "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (user, scope, target) DO UPDATE SET "
       "option = ?4, updated_at_ms = ?5"},
      {&insert_group, "INSERT INTO chat_groups (id, type, created_at_ms) VALUES (?1, ?2, ?3)"},
      {&insert_group_member, "INSERT OR IGNORE INTO group_members (group_id, user, joined_at_ms) "
                             "SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM chat_groups "
                             "WHERE id = ?1)"},
      {&delete_group_member, "DELETE FROM group_members WHERE group_id = ?1 AND user = ?2"},
      {&insert_message, "INSERT INTO messages (" + kMessageFields +
                            ", seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                            "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)"},
      {&update_message,
       "UPDATE messages SET state = ?2, reason = ?3, apns_id = ?4, attempts = ?5, "
       "next_attempt_at_ms = ?6, token_hex = ?7, cert_record_id = ?8, environment = ?9, "
       "bundle_id = ?10 WHERE seq = ?1"},
      {&select_message, select_messages_sql + " WHERE seq = ?1"},
      {&select_pending_messages,
       select_messages_sql + " WHERE state = 'pending' AND NOT EXISTS (SELECT 1 FROM pushes "
                             "WHERE message_seq = seq) ORDER BY seq"},
      {&select_messages_with_random,
       select_messages_sql +
           " WHERE msg_random IS NOT NULL AND created_at_ms >= ?1 ORDER BY created_at_ms"},
  };
  for (const auto& [statement, sql] : statements) {
    auto prepared = db->prepare(sql);
    if (!prepared) return core::Unexpected(std::move(prepared).error());
    *statement = std::move(*prepared);
  }
  return {};
}

// A row that does not parse is left out, as the reads by key always did.
core::Result<void> Store::Impl::load_users() {
  auto registrations = db->prepare("SELECT " + kRegistrationColumns + " FROM registrations");
  if (!registrations) return core::Unexpected(std::move(registrations).error());
  auto loaded = sqlite::for_each_row(*registrations, [&](const Statement& row) {
    if (auto registration = read_registration(row)) users.put_registration(*registration);
  });
  if (!loaded) return loaded;
  auto presence = db->prepare("SELECT user, installation, presence, login_seq FROM presence");
  if (!presence) return core::Unexpected(std::move(presence).error());
  loaded = sqlite::for_each_row(*presence, [&](const Statement& row) {
    const auto state = parse_presence(row.text(2));
    if (!state) return;
    InstallationPresence one;
    one.installation = row.text(1);
    one.presence = *state;
    one.login_seq = static_cast<std::uint64_t>(row.integer(3));
    last_login_seq = std::max(last_login_seq, one.login_seq);
    users.set_presence(row.text(0), one);
  });
  if (!loaded) return loaded;
  auto options = db->prepare("SELECT user, scope, target, option FROM receive_options");
  if (!options) return core::Unexpected(std::move(options).error());
  return sqlite::for_each_row(*options, [&](const Statement& row) {
    const auto scope = parse_receive_scope(row.text(1));
    const auto option = parse_receive_option(row.text(3));
    if (scope && option) users.set_receive_option(row.text(0), *scope, row.text(2), *option);
  });
}

// A group of a type this build does not know is left out, as a row that does not parse is.
core::Result<void> Store::Impl::load_groups() {
  auto rows = db->prepare("SELECT id, type FROM chat_groups");
  if (!rows) return core::Unexpected(std::move(rows).error());
  auto loaded = sqlite::for_each_row(*rows, [&](const Statement& row) {
    if (const auto type = parse_group_type(row.text(1)))
      groups.emplace(row.text(0), Group{row.text(0), *type, {}});
  });
  if (!loaded) return loaded;
  auto members = db->prepare("SELECT group_id, user FROM group_members");
  if (!members) return core::Unexpected(std::move(members).error());
  return sqlite::for_each_row(*members, [&](const Statement& row) {
    if (const auto found = groups.find(row.text(0)); found != groups.end())
      found->second.members.insert(row.text(1));
  });
}

bool Store::Impl::changed_rows(Statement& statement) {
  return statement.run() && db->changes() > 0;
}

std::vector<CertificateRecord> Store::Impl::read_certificates(Statement& query) {
  std::vector<CertificateRecord> records;
  for (auto row = query.next_row(); row && *row; row = query.next_row()) {
    records.push_back(read_certificate(query));
  }
  return records;
}

// --- Lifetime --------------------------------------------------------------------------------

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Store::~Store() = default;

core::Result<std::unique_ptr<Store>> Store::open(const std::string& path) {
  if (path.empty()) {
    return core::fail(core::Errc::InvalidArgument,
                      "pipeline store: empty path (use \":memory:\" for an in-memory store)");
  }
  auto impl = std::make_unique<Impl>();
  auto connection = sqlite::Connection::open(path);
  if (!connection) {
    auto error = std::move(connection).error();
    error.detail = "cannot open pipeline store " + path + ": " + error.detail;
    return core::Unexpected(std::move(error));
  }
  impl->db = std::move(*connection);
  if (auto ready = prepare_database(*impl->db, path, kSchemaVersion); !ready) {
    auto error = std::move(ready).error();
    // The store holds its file exclusively (schema.cpp): busy means another holder.
    if (error.code == Errc::Busy)
      error.detail += " (another process, such as a second 'voipsim pipeline', has " + path +
                      " open; stop it or use another --db)";
    return core::Unexpected(std::move(error));
  }
  if (auto prepared = impl->prepare_statements(); !prepared) {
    return core::Unexpected(std::move(prepared).error());
  }
  if (auto loaded = impl->load_users(); !loaded) return core::Unexpected(std::move(loaded).error());
  if (auto loaded = impl->load_groups(); !loaded)
    return core::Unexpected(std::move(loaded).error());
  if (auto last = impl->load_last_message_seq(); !last)
    return core::Unexpected(std::move(last).error());
  impl->writes.emplace(*impl->db, impl->mutex);
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

// --- Certificates ----------------------------------------------------------------------------

core::Result<CertificateRecord> Store::add_certificate(CertificateRecord record) {
  std::lock_guard lock(impl_->mutex);
  return sqlite::in_transaction(*impl_->db, [&]() -> core::Result<CertificateRecord> {
    ResetOnExit reset_insert(impl_->insert_certificate);
    auto inserted =
        impl_->insert_certificate
            .bind_all(record.name, record.bundle_id, record.type, to_millis(record.not_before),
                      to_millis(record.not_after), record.certificate_pem, record.private_key_pem,
                      to_string(record.health), to_millis(record.created_at))
            .run();
    if (!inserted) return core::Unexpected(std::move(inserted).error());

    record.record_id = impl_->db->last_insert_rowid();
    record.cert_id_dev = dev_certificate_id(record.record_id);
    record.cert_id_prod = prod_certificate_id(record.record_id);
    ResetOnExit reset_ids(impl_->set_certificate_ids);
    auto numbered = impl_->set_certificate_ids
                        .bind_all(record.record_id, record.cert_id_dev, record.cert_id_prod)
                        .run();
    if (!numbered) return core::Unexpected(std::move(numbered).error());
    return std::move(record);
  });
}

std::vector<CertificateRecord> Store::certificates() const {
  std::lock_guard lock(impl_->mutex);
  ResetOnExit reset(impl_->select_certificates);
  return impl_->read_certificates(impl_->select_certificates);
}

std::optional<CertificateRecord> Store::certificate(std::int64_t record_id) const {
  std::lock_guard lock(impl_->mutex);
  ResetOnExit reset(impl_->select_certificate);
  auto records = impl_->read_certificates(impl_->select_certificate.bind_all(record_id));
  if (records.empty()) return std::nullopt;
  return std::move(records.front());
}

std::optional<std::pair<CertificateRecord, Environment>>
Store::certificate_by_id(std::int64_t certificate_id) const {
  std::lock_guard lock(impl_->mutex);
  ResetOnExit reset(impl_->select_certificate_by_id);
  auto records = impl_->read_certificates(impl_->select_certificate_by_id.bind_all(certificate_id));
  if (records.empty()) return std::nullopt;
  const Environment environment = records.front().cert_id_dev == certificate_id
                                      ? Environment::Sandbox
                                      : Environment::Production;
  return std::pair{std::move(records.front()), environment};
}

bool Store::delete_certificate(std::int64_t record_id) {
  std::lock_guard lock(impl_->mutex);
  ResetOnExit reset(impl_->delete_certificate);
  const bool deleted = impl_->changed_rows(impl_->delete_certificate.bind_all(record_id));
  if (deleted) impl_->users.delete_registrations_of(record_id);
  return deleted;
}

bool Store::set_certificate_health(std::int64_t record_id, CertificateHealth health) {
  std::lock_guard lock(impl_->mutex);
  ResetOnExit reset(impl_->update_certificate_health);
  return impl_->changed_rows(
      impl_->update_certificate_health.bind_all(record_id, to_string(health)));
}

// --- Registrations ---------------------------------------------------------------------------

core::Result<void> Store::put_registration(const Registration& registration) {
  std::lock_guard lock(impl_->mutex);
  ResetOnExit reset(impl_->upsert_registration);
  auto put = impl_->upsert_registration
                 .bind_all(registration.user, registration.token_hex, registration.cert_record_id,
                           stored(registration.environment), registration.bundle_id,
                           to_millis(registration.updated_at), to_string(registration.state),
                           registration.reason, registration.installation)
                 .run();
  if (put) impl_->users.put_registration(registration);
  return put;
}

std::optional<Registration> Store::registration(const std::string& user,
                                                const std::string& installation) const {
  return impl_->users.registration(user, installation);
}

std::vector<Registration> Store::registrations(const std::string& user) const {
  return impl_->users.registrations(user);
}

bool Store::set_registration_state(const std::string& user, const std::string& installation,
                                   RegistrationState state, const std::string& reason,
                                   const std::string& only_for_token) {
  std::lock_guard lock(impl_->mutex);
  ResetOnExit reset(impl_->update_registration_state);
  const bool changed = impl_->changed_rows(impl_->update_registration_state.bind_all(
      user, to_string(state), reason, only_for_token, installation));
  if (changed)
    impl_->users.set_registration_state(user, installation, state, reason, only_for_token);
  return changed;
}

bool Store::delete_registration(const std::string& user, const std::string& installation) {
  std::lock_guard lock(impl_->mutex);
  ResetOnExit reset(impl_->delete_registration);
  const bool deleted = impl_->changed_rows(impl_->delete_registration.bind_all(user, installation));
  if (deleted) impl_->users.delete_registration(user, installation);
  return deleted;
}

// --- Presence --------------------------------------------------------------------------------

core::Result<void> Store::set_presence(const std::string& user, const std::string& installation,
                                       Presence presence, core::TimePoint at) {
  std::lock_guard lock(impl_->mutex);
  InstallationPresence one;
  one.installation = installation;
  one.presence = presence;
  const auto before = impl_->users.presence(user, installation);
  if (logged_in(presence) && !(before && logged_in(*before))) {
    one.login_seq = impl_->last_login_seq + 1; // a login
  } else {
    for (const auto& known : impl_->users.installations(user))
      if (known.installation == installation) one.login_seq = known.login_seq;
  }
  ResetOnExit reset(impl_->upsert_presence);
  auto set = impl_->upsert_presence
                 .bind_all(user, installation, to_string(presence), to_millis(at),
                           static_cast<std::int64_t>(one.login_seq))
                 .run();
  if (!set) return set;
  impl_->last_login_seq = std::max(impl_->last_login_seq, one.login_seq);
  impl_->users.set_presence(user, one);
  return set;
}

std::optional<Presence> Store::presence(const std::string& user,
                                        const std::string& installation) const {
  return impl_->users.presence(user, installation);
}

std::vector<InstallationPresence> Store::installations(const std::string& user) const {
  return impl_->users.installations(user);
}

std::vector<PushTarget> Store::push_targets(const std::string& user) const {
  return impl_->users.push_targets(user);
}

// --- Receive options -------------------------------------------------------------------------

core::Result<void> Store::set_receive_option(const std::string& user, ReceiveScope scope,
                                             const std::string& target, ReceiveOption option,
                                             core::TimePoint at) {
  const std::string kept = scope == ReceiveScope::Global ? std::string() : target;
  std::lock_guard lock(impl_->mutex);
  ResetOnExit reset(impl_->upsert_receive_option);
  auto set = impl_->upsert_receive_option
                 .bind_all(user, to_string(scope), kept, to_string(option), to_millis(at))
                 .run();
  if (set) impl_->users.set_receive_option(user, scope, kept, option);
  return set;
}

ReceiveOptions Store::receive_options(const std::string& user) const {
  return impl_->users.receive_options(user);
}

std::optional<std::string> Store::receive_option_blocks(const std::string& user,
                                                        const MessageOrigin& origin) const {
  return impl_->users.receive_option_blocks(user, origin);
}

// --- Groups ---------------------------------------------------------------------------------

core::Result<void> Store::add_group(const Group& group, core::TimePoint at) {
  std::lock_guard lock(impl_->mutex);
  auto added = sqlite::in_transaction(*impl_->db, [&]() -> core::Result<void> {
    {
      ResetOnExit reset(impl_->insert_group);
      auto inserted =
          impl_->insert_group.bind_all(group.id, to_string(group.type), to_millis(at)).run();
      if (!inserted) return inserted;
    }
    for (const auto& member : group.members) {
      ResetOnExit reset(impl_->insert_group_member);
      auto inserted = impl_->insert_group_member.bind_all(group.id, member, to_millis(at)).run();
      if (!inserted) return inserted;
    }
    return {};
  });
  if (added) {
    std::unique_lock groups(impl_->groups_mutex);
    impl_->groups.insert_or_assign(group.id, group);
  }
  return added;
}

core::Result<bool> Store::set_group_member(const std::string& group_id, const std::string& user,
                                           bool member, core::TimePoint at) {
  std::lock_guard lock(impl_->mutex);
  Statement& statement = member ? impl_->insert_group_member : impl_->delete_group_member;
  ResetOnExit reset(statement);
  auto changed = member ? statement.bind_all(group_id, user, to_millis(at)).run()
                        : statement.bind_all(group_id, user).run();
  if (!changed) return core::Unexpected(std::move(changed).error());
  if (impl_->db->changes() == 0) return false;
  std::unique_lock groups(impl_->groups_mutex);
  if (const auto found = impl_->groups.find(group_id); found != impl_->groups.end()) {
    if (member)
      found->second.members.insert(user);
    else
      found->second.members.erase(user);
  }
  return true;
}

std::optional<Group> Store::group(const std::string& group_id) const {
  std::shared_lock groups(impl_->groups_mutex);
  const auto found = impl_->groups.find(group_id);
  if (found == impl_->groups.end()) return std::nullopt;
  return found->second;
}

// --- Messages --------------------------------------------------------------------------------

core::Result<void> Store::Impl::load_last_message_seq() {
  auto last = db->query_integer(
      "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0)");
  if (!last) return core::Unexpected(std::move(last).error());
  last_message_seq = *last;
  return {};
}

// Runs on the group committer's thread, inside its transaction, with the mutex held. A message
// stored with its first attempt counted is stored with its apns-id too (derived from its id,
// the same on every retry), so reading it while that push is on the wire shows both. A message
// of one push keeps it in its own row, which costs what a message cost before installations
// (im-voip-flow.md §3.4); only two or more pushes get rows of their own, and the message row
// their summary.
core::Result<void> Store::Impl::insert_message_row(MessageRecord& message) {
  const std::int64_t seq = last_message_seq + 1;
  message.message_id = message_id_for(seq);
  for (auto& push : message.pushes) {
    if (push.receiver.empty()) push.receiver = message.receiver; // one-to-one: the message's
    if (push.attempts > 0) push.apns_id = apns_id_for(message, push.receiver, push.installation);
  }
  const bool pushes_of_their_own = has_push_rows(message);
  if (!pushes_of_their_own && message.pushes.size() == 1)
    take_only_push(message, message.pushes.front());
  if (message.pushes.empty() && message.attempts > 0)
    message.apns_id = apns_id_for(message.message_id, message.installation);
  if (pushes_of_their_own) {
    summarise(message);
    if (auto inserted = insert_push_rows(seq, message.pushes); !inserted) return inserted;
  }
  // Both arms string_views: a "" : std::string ternary would make a temporary string.
  const std::string_view installation =
      pushes_of_their_own ? std::string_view() : std::string_view(message.installation);
  ResetOnExit reset(insert_message);
  auto inserted =
      insert_message
          .bind_all(message.sender, message.receiver, message.content, message.ios_push_type,
                    message.ext, message.title, message.desc, to_millis(message.created_at),
                    to_string(message.state), message.reason, message.apns_id,
                    static_cast<std::int64_t>(message.attempts), to_millis(message.next_attempt_at),
                    message.token_hex, message.cert_record_id, stored(message.environment),
                    message.bundle_id,
                    message.random ? std::optional(static_cast<std::int64_t>(*message.random))
                                   : std::nullopt,
                    installation, message.group, seq)
          .run();
  // A number taken by a write that is later rolled back is not handed out again (as with
  // AUTOINCREMENT); ids stay unique, perhaps with a gap.
  if (inserted) last_message_seq = seq;
  return inserted;
}

core::Result<void> Store::Impl::insert_push_rows(std::int64_t seq,
                                                 const std::vector<PushRecord>& pushes) {
  for (const auto& push : pushes) {
    ResetOnExit reset(insert_push);
    auto inserted =
        insert_push
            .bind_all(push.receiver, push.installation, to_string(push.state), push.reason,
                      push.apns_id, static_cast<std::int64_t>(push.attempts),
                      to_millis(push.next_attempt_at), push.token_hex, push.cert_record_id,
                      stored(push.environment), push.bundle_id, seq)
            .run();
    if (!inserted) return inserted;
  }
  return {};
}

core::Result<std::vector<PushRecord>> Store::Impl::read_pushes(std::int64_t seq) {
  ResetOnExit reset(select_pushes);
  select_pushes.bind_all(seq);
  std::vector<PushRecord> pushes;
  for (;;) {
    auto row = select_pushes.next_row();
    if (!row) return core::Unexpected(std::move(row).error());
    if (!*row) return pushes;
    if (auto push = read_push(select_pushes, 0)) pushes.push_back(std::move(*push));
  }
}

// The push, then the message's summary of its pushes (the message row's push columns).
core::Result<void> Store::Impl::update_push_row(std::int64_t seq, const MessageRecord& view) {
  {
    ResetOnExit reset(update_push);
    auto updated =
        update_push
            .bind_all(seq, view.receiver, view.installation, to_string(view.state), view.reason,
                      view.apns_id, static_cast<std::int64_t>(view.attempts),
                      to_millis(view.next_attempt_at), view.token_hex, view.cert_record_id,
                      stored(view.environment), view.bundle_id)
            .run();
    if (!updated) return updated;
    if (db->changes() == 0)
      return core::fail(make_error_code(Errc::NotFound), "no push of " + view.message_id + " to " +
                                                             view.receiver + "/" +
                                                             view.installation);
  }
  MessageRecord summary;
  summary.message_id = view.message_id;
  auto pushes = read_pushes(seq);
  if (!pushes) return core::Unexpected(std::move(pushes).error());
  summary.pushes = std::move(*pushes);
  summarise(summary);
  summary.pushes.clear();
  return update_message_row(summary);
}

core::Result<void> Store::Impl::update_message_row(const MessageRecord& message) {
  const auto seq = seq_of(message.message_id);
  if (!seq) return core::fail(make_error_code(Errc::NotFound), "no message " + message.message_id);
  // A message of one push keeps it in its row (insert_message_row): one UPDATE, as before.
  if (has_push_rows(message)) return update_push_row(*seq, message);
  ResetOnExit reset(update_message);
  auto updated =
      update_message
          .bind_all(*seq, to_string(message.state), message.reason, message.apns_id,
                    static_cast<std::int64_t>(message.attempts), to_millis(message.next_attempt_at),
                    message.token_hex, message.cert_record_id, stored(message.environment),
                    message.bundle_id)
          .run();
  if (!updated) return updated;
  if (db->changes() == 0)
    return core::fail(make_error_code(Errc::NotFound), "no message " + message.message_id);
  return {};
}

void Store::add_message(MessageRecord message, MessageAdded added) {
  // Shared by the write and what follows its commit (two callables, one record).
  auto record = std::make_shared<MessageRecord>(std::move(message));
  impl_->writes->run_then(
      [impl = impl_.get(), record] { return impl->insert_message_row(*record); },
      [record, added = std::move(added)](core::Result<void> committed) {
        if (!committed) return added(core::Unexpected(committed.error()));
        added(std::move(*record));
      });
}

core::Result<MessageRecord> Store::add_message(MessageRecord message) {
  return core::wait_for_answer<core::Result<MessageRecord>>(
      [&](MessageAdded added) { add_message(std::move(message), std::move(added)); });
}

core::Result<void> Store::update_message(const MessageRecord& message) {
  return impl_->writes->run([&] { return impl_->update_message_row(message); });
}

void Store::update_message_later(MessageRecord message) {
  impl_->writes->run_later([impl = impl_.get(), message = std::move(message)] {
    return impl->update_message_row(message);
  });
}

std::uint64_t Store::failed_later_writes() const {
  return impl_->writes->failures();
}

std::optional<MessageRecord> Store::message(const std::string& message_id) const {
  const auto seq = seq_of(message_id);
  if (!seq) return std::nullopt;
  impl_->writes->flush(); // see the writes handed over before this read
  std::lock_guard lock(impl_->mutex);
  ResetOnExit reset(impl_->select_message);
  auto row = impl_->select_message.bind_all(*seq).next_row();
  if (!row || !*row) return std::nullopt;
  auto message = read_message(impl_->select_message);
  if (!message) return std::nullopt;
  if (message->push_count == 1) { // its one push is in its row
    message->pushes = {push_of(*message)};
  } else if (auto pushes = impl_->read_pushes(*seq)) {
    message->pushes = std::move(*pushes);
  }
  return message;
}

void Store::flush() {
  impl_->writes->flush();
}

std::vector<MessageRecord> Store::pending_messages() const {
  impl_->writes->flush();
  std::lock_guard lock(impl_->mutex);
  std::vector<std::pair<std::int64_t, MessageRecord>> found;
  {
    Statement& query = impl_->select_pending_pushes;
    ResetOnExit reset(query);
    for (auto row = query.next_row(); row && *row; row = query.next_row()) {
      const auto message = read_message(query);
      const auto push = read_push(query, kMessageColumns);
      if (!message || !push) continue;
      auto view = push_view(*message, *push);
      view.push_count = static_cast<std::size_t>(query.integer(kMessageColumns + 11));
      found.emplace_back(query.integer(0), std::move(view));
    }
  }
  {
    Statement& query = impl_->select_pending_messages;
    ResetOnExit reset(query);
    for (auto row = query.next_row(); row && *row; row = query.next_row()) {
      if (auto message = read_message(query)) found.emplace_back(query.integer(0), *message);
    }
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<MessageRecord> messages;
  for (auto& [seq, message] : found)
    messages.push_back(std::move(message));
  return messages;
}

std::vector<MessageRecord> Store::messages_with_random_since(core::TimePoint since) const {
  impl_->writes->flush();
  std::lock_guard lock(impl_->mutex);
  Statement& query = impl_->select_messages_with_random;
  ResetOnExit reset(query);
  query.bind_all(to_millis(since));
  std::vector<MessageRecord> messages;
  for (auto row = query.next_row(); row && *row; row = query.next_row()) {
    if (auto message = read_message(query)) messages.push_back(std::move(*message));
  }
  return messages;
}

} // namespace pipeline
