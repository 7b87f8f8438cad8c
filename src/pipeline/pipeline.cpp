// Spec: docs/spec/im-voip-flow.md
#include "pipeline/pipeline.hpp"

#include "core/device_token.hpp"
#include "core/encoding.hpp"
#include "core/file.hpp"
#include "core/wait_for_answer.hpp"
#include "pipeline/message_summary.hpp"
#include "pipeline/push_eligibility.hpp"
#include "pipeline/store.hpp"
#include "pki/classify.hpp"

#include <algorithm>
#include <atomic>

namespace pipeline {

namespace {

ApiError error(std::string code, std::string message, int status = 400) {
  return {std::move(code), std::move(message), status};
}

// §3.3: 32 bytes, accept 32-100, as hex: the rule the mock's default settings apply.
std::optional<ApiError> check_token(const std::string& token) {
  if (!core::is_device_token(token))
    return error("BAD_TOKEN", "a VoIP token is " + core::device_token_rule() +
                                  " (32 to 100 bytes); got " + std::to_string(token.size()) +
                                  " characters");
  return std::nullopt;
}

constexpr auto kExpiryCheckInterval = std::chrono::hours(24);

// Whom a send is for, as the duplicate check keys it (§4.3: "sender, receiver or group,
// random"): a group cannot be mistaken for a user of the same name.
std::string send_target(const std::string& receiver, const std::string& group) {
  return group.empty() ? receiver : "group:" + group;
}

MessageRecord skipped(MessageRecord m, MessageState state, std::string reason) {
  m.state = state;
  m.reason = std::move(reason);
  return m;
}

// What the sender asked for that rules out an offline push (§4.3 condition 1), if anything.
std::optional<std::string> no_push_requested(const MessageToSend& in) {
  if (in.online_user_only) return "online_user_only: an online-only message is not stored";
  if (!in.offline_push_info) return "no offline_push_info";
  if (in.offline_push_info->disable_push) return "disable_push";
  return std::nullopt;
}

// §4.3's last conditions for one installation (im-voip-flow.md §3.4): offline but logged in, an
// active registration. Its push is pending with its first attempt counted, which the dispatcher
// makes as soon as the row is committed (a crash while that push is on the wire still counts
// it, at no extra write); or skipped, saying why that phone did not ring.
PushRecord push_for(PushTarget target) {
  PushRecord push;
  push.installation = std::move(target.installation);
  if (auto blocked = push_blocked(target.presence, target.registration)) {
    push.state = blocked->state;
    push.reason = std::move(blocked->reason);
    return push;
  }
  push.attempts = 1;
  push.token_hex = std::move(target.registration->token_hex);
  push.cert_record_id = target.registration->cert_record_id;
  push.environment = target.registration->environment;
  push.bundle_id = std::move(target.registration->bundle_id);
  return push;
}

} // namespace

core::Result<std::unique_ptr<Pipeline>> Pipeline::open(PipelineOptions options,
                                                       core::Clock& clock) {
  auto pem = core::read_file(options.apple_ca_file);
  if (!pem)
    return core::Unexpected(pem.error().in_context(
        "PipelineOptions::apple_ca_file, the Apple root and WWDR CA uploads must chain to"));
  auto trust = pki::TrustStore::from_pem(*pem);
  if (!trust)
    return core::Unexpected(
        trust.error().in_context("PipelineOptions::apple_ca_file " + options.apple_ca_file));
  auto store = Store::open(options.database);
  if (!store) return core::Unexpected(store.error());
  std::unique_ptr<Pipeline> pipeline(
      new Pipeline(std::move(options), clock, std::move(*store),
                   std::make_unique<pki::TrustStore>(std::move(*trust))));
  // Whatever was Pending when the last process ended is sent again: a push whose answer was
  // lost may reach the device twice (counted by the crash test), none is lost. The re-sent
  // attempt counts: its count is handed to the store before the push goes (Dispatcher::send).
  for (auto& m : pipeline->store_->pending_messages()) {
    m.attempts += 1;
    m.next_attempt_at.reset();
    pipeline->store_->update_message_later(m);
    pipeline->dispatcher_->send(std::move(m));
  }
  // A resend after the restart is still a duplicate of what was stored before it.
  for (const auto& m : pipeline->store_->messages_with_random_since(clock.now() - kDuplicateWindow))
    pipeline->recent_sends_.remember({m.sender, send_target(m.receiver, m.group), *m.random},
                                     m.message_id, m.created_at);
  return pipeline;
}

// The daily timer's link to the pipeline: the timer runs on the clock's thread and may fire
// while the pipeline is being destroyed, so it reaches it only through this, under the lock.
struct Pipeline::ExpiryCheck {
  std::mutex mutex;
  Pipeline* pipeline = nullptr; // null once the pipeline is going
  core::Clock::TimerId timer = 0;

