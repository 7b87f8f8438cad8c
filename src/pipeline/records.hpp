#pragma once
// What the IM push backend keeps (im-voip-flow.md §2.3, §3.3, §3.4, §4): certificate records from
// the console, VoIP registrations from setVOIP and presence per (user, installation), and messages
// with one push per installation. Plain values; the Store persists them.

#include "core/apns_environment.hpp"
#include "core/clock.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pipeline {

// The installation a client that names none reports for (im-voip-flow.md §3.4): a client of one
// phone per user keeps working unchanged, as that user's one installation.
inline const std::string kDefaultInstallation = "default";

// Which APNs environment a certificate ID stands for: certIdDev → sandbox, certIdProd →
// production (§2.1 step 3, §4.4).
// (core's one environment type; shown as sandbox/production, stored as dev/prod: store.cpp)
using Environment = core::ApnsEnvironment;

// A certificate's health (im-voip-flow.md §4.5, §5 Note 4): ok, or the flag the dispatcher set from
// an APNs answer (CERT_TOPIC_MISMATCH, BAD_CERTIFICATE), or the console's daily check's
// CERT_EXPIRED.
enum class CertificateHealth { Ok, TopicMismatch, BadCertificate, Expired };
std::string_view to_string(CertificateHealth health); // ok, CERT_TOPIC_MISMATCH, ...
std::optional<CertificateHealth> parse_certificate_health(std::string_view text);
std::string certificate_health_words(); // "ok, CERT_TOPIC_MISMATCH, ... or CERT_EXPIRED"

struct CertificateRecord {
  std::int64_t record_id = 0; // assigned by the store
  std::string name;
  std::string bundle_id; // without ".voip"
  std::string type = "voip";
  core::TimePoint not_before{};
  core::TimePoint not_after{};
  std::int64_t cert_id_dev = 0; // assigned by the store: the pair (1001, 1002), (1003, 1004), ...
  std::int64_t cert_id_prod = 0;
  std::string certificate_pem; // the leaf, then the chain the .p12 held
  std::string private_key_pem;
  CertificateHealth health = CertificateHealth::Ok;
  core::TimePoint created_at{};
};

// IM SDK presence of a user's installation (§4.3 presence model).
enum class Presence { Online, Background, Killed, LoggedOut, Kicked };
std::string_view to_string(Presence presence); // online, background, killed, logged_out, kicked
std::optional<Presence> parse_presence(std::string_view text);
std::string presence_words(); // "online, background, killed, logged_out or kicked"
// Logged in (any of online, background, killed): setVOIP is allowed (§3.3).
constexpr bool logged_in(Presence p) {
  return p == Presence::Online || p == Presence::Background || p == Presence::Killed;
}

enum class RegistrationState { Active, Unregistered, BadToken, Inactive };
std::string_view to_string(RegistrationState state); // active, unregistered, bad_token, inactive
std::optional<RegistrationState> parse_registration_state(std::string_view text);
std::string registration_state_words(); // "active, unregistered, bad_token or inactive"

// One per (user, installation); a new setVOIP from that installation replaces it (§3.3, §3.4).
struct Registration {
  std::string user;
  std::string installation = kDefaultInstallation; // the device's id, as its SDK reports it
  std::string token_hex;                           // lower case
  std::int64_t cert_record_id = 0;
  Environment environment = Environment::Sandbox; // from which certificate ID was used
  std::string bundle_id;
  core::TimePoint updated_at{};
  RegistrationState state = RegistrationState::Active;
  std::string reason; // why not active: ENV_OR_TOKEN_INVALID, TOKEN_NOT_VOIP_OR_WRONG_APP, ...
};

// Every message ends in exactly one terminal state; Pending is the only other one
// (im-voip-flow.md §4.5): nothing the pipeline takes is lost.
enum class MessageState {
  Pending,
  Accepted,
  Rejected, // APNs answered 4xx; `reason` holds its reason
  SkippedOnline,
  SkippedNoPushRequested, // online-only, disable_push or no offline_push_info (§4.3 1)
  SkippedReceiveOption,   // the receiver's receive option ("Do not notify"); `reason` names it
  SkippedNoRegistration,
  SkippedLoggedOut, // logged out or kicked; `reason` says which
  SkippedGroupType, // a group type that keeps no offline messages (AVChatRoom); `reason` says so
  PayloadTooLarge,
  Expired, // a call push older than its lifetime was dropped instead of retried
  Failed,  // retries exhausted, or a certificate/connection error; `reason` says which
};
std::string_view to_string(MessageState state); // pending, accepted, ..., skipped_online, ...
std::optional<MessageState> parse_message_state(std::string_view text);
std::string message_state_words(); // "pending, accepted, ... or failed"

// One installation's VoIP push of a message (im-voip-flow.md §3.4: §4.3 applied to each
// installation), with its own attempts and terminal state.
struct PushRecord {
  // The user it is for: the message's receiver, or in a group message the member (§4.3 "Group
  // sends"). With `installation`, the push's key within its message.
  std::string receiver;
  std::string installation;
  MessageState state = MessageState::Pending;
  std::string reason;
  std::string apns_id; // derived from the message id and the installation
  int attempts = 0;
  std::optional<core::TimePoint> next_attempt_at;
  std::string token_hex;
  std::int64_t cert_record_id = 0;
  Environment environment = Environment::Sandbox;
  std::string bundle_id;
};

// A message. Its state, reason, apns_id, attempts and push target are the message's as a whole:
// without pushes, the decision that no installation gets one; with pushes, those of the push that
// summarise them (message_summary.hpp). The dispatcher is handed one push at a time as a
// MessageRecord whose `installation` names it and whose push fields are that push's.
struct MessageRecord {
  std::string message_id; // assigned by the store: "msg-1", "msg-2", ...
  std::string sender;
  std::string receiver; // the user; in a group message, the group's id (as `group`)
  // A group message's group (im-voip-flow.md §4.3 "Group sends"), empty one-to-one: each member
  // but the sender is a receiver with pushes of its own (PushRecord::receiver), in rows of their
  // own however many there are. In a push_view, `receiver` is then the member's.
  std::string group;
  std::string content;
  std::string ios_push_type; // "voip", "apns" or "" (no offline push)
  std::string ext;           // opaque JSON text, sent verbatim (§4.2)
  std::string title;
  std::string desc;
  core::TimePoint created_at{};
  MessageState state = MessageState::Pending;
  std::string reason;
  std::string apns_id; // derived from the message id: the same on every retry
  int attempts = 0;
  std::optional<core::TimePoint> next_attempt_at; // Pending with a retry scheduled
  // The push target, fixed when the message is queued for APNs.
  std::string token_hex;
  std::int64_t cert_record_id = 0;
  Environment environment = Environment::Sandbox;
  std::string bundle_id;
  // The sender's MsgRandom, when it gave one: a resend with the same (sender, receiver or group,
  // random) within 60 s is this message (im-voip-flow.md §4.3, duplicate sends).
  std::optional<std::uint64_t> random;
  // One per installation §4.3 was applied to, ordered by installation (read from the store).
  // Pipeline::decide leaves it empty for a message of one push: that push is in the fields
  // above, as the store keeps it (take_only_push, message_summary.hpp).
  std::vector<PushRecord> pushes;
  // Set when this record stands for one push (the dispatcher's unit): that push's installation,
  // and how many pushes its message has (1: the message's summary is this push, and the record
  // is the message itself).
  std::string installation;
  std::size_t push_count = 0;
};

} // namespace pipeline
