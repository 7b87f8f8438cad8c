#pragma once
// A scenario as loaded from its file (scenarios/README.md is the reference): what is set up,
// the steps in order, and what each step must lead to. Plain values; the loader fills them, the
// runner reads them. Every part keeps the place in the file it came from, so a failure can
// point there.
// Spec: docs/spec/pushkit-callkit.md

#include "core/apns_environment.hpp"
#include "core/apns_reason.hpp"
#include "core/clock.hpp"
#include "fake_device/app_config.hpp"
#include "fake_device/app_state.hpp"
#include "fake_device/device_event.hpp"
#include "fake_device/ios_version.hpp"
#include "mock_apns/push_type.hpp"
#include "pipeline/groups.hpp"
#include "pipeline/receive_options.hpp"
#include "pipeline/records.hpp"
#include "scenario/push_auth.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace scenario {

struct Location {
  std::string file;
  int line = 0;             // 1-based; 0 when unknown
  std::string text() const; // "file:line", or "file"
};

// The seed's Step 1 done at run time (apns-provider-api.md §7.4a): an RSA key (the run's) and a
// CSR, the certificate the portal issues for it from the PKI's WWDR CA, exported as a .p12.
struct PortalExport {
  std::string kind;     // a portal kind: voip-services, apns-development, apns-production, ...
  bool with_key = true; // false: the certificate alone, as `openssl pkcs12 -export -nokeys`
};

// A console upload (im-voip-flow.md §2): a .p12 of the run's fake Apple PKI, or one made
// through the portal's step.
struct UploadSpec {
  std::string label;      // how steps and expectations name it, e.g. "voip"
  std::string name;       // the certificate's name in the console
  std::string credential; // a .p12 of the PKI by its stem: voip-services, apns-production, ...
  std::optional<std::string> password;  // default: the PKI's password
  bool allow_other_types = false;       // FAQ 2a″: the owner bypassed the console's warning
  std::optional<PortalExport> from_csr; // instead of `credential`
};

// The app on a device, as it was built and behaves (pushkit-callkit.md §7.2).
struct AppSpec {
  fake_device::AppConfig config; // certificate_id is resolved from `certificate` at run time
  // "<upload label>.development" / "<upload label>.production", or a number. Empty: the first
  // upload's ID for the app's own environment, as a correctly built app reports.
  std::string certificate;
};

struct DeviceSpec {
  std::string id;   // e.g. "bobs-iphone"
  std::string user; // who logs in on it
  fake_device::IosVersion ios{17, 0};
  bool locked = false;
  bool dnd = false;
  std::vector<std::string> allowed_handles; // let through Do Not Disturb
  std::vector<std::string> blocked_handles; // CallKit refuses them (code 4)
  AppSpec app;
  Location where;
};

// A user's receive option ("Do not notify", im-voip-flow.md §4.3).
struct ReceiveOptionSpec {
  std::string user; // empty: the step's device's user
  pipeline::ReceiveSetting setting;
  Location where;
};

// A group and its first members (im-voip-flow.md §4.3 "Group sends"): setup.groups, create_group.
struct GroupSpec {
  pipeline::Group group;
  Location where;
};

// A user joins or leaves a group (join_group, leave_group).
struct MembershipSpec {
  std::string group;
  std::string user; // empty: the step's device's user
  Location where;
};

struct Setup {
  std::vector<UploadSpec> uploads; // must succeed
  std::vector<GroupSpec> groups;
  std::vector<ReceiveOptionSpec> receive_options;
  std::vector<DeviceSpec> devices;
  bool strict_tokens = true; // the mock's registry mode
  core::Duration unregister_delay{};
  // The product setting mobileInstances (im-voip-flow.md §3.4): installations of one user logged
  // in together; a login beyond it kicks the first.
  int mobile_instances = 1;
};

// --- Expectations: checked once the step's effects have settled -----------------------------

// Requests the mock answered during the step: all must match the fields set; `count` exact.
struct ApnsExpectation {
  std::optional<std::uint64_t> count;
  std::optional<int> status;
  std::optional<core::ApnsReason> reason; // either spelling of a reason is the same reason
  std::optional<core::ApnsEnvironment> environment;
  std::optional<std::string> topic;
  std::optional<mock_apns::PushType> push_type; // as the mock read it: voip, alert, ...
  // Each request carries the apns-id the pipeline gave this message (label; "last": the last
  // sent): a retry is recognisable (im-voip-flow.md §4.4).
  std::optional<std::string> apns_id_of;
  // The 410 `timestamp` is this long after the scenario's start (when the token died).
  std::optional<core::Duration> timestamp_at;
  // What the request carried (the journal keeps it whole, issue #20): header values as sent,
  // or a time header (apns-expiration) this long after the scenario's start, in whole seconds.
  struct Header {
    std::string name; // lower case, as HTTP/2 sends it
    std::optional<std::string> value;
    std::optional<core::Duration> at;
  };
  std::vector<Header> headers;
  std::optional<std::string> body;          // the payload, byte for byte
  std::optional<std::string> body_contains; // a part of it, e.g. the ext the pipeline copied
  Location where;
};