  static void schedule(const std::shared_ptr<ExpiryCheck>& self, core::Clock& clock) {
    self->timer = clock.schedule_after(kExpiryCheckInterval, [weak = std::weak_ptr(self)] {
      const auto check = weak.lock();
      if (!check) return;
      std::lock_guard lock(check->mutex);
      if (!check->pipeline) return;
      check->pipeline->check_certificate_expiry();
      schedule(check, check->pipeline->clock_);
    });
  }
};

Pipeline::Pipeline(PipelineOptions options, core::Clock& clock, std::unique_ptr<Store> store,
                   std::unique_ptr<pki::TrustStore> apple_ca)
    : options_(std::move(options)), clock_(clock), store_(std::move(store)),
      apple_ca_(std::move(apple_ca)),
      dispatcher_(std::make_unique<Dispatcher>(*store_, clock_, options_.dispatcher)),
      expiry_check_(std::make_shared<ExpiryCheck>()) {
  check_certificate_expiry();
  std::lock_guard lock(expiry_check_->mutex);
  expiry_check_->pipeline = this;
  ExpiryCheck::schedule(expiry_check_, clock_);
}

Pipeline::~Pipeline() {
  {
    std::lock_guard lock(expiry_check_->mutex); // waits for a check that is running
    expiry_check_->pipeline = nullptr;
    clock_.cancel(expiry_check_->timer);
  }
  store_->flush(); // messages being added still reach the dispatcher (which leaves them Pending)
  dispatcher_.reset();
}

void Pipeline::check_certificate_expiry() {
  const auto now = clock_.now();
  for (const auto& record : store_->certificates())
    if (record.not_after <= now && record.health != CertificateHealth::Expired)
      store_->set_certificate_health(record.record_id, CertificateHealth::Expired);
}

std::variant<UploadedCertificate, ApiError>
Pipeline::upload_certificate(const CertificateUpload& upload) {
  auto checked = check_upload(upload, *apple_ca_, clock_.now());
  if (auto* refused = std::get_if<ApiError>(&checked)) return *refused;
  auto& accepted = std::get<AcceptedUpload>(checked);
  auto stored = store_->add_certificate(std::move(accepted.record));
  if (!stored) return error("STORE_FAILED", stored.error().message(), 500);
  return UploadedCertificate{std::move(*stored), std::move(accepted.warnings)};
}

std::vector<CertificateRecord> Pipeline::certificates() const {
  return store_->certificates();
}

std::optional<ApiError> Pipeline::delete_certificate(std::int64_t record_id) {
  if (!store_->delete_certificate(record_id))
    return error("UNKNOWN_CERTIFICATE", "no certificate record " + std::to_string(record_id), 404);
  return std::nullopt;
}

std::variant<Pipeline::Kicked, ApiError> Pipeline::set_presence(const std::string& user,
                                                                const std::string& installation,
                                                                Presence presence) {
  if (user.empty()) return error("BAD_USER", "the user id is empty");
  if (installation.empty()) return error("BAD_INSTALLATION", "the installation id is empty");
  std::lock_guard lock(logins_);
  const auto before = store_->presence(user, installation);
  if (auto set = store_->set_presence(user, installation, presence, clock_.now()); !set)
    return error("STORE_FAILED", set.error().message(), 500);
  // §3.3: logged-out (or kicked) installations get no offline pushes; the next login's setVOIP
  // registers again.
  if (presence == Presence::LoggedOut || presence == Presence::Kicked)
    store_->set_registration_state(user, installation, RegistrationState::Inactive,
                                   std::string(to_string(presence)));
  Kicked kicked;
  if (!logged_in(presence) || (before && logged_in(*before))) return kicked; // not a login
  std::vector<LoggedInInstallation> others;
  for (const auto& other : store_->installations(user)) {
    if (other.installation == installation || !logged_in(other.presence)) continue;
    LoggedInInstallation one;
    one.installation = other.installation;
    one.login_seq = other.login_seq;
    others.push_back(std::move(one));
  }
  // im-voip-flow.md §3.4: a login beyond mobileInstances kicks the installation that logged in
  // first; its registration becomes inactive (state kicked), so it no longer rings.
  kicked = installations_to_kick(std::move(others), options_.mobile_instances);
  for (const auto& other : kicked) {
    if (auto set = store_->set_presence(user, other, Presence::Kicked, clock_.now()); !set)
      return error("STORE_FAILED", set.error().message(), 500);
    store_->set_registration_state(user, other, RegistrationState::Inactive,
                                   std::string(to_string(Presence::Kicked)));
  }
  return kicked;
}

std::optional<ApiError> Pipeline::set_voip(const std::string& user, const std::string& installation,
                                           const std::optional<std::string>& token,
                                           std::int64_t certificate_id) {
  const auto presence = store_->presence(user, installation);
  if (!presence || !logged_in(*presence))
    return error("NOT_LOGGED_IN",
                 "setVOIP needs a logged-in session (SDK error 6014 ERR_SDK_NOT_LOGGED_IN): log "
                 "in first, then report the token",
                 409);
  if (!token) {
    store_->delete_registration(user, installation);
    return std::nullopt;
  }
  if (auto bad = check_token(*token)) return bad;
  const auto certificate = store_->certificate_by_id(certificate_id);
  if (!certificate)
    return error("UNKNOWN_CERTIFICATE_ID",
                 "certificate ID " + std::to_string(certificate_id) +
                     " is not one the console issued; use the development or production ID of "
                     "an uploaded VoIP certificate",
                 404);
  Registration r;
  r.user = user;
  r.installation = installation;
  r.token_hex = core::to_lower_ascii(*token);
  r.cert_record_id = certificate->first.record_id;
  r.environment = certificate->second;
  r.bundle_id = certificate->first.bundle_id;
  r.updated_at = clock_.now();
  if (auto put = store_->put_registration(r); !put)
    return error("STORE_FAILED", put.error().message(), 500);
  return std::nullopt;
}

std::optional<Registration> Pipeline::registration(const std::string& user,
                                                   const std::string& installation) const {
  return store_->registration(user, installation);
}

std::vector<Registration> Pipeline::registrations(const std::string& user) const {
  return store_->registrations(user);
}

std::optional<ApiError> Pipeline::set_receive_option(const std::string& user, ReceiveScope scope,
                                                     const std::string& target,
                                                     ReceiveOption option) {
  if (user.empty()) return error("BAD_RECEIVE_OPTION", "a receive option needs a user");
  if (scope != ReceiveScope::Global && target.empty())
    return error("BAD_RECEIVE_OPTION",
                 "a " + std::string(to_string(scope)) + " receive option needs the " +
                     (scope == ReceiveScope::Group ? "group id" : "peer's user id"));
  if (auto set = store_->set_receive_option(user, scope, target, option, clock_.now()); !set)
    return error("STORE_FAILED", set.error().message(), 500);
  return std::nullopt;
}

ReceiveOptions Pipeline::receive_options(const std::string& user) const {
  return store_->receive_options(user);
}

std::optional<ApiError> Pipeline::create_group(const Group& group) {
  if (group.id.empty()) return error("BAD_GROUP", "a group needs an id");
  std::lock_guard lock(group_changes_);
  if (store_->group(group.id))
    return error("GROUP_EXISTS", "group " + group.id + " exists already", 409);
  if (auto added = store_->add_group(group, clock_.now()); !added)
    return error("STORE_FAILED", added.error().message(), 500);
  return std::nullopt;
}

std::optional<ApiError> Pipeline::set_group_member(const std::string& group_id,
                                                   const std::string& user, bool member) {
  if (user.empty()) return error("BAD_GROUP", "a member needs a user id");
  std::lock_guard lock(group_changes_);
  if (!store_->group(group_id)) return error("NO_SUCH_GROUP", "no group " + group_id, 404);
  if (auto set = store_->set_group_member(group_id, user, member, clock_.now()); !set)
    return error("STORE_FAILED", set.error().message(), 500);
  return std::nullopt;
}

std::optional<ApiError> Pipeline::join_group(const std::string& group_id, const std::string& user) {
  return set_group_member(group_id, user, true);
}

std::optional<ApiError> Pipeline::leave_group(const std::string& group_id,
                                              const std::string& user) {
  return set_group_member(group_id, user, false);
}

std::optional<Group> Pipeline::group(const std::string& group_id) const {
  return store_->group(group_id);
}

// §4.3 in order: stored with a push requested, the receiver's receive option, then for each of the
// receiver's installations (§3.4) its own push: offline but logged in, an active registration (a
// body within the limit: the dispatcher's). An installation that may not get one keeps its
// skipped push, so the message shows why that phone did not ring.
MessageRecord Pipeline::decide(const MessageToSend& in, const Group* group) {
  MessageRecord m;
  m.sender = in.sender;
  m.receiver = group ? group->id : in.receiver;
  if (group) m.group = group->id;
  m.content = in.content;
  m.created_at = clock_.now();
  if (in.offline_push_info) {
    m.ios_push_type = in.offline_push_info->ios_push_type;
    m.ext = in.offline_push_info->ext;
    m.title = in.offline_push_info->title;
    m.desc = in.offline_push_info->desc;
  }
  if (auto why = no_push_requested(in))
    return skipped(m, MessageState::SkippedNoPushRequested, std::move(*why));
  if (group) return decide_group(std::move(m), in, *group);
  if (auto option =
          store_->receive_option_blocks(in.receiver, MessageOrigin::one_to_one(in.sender)))
    return skipped(m, MessageState::SkippedReceiveOption, std::move(*option));
  auto targets = store_->push_targets(in.receiver);
  if (targets.empty()) { // never logged in anywhere
    auto blocked = push_blocked(std::nullopt, std::nullopt);
    return skipped(m, blocked->state, std::move(blocked->reason));
  }
  // The usual case, one installation: its push is the message's own fields, as the store keeps
  // it (one row, as before installations).
  if (targets.size() == 1) {
    take_only_push(m, push_for(std::move(targets.front())));
    return m;
  }
  for (auto& target : targets)
    m.pushes.push_back(push_for(std::move(target)));
  summarise(m);
  return m;
}

// §4.3 "Group sends": each member but the sender is one receiver of §4.3, with its receive option
// for the group (an @-mention passes RECEIVE_NOT_NOTIFY_EXCEPT_AT) and a push per installation.
// A member the pipeline knows no installation of keeps one push, skipped, so every member shows
// its own state. A group type that keeps no offline messages (AVChatRoom) pushes to nobody.
MessageRecord Pipeline::decide_group(MessageRecord m, const MessageToSend& in, const Group& group) {
  if (!keeps_offline_messages(group.type))
    return skipped(std::move(m), MessageState::SkippedGroupType,
                   std::string(to_string(group.type)) +
                       " group: it keeps no offline messages, so no offline push");
  for (auto& member : fan_out(group, in.sender)) {
    const bool mentioned =
        std::find(in.at_users.begin(), in.at_users.end(), member) != in.at_users.end();
    PushRecord none; // the member's one push when it may not get any
    none.receiver = member;
    if (auto option = store_->receive_option_blocks(
            member, MessageOrigin::in_group(in.sender, group.id, mentioned))) {
      none.state = MessageState::SkippedReceiveOption;
      none.reason = std::move(*option);
      m.pushes.push_back(std::move(none));
      continue;
    }
    auto targets = store_->push_targets(member);
    if (targets.empty()) { // never logged in anywhere
      auto blocked = push_blocked(std::nullopt, std::nullopt);
      none.state = blocked->state;
      none.reason = std::move(blocked->reason);
      m.pushes.push_back(std::move(none));
      continue;
    }
    for (auto& target : targets) {
      m.pushes.push_back(push_for(std::move(target)));
      m.pushes.back().receiver = member;
    }
  }
  if (m.pushes.empty())
    return skipped(std::move(m), MessageState::SkippedNoRegistration,
                   "group " + group.id + " has no member but the sender");
  summarise(m);
  return m;
}

void Pipeline::send_message(const MessageToSend& in, MessageSent sent) {
  if (in.sender.empty() || in.receiver.empty() == in.group.empty())
    return sent(error("BAD_MESSAGE",
                      "a message needs a sender and either a receiver or a group, not both"));
  std::optional<Group> group;
  if (!in.group.empty()) {
    group = store_->group(in.group);
    if (!group) return sent(error("NO_SUCH_GROUP", "no group " + in.group, 404));
  }
  if (in.offline_push_info && in.offline_push_info->ios_push_type != "voip")
    return sent(
        error("UNSUPPORTED_PUSH_TYPE", "ios_push_type \"" + in.offline_push_info->ios_push_type +
                                           "\": only \"voip\" offline pushes are simulated"));
  std::optional<RecentSends::Key> key;
  if (in.random) {
    // §4.3 duplicate sends: the same (sender, receiver or group, random) within 60 s is one
    // message.
    key = RecentSends::Key{in.sender, send_target(in.receiver, in.group), *in.random};
    std::string known;
    const auto seen = recent_sends_.check(
        *key, clock_.now(),
        [sent](std::optional<std::string> id) {
          if (!id)
            return sent(error("STORE_FAILED", "the first copy of this send was not stored", 500));
          sent(std::move(*id));
        },
        &known);
    if (seen == RecentSends::Seen::Known) return sent(std::move(known));
    if (seen == RecentSends::Seen::Waiting) return; // answered with the first copy's id
  }
  MessageRecord record = decide(in, group ? &*group : nullptr);
  record.random = in.random;
  store_and_send(std::move(record), std::move(sent), std::move(key));
}

void Pipeline::store_and_send(MessageRecord record, MessageSent sent,
                              std::optional<RecentSends::Key> duplicate_key) {
  store_->add_message(
      std::move(record), [this, sent = std::move(sent),
                          key = std::move(duplicate_key)](core::Result<MessageRecord> added) {
        if (!added) {
          if (key) recent_sends_.failed(*key);
          return sent(error("STORE_FAILED", added.error().message(), 500));
        }
        std::string id = added->message_id;
        if (key) recent_sends_.stored(*key, id, added->created_at);
        if (!has_push_rows(*added)) return send_only_push(std::move(*added), std::move(sent));
        std::vector<MessageRecord> pushes; // one per installation that gets one (§3.4)
        for (const auto& push : added->pushes)
          if (push.state == MessageState::Pending) pushes.push_back(push_view(*added, push));
        if (pushes.empty()) return sent(std::move(id));
        // The dispatcher builds each body (it carries the id) and records payload_too_large; the
        // sender is answered once it has taken them all (backpressure).
        auto left = std::make_shared<std::atomic<std::size_t>>(pushes.size());
        auto answer = std::make_shared<MessageSent>(std::move(sent));
        for (auto& push : pushes)
          dispatcher_->send(std::move(push), [left, answer, id] {
            if (--*left == 0) (*answer)(id);
          });
      });
}

// A message of one push (or none) is its own push_view (take_only_push): handed over whole,
// without a copy.
void Pipeline::send_only_push(MessageRecord added, MessageSent sent) {
  std::string id = added.message_id;
  if (added.state != MessageState::Pending) return sent(std::move(id));
  // The dispatcher builds the body (it carries the id) and records payload_too_large; it answers
  // once it has room (backpressure).
  dispatcher_->send(std::move(added), [sent = std::move(sent), id = std::move(id)]() mutable {
    sent(std::move(id));
  });
}

Pipeline::SendResult Pipeline::send_message(const MessageToSend& in) {
  return core::wait_for_answer<SendResult>(
      [&](MessageSent sent) { send_message(in, std::move(sent)); });
}

std::optional<MessageRecord> Pipeline::message(const std::string& message_id) const {
  return store_->message(message_id);
}

std::size_t Pipeline::in_flight() const {
  return dispatcher_->in_flight();
}

bool Pipeline::wait_quiet(std::chrono::milliseconds timeout) const {
  return dispatcher_->wait_quiet(timeout);
}

bool Pipeline::wait_idle(std::chrono::milliseconds timeout) const {
  return dispatcher_->wait_idle(timeout);
}

std::uint64_t Pipeline::when_idle(std::function<void()> idle) {
  return dispatcher_->when_idle(std::move(idle));
}

std::uint64_t Pipeline::when_quiet(std::function<void()> quiet) {
  return dispatcher_->when_quiet(std::move(quiet));
}

void Pipeline::cancel_when_idle(std::uint64_t id) {
  dispatcher_->cancel_when_idle(id);
}

} // namespace pipeline
