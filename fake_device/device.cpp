// Spec: docs/spec/pushkit-callkit.md
#include "fake_device/device.hpp"

#include "fake_device/error.hpp"

#include <utility>
#include <vector>

namespace fake_device {

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
       "aps-environment " +
           std::string(core::entitlement_value(apps_.at(bundle).config.environment)));
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
       "update; aps-environment " + std::string(core::entitlement_value(app.config.environment)));
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
  app.generation = ++generations_; // device-wide: a reinstall never repeats one
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
  app.generation = ++generations_; // device-wide: a reinstall never repeats one
  app.registry_created = false;
  // §4.2: the 7 s grace window is PushKit's memory inside this process.
  app.last_reported_call_at.reset();
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
  // docs/spec/pushkit-callkit.md §7.4 "Push arrival" step 5, as written: the rule is iOS 13's,
  // so an app built with a recent SDK on an iOS 12 device is not under it (§7.6 D21); §1: the
  // unrestricted-voip entitlement exempts only builds linked before the iOS 13 SDK.
  const IosVersion sdk = app.config.linked_sdk;
  return config_.ios >= kCallKitRuleFrom && sdk >= kCallKitRuleFrom &&
         !(app.config.unrestricted_voip && sdk < kCallKitRuleFrom);
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
  // A registry created by this login hands the app its token through didUpdate, which the app
  // reports as logged in; reporting again for the login would call setVOIP twice.
  const bool token_news = app.config.registry == RegistryCreation::AfterLogin &&
                          !app.registry_created && create_registry(app);
  if (!token_news) on_logged_in(app);
  return {};
}

core::Result<void> Device::logout(std::string_view bundle_id) {
  auto found = require_app(bundle_id);
  if (!found) return core::Unexpected(found.error());
  (*found)->logged_in = false;
  // im-voip-flow.md §4.3: a logout ends the kicked state too; KICKED is only for a session ended by
  // another login.
  (*found)->kicked = false;
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
