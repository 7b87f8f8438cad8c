// Spec: docs/spec/im-voip-flow.md
#include "pipeline/error.hpp"
#include "pipeline/message_summary.hpp"
#include "pipeline/push_request.hpp"
#include "pipeline/schema.hpp"
#include "pipeline/sqlite.hpp"
#include "pipeline/store.hpp"
#include "support/temp_dir.hpp"

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

namespace {

using namespace std::chrono_literals;
using pipeline::Environment;
using pipeline::MessageOrigin;
using pipeline::MessageState;
using pipeline::Store;

// Millisecond precision is what the store keeps; these times use all of it.
const core::TimePoint kT0 = core::from_unix_seconds(1'767'225'600) + 123ms;

std::unique_ptr<Store> open_store(const std::string& path = ":memory:") {
  auto store = Store::open(path);
  EXPECT_TRUE(store) << store.error().message();
  return store ? std::move(*store) : nullptr;
}

pipeline::CertificateRecord sample_certificate(const std::string& name = "Acme VoIP") {
  pipeline::CertificateRecord record;
  record.name = name;
  record.bundle_id = "com.example.acme";
  record.not_before = kT0 - 24h - 1ms;
  record.not_after = kT0 + 365 * 24h + 7ms;
  record.certificate_pem = "-----BEGIN CERTIFICATE-----\nleaf\n-----END CERTIFICATE-----\n";
  record.private_key_pem = "-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n";
  record.created_at = kT0 + 5ms;
  return record;
}

pipeline::Registration sample_registration(std::int64_t cert_record_id) {
  pipeline::Registration registration;
  registration.user = "bob";
  registration.token_hex = std::string(64, 'a');
  registration.cert_record_id = cert_record_id;
  registration.environment = Environment::Production;
  registration.bundle_id = "com.example.acme";
  registration.updated_at = kT0 + 42ms;
  return registration;
}

pipeline::MessageRecord sample_message(const std::string& receiver = "bob") {
  pipeline::MessageRecord message;
  message.sender = "alice";
  message.receiver = receiver;
  message.content = "call me";
  message.ios_push_type = "voip";
  message.ext = "{\n  \"entity\" : {\"action\": 1, \"sender\": \"alice\"}\n}";
  message.title = "Alice";
  message.desc = "Incoming call";
  message.created_at = kT0 + 999ms;
  return message;
}

void expect_same_certificate(const pipeline::CertificateRecord& a,
                             const pipeline::CertificateRecord& b) {
  EXPECT_EQ(a.record_id, b.record_id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.bundle_id, b.bundle_id);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.not_before, b.not_before);
  EXPECT_EQ(a.not_after, b.not_after);
  EXPECT_EQ(a.cert_id_dev, b.cert_id_dev);
  EXPECT_EQ(a.cert_id_prod, b.cert_id_prod);
  EXPECT_EQ(a.certificate_pem, b.certificate_pem);
  EXPECT_EQ(a.private_key_pem, b.private_key_pem);
  EXPECT_EQ(a.health, b.health);
  EXPECT_EQ(a.created_at, b.created_at);
}

void expect_same_registration(const pipeline::Registration& a, const pipeline::Registration& b) {
  EXPECT_EQ(a.user, b.user);
  EXPECT_EQ(a.token_hex, b.token_hex);
  EXPECT_EQ(a.cert_record_id, b.cert_record_id);
  EXPECT_EQ(a.environment, b.environment);
  EXPECT_EQ(a.bundle_id, b.bundle_id);
  EXPECT_EQ(a.updated_at, b.updated_at);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.reason, b.reason);
}

void expect_same_message(const pipeline::MessageRecord& a, const pipeline::MessageRecord& b) {
  EXPECT_EQ(a.message_id, b.message_id);
  EXPECT_EQ(a.sender, b.sender);
  EXPECT_EQ(a.receiver, b.receiver);
  EXPECT_EQ(a.content, b.content);
  EXPECT_EQ(a.ios_push_type, b.ios_push_type);
  EXPECT_EQ(a.ext, b.ext);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.desc, b.desc);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.apns_id, b.apns_id);
  EXPECT_EQ(a.attempts, b.attempts);
  EXPECT_EQ(a.next_attempt_at, b.next_attempt_at);
  EXPECT_EQ(a.token_hex, b.token_hex);
  EXPECT_EQ(a.cert_record_id, b.cert_record_id);
  EXPECT_EQ(a.environment, b.environment);
  EXPECT_EQ(a.bundle_id, b.bundle_id);
}

using IdPair = std::pair<std::int64_t, std::int64_t>;
IdPair id_pair(const pipeline::CertificateRecord& record) {
  return {record.cert_id_dev, record.cert_id_prod};
}

std::vector<std::string> ids_of(const std::vector<pipeline::MessageRecord>& messages) {
  std::vector<std::string> ids;
  for (const auto& message : messages)
    ids.push_back(message.message_id);
  return ids;
}

// Writes PRAGMA user_version straight through SQLite, as a newer build of the store would.
void stamp_user_version(const std::string& path, int version) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const std::string sql = "PRAGMA user_version=" + std::to_string(version);
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

// --- Certificates ----------------------------------------------------------------------------

TEST(StoreCertificates, RoundTripEveryField) {
  auto store = open_store();
  auto added = store->add_certificate(sample_certificate());
  ASSERT_TRUE(added) << added.error().message();
  EXPECT_EQ(added->record_id, 1);

  auto expected = sample_certificate();
  expected.record_id = added->record_id;
  expected.cert_id_dev = 1001;
  expected.cert_id_prod = 1002;
  expect_same_certificate(*added, expected);
  auto read = store->certificate(added->record_id);
  ASSERT_TRUE(read);
  expect_same_certificate(*read, expected);
  ASSERT_EQ(store->certificates().size(), 1u);
  expect_same_certificate(store->certificates()[0], expected);
}

TEST(StoreCertificates, IdsComeInPairsAndAreNeverReused) {
  auto store = open_store();
  auto first = store->add_certificate(sample_certificate("first"));
  auto second = store->add_certificate(sample_certificate("second"));
  ASSERT_TRUE(first && second);
  EXPECT_EQ(id_pair(*first), (IdPair{1001, 1002}));
  EXPECT_EQ(id_pair(*second), (IdPair{1003, 1004}));

  // Deleting the newest record must not hand its IDs out again: app owners still hold them.
  EXPECT_TRUE(store->delete_certificate(second->record_id));
  EXPECT_FALSE(store->delete_certificate(second->record_id));
  auto third = store->add_certificate(sample_certificate("third"));
  ASSERT_TRUE(third);
  EXPECT_EQ(id_pair(*third), (IdPair{1005, 1006}));
  EXPECT_FALSE(store->certificate(second->record_id));

  std::vector<std::string> names;
  for (const auto& record : store->certificates())
    names.push_back(record.name);
  EXPECT_EQ(names, (std::vector<std::string>{"first", "third"}));
}

