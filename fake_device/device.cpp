#include "fake_device/device.hpp"

#include "fake_device/error.hpp"
#include "fake_device/log_lines.hpp"

#include <utility>
#include <vector>

namespace fake_device {
namespace {

std::string describe_token(PushKind kind, ApsEnvironment environment, std::string_view token) {
  return std::string(to_string(kind)) + " " + std::string(to_string(environment)) + " " +
         std::string(token);
}

} // namespace

Device::Device(core::Clock& clock, TokenAuthority& authority, DeviceConfig config)
    : clock_(clock), authority_(authority), config_(std::move(config)), uuids_(config_.seed) {}

Device::~Device() {
  // Timer callbacks capture `this`; none may run once the device is gone.
  for (const auto id : timers_)
    clock_.cancel(id);
}

// --- Plumbing -------------------------------------------------------------------------------

AppRecord* Device::find_app(std::string_view bundle_id) {
  auto it = apps_.find(bundle_id);
  return it == apps_.end() ? nullptr : &it->second;
}

const AppRecord* Device::find_app(std::string_view bundle_id) const {
  auto it = apps_.find(bundle_id);
  return it == apps_.end() ? nullptr : &it->second;
}

core::Result<AppRecord*> Device::require_app(std::string_view bundle_id) {
  if (auto* app = find_app(bundle_id)) return app;
  return core::fail(Errc::UnknownApp, std::string(bundle_id));
}

void Device::emit(DeviceEventKind kind, std::string_view bundle_id, std::string detail,
                  std::string_view apns_id, std::string_view call_uuid, int code) {
  journal_.record(DeviceEvent{clock_.now(), kind, std::string(bundle_id), std::string(apns_id),
                              std::string(call_uuid), code, std::move(detail)});
}

void Device::log_line(std::string_view bundle_id, std::string_view line, std::string_view apns_id) {
  emit(DeviceEventKind::Log, bundle_id, std::string(line), apns_id);
}

core::Clock::TimerId Device::schedule(core::Duration delay, std::function<void()> callback) {
  // The id is known only after scheduling, so the callback finds it through a shared slot.
  auto slot = std::make_shared<core::Clock::TimerId>(0);
  const auto id = clock_.schedule_after(delay, [this, slot, callback = std::move(callback)] {
    timers_.erase(*slot);
    callback();
  });
  *slot = id;
  timers_.insert(id);
  return id;
}

void Device::cancel_timer(core::Clock::TimerId id) {
  if (id == 0) return;
  clock_.cancel(id);
  timers_.erase(id);
}

// --- Apps -----------------------------------------------------------------------------------

core::Result<void> Device::install(AppConfig config) {
  if (find_app(config.bundle_id)) return core::fail(Errc::AlreadyInstalled, config.bundle_id);
  const std::string bundle = config.bundle_id;
  AppRecord app;
  app.config = std::move(config);
  apps_.emplace(bundle, std::move(app));
  emit(DeviceEventKind::AppInstalled, bundle,
       "aps-environment " + std::string(to_string(apps_.at(bundle).config.environment)));
  return {};
}

core::Result<void> Device::uninstall(std::string_view bundle_id) {
  auto found = require_app(bundle_id);
  if (!found) return core::Unexpected(found.error());
  AppRecord& app = **found;
  const std::string bundle = app.config.bundle_id;
  if (is_running(app.process)) stop_process(app, ProcessState::NotRunning, CallEndedReason::Failed);
  std::vector<std::pair<std::string, PushKind>> tokens;
  if (app.voip_token) tokens.emplace_back(*app.voip_token, PushKind::Voip);
  if (app.alert_token) tokens.emplace_back(*app.alert_token, PushKind::Alert);
  // §4.3 "Reset": uninstalling removes the app's kill-count entry.
  kill_counts_.erase(bundle);
  apps_.erase(apps_.find(bundle));
  emit(DeviceEventKind::AppUninstalled, bundle);
  for (auto& [token, kind] : tokens) {
    if (config_.uninstall_invalidate_delay <= core::Duration::zero()) {
      retire_token(bundle, token, kind);
    } else {
      schedule(config_.uninstall_invalidate_delay,
               [this, bundle, token = token, kind = kind] { retire_token(bundle, token, kind); });
    }
  }
  return {};
}

core::Result<void> Device::update(AppConfig config) {
  auto found = require_app(config.bundle_id);
  if (!found) return core::Unexpected(found.error());
  AppRecord& app = **found;
  if (is_running(app.process)) stop_process(app, ProcessState::NotRunning, CallEndedReason::Failed);
  if (config.environment != app.config.environment) {
    // A token belongs to one environment (§2.2); the old one is left to the authority, since
    // whether iOS retires it is unconfirmed.
    app.voip_token.reset();
    app.alert_token.reset();
    app.registration = RegistrationState::Unregistered;
  }
  app.config = std::move(config);
  emit(DeviceEventKind::AppInstalled, app.config.bundle_id,
       "update; aps-environment " + std::string(to_string(app.config.environment)));
  return {};
}

core::Result<void> Device::set_callkit_behaviour(std::string_view bundle_id,
                                                 CallKitBehaviour behaviour) {
  auto found = require_app(bundle_id);
  if (!found) return core::Unexpected(found.error());
  (*found)->config.callkit = behaviour;
  return {};
}

// --- Lifecycle ------------------------------------------------------------------------------

void Device::set_process(AppRecord& app, ProcessState to) {
  if (app.process == to) return;
  emit(DeviceEventKind::AppStateChanged, app.config.bundle_id,
       std::string(to_string(app.process)) + " -> " + std::string(to_string(to)));
  app.process = to;
  update_presence(app);
}

void Device::start_process(AppRecord& app, bool foreground) {
  ++app.generation;
  app.registry_created = false;
  set_process(app, foreground ? ProcessState::Foreground : ProcessState::Background);
  maybe_create_registry(app, foreground);
}

void Device::stop_process(AppRecord& app, ProcessState to, CallEndedReason call_end) {
  const std::string& bundle = app.config.bundle_id;
  // A dead process holds no calls: the system ends them (§6.3 reasons).
  for (auto& [uuid, call] : calls_) {
    if (call.bundle_id != bundle || call.state == CallState::Ended ||
        call.state == CallState::Rejected) {
      continue;
    }
    cancel_timer(call.ring_timer);
    call.state = CallState::Ended;
    call.ended_reason = call_end;
    emit(DeviceEventKind::CallEnded, bundle, std::string(to_string(call_end)), call.apns_id, uuid,
         static_cast<int>(call_end));
  }
  for (auto& [id, handling] : handlings_) {
    if (handling.bundle_id != bundle || handling.finished) continue;
    handling.finished = true;
    cancel_timer(handling.assertion_timer);
  }
  ++app.generation;
  app.registry_created = false;
  set_process(app, to);
}

core::Result<void> Device::launch(std::string_view bundle_id) {
  auto found = require_app(bundle_id);
  if (!found) return core::Unexpected(found.error());
  AppRecord& app = **found;
  if (app.process == ProcessState::Foreground) return {};
  if (is_running(app.process)) {
    set_process(app, ProcessState::Foreground);
    // An app that keeps its registry behind login creates it once the UI has logged in.
    maybe_create_registry(app, true);
    return {};
  }
  start_process(app, true);
  return {};
}

core::Result<void> Device::press_home(std::string_view bundle_id) {
  auto found = require_app(bundle_id);
  if (!found) return core::Unexpected(found.error());
  if ((*found)->process != ProcessState::Foreground) {
    return core::fail(Errc::InvalidState, "press_home: " + std::string(bundle_id) + " is " +
                                              std::string(to_string((*found)->process)));
  }
  set_process(**found, ProcessState::Background);
  return {};
}

core::Result<void> Device::suspend(std::string_view bundle_id) {
  auto found = require_app(bundle_id);
  if (!found) return core::Unexpected(found.error());
  if ((*found)->process != ProcessState::Background) {
    return core::fail(Errc::InvalidState, "suspend: " + std::string(bundle_id) + " is " +
                                              std::string(to_string((*found)->process)));
  }
  set_process(**found, ProcessState::Suspended);
  return {};
}

core::Result<void> Device::swipe_away(std::string_view bundle_id) {
  auto found = require_app(bundle_id);
  if (!found) return core::Unexpected(found.error());
  if (!is_running((*found)->process)) {
    return core::fail(Errc::InvalidState, "swipe_away: " + std::string(bundle_id) + " is " +
                                              std::string(to_string((*found)->process)));
  }
  stop_process(**found, ProcessState::TerminatedByUser, CallEndedReason::Failed);
  return {};
}

core::Result<void> Device::terminate(std::string_view bundle_id) {
  auto found = require_app(bundle_id);
  if (!found) return core::Unexpected(found.error());
  if (!is_running((*found)->process)) {
    return core::fail(Errc::InvalidState, "terminate: " + std::string(bundle_id) + " is " +
                                              std::string(to_string((*found)->process)));
  }
  stop_process(**found, ProcessState::TerminatedBySystem, CallEndedReason::Failed);
  return {};
}

void Device::update_presence(AppRecord& app) {
  // im-voip-flow.md §4.3 "Presence model": online only while logged in, connected and in the
  // foreground; Home or a dead process makes the installation offline but still logged in.
  ImPresence now = ImPresence::Disconnected;
  if (app.kicked) {
    now = ImPresence::Kicked;
  } else if (!app.logged_in) {
    now = ImPresence::LoggedOut;
  } else if (!reachable()) {
    now = ImPresence::Disconnected;
  } else if (app.process == ProcessState::Foreground) {
    now = ImPresence::Foreground;
  } else if (app.process == ProcessState::Background || app.process == ProcessState::Suspended) {
    now = ImPresence::Background;
  }
  if (now == app.presence) return;
  app.presence = now;
  emit(DeviceEventKind::PresenceChanged, app.config.bundle_id, std::string(to_string(now)));
  if (im_server_) im_server_->presence_changed(config_.device_id, app.config.bundle_id, now);
}

bool Device::is_strict(const AppRecord& app) const {
  // §5: the CallKit rule applies to apps linked against the iOS 13 SDK or later; §1: the
  // unrestricted-voip entitlement exempts only older builds, which are not strict anyway. An
  // iOS 12 system predates the rule whatever the app was linked with.
  constexpr IosVersion kStrictFrom{13, 0};
  return app.config.linked_sdk >= kStrictFrom && config_.ios >= kStrictFrom;
}

bool Device::has_active_call(std::string_view bundle_id) const {
  for (const auto& [uuid, call] : calls_) {
    if (call.bundle_id == bundle_id && call.state != CallState::Ended &&
        call.state != CallState::Rejected) {
      return true;
    }
  }
  return false;
}

// --- The app's own actions ------------------------------------------------------------------

core::Result<void> Device::give_consent(std::string_view bundle_id) {
  auto found = require_app(bundle_id);
  if (!found) return core::Unexpected(found.error());
  AppRecord& app = **found;
  app.consent = true;
  if (is_running(app.process) && app.config.registry == RegistryCreation::AfterConsent &&
      !app.registry_created) {
    create_registry(app);
  }
  return {};
}

core::Result<void> Device::login(std::string_view bundle_id) {
  auto found = require_app(bundle_id);
  if (!found) return core::Unexpected(found.error());
  AppRecord& app = **found;
  if (app.process != ProcessState::Foreground) {
    return core::fail(Errc::InvalidState, "login needs " + std::string(bundle_id) +
                                              " in the foreground, it is " +
                                              std::string(to_string(app.process)));
  }
  app.logged_in = true;
  app.kicked = false;
  update_presence(app);
  if (app.config.registry == RegistryCreation::AfterLogin && !app.registry_created) {
    create_registry(app);
  }
  on_logged_in(app);
  return {};
}

core::Result<void> Device::logout(std::string_view bundle_id) {
  auto found = require_app(bundle_id);
  if (!found) return core::Unexpected(found.error());
  (*found)->logged_in = false;
  update_presence(**found);
  return {};
}

core::Result<void> Device::kick(std::string_view bundle_id) {
  auto found = require_app(bundle_id);
  if (!found) return core::Unexpected(found.error());
  (*found)->logged_in = false;
  (*found)->kicked = true;
  update_presence(**found);
  return {};
}

core::Result<void> Device::register_remote_notifications(std::string_view bundle_id) {
  auto found = require_app(bundle_id);
  if (!found) return core::Unexpected(found.error());
  AppRecord& app = **found;
  if (!is_running(app.process)) {
    return core::fail(Errc::InvalidState, std::string(bundle_id) + " is not running");
  }
  if (!app.config.push_notifications_capability) {
    // §1: without the entitlement there is no push token of any kind.
    emit(DeviceEventKind::TokenInvalidated, app.config.bundle_id,
         "alert: no aps-environment entitlement");
    return core::fail(Errc::NoToken, "no aps-environment entitlement");
  }
  if (app.alert_token) return {};
  auto token = authority_.issue(
      {config_.device_id, app.config.bundle_id, app.config.environment, PushKind::Alert});
  if (!token) {
    emit(DeviceEventKind::TokenInvalidated, app.config.bundle_id,
         "alert: " + token.error().message());
    return core::Unexpected(token.error());
  }
  app.alert_token = *token;
  emit(DeviceEventKind::TokenIssued, app.config.bundle_id,
       describe_token(PushKind::Alert, app.config.environment, *token));
  if (app.config.reports_alert_token_as_voip) on_token_changed(app);
  return {};
}

core::Result<void> Device::remove_voip_registration(std::string_view bundle_id) {
  auto found = require_app(bundle_id);
  if (!found) return core::Unexpected(found.error());
  AppRecord& app = **found;
  app.registration = RegistrationState::Unregistered;
  if (auto token = std::exchange(app.voip_token, std::nullopt)) {
    retire_token(app.config.bundle_id, *token, PushKind::Voip);
    on_token_changed(app);
  }
  return {};
}

// --- Registration ---------------------------------------------------------------------------

void Device::maybe_create_registry(AppRecord& app, bool foreground_launch) {
  if (app.registry_created || !is_running(app.process)) return;
  bool create = false;
  switch (app.config.registry) {
  case RegistryCreation::AtLaunch:
    create = true;
    break;
  case RegistryCreation::AfterConsent:
    create = app.consent;
    break;
  case RegistryCreation::AfterLogin:
    // The login UI, and with it the SDK's auto-login, only loads in the foreground (§2.1).
    create = foreground_launch && app.logged_in;
    break;
  case RegistryCreation::Never:
    break;
  }
  if (create) create_registry(app);
}

void Device::create_registry(AppRecord& app) {
  const std::string& bundle = app.config.bundle_id;
  app.registry_created = true;
  emit(DeviceEventKind::RegistryCreated, bundle, "desiredPushTypes = [.voIP]");
  app.registration = RegistrationState::Requested;
  // §7.4 Registration 1, in its order.
  if (!app.config.callkit_linked && app.config.linked_sdk >= IosVersion{13, 0}) {
    log_line(bundle, log_lines::kCallKitNotLinked);
    emit(DeviceEventKind::AppCrashed, bundle, "+[PKPushRegistry _assertIfCallKitNotLinked]");
    stop_process(app, ProcessState::TerminatedBySystem, CallEndedReason::Failed);
    return;
  }
  if (!app.config.push_notifications_capability) {
    // [sim] didInvalidatePushTokenFor(.voIP) once, never didUpdate (§1; FAQ 1).
    app.registration = RegistrationState::Invalidated;
    emit(DeviceEventKind::TokenInvalidated, bundle, "voip: no aps-environment entitlement");
    on_token_changed(app);
    return;
  }
  if (app.voip_token) {
    // The install keeps its token across launches; PushKit hands the cached one back.
    app.registration = RegistrationState::Issued;
    return;
  }
  auto token =
      authority_.issue({config_.device_id, bundle, app.config.environment, PushKind::Voip});
  if (!token) {
    // §2.3: a registration failure arrives as didInvalidatePushTokenFor(.voIP).
    app.registration = RegistrationState::Invalidated;
    emit(DeviceEventKind::TokenInvalidated, bundle, "voip: " + token.error().message());
    on_token_changed(app);
    return;
  }
  app.voip_token = *token;
  app.registration = RegistrationState::Issued;
  emit(DeviceEventKind::TokenIssued, bundle,
       describe_token(PushKind::Voip, app.config.environment, *token));
  on_token_changed(app);
}

void Device::retire_token(const std::string& bundle_id, const std::string& token, PushKind kind) {
  authority_.invalidate(token, clock_.now());
  emit(DeviceEventKind::TokenUnregistered, bundle_id, std::string(to_string(kind)) + " " + token);
}

// --- IM SDK: setVOIP --------------------------------------------------------------------------

void Device::on_token_changed(AppRecord& app) {
  switch (app.config.token_reporting) {
  case TokenReporting::AfterLogin:
    // §3.2: re-report on every new credential, but only with a session to report into.
    if (app.logged_in && is_running(app.process)) report_token(app);
    break;
  case TokenReporting::OnTokenOnly:
    report_token(app);
    break;
  case TokenReporting::Never:
    break;
  }
}

void Device::on_logged_in(AppRecord& app) {
  // §3.2: "after every successful login with the latest token"; a token that came before
  // login was kept for this moment.
  if (app.config.token_reporting == TokenReporting::AfterLogin) report_token(app);
}

void Device::report_token(AppRecord& app) {
  const auto& token = app.config.reports_alert_token_as_voip ? app.alert_token : app.voip_token;
  // A null report removes a registration (§3.2); with none made there is nothing to remove,
  // which keeps FAQ 1's "the app never calls setVOIP".
  if (!token && !app.reported_token) return;
  if (!im_server_) return;
  const VoipTokenReport report{config_.device_id, app.config.bundle_id, token,
                               app.config.certificate_id};
  const std::string what = "certificate " + std::to_string(report.certificate_id) + " token " +
                           (token ? *token : std::string("null"));
  auto result = im_server_->set_voip(report);
  if (!result) {
    emit(DeviceEventKind::TokenReportFailed, app.config.bundle_id,
         what + ": " + result.error().message());
    return;
  }
  app.reported_token = token;
  emit(DeviceEventKind::TokenReported, app.config.bundle_id, what);
}

core::Result<void> Device::rotate_token(std::string_view bundle_id) {
  auto found = require_app(bundle_id);
  if (!found) return core::Unexpected(found.error());
  AppRecord& app = **found;
  auto old = std::exchange(app.voip_token, std::nullopt);
  if (!old) return core::fail(Errc::NoToken, std::string(bundle_id) + " holds no VoIP token");
  retire_token(app.config.bundle_id, *old, PushKind::Voip);
  app.registration = RegistrationState::Requested;
  auto token = authority_.issue(
      {config_.device_id, app.config.bundle_id, app.config.environment, PushKind::Voip});
  if (!token) {
    app.registration = RegistrationState::Invalidated;
    emit(DeviceEventKind::TokenInvalidated, app.config.bundle_id,
         "voip: " + token.error().message());
    on_token_changed(app);
    return core::Unexpected(token.error());
  }
  app.voip_token = *token;
  app.registration = RegistrationState::Issued;
  emit(DeviceEventKind::TokenIssued, app.config.bundle_id,
       describe_token(PushKind::Voip, app.config.environment, *token));
  on_token_changed(app);
  return {};
}

void Device::reset_aps_identity() {
  // §2.3: a new device identity drops every app's VoIP token and requests new ones.
  for (auto& [bundle, app] : apps_) {
    if (app.voip_token) (void)rotate_token(bundle);
  }
}

// --- CallKit user actions -------------------------------------------------------------------

core::Result<void> Device::answer(std::string_view call_uuid) {
  auto it = calls_.find(call_uuid);
  if (it == calls_.end()) return core::fail(Errc::UnknownCall, std::string(call_uuid));
  CallRecord& call = it->second;
  if (call.state != CallState::Ringing) {
    return core::fail(Errc::InvalidState, "answer: call is " + std::string(to_string(call.state)));
  }
  cancel_timer(std::exchange(call.ring_timer, 0));
  // §7.4 CallKit 2: CXAnswerCallAction, which the simulated app fulfils (or fails) at once.
  call.state = CallState::Answered;
  const auto* app = find_app(call.bundle_id);
  const bool fulfils = app && is_running(app->process) && app->config.callkit.fulfils_answer;
  emit(DeviceEventKind::CallAnswered, call.bundle_id, fulfils ? "fulfilled" : "failed",
       call.apns_id, it->first);
  if (!fulfils) return end_call(call_uuid, CallEndedReason::Failed);
  call.state = CallState::Connected;
  return {};
}

core::Result<void> Device::decline(std::string_view call_uuid) {
  auto it = calls_.find(call_uuid);
  if (it == calls_.end()) return core::fail(Errc::UnknownCall, std::string(call_uuid));
  if (it->second.state != CallState::Ringing) {
    return core::fail(Errc::InvalidState,
                      "decline: call is " + std::string(to_string(it->second.state)));
  }
  return end_call(call_uuid, CallEndedReason::Declined);
}

core::Result<void> Device::end_call(std::string_view call_uuid, CallEndedReason reason) {
  auto it = calls_.find(call_uuid);
  if (it == calls_.end()) return core::fail(Errc::UnknownCall, std::string(call_uuid));
  CallRecord& call = it->second;
  if (call.state == CallState::Ended || call.state == CallState::Rejected) {
    return core::fail(Errc::InvalidState, "call already " + std::string(to_string(call.state)));
  }
  cancel_timer(call.ring_timer);
  call.state = CallState::Ended;
  call.ended_reason = reason;
  emit(DeviceEventKind::CallEnded, call.bundle_id, std::string(to_string(reason)), call.apns_id,
       it->first, static_cast<int>(reason));
  return {};
}

// --- Network --------------------------------------------------------------------------------

void Device::set_reachability(Reachability to) {
  if (to == reachability_) return;
  const Reachability from = reachability_;
  reachability_ = to;
  emit(DeviceEventKind::ReachabilityChanged, {},
       std::string(to_string(from)) + " -> " + std::string(to_string(to)));
  for (auto& [bundle, app] : apps_) {
    // Powering off ends every process; they come back only when launched again.
    if (to == Reachability::PoweredOff && is_running(app.process)) {
      stop_process(app, ProcessState::NotRunning, CallEndedReason::Failed);
    } else {
      update_presence(app);
    }
  }
  if (listener_) listener_->on_reachability_changed(config_.device_id, from, to);
}

// --- Queries --------------------------------------------------------------------------------

ProcessState Device::process_state(std::string_view bundle_id) const {
  const auto* app = find_app(bundle_id);
  return app ? app->process : ProcessState::NotInstalled;
}

RegistrationState Device::registration_state(std::string_view bundle_id) const {
  const auto* app = find_app(bundle_id);
  return app ? app->registration : RegistrationState::Unregistered;
}

ImPresence Device::presence(std::string_view bundle_id) const {
  const auto* app = find_app(bundle_id);
  return app ? app->presence : ImPresence::LoggedOut;
}

std::optional<std::string> Device::voip_token(std::string_view bundle_id) const {
  const auto* app = find_app(bundle_id);
  return app ? app->voip_token : std::nullopt;
}

std::optional<std::string> Device::alert_token(std::string_view bundle_id) const {
  const auto* app = find_app(bundle_id);
  return app ? app->alert_token : std::nullopt;
}

int Device::kill_count(std::string_view bundle_id) const {
  auto it = kill_counts_.find(bundle_id);
  return it == kill_counts_.end() ? 0 : it->second;
}

bool Device::voip_launch_blocked(std::string_view bundle_id) const {
  const auto* app = find_app(bundle_id);
  return app && is_strict(*app) && kill_count(bundle_id) > 2;
}

std::optional<CallState> Device::call_state(std::string_view call_uuid) const {
  auto it = calls_.find(call_uuid);
  if (it == calls_.end()) return std::nullopt;
  return it->second.state;
}

std::optional<CallEndedReason> Device::call_ended_reason(std::string_view call_uuid) const {
  auto it = calls_.find(call_uuid);
  if (it == calls_.end()) return std::nullopt;
  return it->second.ended_reason;
}

} // namespace fake_device
