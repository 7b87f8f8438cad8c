#pragma once
// The embedded IM push backend (im-voip-flow.md): the certificate console, setVOIP, presence,
// the message service with its offline-only VoIP push, and the durable outbox behind the
// dispatcher. The C++ API; api.hpp puts JSON over HTTP in front of it.

#include "core/clock.hpp"
#include "core/result.hpp"
#include "pipeline/api_error.hpp"
#include "pipeline/console.hpp"
#include "pipeline/dispatcher.hpp"
#include "pipeline/groups.hpp"
#include "pipeline/login_policy.hpp"
#include "pipeline/receive_options.hpp"
#include "pipeline/recent_sends.hpp"
#include "pipeline/records.hpp"

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace pipeline {

class Store;

struct PipelineOptions {
  std::string database = ":memory:"; // a file for a durable outbox
  std::string apple_ca_file;         // Apple root + WWDR (PEM): the console checks issuers
  DispatcherOptions dispatcher;
  // The product setting mobileInstances (im-voip-flow.md §3.4): how many installations of one
  // user stay logged in together; a login beyond it kicks the one that logged in first.
  int mobile_instances = kDefaultMobileInstances;
};

// V2TIMOfflinePushInfo (§4.1).
struct OfflinePushInfo {
  std::string ios_push_type = "voip"; // only VoIP offline pushes are modelled
  std::string ext;                    // JSON text, sent verbatim
  std::string title;
  std::string desc;
  bool disable_push = false;
};

struct MessageToSend {
  std::string sender;
  std::string receiver; // a user; or empty, with `group`
  std::string content;
  bool online_user_only = false;
  std::optional<OfflinePushInfo> offline_push_info;
  // The SDK's MsgRandom: a resend of (sender, receiver or group, random) within 60 s is the same
  // message (im-voip-flow.md §4.3, duplicate sends). None: every send is a new message.
  std::optional<std::uint64_t> random;
  // A group message (im-voip-flow.md §4.3 "Group sends"): fanned out to every member but the
  // sender. Exactly one of receiver and group is given.
  std::string group;
  // The members the message @-mentions (V2TIMMessage.groupAtUserList): under
  // RECEIVE_NOT_NOTIFY_EXCEPT_AT they still get the push.
  std::vector<std::string> at_users;
};

struct UploadedCertificate {
  CertificateRecord record; // with its certificate IDs
  std::vector<std::string> warnings;
};

class Pipeline {
public:
  // Opens the store and resumes every Pending message (a restart after a crash).
  static core::Result<std::unique_ptr<Pipeline>> open(PipelineOptions options, core::Clock& clock);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // --- Console (§2) -------------------------------------------------------------------------
  std::variant<UploadedCertificate, ApiError> upload_certificate(const CertificateUpload& upload);
  std::vector<CertificateRecord> certificates() const;
  std::optional<ApiError> delete_certificate(std::int64_t record_id);

  // --- The IM SDK's calls (§3, §4.3) ---------------------------------------------------------
  // The installations a login kicked (§3.4), oldest first; their SDKs must be told
  // (onKickedOffline): the caller tells them.
  using Kicked = std::vector<std::string>;
  // The installation's presence (§3.4: per installation). Logged out or kicked deactivates its
  // registration (§3.3). A login (from not logged in to logged in) beyond mobile_instances kicks
  // the user's installations that logged in first: their presence becomes kicked and their
  // registrations inactive with reason "kicked".
  std::variant<Kicked, ApiError> set_presence(const std::string& user,
                                              const std::string& installation, Presence presence);
  // setVOIP: NOT_LOGGED_IN (6014) unless the installation is logged in, UNKNOWN_CERTIFICATE_ID,
  // BAD_TOKEN; a null token removes the installation's registration.
  std::optional<ApiError> set_voip(const std::string& user, const std::string& installation,
                                   const std::optional<std::string>& token,
                                   std::int64_t certificate_id);
  std::optional<Registration>
  registration(const std::string& user,
               const std::string& installation = kDefaultInstallation) const;
  // Every registration of the user, ordered by installation.
  std::vector<Registration> registrations(const std::string& user) const;
  // "Do not notify" (§4.3): `target` is the peer's user id (Conversation), the group id (Group),
  // or ignored (Global). BAD_RECEIVE_OPTION without a target where one is needed.
  std::optional<ApiError> set_receive_option(const std::string& user, ReceiveScope scope,
                                             const std::string& target, ReceiveOption option);
  ReceiveOptions receive_options(const std::string& user) const;

  // --- Groups (§4.3 "Group sends") ------------------------------------------------------------
  // A new group with its first members: BAD_GROUP without an id, GROUP_EXISTS (409) if taken.
  std::optional<ApiError> create_group(const Group& group);
  // `user` joins or leaves (idempotent); NO_SUCH_GROUP (404) for an unknown group.
  std::optional<ApiError> join_group(const std::string& group_id, const std::string& user);
  std::optional<ApiError> leave_group(const std::string& group_id, const std::string& user);
  std::optional<Group> group(const std::string& group_id) const;

  // --- Messages (§4) -------------------------------------------------------------------------
  // The message id, or a refusal of the request itself (no receiver or group, or both; an unknown
  // group or push type).
  using SendResult = std::variant<std::string, ApiError>;
  // Stores the message and hands `sent` the answer once the outbox holds it durably, on the
  // store's committer thread, after a push it needs is on its way (the dispatcher's). Many
  // callers' messages share one commit, so a caller that keeps many calls open at once (an
  // HTTP front end) gets far more through than one that waits for each. While the dispatcher
  // has more than DispatcherOptions::max_in_flight pushes in flight, the answer waits for one
  // of them to settle and comes on the dispatcher's I/O thread (backpressure: callers cannot
  // queue pushes in memory faster than APNs answers). A refusal of the request itself is
  // answered at once, on the caller's thread. `sent` must only hand the answer on: it must
  // not call into this pipeline and wait (send_message, message).
  using MessageSent = std::function<void(SendResult)>;
  void send_message(const MessageToSend& message, MessageSent sent);
  // The same, waiting for the answer.
  SendResult send_message(const MessageToSend& message);
  std::optional<MessageRecord> message(const std::string& message_id) const;
  // Pushes sent and not yet answered, or waiting for a retry.
  std::size_t in_flight() const;
  // Waits until every sent push is settled; false when `timeout` passed first.
  bool wait_idle(std::chrono::milliseconds timeout) const;
  // Waits until no push is on the wire (see Dispatcher::wait_quiet).
  bool wait_quiet(std::chrono::milliseconds timeout) const;
  // Calls `idle` once every sent push is settled (see Dispatcher::when_idle).
  std::uint64_t when_idle(std::function<void()> idle);
  // Calls `quiet` once no push is on the wire (see Dispatcher::when_quiet).
  std::uint64_t when_quiet(std::function<void()> quiet);
  void cancel_when_idle(std::uint64_t id);

private:
  Pipeline(PipelineOptions options, core::Clock& clock, std::unique_ptr<Store> store,
           std::unique_ptr<pki::TrustStore> apple_ca);
  MessageRecord decide(const MessageToSend& m, const Group* group);
  MessageRecord decide_group(MessageRecord m, const MessageToSend& in, const Group& group);
  std::optional<ApiError> set_group_member(const std::string& group_id, const std::string& user,
                                           bool member);

  PipelineOptions options_;
  core::Clock& clock_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<pki::TrustStore> apple_ca_;
  std::unique_ptr<Dispatcher> dispatcher_; // stopped before the store goes
  RecentSends recent_sends_;               // duplicate sends of the last 60 s
  std::mutex logins_; // one login's kicks at a time (§3.4): two phones at once kick one another
  std::mutex group_changes_; // a group's creation is checked and made as one
  void store_and_send(MessageRecord record, MessageSent sent,
                      std::optional<RecentSends::Key> duplicate_key);
  void send_only_push(MessageRecord added, MessageSent sent);

  // The console's daily check (§5 Note 4): records past their notAfter are flagged
  // CERT_EXPIRED. Runs at open and every 24 h of the clock.
  struct ExpiryCheck;
  void check_certificate_expiry();
  std::shared_ptr<ExpiryCheck> expiry_check_;
};

} // namespace pipeline
