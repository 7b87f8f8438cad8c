// Device: PushKit registration and the IM SDK's setVOIP (pushkit-callkit.md §2, §7.4
// "Registration"; im-voip-flow.md §3).
// Spec: docs/spec/pushkit-callkit.md

#include "fake_device/device.hpp"
#include "fake_device/error.hpp"
#include "fake_device/log_lines.hpp"

#include <utility>

namespace fake_device {
namespace {

std::string describe_token(PushKind kind, ApsEnvironment environment, std::string_view token) {
  return std::string(to_string(kind)) + " " + std::string(to_string(environment)) + " " +
         std::string(token);
}

} // namespace

// --- Tokens the app asks for ------------------------------------------------------------------

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

bool Device::create_registry(AppRecord& app) {
  const std::string& bundle = app.config.bundle_id;
  app.registry_created = true;
  emit(DeviceEventKind::RegistryCreated, bundle, "desiredPushTypes = [.voIP]");
  app.registration = RegistrationState::Requested;
  // docs/spec/pushkit-callkit.md §7.4 Registration 1, in its order. First `!callKitLinked &&
  // linkedSdk>=13 && iosVersion>=13`: iOS 12's PushKit makes no such check.
  if (!app.config.callkit_linked && app.config.linked_sdk >= kCallKitRuleFrom &&
      config_.ios >= kCallKitRuleFrom) {
    log_line(bundle, log_lines::kCallKitNotLinked);
    emit(DeviceEventKind::AppCrashed, bundle, "+[PKPushRegistry _assertIfCallKitNotLinked]");
    // P=Crashed, transient: §7.3 moves it on to NotRunning.
    stop_process(app, ProcessState::NotRunning, CallEndedReason::Failed);
    return false;
  }
  if (!app.config.push_notifications_capability) {
    // [sim] didInvalidatePushTokenFor(.voIP) once, never didUpdate (§1; FAQ 1).
    app.registration = RegistrationState::Invalidated;
    emit(DeviceEventKind::TokenInvalidated, bundle, "voip: no aps-environment entitlement");
    on_token_changed(app);
    return true;
  }
  if (app.voip_token) {
    // The install keeps its token across launches; PushKit hands the cached one back, through
    // didUpdate if the app has not heard of it yet (§2.3: rotated while it was not running).
    app.registration = RegistrationState::Issued;
    if (!std::exchange(app.voip_token_unheard, false)) return false;
    on_token_changed(app);
    return true;
  }
  auto token =
      authority_.issue({config_.device_id, bundle, app.config.environment, PushKind::Voip});
  if (!token) {
    // §2.3: a registration failure arrives as didInvalidatePushTokenFor(.voIP).
    app.registration = RegistrationState::Invalidated;
    emit(DeviceEventKind::TokenInvalidated, bundle, "voip: " + token.error().message());
    on_token_changed(app);
    return true;
  }
  app.voip_token = *token;
  app.voip_token_unheard = false;
  app.registration = RegistrationState::Issued;
  emit(DeviceEventKind::TokenIssued, bundle,
       describe_token(PushKind::Voip, app.config.environment, *token));
  on_token_changed(app);
  return true;
}

void Device::retire_token(const std::string& bundle_id, const std::string& token, PushKind kind) {
  authority_.invalidate(token, clock_.now());
  emit(DeviceEventKind::TokenUnregistered, bundle_id, std::string(to_string(kind)) + " " + token);
}

// --- IM SDK: setVOIP --------------------------------------------------------------------------

void Device::on_token_changed(AppRecord& app) {
  switch (app.config.token_reporting) {
  case TokenReporting::AfterLogin:
    // im-voip-flow.md §3.2: re-report on every new credential, but only with a session to report
    // into.
    if (app.logged_in) report_token(app);
    break;
  case TokenReporting::OnTokenOnly:
    report_token(app);
    break;
  case TokenReporting::Never:
    break;
  }
}

void Device::on_logged_in(AppRecord& app) {
  // im-voip-flow.md §3.2: "after every successful login with the latest token"; a token that came
  // before login was kept for this moment.
  if (app.config.token_reporting == TokenReporting::AfterLogin) report_token(app);
}

void Device::report_token(AppRecord& app) {
  // setVOIP is the app's own code: a process that is not running calls nothing.
  if (!is_running(app.process)) return;
  const auto& token = app.config.reports_alert_token_as_voip ? app.alert_token : app.voip_token;
  // A null report removes a registration (im-voip-flow.md §3.2); with none made there is nothing to
  // remove, which keeps FAQ 1's "the app never calls setVOIP".
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
  // §2.3: callservicesd requests the new token at once; the app hears of it through its
  // registry, which only a running process has (registry_created is reset when it stops).
  const bool registry_listening = app.registry_created;
  auto token = authority_.issue(
      {config_.device_id, app.config.bundle_id, app.config.environment, PushKind::Voip});
  if (!token) {
    app.registration = RegistrationState::Invalidated;
    emit(DeviceEventKind::TokenInvalidated, app.config.bundle_id,
         "voip: " + token.error().message());
    if (registry_listening) on_token_changed(app);
    return core::Unexpected(token.error());
  }
  app.voip_token = *token;
  std::string issued = describe_token(PushKind::Voip, app.config.environment, *token);
  if (!registry_listening) {
    app.voip_token_unheard = true;
    emit(DeviceEventKind::TokenIssued, app.config.bundle_id,
         issued + "; didUpdate when the app next creates its registry");
    return {};
  }
  app.registration = RegistrationState::Issued;
  emit(DeviceEventKind::TokenIssued, app.config.bundle_id, std::move(issued));
  on_token_changed(app);
  return {};
}

void Device::reset_aps_identity(ApsEnvironment environment) {
  // §2.3: callservicesd keeps one APS connection per environment; a new identity drops every
  // app's VoIP token "for that environment" and requests new ones.
  for (auto& [bundle, app] : apps_) {
    if (app.config.environment == environment && app.voip_token) (void)rotate_token(bundle);
  }
}

} // namespace fake_device