TEST(StoreCertificates, ByIdSaysWhichEnvironment) {
  auto store = open_store();
  ASSERT_TRUE(store->add_certificate(sample_certificate("first")));
  ASSERT_TRUE(store->add_certificate(sample_certificate("second")));

  auto dev = store->certificate_by_id(1003);
  ASSERT_TRUE(dev);
  EXPECT_EQ(dev->first.name, "second");
  EXPECT_EQ(dev->second, Environment::Sandbox);
  auto prod = store->certificate_by_id(1004);
  ASSERT_TRUE(prod);
  EXPECT_EQ(prod->first.name, "second");
  EXPECT_EQ(prod->second, Environment::Production);
  EXPECT_EQ(store->certificate_by_id(1001)->first.name, "first");

  for (std::int64_t unknown : {0, 1, 2, 1000, 1005, -1001}) {
    EXPECT_FALSE(store->certificate_by_id(unknown)) << unknown;
  }
}

TEST(StoreCertificates, HealthIsUpdated) {
  auto store = open_store();
  auto added = store->add_certificate(sample_certificate());
  ASSERT_TRUE(added);
  EXPECT_TRUE(
      store->set_certificate_health(added->record_id, pipeline::CertificateHealth::TopicMismatch));
  EXPECT_EQ(store->certificate(added->record_id)->health,
            pipeline::CertificateHealth::TopicMismatch);
  EXPECT_FALSE(store->set_certificate_health(added->record_id + 1,
                                             pipeline::CertificateHealth::BadCertificate));
}

// --- Registrations ---------------------------------------------------------------------------

TEST(StoreRegistrations, RoundTripAndReplace) {
  auto store = open_store();
  auto certificate = store->add_certificate(sample_certificate());
  ASSERT_TRUE(certificate);
  const auto first = sample_registration(certificate->record_id);
  ASSERT_TRUE(store->put_registration(first));
  auto read = store->registration("bob");
  ASSERT_TRUE(read);
  expect_same_registration(*read, first);

  // A new setVOIP replaces the old one, every field of it (§3.3).
  pipeline::Registration second = first;
  second.token_hex = std::string(64, 'b');
  second.environment = Environment::Sandbox;
  second.bundle_id = "com.example.other";
  second.updated_at = kT0 + 1h + 1ms;
  second.state = pipeline::RegistrationState::Inactive;
  second.reason = "LOGGED_OUT";
  ASSERT_TRUE(store->put_registration(second));
  read = store->registration("bob");
  ASSERT_TRUE(read);
  expect_same_registration(*read, second);
  EXPECT_FALSE(store->registration("carol"));
}

TEST(StoreRegistrations, StateChangesAndDelete) {
  auto store = open_store();
  auto certificate = store->add_certificate(sample_certificate());
  ASSERT_TRUE(certificate);
  ASSERT_TRUE(store->put_registration(sample_registration(certificate->record_id)));

  EXPECT_TRUE(store->set_registration_state("bob", pipeline::kDefaultInstallation,
                                            pipeline::RegistrationState::BadToken,
                                            "ENV_OR_TOKEN_INVALID"));
  auto read = store->registration("bob");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->state, pipeline::RegistrationState::BadToken);
  EXPECT_EQ(read->reason, "ENV_OR_TOKEN_INVALID");
  EXPECT_EQ(read->updated_at, kT0 + 42ms); // the token's report time, not the state change's

  EXPECT_FALSE(store->set_registration_state("carol", pipeline::kDefaultInstallation,
                                             pipeline::RegistrationState::Unregistered, ""));
  EXPECT_TRUE(store->delete_registration("bob", pipeline::kDefaultInstallation));
  EXPECT_FALSE(store->delete_registration("bob", pipeline::kDefaultInstallation));
  EXPECT_FALSE(store->registration("bob"));
}

TEST(StoreRegistrations, AnAnswerAboutAnOldTokenLeavesTheNewRegistrationAlone) {
  support::TempDir dir;
  const std::string path = dir.file("pipeline.db");
  {
    auto store = open_store(path);
    auto certificate = store->add_certificate(sample_certificate());
    ASSERT_TRUE(certificate);
    ASSERT_TRUE(store->put_registration(sample_registration(certificate->record_id)));
    EXPECT_FALSE(store->set_registration_state("bob", pipeline::kDefaultInstallation,
                                               pipeline::RegistrationState::BadToken,
                                               "ENV_OR_TOKEN_INVALID", std::string(64, 'f')));
    EXPECT_EQ(store->registration("bob")->state, pipeline::RegistrationState::Active);
    EXPECT_TRUE(store->set_registration_state("bob", pipeline::kDefaultInstallation,
                                              pipeline::RegistrationState::Unregistered,
                                              "UNREGISTERED", sample_registration(0).token_hex));
    EXPECT_EQ(store->registration("bob")->state, pipeline::RegistrationState::Unregistered);
  }
  // What is read after a restart is what was written, not what was remembered.
  auto store = open_store(path);
  auto read = store->registration("bob");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->state, pipeline::RegistrationState::Unregistered);
  EXPECT_EQ(read->reason, "UNREGISTERED");
}

TEST(StoreRegistrations, BelongToAnExistingCertificate) {
  auto store = open_store();
  auto unknown = store->put_registration(sample_registration(77));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, pipeline::Errc::Database);
  EXPECT_NE(unknown.error().detail.find("FOREIGN KEY"), std::string::npos)
      << unknown.error().message();

  auto certificate = store->add_certificate(sample_certificate());
  ASSERT_TRUE(certificate);
  ASSERT_TRUE(store->put_registration(sample_registration(certificate->record_id)));
  ASSERT_TRUE(store->delete_certificate(certificate->record_id));
  EXPECT_FALSE(store->registration("bob"));
}

// --- Presence --------------------------------------------------------------------------------

TEST(StorePresence, LastSetWins) {
  auto store = open_store();
  EXPECT_FALSE(store->presence("bob"));
  ASSERT_TRUE(
      store->set_presence("bob", pipeline::kDefaultInstallation, pipeline::Presence::Online, kT0));
  EXPECT_EQ(store->presence("bob"), pipeline::Presence::Online);
  ASSERT_TRUE(store->set_presence("bob", pipeline::kDefaultInstallation, pipeline::Presence::Killed,
                                  kT0 + 1s));
  EXPECT_EQ(store->presence("bob"), pipeline::Presence::Killed);
  ASSERT_TRUE(store->set_presence("carol", pipeline::kDefaultInstallation,
                                  pipeline::Presence::Kicked, kT0));
  EXPECT_EQ(store->presence("carol"), pipeline::Presence::Kicked);
  EXPECT_EQ(store->presence("bob"), pipeline::Presence::Killed);
}

