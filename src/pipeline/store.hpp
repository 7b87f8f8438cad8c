#pragma once
// The pipeline's durable state in SQLite (WAL, schema versioned): certificate records,
// registrations, presence and the message outbox. ":memory:" for tests. A process killed at
// any point loses nothing that a call here had returned from (WAL, synchronous=NORMAL
// survives a process crash). Presence and registrations are read from memory (user_cache.hpp).
// Thread-safe: one connection behind a mutex; message writes from
// many threads share transactions (group_commit.hpp).
// Spec: docs/spec/im-voip-flow.md

#include "core/result.hpp"
#include "pipeline/groups.hpp"
#include "pipeline/receive_options.hpp"
#include "pipeline/records.hpp"
#include "pipeline/user_cache.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pipeline {

class Store {
public:
  // Creates the schema in a new file, migrates an older one, refuses a newer one (an error that
  // names both versions), enables WAL.
  static core::Result<std::unique_ptr<Store>> open(const std::string& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  static constexpr int kSchemaVersion = 6;

  // --- Certificates ------------------------------------------------------------------------
  // Assigns record_id and the next pair of certificate IDs (1001/1002 first).
  core::Result<CertificateRecord> add_certificate(CertificateRecord record);
  std::vector<CertificateRecord> certificates() const;
  std::optional<CertificateRecord> certificate(std::int64_t record_id) const;
  // The record a console certificate ID belongs to, and which environment that ID stands for.
  std::optional<std::pair<CertificateRecord, Environment>>
  certificate_by_id(std::int64_t certificate_id) const;
  // Also deletes the registrations made with it; messages keep their copy of the target.
  bool delete_certificate(std::int64_t record_id);
  bool set_certificate_health(std::int64_t record_id, CertificateHealth health);

  // --- Registrations (one per (user, installation), im-voip-flow.md §3.3, §3.4) ---------------
  // Replaces the installation's. Fails when cert_record_id names no certificate record.
  core::Result<void> put_registration(const Registration& registration);
  std::optional<Registration>
  registration(const std::string& user,
               const std::string& installation = kDefaultInstallation) const;
  // Every registration of the user, ordered by installation.
  std::vector<Registration> registrations(const std::string& user) const;
  // With `only_for_token`, changes nothing unless the registration still has that token: an
  // APNs answer about an old token must not mark a newer registration (a setVOIP meanwhile).
  bool set_registration_state(const std::string& user, const std::string& installation,
                              RegistrationState state, const std::string& reason,
                              const std::string& only_for_token = {});
  bool delete_registration(const std::string& user, const std::string& installation);

  // --- Presence (per installation, §3.4) ----------------------------------------------------
  // A change from not logged in (or no presence) to logged in is a login: it is numbered with
  // the store's next login number (InstallationPresence::login_seq), which orders the kicks.
  core::Result<void> set_presence(const std::string& user, const std::string& installation,
                                  Presence presence, core::TimePoint at);
  std::optional<Presence> presence(const std::string& user,
                                   const std::string& installation = kDefaultInstallation) const;
  // Every installation of the user with a presence, ordered by installation.
  std::vector<InstallationPresence> installations(const std::string& user) const;
  // Every installation of the user with a presence or a registration, with both: what
  // sendMessage reads (§4.3), in one look-up.
  std::vector<PushTarget> push_targets(const std::string& user) const;

  // --- Receive options (§4.3) ------------------------------------------------------------------
  // `target` is '' for ReceiveScope::Global.
  core::Result<void> set_receive_option(const std::string& user, ReceiveScope scope,
                                        const std::string& target, ReceiveOption option,
                                        core::TimePoint at);
  ReceiveOptions receive_options(const std::string& user) const;
  // receive_option_blocks() for `user`'s settings, read where they are kept (no copy).
  std::optional<std::string> receive_option_blocks(const std::string& user,
                                                   const MessageOrigin& origin) const;

  // --- Groups (§4.3 "Group sends") -------------------------------------------------------------
  // Adds a group with its members; fails if the id is taken.
  core::Result<void> add_group(const Group& group, core::TimePoint at);
  // Makes `user` a member of `group_id` (`member`) or not; false when nothing changed (already
  // one, not one, or no such group).
  core::Result<bool> set_group_member(const std::string& group_id, const std::string& user,
                                      bool member, core::TimePoint at);
  std::optional<Group> group(const std::string& group_id) const;

  // --- Messages (the outbox) ---------------------------------------------------------------
  // Assigns message_id ("msg-<n>", n counting from 1 per database) and writes the message (each
  // push counted as attempted gets its apns-id): with one push (in `pushes`, or already in its
  // own fields: take_only_push), that push in the message's row, as a message was stored before
  // installations (im-voip-flow.md §3.4); with two or more, a row per push and their summary
  // (message_summary.hpp) in the message's. Once the row is committed, hands the record (or the
  // error) to `added`, on the store's committer thread: `added` must not wait for another write of
  // this store (add_message, update_message, message, pending_messages). Many callers' rows share
  // one commit (group_commit.hpp).
  using MessageAdded = std::function<void(core::Result<MessageRecord>)>;
  void add_message(MessageRecord message, MessageAdded added);
  // The same, waiting for the commit.
  core::Result<MessageRecord> add_message(MessageRecord message);
  // Writes state, reason, apns_id, attempts, next_attempt_at and the push target: of the push
  // to `installation` (and the message's summary of its pushes) when the record is a push_view
  // of a message of two or more pushes (push_count), else of the message row, which holds a
  // message's one push; NotFound (pipeline/error.hpp) for an unknown message_id or push.
  core::Result<void> update_message(const MessageRecord& message);
  // The same without waiting for the commit (the dispatcher's answers): a crash before it
  // leaves the message as it was (Pending), and a restart resumes it. Reads below see it.
  void update_message_later(MessageRecord message);
  // update_message_later writes that failed (an unknown id, the disk full).
  std::uint64_t failed_later_writes() const;
  // With its pushes.
  std::optional<MessageRecord> message(const std::string& message_id) const;
  // Waits until every message write handed over before it is committed and its `added` ran.
  void flush();
  // Pending pushes (as push_views) and pending messages without pushes, in the order the
  // messages were added: what a restart resumes.
  std::vector<MessageRecord> pending_messages() const;
  // Messages that carry a random and were created at `since` or later, oldest first: the sends
  // a restart must still recognise as duplicates.
  std::vector<MessageRecord> messages_with_random_since(core::TimePoint since) const;

  struct Impl;

private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace pipeline