// One installation's push of a message (im-voip-flow.md §3.4), keyed by its device id; or, in
// `receivers`, what one receiver's pushes sum up to (§4.3 "Group sends"), keyed by the user.
struct PushExpectation {
  std::string key;
  std::optional<pipeline::MessageState> state;
  std::optional<std::string> reason;
  std::optional<int> attempts;
  Location where;
};

// The pipeline's record of a message (default: the last one sent).
struct MessageExpectation {
  std::string message; // label given by `send: {as: ...}`; empty: the last sent
  std::optional<pipeline::MessageState> state;
  std::optional<std::string> reason;
  std::optional<int> attempts;
  std::vector<PushExpectation> pushes;    // each must be there and match; others may be too
  std::vector<PushExpectation> receivers; // likewise, per receiving user (a group's members)
  Location where;
};

// The pipeline's VoIP registration of a user, or (`state: none`) that there is none.
struct RegistrationExpectation {
  std::string user;   // empty: the step's device's user
  std::string device; // whose installation (im-voip-flow.md §3.4); empty: the step's device, if it
                      // is the user's
  std::optional<pipeline::RegistrationState> state;
  bool none = false; // `state: none`: the user must have no registration at all
  std::optional<std::string> reason;
  Location where;
};

// A console upload's outcome: its refusal code, or its certificate IDs and warnings.
struct ConsoleExpectation {
  std::optional<std::string> error; // e.g. P12_PASSWORD_REQUIRED; "none": must be accepted
  std::optional<std::int64_t> development_id;
  std::optional<std::int64_t> production_id;
  std::optional<std::string> warning; // a warning of the accepted upload contains this
  Location where;
};

// A certificate record's health flag (im-voip-flow.md §4.5).
struct CertificateExpectation {
  std::string label; // empty: the first upload
  std::string health;
  Location where;
};

// One kind of device event, and optionally its code and a part of its detail (the crash
// record, the log line, the setVOIP error).
struct EventMatch {
  fake_device::DeviceEventKind kind = fake_device::DeviceEventKind::Log;
  std::optional<int> code;
  std::string detail;       // empty: any
  std::optional<int> count; // in `events`: seen exactly this many times, not at least once
  // Only events of the push for this message (a `send: {as: ...}` label; "last": the last
  // sent). The runner fills `apns_id` with that message's apns-id before checking.
  std::string message;
  std::string apns_id;
};

// What the device recorded during the step, and its state after it.
struct DeviceExpectation {
  std::string device;                // empty: the step's device
  std::vector<EventMatch> events;    // each seen at least once
  std::vector<EventMatch> no_events; // none seen
  std::optional<fake_device::ProcessState> process;
  std::optional<int> kill_count;
  std::optional<bool> voip_blocked;
  std::optional<bool> has_voip_token;
  Location where;
};

// The raw push of a `push` step: APNs' answer.
struct ResponseExpectation {
  std::optional<int> status;
  std::optional<core::ApnsReason> reason;
  Location where;
};

struct Expectations {
  std::optional<ApnsExpectation> apns;
  std::optional<MessageExpectation> message;
  std::optional<RegistrationExpectation> registration;
  std::optional<ConsoleExpectation> console;
  std::optional<CertificateExpectation> certificate;
  std::vector<DeviceExpectation> devices; // at most one per device
  std::optional<ResponseExpectation> response;
  bool empty() const {
    return !apns && !message && !registration && !console && !certificate && devices.empty() &&
           !response;
  }
};

// --- Steps -----------------------------------------------------------------------------------