// --- Messages --------------------------------------------------------------------------------

TEST(StoreMessages, RoundTripEveryFieldWithoutNextAttempt) {
  auto store = open_store();
  auto added = store->add_message(sample_message());
  ASSERT_TRUE(added) << added.error().message();
  EXPECT_EQ(added->message_id, "msg-1");

  auto expected = sample_message();
  expected.message_id = "msg-1";
  expect_same_message(*added, expected);
  auto read = store->message("msg-1");
  ASSERT_TRUE(read);
  expect_same_message(*read, expected);
  EXPECT_FALSE(read->next_attempt_at);
}

TEST(StoreMessages, UpdateWritesAttemptAndTarget) {
  auto store = open_store();
  auto added = store->add_message(sample_message());
  ASSERT_TRUE(added);

  pipeline::MessageRecord retried = *added;
  retried.apns_id = "6f1c2b3a-0000-4000-8000-000000000001";
  retried.attempts = 2;
  retried.next_attempt_at = kT0 + 2s + 1ms;
  retried.reason = "TooManyRequests";
  retried.token_hex = std::string(64, 'c');
  retried.cert_record_id = 3;
  retried.environment = Environment::Production;
  retried.bundle_id = "com.example.acme";
  ASSERT_TRUE(store->update_message(retried));
  auto read = store->message(added->message_id);
  ASSERT_TRUE(read);
  expect_same_message(*read, retried);

  pipeline::MessageRecord accepted = retried;
  accepted.state = MessageState::Accepted;
  accepted.next_attempt_at.reset();
  accepted.attempts = 3;
  accepted.reason.clear();
  ASSERT_TRUE(store->update_message(accepted));
  read = store->message(added->message_id);
  ASSERT_TRUE(read);
  expect_same_message(*read, accepted);
}

TEST(StoreMessages, UpdatingAnUnknownMessageFails) {
  auto store = open_store();
  auto ghost = sample_message();
  ghost.message_id = "msg-9";
  auto updated = store->update_message(ghost);
  ASSERT_FALSE(updated);
  EXPECT_EQ(updated.error().code, pipeline::Errc::NotFound);
  EXPECT_FALSE(store->message("msg-9"));
}

TEST(StoreMessages, AWriteHandedOverIsSeenByTheNextReadAndFailuresAreCounted) {
  auto store = open_store();
  auto added = store->add_message(sample_message());
  ASSERT_TRUE(added);
  auto done = *added;
  done.state = MessageState::Accepted;
  done.attempts = 1;
  store->update_message_later(done); // returns before the commit
  const auto read = store->message(done.message_id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->state, MessageState::Accepted); // reads wait for the writes before them
  EXPECT_TRUE(store->pending_messages().empty());
  EXPECT_EQ(store->failed_later_writes(), 0u);
  auto ghost = done;
  ghost.message_id = "msg-99";
  store->update_message_later(ghost);
  (void)store->message(ghost.message_id); // flushes
  EXPECT_EQ(store->failed_later_writes(), 1u);
}

TEST(StoreMessages, AFailedWriteInABatchLeavesTheOthersCommitted) {
  auto store = open_store();
  std::vector<std::thread> writers;
  std::atomic<int> failed{0};
  for (int i = 0; i < 8; ++i) {
    writers.emplace_back([&, i] {
      auto m = sample_message();
      if (i % 2 == 0) {
        m.message_id = "msg-404-" + std::to_string(i); // unknown: this write fails alone
        if (!store->update_message(m)) ++failed;
      } else {
        ASSERT_TRUE(store->add_message(m));
      }
    });
  }
  for (auto& t : writers)
    t.join();
  EXPECT_EQ(failed.load(), 4);
  EXPECT_EQ(store->pending_messages().size(), 4u);
}

// sendMessage's way in: the caller goes on at once, and hears of its row only after the commit
// that holds it, on the committer's thread, without the store's lock (so it may read the store).
TEST(StoreMessages, AnAddThatDoesNotWaitIsAnsweredAfterItsCommit) {
  support::TempDir dir;
  auto store = open_store(dir.file("async.db"));
  ASSERT_TRUE(store);
  constexpr int kMessages = 300;
  std::mutex mutex;
  std::vector<std::string> ids;
  std::set<std::thread::id> answering_threads;
  std::atomic<int> unreadable{0};
  for (int i = 0; i < kMessages; ++i) {
    store->add_message(sample_message("user" + std::to_string(i)),
                       [&, i](core::Result<pipeline::MessageRecord> added) {
                         ASSERT_TRUE(added) << added.error().message();
                         EXPECT_EQ(added->receiver, "user" + std::to_string(i));
                         // The store's lock is free here (a read takes it).
                         EXPECT_TRUE(store->certificates().empty());
                         std::lock_guard lock(mutex);
                         ids.push_back(added->message_id);
                         answering_threads.insert(std::this_thread::get_id());
                       });
  }
  store->flush(); // every add handed over before it has been answered
  std::lock_guard lock(mutex);
  ASSERT_EQ(ids.size(), static_cast<std::size_t>(kMessages));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_EQ(answering_threads.size(), 1u); // the committer's
  EXPECT_FALSE(answering_threads.contains(std::this_thread::get_id()));
  for (int i = 0; i < kMessages; ++i) {
    const auto read = store->message(ids[i]);
    if (!read || read->state != MessageState::Pending) ++unreadable;
  }
  EXPECT_EQ(unreadable.load(), 0);
  store.reset(); // closed: the rows are in the file
  auto reopened = open_store(dir.file("async.db"));
  ASSERT_TRUE(reopened);
  EXPECT_EQ(reopened->pending_messages().size(), static_cast<std::size_t>(kMessages));
}

TEST(StoreMessages, PendingInOrderUntilTerminal) {
  auto store = open_store();
  std::vector<pipeline::MessageRecord> added;
  for (int i = 0; i < 5; ++i) {
    auto message = store->add_message(sample_message("user" + std::to_string(i)));
    ASSERT_TRUE(message);
    added.push_back(*message);
  }
  EXPECT_EQ(ids_of(added), (std::vector<std::string>{"msg-1", "msg-2", "msg-3", "msg-4", "msg-5"}));
  EXPECT_EQ(ids_of(store->pending_messages()), ids_of(added));

  added[1].state = MessageState::Accepted;
  added[3].state = MessageState::SkippedOnline;
  added[4].attempts = 1; // still pending: a retry is scheduled
  added[4].next_attempt_at = kT0 + 1s;
  for (int i : {1, 3, 4})
    ASSERT_TRUE(store->update_message(added[i]));

  const auto pending = store->pending_messages();
  EXPECT_EQ(ids_of(pending), (std::vector<std::string>{"msg-1", "msg-3", "msg-5"}));
  expect_same_message(pending[2], added[4]);
}

// --- Files -----------------------------------------------------------------------------------

TEST(StoreFile, EverythingSurvivesReopening) {
  support::TempDir dir;
  const std::string path = dir.file("pipeline.db");
  pipeline::CertificateRecord certificate;
  pipeline::MessageRecord message;
  {
    auto store = open_store(path);
    ASSERT_TRUE(store);
    auto added_certificate = store->add_certificate(sample_certificate());
    ASSERT_TRUE(added_certificate);
    certificate = *added_certificate;
    ASSERT_TRUE(store->put_registration(sample_registration(certificate.record_id)));
    ASSERT_TRUE(store->set_presence("bob", pipeline::kDefaultInstallation,
                                    pipeline::Presence::Background, kT0));
    ASSERT_TRUE(store->set_receive_option("bob", pipeline::ReceiveScope::Conversation, "alice",
                                          pipeline::ReceiveOption::NotReceive, kT0));
    ASSERT_TRUE(store->set_receive_option("bob", pipeline::ReceiveScope::Global, "x",
                                          pipeline::ReceiveOption::ReceiveNotNotify, kT0));
    auto added_message = store->add_message(sample_message());
    ASSERT_TRUE(added_message);
    message = *added_message;
    message.next_attempt_at = kT0 + 30s;
    ASSERT_TRUE(store->update_message(message));
    EXPECT_TRUE(std::filesystem::exists(path + "-wal")) << "the store should run in WAL mode";
  }

  auto store = open_store(path);
  ASSERT_TRUE(store);
  auto read_certificate = store->certificate(certificate.record_id);
  ASSERT_TRUE(read_certificate);
  expect_same_certificate(*read_certificate, certificate);
  auto read_registration = store->registration("bob");
  ASSERT_TRUE(read_registration);
  expect_same_registration(*read_registration, sample_registration(certificate.record_id));
  EXPECT_EQ(store->presence("bob"), pipeline::Presence::Background);
  pipeline::ReceiveOptions options;
  options.set(pipeline::ReceiveScope::Conversation, "alice", pipeline::ReceiveOption::NotReceive);
  options.set(pipeline::ReceiveScope::Global, "", pipeline::ReceiveOption::ReceiveNotNotify);
  EXPECT_EQ(store->receive_options("bob"), options);
  EXPECT_EQ(store->receive_option_blocks("bob", MessageOrigin::one_to_one("alice")),
            "NOT_RECEIVE (conversation with alice)");
  const auto pending = store->pending_messages();
  ASSERT_EQ(pending.size(), 1u);
  expect_same_message(pending[0], message);

  // Numbering carries on from the file, not from zero.
  auto next_message = store->add_message(sample_message());
  ASSERT_TRUE(next_message);
  EXPECT_EQ(next_message->message_id, "msg-2");
  auto next_certificate = store->add_certificate(sample_certificate());
  ASSERT_TRUE(next_certificate);
  EXPECT_EQ(next_certificate->cert_id_dev, 1003);
}

// A file written by a build of schema version 1 (message ids stored in a UNIQUE column) opens
// with its messages, their ids and its id counter intact.
TEST(StoreFile, AVersion1OutboxIsMigratedWithNothingLost) {
  support::TempDir dir;
  const std::string path = dir.file("v1.db");
  {
    auto v1 = pipeline::sqlite::Connection::open(path);
    ASSERT_TRUE(v1) << v1.error().message();
    auto& db = **v1;
    ASSERT_TRUE(pipeline::prepare_database(db, path, 1));
    const std::string columns =
        "INSERT INTO messages (seq, message_id, sender, receiver, content, ios_push_type, ext, "
        "title, description, created_at_ms, state, reason, apns_id, attempts, "
        "next_attempt_at_ms, token_hex, cert_record_id, environment, bundle_id) VALUES ";
    auto inserted = db.execute(
        columns + "(7, 'msg-7', 'alice', 'bob', 'call me', 'voip', '{}', 'Alice', 'Incoming call', "
                  "1000, 'pending', '', 'id-7', 1, 31000, 'abcd', 3, 'dev', 'com.example.app'), "
                  "(8, 'msg-8', 'alice', 'carol', 'hi', 'voip', '{}', '', '', 2000, 'rejected', "
                  "'BadDeviceToken', 'id-8', 1, NULL, 'ef01', 3, 'prod', 'com.example.app')");
    ASSERT_TRUE(inserted) << inserted.error().message();
    // That build once handed out msg-9 too (a row deleted by hand since): never again.
    ASSERT_TRUE(db.execute("UPDATE sqlite_sequence SET seq = 9 WHERE name = 'messages'"));
  }

  auto store = open_store(path);
  ASSERT_TRUE(store);
  const auto pending = store->pending_messages();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].message_id, "msg-7");
  EXPECT_EQ(pending[0].receiver, "bob");
  EXPECT_EQ(pending[0].next_attempt_at, core::TimePoint{std::chrono::milliseconds{31000}});
  EXPECT_EQ(pending[0].token_hex, "abcd");
  EXPECT_EQ(pending[0].cert_record_id, 3);
  const auto rejected = store->message("msg-8");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->state, MessageState::Rejected);
  EXPECT_EQ(rejected->reason, "BadDeviceToken");
  EXPECT_EQ(rejected->environment, pipeline::Environment::Production);
  EXPECT_FALSE(rejected->next_attempt_at);

  auto next = store->add_message(sample_message());
  ASSERT_TRUE(next);
  EXPECT_EQ(next->message_id, "msg-10");
  store.reset();
  auto reopened = open_store(path); // now at the current version: opens without migrating
  ASSERT_TRUE(reopened);
  EXPECT_TRUE(reopened->message("msg-10"));
}

// The schema as SQLite keeps it, and its version: what a database's tables, indexes and
// triggers are.
std::string schema_of(pipeline::sqlite::Connection& db) {
  auto rows = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name");
  EXPECT_TRUE(rows) << rows.error().message();
  std::string text;
  while (rows) {
    auto row = rows->next_row();
    if (!row || !*row) break;
    for (int column = 0; column < 4; ++column)
      text += rows->text(column) + "|";
    text += "\n";
  }
  auto version = db.query_integer("PRAGMA user_version");
  return text + "user_version " + (version ? std::to_string(*version) : "?");
}