enum class Action {
  Upload,  // console upload (expect.console says whether it must be refused)
  Install, // the device's app as set up
  Uninstall,
  Reinstall, // uninstall, then install the same build
  Consent,   // privacy policy accepted
  Launch,    // the user opens the app: foreground
  Home,      // Home pressed: background
  Swipe,     // swiped away in the app switcher (process killed while logged in)
  Terminate, // ended by the system
  Login,
  Logout,
  Kick,        // another device logged in with the same account
  AlertToken,  // registerForRemoteNotifications: the ordinary APNs token
  RotateToken, // PushKit hands out a new token
  Airplane,    // on / off
  CallKit,     // how the app reports the next VoIP pushes (immediate, never, delay:MS, ...)
  Answer,      // the user answers the ringing call
  Decline,
  Dnd,       // Do Not Disturb on / off
  Send,      // sendMessage through the pipeline
  Push,      // a provider's own request straight to the mock (token or certificate auth)
  Advance,   // virtual time moves on; timers fire in order
  Fault,     // the mock answers the next requests with a fault
  RotateKey, // the provider makes a new token key (and may revoke the old one)
  Lock,      // the screen locks: CallKit shows the lock-screen UI
  Unlock,
  RemoveVoip,       // the app removes .voIP from desiredPushTypes (§7.4 Registration 3)
  ResetApsIdentity, // the device's APS identity is reset: every token of the app's environment
                    // is replaced (§7.4 Registration 2)
  RestartPipeline,  // the pipeline stops, stays down `duration`, starts on the same database
  ReceiveOption,    // a user sets a receive option ("Do not notify")
  CreateGroup,      // a group with its first members (im-voip-flow.md §4.3 "Group sends")
  JoinGroup,        // a user joins a group
  LeaveGroup,       // a user leaves it
  // The mock refuses an upload's certificate at the TLS handshake from now on, as APNs refuses
  // a revoked one (im-voip-flow.md §4.5, §5 Note 4)
  RefuseCertificate,
};

struct SendSpec {
  std::string from = "alice";
  std::string to; // default: the step's device's user
  std::string ext = R"({"entity":{"action":1,"content":"this is voip push","sender":"alice",)"
                    R"("nickname":"nickName","faceUrl":"","chatType":1}})";
  bool online_user_only = false;
  bool disable_push = false;
  std::optional<std::uint64_t> random; // MsgRandom: a resend within 60 s is the same message
  std::string label;                   // for expect.message
  std::string group;                   // a group message to it instead of `to` (§4.3)
  std::vector<std::string> at;         // the members it @-mentions
};

struct PushSpec {
  std::string token = "voip"; // the device's voip, last_voip (even retired) or alert token; hex
  PushAuth auth = PushAuth::Token;
  std::string credential = "voip-services";         // certificate auth: which PKI certificate
  std::optional<core::ApnsEnvironment> environment; // nullopt: the app's
  bool new_provider_token = false; // sign a fresh JWT now instead of reusing the last one
  std::string topic;               // default: the app's "<bundle>.voip"
  // Headers as sent, verbatim (so malformed values can be sent); nullopt: left out.
  std::optional<std::string> push_type = "voip";
  std::optional<std::string> priority = "10";
  std::optional<std::string> expiration = "0";
  std::optional<core::Duration> expires_in; // instead of `expiration`: now + this, in seconds
  std::optional<std::string> collapse_id;
  std::optional<std::string> apns_id;
  std::string body = R"({"aps":{},"caller":"provider"})";
};

struct FaultSpec {
  std::optional<core::ApnsReason> reason; // answered instead of the mock's own answer
  std::int64_t count = 1;                 // requests it applies to; -1: every one
  std::uint64_t skip = 0;                 // requests let through first
  std::optional<core::ApnsReason> goaway; // close the connection afterwards with this reason
};

struct Step {
  Action action = Action::Advance;
  std::string device;        // target device id; empty: the only (first) device
  std::string text;          // the step as written, for the timeline and failures
  std::string note;          // the author's why, shown in the timeline
  bool on = true;            // Airplane, Dnd
  bool revoke_old = false;   // RotateKey
  std::string value;         // CallKit behaviour; RefuseCertificate: the upload's label
  core::Duration duration{}; // Advance; RestartPipeline: how long it stays down
  UploadSpec upload;
  SendSpec send;
  PushSpec push;
  FaultSpec fault;
  ReceiveOptionSpec receive_option;
  GroupSpec group;           // CreateGroup
  MembershipSpec membership; // JoinGroup, LeaveGroup
  Expectations expect;
  Location where;
};

struct Scenario {
  std::string name;         // unique; from the file or its path, e.g. "faq/2a-dev-build-prod-id"
  std::string title;        // one line
  std::string spec;         // the spec case it reproduces, e.g. "im-voip-flow.md §5 FAQ 2a"
  std::string demonstrates; // what a reader learns from it, for the demo's table
  // Why it cannot run in real time (`voipsim run --live`), e.g. it moves the virtual clock an
  // hour on; empty: it can. A live run reports it skipped with this reason (issue #21).
  std::string live_skip;
  Setup setup;
  std::vector<Step> steps;
  Location where;
  // What the loader found legal but probably not meant, each "file:line: ..." (issue #23).
  std::vector<std::string> warnings;
};

} // namespace scenario