// A new in-memory store starts as a copy of one the migrations made (schema.cpp): it must be
// the schema a new file gets from running them, at every version, and a store of its own.
TEST(StoreFile, ANewInMemoryStoreHasTheSchemaTheMigrationsMake) {
  support::TempDir dir;
  for (int version = 1; version <= Store::kSchemaVersion; ++version) {
    SCOPED_TRACE("version " + std::to_string(version));
    const std::string path = dir.file("v" + std::to_string(version) + ".db");
    auto file = pipeline::sqlite::Connection::open(path);
    auto memory = pipeline::sqlite::Connection::open(":memory:");
    ASSERT_TRUE(file && memory);
    ASSERT_TRUE(pipeline::prepare_database(**file, path, version));
    ASSERT_TRUE(pipeline::prepare_database(**memory, ":memory:", version));
    const std::string schema = schema_of(**file);
    EXPECT_NE(schema.find("CREATE TABLE certificates"), std::string::npos);
    EXPECT_EQ(schema_of(**memory), schema);
  }
  auto first = open_store();
  auto second = open_store();
  ASSERT_TRUE(first && second);
  ASSERT_TRUE(first->add_certificate(sample_certificate()));
  EXPECT_EQ(first->certificates().size(), 1u);
  EXPECT_TRUE(second->certificates().empty());
}

// §4.3 duplicate sends: a message keeps its random (any 64-bit value), and a restart finds the
// ones created in the window.
TEST(StoreMessages, ARandomIsKeptAndFoundByItsTime) {
  auto store = open_store();
  auto plain = sample_message();
  auto early = sample_message();
  early.random = 7;
  early.created_at = kT0;
  auto late = sample_message();
  late.random = 18'446'744'073'709'551'615u;
  late.created_at = kT0 + 90s;
  ASSERT_TRUE(store->add_message(plain));
  ASSERT_TRUE(store->add_message(early));
  auto added = store->add_message(late);
  ASSERT_TRUE(added);
  EXPECT_EQ(store->message(added->message_id)->random, late.random);
  EXPECT_FALSE(store->message("msg-1")->random);
  const auto recent = store->messages_with_random_since(kT0 + 30s);
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_EQ(recent[0].message_id, added->message_id);
  EXPECT_EQ(store->messages_with_random_since(kT0).size(), 2u);
}

TEST(StoreMessages, OnlyTheIdsTheStoreMakesNameMessages) {
  auto store = open_store();
  ASSERT_TRUE(store->add_message(sample_message()));
  EXPECT_TRUE(store->message("msg-1"));
  for (const char* id : {"msg-01", "msg-", "msg-1x", "msg--1", "msg-0", "MSG-1", "1", "",
                         "msg-99999999999999999999"}) {
    EXPECT_FALSE(store->message(id)) << id;
    auto ghost = sample_message();
    ghost.message_id = id;
    auto updated = store->update_message(ghost);
    ASSERT_FALSE(updated) << id;
    EXPECT_EQ(updated.error().code, pipeline::Errc::NotFound) << id;
  }
}

TEST(StoreFile, ASecondStoreOnTheSameFileIsRefusedWhileTheFirstIsOpen) {
  support::TempDir dir;
  const std::string path = dir.file("pipeline.db");
  auto first = open_store(path);
  ASSERT_TRUE(first);
  auto second = Store::open(path);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, pipeline::Errc::Busy); // SQLite's busy code, kept typed
  EXPECT_NE(second.error().detail.find("a second 'voipsim pipeline'"), std::string::npos)
      << second.error().message();
  first.reset();
  EXPECT_TRUE(open_store(path)); // free again once the first is closed
}

TEST(StoreFile, NewerSchemaVersionIsRefused) {
  support::TempDir dir;
  const std::string path = dir.file("future.db");
  ASSERT_TRUE(open_store(path));
  stamp_user_version(path, Store::kSchemaVersion + 6);
  const std::string before = support::read_file(path);

  auto refused = Store::open(path);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, pipeline::Errc::UnsupportedSchemaVersion);
  EXPECT_EQ(refused.error().detail, "pipeline store " + path + " has schema version " +
                                        std::to_string(Store::kSchemaVersion + 6) +
                                        "; this build supports version " +
                                        std::to_string(Store::kSchemaVersion));
  EXPECT_EQ(support::read_file(path), before);
}

TEST(StoreFile, GarbageIsRefusedAndLeftAlone) {
  support::TempDir dir;
  std::string noise(8192, '\0');
  for (std::size_t i = 0; i < noise.size(); ++i)
    noise[i] = static_cast<char>(i * 7919 % 251);
  for (const auto& [name, content] :
       {std::pair<std::string, std::string>{"text.db", "this is not a database, just text\n"},
        std::pair<std::string, std::string>{"noise.db", noise}}) {
    const std::string path = dir.write(name, content);
    auto refused = Store::open(path);
    ASSERT_FALSE(refused) << name;
    EXPECT_EQ(refused.error().code, pipeline::Errc::Database);
    EXPECT_NE(refused.error().detail.find(path), std::string::npos) << refused.error().message();
    EXPECT_NE(refused.error().detail.find("file is not a database"), std::string::npos)
        << refused.error().message();
    EXPECT_EQ(support::read_file(path), content) << name;
  }
}

// The database holds private keys: owner-only whatever the umask (issue #8, "Security").
class OwnerOnlyFiles : public ::testing::Test {
protected:
  void SetUp() override { saved_ = ::umask(0); } // the widest: 0644 files would stay 0644
  void TearDown() override { ::umask(saved_); }

  static unsigned mode_of(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 0777;
  }

  // A store at `path_` holding one certificate, so that a key is on disk.
  std::unique_ptr<Store> store_with_a_key() {
    auto store = open_store(path_);
    if (store && !store->add_certificate(sample_certificate())) ADD_FAILURE() << "not added";
    return store;
  }

  mode_t saved_ = 0;
  support::TempDir dir_;
  const std::string path_ = dir_.file("pipeline.db");
};

TEST_F(OwnerOnlyFiles, ANewDatabaseAndItsWalAreMadeOwnerOnly) {
  const auto store = store_with_a_key();
  ASSERT_TRUE(store);
  EXPECT_EQ(mode_of(path_), 0600u);
  ASSERT_TRUE(std::filesystem::exists(path_ + "-wal")) << "WAL mode writes a -wal file";
  EXPECT_EQ(mode_of(path_ + "-wal"), 0600u);
  if (std::filesystem::exists(path_ + "-shm")) {
    EXPECT_EQ(mode_of(path_ + "-shm"), 0600u);
  }
}

TEST_F(OwnerOnlyFiles, AnExistingDatabaseOthersCouldReadIsNarrowed) {
  ASSERT_TRUE(store_with_a_key());
  ASSERT_EQ(::chmod(path_.c_str(), 0644), 0);
  auto reopened = open_store(path_);
  ASSERT_TRUE(reopened);
  EXPECT_EQ(mode_of(path_), 0600u);
  EXPECT_EQ(reopened->certificates().size(), 1u);
}

TEST(StoreFile, MissingDirectoryIsAnError) {
  support::TempDir dir;
  const std::string path = dir.file("no/such/dir/pipeline.db");
  auto refused = Store::open(path);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().detail.find(path), std::string::npos) << refused.error().message();
  EXPECT_NE(refused.error().detail.find("unable to open"), std::string::npos)
      << refused.error().message();
  EXPECT_FALSE(Store::open(""));
}

// --- Threads ---------------------------------------------------------------------------------

TEST(StoreThreads, FourWritersLoseNothing) {
  support::TempDir dir;
  auto store = open_store(dir.file("threads.db"));
  ASSERT_TRUE(store);
  constexpr int kThreads = 4;
  constexpr int kMessagesEach = 200;

  // Each thread adds its messages and then settles each one: even ones accepted, odd ones kept
  // pending with a retry, so both the terminal and the pending path run concurrently.
  std::vector<std::thread> writers;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < kMessagesEach; ++i) {
        auto message = store->add_message(sample_message("user" + std::to_string(t)));
        if (!message) {
          ++failures;
          continue;
        }
        message->attempts = 1;
        message->apns_id = "apns-" + message->message_id;
        if (i % 2 == 0)
          message->state = MessageState::Accepted;
        else
          message->next_attempt_at = kT0 + std::chrono::milliseconds(i);
        if (!store->update_message(*message)) ++failures;
        ids[t].push_back(message->message_id);
      }
    });
  }
  for (auto& writer : writers)
    writer.join();
  ASSERT_EQ(failures.load(), 0);

  std::set<std::string> all;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(ids[t].size(), static_cast<std::size_t>(kMessagesEach));
    for (int i = 0; i < kMessagesEach; ++i) {
      auto read = store->message(ids[t][i]);
      ASSERT_TRUE(read) << ids[t][i];
      EXPECT_EQ(read->receiver, "user" + std::to_string(t));
      EXPECT_EQ(read->apns_id, "apns-" + ids[t][i]);
      EXPECT_EQ(read->state, i % 2 == 0 ? MessageState::Accepted : MessageState::Pending);
      all.insert(ids[t][i]);
    }
  }
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kThreads * kMessagesEach));
  for (int n = 1; n <= kThreads * kMessagesEach; ++n) {
    EXPECT_TRUE(all.count("msg-" + std::to_string(n))) << n;
  }
  EXPECT_EQ(store->pending_messages().size(),
            static_cast<std::size_t>(kThreads * kMessagesEach / 2));
}

} // namespace

// --- Several installations of one user (im-voip-flow.md §3.4) --------------------------------

namespace {

pipeline::Registration registration_on(std::string installation, std::int64_t cert_record_id,
                                       char token_digit) {
  auto registration = sample_registration(cert_record_id);
  registration.installation = std::move(installation);
  registration.token_hex = std::string(64, token_digit);
  return registration;
}

pipeline::PushRecord pending_push(std::string installation, char token_digit) {
  pipeline::PushRecord push;
  push.installation = std::move(installation);
  push.attempts = 1;
  push.token_hex = std::string(64, token_digit);
  push.cert_record_id = 1;
  push.bundle_id = "com.example.acme";
  return push;
}

} // namespace

TEST(StoreInstallations, EachInstallationHasItsOwnRegistration) {
  support::TempDir dir;
  const std::string path = dir.file("pipeline.db");
  {
    auto store = open_store(path);
    auto certificate = store->add_certificate(sample_certificate());
    ASSERT_TRUE(certificate);
    ASSERT_TRUE(store->put_registration(registration_on("iphone", certificate->record_id, 'a')));
    ASSERT_TRUE(store->put_registration(registration_on("ipad", certificate->record_id, 'b')));
    EXPECT_TRUE(store->set_registration_state("bob", "iphone",
                                              pipeline::RegistrationState::Inactive, "kicked"));
    EXPECT_FALSE(store->registration("bob")); // neither is the default installation
  }
  auto store = open_store(path); // what was written, not what was remembered
  const auto all = store->registrations("bob");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].installation, "ipad");
  EXPECT_EQ(all[0].state, pipeline::RegistrationState::Active);
  EXPECT_EQ(all[1].installation, "iphone");
  EXPECT_EQ(all[1].state, pipeline::RegistrationState::Inactive);
  EXPECT_EQ(all[1].reason, "kicked");
  EXPECT_TRUE(store->delete_registration("bob", "iphone"));
  EXPECT_FALSE(store->registration("bob", "iphone"));
  EXPECT_EQ(store->registration("bob", "ipad")->token_hex, std::string(64, 'b'));
}

TEST(StoreInstallations, PresenceIsPerInstallationAndEachLoginIsNumbered) {
  support::TempDir dir;
  const std::string path = dir.file("pipeline.db");
  auto login_of = [](const Store& store, const std::string& installation) {
    for (const auto& one : store.installations("bob"))
      if (one.installation == installation) return one.login_seq;
    return std::uint64_t{0};
  };
  {
    auto store = open_store(path);
    ASSERT_TRUE(store->set_presence("bob", "iphone", pipeline::Presence::Background, kT0));
    ASSERT_TRUE(store->set_presence("bob", "ipad", pipeline::Presence::Online, kT0));
    ASSERT_TRUE(store->set_presence("bob", "iphone", pipeline::Presence::Killed, kT0 + 1s));
    EXPECT_EQ(login_of(*store, "iphone"), 1u); // still the same login
    EXPECT_EQ(login_of(*store, "ipad"), 2u);
    EXPECT_EQ(store->presence("bob", "iphone"), pipeline::Presence::Killed);
    EXPECT_EQ(store->presence("bob", "ipad"), pipeline::Presence::Online);
    EXPECT_FALSE(store->presence("bob")); // no default installation
    ASSERT_TRUE(store->set_presence("bob", "iphone", pipeline::Presence::LoggedOut, kT0 + 2s));
    ASSERT_TRUE(store->set_presence("bob", "iphone", pipeline::Presence::Online, kT0 + 3s));
    EXPECT_EQ(login_of(*store, "iphone"), 3u); // a new login
  }
  auto store = open_store(path);
  EXPECT_EQ(login_of(*store, "iphone"), 3u);
  EXPECT_EQ(store->installations("bob").size(), 2u);
  ASSERT_TRUE(store->set_presence("bob", "watch", pipeline::Presence::Background, kT0 + 4s));
  EXPECT_EQ(login_of(*store, "watch"), 4u); // numbering carries on from the file
}

// sendMessage's one read of the receiver (im-voip-flow.md §3.4, §4.3): every installation with a
// presence, a registration or both, by installation; one that loses both is gone.
TEST(StoreInstallations, PushTargetsListEachInstallationWithWhatIsKnownOfIt) {
  auto store = open_store();
  auto certificate = store->add_certificate(sample_certificate());
  ASSERT_TRUE(certificate);
  ASSERT_TRUE(store->put_registration(registration_on("iphone", certificate->record_id, 'a')));
  ASSERT_TRUE(store->set_presence("bob", "iphone", pipeline::Presence::Background, kT0));
  ASSERT_TRUE(store->set_presence("bob", "ipad", pipeline::Presence::Online, kT0));
  ASSERT_TRUE(store->put_registration(registration_on("watch", certificate->record_id, 'c')));
  auto targets = store->push_targets("bob");
  ASSERT_EQ(targets.size(), 3u);
  EXPECT_EQ(targets[0].installation, "ipad");
  EXPECT_EQ(targets[0].presence, pipeline::Presence::Online);
  EXPECT_FALSE(targets[0].registration);
  EXPECT_EQ(targets[1].installation, "iphone");
  EXPECT_EQ(targets[1].presence, pipeline::Presence::Background);
  ASSERT_TRUE(targets[1].registration);
  EXPECT_EQ(targets[1].registration->token_hex, std::string(64, 'a'));
  EXPECT_EQ(targets[2].installation, "watch");
  EXPECT_FALSE(targets[2].presence);
  EXPECT_TRUE(targets[2].registration);
  EXPECT_TRUE(store->push_targets("alice").empty());

  EXPECT_TRUE(store->delete_registration("bob", "watch"));
  EXPECT_TRUE(store->delete_registration("bob", "iphone"));
  targets = store->push_targets("bob");
  ASSERT_EQ(targets.size(), 2u); // the watch had nothing else
  EXPECT_EQ(targets[1].installation, "iphone");
  EXPECT_FALSE(targets[1].registration);
  EXPECT_EQ(store->installations("bob").size(), 2u);
  EXPECT_TRUE(store->registrations("bob").empty());
}

TEST(StoreInstallations, EachPushKeepsItsStateAndTheMessageTheirSummary) {
  auto store = open_store();
  auto message = sample_message();
  message.pushes = {pending_push("ipad", 'b'), pending_push(pipeline::kDefaultInstallation, 'a')};
  auto added = store->add_message(message);
  ASSERT_TRUE(added);
  auto read = store->message(added->message_id);
  ASSERT_TRUE(read);
  ASSERT_EQ(read->pushes.size(), 2u);
  EXPECT_EQ(read->pushes[0].installation, pipeline::kDefaultInstallation); // by installation
  EXPECT_EQ(read->pushes[0].apns_id, pipeline::apns_id_for(added->message_id));
  EXPECT_EQ(read->pushes[1].apns_id, pipeline::apns_id_for(added->message_id, "ipad"));
  EXPECT_NE(read->pushes[0].apns_id, read->pushes[1].apns_id);
  EXPECT_EQ(read->state, MessageState::Pending);
  EXPECT_EQ(read->attempts, 1);

  auto pending = store->pending_messages();
  ASSERT_EQ(pending.size(), 2u);
  auto ipad = pending[0].installation == "ipad" ? pending[0] : pending[1];
  auto phone = pending[0].installation == "ipad" ? pending[1] : pending[0];
  EXPECT_EQ(ipad.token_hex, std::string(64, 'b'));
  EXPECT_EQ(ipad.push_count, 2u);
  EXPECT_EQ(ipad.ext, message.ext);

  ipad.state = MessageState::Rejected;
  ipad.reason = "BadDeviceToken";
  ASSERT_TRUE(store->update_message(ipad));
  EXPECT_EQ(store->message(added->message_id)->state, MessageState::Pending); // one still goes
  phone.state = MessageState::Accepted;
  phone.attempts = 2;
  ASSERT_TRUE(store->update_message(phone));
  read = store->message(added->message_id);
  EXPECT_EQ(read->state, MessageState::Accepted);
  EXPECT_EQ(read->attempts, 2);
  EXPECT_EQ(read->pushes[1].state, MessageState::Rejected);
  EXPECT_EQ(read->pushes[1].reason, "BadDeviceToken");
  EXPECT_EQ(read->pushes[1].attempts, 1);
  EXPECT_TRUE(store->pending_messages().empty());

  auto ghost = ipad;
  ghost.installation = "watch";
  const auto missing = store->update_message(ghost);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, pipeline::Errc::NotFound);
}

// The usual message, to a user of one phone, costs what it cost before installations: its one
// push is kept in the message's own row (naming its installation) and gets no row in pushes;
// only a message of two or more pushes writes those (im-voip-flow.md §3.4). Both read back alike.
TEST(StoreInstallations, AMessageOfOnePushIsOneRowAndSeveralPushesHaveRowsOfTheirOwn) {
  support::TempDir dir;
  const std::string path = dir.file("pipeline.db");
  {
    auto store = open_store(path);
    auto one = sample_message();
    pipeline::take_only_push(one, pending_push("iphone", 'a')); // as Pipeline::decide makes it
    auto single = store->add_message(one);
    ASSERT_TRUE(single);
    EXPECT_EQ(single->apns_id, pipeline::apns_id_for(single->message_id, "iphone"));
    auto several = sample_message();
    several.pushes = {pending_push("ipad", 'b'), pending_push("iphone", 'a')};
    ASSERT_TRUE(store->add_message(several));

    auto pending = store->pending_messages();
    ASSERT_EQ(pending.size(), 3u);
    EXPECT_EQ(pending[0].message_id, single->message_id);
    EXPECT_EQ(pending[0].installation, "iphone");
    EXPECT_EQ(pending[0].push_count, 1u);
    EXPECT_EQ(pending[0].token_hex, std::string(64, 'a'));
    pending[0].state = MessageState::Accepted;
    ASSERT_TRUE(store->update_message(pending[0]));
    const auto read = store->message(single->message_id);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->state, MessageState::Accepted);
    ASSERT_EQ(read->pushes.size(), 1u);
    EXPECT_EQ(read->pushes[0].installation, "iphone");
    EXPECT_EQ(read->pushes[0].state, MessageState::Accepted);
    EXPECT_EQ(read->pushes[0].apns_id, single->apns_id);
    EXPECT_EQ(store->message("msg-2")->pushes.size(), 2u);
  }
  auto db = pipeline::sqlite::Connection::open(path);
  ASSERT_TRUE(db) << db.error().message();
  auto count = [&](const std::string& sql) { return (*db)->query_integer(sql).value_or(-1); };
  EXPECT_EQ(count("SELECT count(*) FROM pushes WHERE message_seq = 1"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM messages WHERE seq = 1 AND installation = 'iphone'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM pushes WHERE message_seq = 2"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM messages WHERE seq = 2 AND installation = ''"), 1);
}

// A file of schema version 4 (one registration and presence per user) opens with every row as
// the user's default installation, and a message queued for APNs as its one push.
TEST(StoreFile, AVersion4DatabaseIsMigratedToInstallations) {
  support::TempDir dir;
  const std::string path = dir.file("v4.db");
  {
    auto v4 = pipeline::sqlite::Connection::open(path);
    ASSERT_TRUE(v4) << v4.error().message();
    auto& db = **v4;
    ASSERT_TRUE(pipeline::prepare_database(db, path, 4));
    auto inserted = db.execute(
        "INSERT INTO certificates (record_id, name, bundle_id, type, not_before_ms, "
        "not_after_ms, cert_id_dev, cert_id_prod, certificate_pem, private_key_pem, health, "
        "created_at_ms) VALUES (1, 'Acme', 'com.example.app', 'voip', 0, 1, 1001, 1002, '', '', "
        "'ok', 0);"
        "INSERT INTO registrations VALUES ('bob', 'abcd', 1, 'dev', 'com.example.app', 5, "
        "'active', '');"
        "INSERT INTO presence VALUES ('bob', 'background', 6);"
        "INSERT INTO messages (seq, sender, receiver, content, ios_push_type, ext, title, "
        "description, created_at_ms, state, reason, apns_id, attempts, next_attempt_at_ms, "
        "token_hex, cert_record_id, environment, bundle_id, msg_random) VALUES "
        "(3, 'alice', 'bob', 'call', 'voip', '{}', '', '', 1000, 'pending', '', 'id-3', 1, "
        "31000, 'abcd', 1, 'dev', 'com.example.app', NULL), "
        "(4, 'alice', 'bob', 'hi', 'voip', '{}', '', '', 2000, 'skipped_online', "
        "'delivered over the IM connection', '', 0, NULL, '', 0, 'dev', '', NULL)");
    ASSERT_TRUE(inserted) << inserted.error().message();
  }
  auto store = open_store(path);
  ASSERT_TRUE(store);
  const auto registration = store->registration("bob");
  ASSERT_TRUE(registration);
  EXPECT_EQ(registration->installation, pipeline::kDefaultInstallation);
  EXPECT_EQ(registration->token_hex, "abcd");
  EXPECT_EQ(store->presence("bob"), pipeline::Presence::Background);
  const auto pending = store->pending_messages();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].message_id, "msg-3");
  EXPECT_EQ(pending[0].installation, pipeline::kDefaultInstallation);
  EXPECT_EQ(pending[0].apns_id, "id-3");
  EXPECT_EQ(pending[0].push_count, 1u);
  EXPECT_EQ(pending[0].next_attempt_at, core::TimePoint{std::chrono::milliseconds{31000}});
  const auto skipped = store->message("msg-4");
  ASSERT_TRUE(skipped);
  EXPECT_TRUE(skipped->pushes.empty()); // never queued: no push
  EXPECT_EQ(skipped->state, MessageState::SkippedOnline);
  ASSERT_EQ(store->message("msg-3")->pushes.size(), 1u);
  // A login after the migration is numbered after those of before (0).
  ASSERT_TRUE(store->set_presence("bob", "ipad", pipeline::Presence::Background, kT0));
  EXPECT_EQ(store->installations("bob").size(), 2u);
}

// A file of schema version 5 opens with each push as its message's receiver's (schema v6 keys a
// push by receiver and installation: im-voip-flow.md §4.3 "Group sends"), and no groups.
TEST(StoreFile, AVersion5DatabaseIsMigratedToPushesWithTheirReceiver) {
  support::TempDir dir;
  const std::string path = dir.file("v5.db");
  {
    auto v5 = pipeline::sqlite::Connection::open(path);
    ASSERT_TRUE(v5) << v5.error().message();
    auto& db = **v5;
    ASSERT_TRUE(pipeline::prepare_database(db, path, 5));
    auto inserted = db.execute(
        "INSERT INTO messages (seq, sender, receiver, content, ios_push_type, ext, title, "
        "description, created_at_ms, state, reason, apns_id, attempts, next_attempt_at_ms, "
        "token_hex, cert_record_id, environment, bundle_id, msg_random, installation) VALUES "
        "(7, 'alice', 'bob', 'call', 'voip', '{}', '', '', 1000, 'pending', '', 'id-a', 1, "
        "NULL, 'abcd', 1, 'dev', 'com.example.app', NULL, '');"
        "INSERT INTO pushes VALUES (7, 'iphone', 'pending', '', 'id-a', 1, NULL, 'abcd', 1, "
        "'dev', 'com.example.app'), (7, 'ipad', 'accepted', '', 'id-b', 1, NULL, 'ef01', 1, "
        "'dev', 'com.example.app')");
    ASSERT_TRUE(inserted) << inserted.error().message();
  }
  auto store = open_store(path);
  ASSERT_TRUE(store);
  const auto message = store->message("msg-7");
  ASSERT_TRUE(message);
  EXPECT_TRUE(message->group.empty());
  ASSERT_EQ(message->pushes.size(), 2u);
  for (const auto& push : message->pushes)
    EXPECT_EQ(push.receiver, "bob");
  const auto pending = store->pending_messages();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].receiver, "bob");
  EXPECT_EQ(pending[0].installation, "iphone");
  EXPECT_FALSE(store->group("team"));
}

// Groups and their members are kept in the file (im-voip-flow.md §4.3 "Group sends").
TEST(StoreFile, GroupsAndTheirMembersSurviveAReopen) {
  support::TempDir dir;
  const std::string path = dir.file("groups.db");
  {
    auto store = open_store(path);
    ASSERT_TRUE(store);
    pipeline::Group team{"team", pipeline::GroupType::Work, {"alice", "bob"}};
    ASSERT_TRUE(store->add_group(team, kT0));
    EXPECT_FALSE(store->add_group(team, kT0)); // the id is taken
    EXPECT_EQ(store->set_group_member("team", "carol", true, kT0).value_or(false), true);
    EXPECT_EQ(store->set_group_member("team", "carol", true, kT0).value_or(true), false);
    EXPECT_EQ(store->set_group_member("team", "alice", false, kT0).value_or(false), true);
    EXPECT_EQ(store->set_group_member("nowhere", "carol", true, kT0).value_or(true), false);
    ASSERT_TRUE(store->add_group({"live", pipeline::GroupType::AVChatRoom, {"bob"}}, kT0));
  }
  auto store = open_store(path);
  ASSERT_TRUE(store);
  const auto team = store->group("team");
  ASSERT_TRUE(team);
  EXPECT_EQ(team->type, pipeline::GroupType::Work);
  EXPECT_EQ(team->members, (std::set<std::string, std::less<>>{"bob", "carol"}));
  EXPECT_EQ(store->group("live")->type, pipeline::GroupType::AVChatRoom);
  EXPECT_FALSE(store->group("nowhere"));
}
