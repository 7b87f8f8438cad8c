// Device: what happens to a push once it reaches the phone (pushkit-callkit.md §3, §4, §7.4
// "Push arrival" and "CallKit" 1).

#include "core/encoding.hpp"
#include "core/json_fields.hpp"
#include "core/json_parse.hpp"
#include "fake_device/device.hpp"
#include "fake_device/error.hpp"
#include "fake_device/log_lines.hpp"

#include <algorithm>
#include <chrono>

#include <nlohmann/json.hpp>

namespace fake_device {
namespace {

using namespace std::chrono_literals;

// §3 "Timing": callservicesd's process assertion after a wake for a VoIP push.
constexpr core::Duration kStrictAssertion = 7s;
constexpr core::Duration kLegacyAssertion = 30s;
// §4.2 "Grace window".
constexpr core::Duration kReportGrace = 7s;
constexpr IosVersion kMetadataDelegateFrom{26, 4};

struct CallInfo {
  std::string uuid;
  std::string handle;
};

// What the simulated app reads from the payload to report the call: the call UUID if the
// sender chose one, and the caller's handle (the product puts the caller in "sender" and in
// ext.entity.sender, im-voip-flow.md §4.2, §4.4).
CallInfo read_call_info(const std::string& payload, core::UuidGenerator& uuids) {
  // The sender's payload: a field that is absent or not a string is as if not there.
  const auto text_at = core::json_field_if_any<std::string>;
  CallInfo info;
  const auto doc = core::parse_json_or_null(payload);
  for (const char* key : {"uuid", "callUUID", "call_uuid"}) {
    if (auto text = text_at(doc, key)) {
      if (auto uuid = core::Uuid::parse(*text)) {
        info.uuid = uuid->to_string();
        break;
      }
    }
  }
  if (info.uuid.empty()) info.uuid = uuids.next().to_string();
  if (auto handle = text_at(doc, "handle")) {
    info.handle = *handle;
  } else if (auto sender = text_at(doc, "sender")) {
    info.handle = *sender;
  } else if (auto ext = text_at(doc, "ext")) {
    const auto inner = core::parse_json_or_null(*ext);
    if (const auto entity = inner.find("entity"); entity != inner.end())
      info.handle = text_at(*entity, "sender").value_or("");
  }
  if (info.handle.empty()) info.handle = "unknown";
  return info;
}

} // namespace

DeliverResult Device::deliver(const Push& push) {
  // §7.4 "Push arrival" 1: while unreachable the sender holds the push, not the device.
  if (!reachable()) return DeliverResult::Unreachable;
  AppRecord* app = nullptr;
  PushKind kind = PushKind::Alert;
  // Tokens compare case-insensitively (apns-provider-api.md §8): a sender may upper-case them.
  const auto same_token = [&](const std::optional<std::string>& mine) {
    return mine && core::equal_ignoring_case(*mine, push.token);
  };
  for (auto& [bundle, candidate] : apps_) {
    if (same_token(candidate.voip_token)) {
      app = &candidate;
      kind = PushKind::Voip;
      break;
    }
    if (same_token(candidate.alert_token)) {
      app = &candidate;
      break;
    }
  }
  const std::string bundle = app ? app->config.bundle_id : push.topic;
  emit(DeviceEventKind::PushArrived, bundle,
       "topic " + push.topic + ", push type " + push.push_type + ", priority " +
           std::to_string(push.priority),
       push.apns_id);
  if (!app) {
    emit(DeviceEventKind::PushDropped, bundle, "no installed app holds this token", push.apns_id);
    return DeliverResult::Delivered;
  }
  const auto doc = core::parse_json_or_null(push.payload);
  if (!doc.is_object()) {
    // apns-provider-api.md §4.4: the mock accepts a non-object body; the device drops it.
    log_line(bundle, log_lines::kInvalidPayload, push.apns_id);
    emit(DeviceEventKind::PushDropped, bundle, "invalid payload", push.apns_id);
    return DeliverResult::Delivered;
  }
  if (kind == PushKind::Alert) {
    emit(DeviceEventKind::AlertDelivered, bundle, {}, push.apns_id);
    return DeliverResult::Delivered;
  }
  handle_voip(*app, push, push.payload);
  return DeliverResult::Delivered;
}

void Device::handle_voip(AppRecord& app, const Push& push, const std::string& payload_text) {
  // Finished handlings are only looked up by timers that already ran or were cancelled, and no
  // reference into the map is live here, so this is the place to keep it small.
  std::erase_if(handlings_, [](const auto& entry) { return entry.second.finished; });
  const std::string bundle = app.config.bundle_id;
  const std::string& apns_id = push.apns_id;
  const bool strict = is_strict(app);
  const bool foreground = app.process == ProcessState::Foreground;
  bool must_report = strict;
  std::string why = strict                           ? "strict policy"
                    : config_.ios < kCallKitRuleFrom ? "iOS before 13 does not enforce the rule"
                                                     : "linked before the iOS 13 SDK";

  // Step 3: an app that failed too often is not launched for VoIP pushes (§4.3).
  if (strict && kill_count(bundle) > 2) {
    if (!foreground) {
      log_line(bundle, log_lines::blocked_drop(bundle), apns_id);
      emit(DeviceEventKind::BlockedDrop, bundle, "kill count " + std::to_string(kill_count(bundle)),
           apns_id, {}, kill_count(bundle));
      return;
    }
    log_line(bundle, log_lines::blocked_foreground(bundle), apns_id);
    must_report = false;
    why = "blocked app in the foreground";
  }
  // Step 4 [sim]: how iOS drops these is unconfirmed; it does (FAQ 2c).
  if (!app.config.voip_background_mode && !foreground) {
    log_line(bundle, log_lines::kNoVoipBackgroundMode, apns_id);
    emit(DeviceEventKind::PushDropped, bundle, "app lacks voip background mode", apns_id);
    return;
  }
  // Step 5: callservicesd's "must post call" exemptions.
  const auto now = clock_.now();
  if (must_report && foreground && config_.foreground_exempt) {
    must_report = false;
    why = "app in the foreground";
  } else if (must_report && has_active_call(bundle)) {
    must_report = false;
    why = "a call is in progress";
  } else if (must_report && config_.report_grace_window && app.last_reported_call_at &&
             now - *app.last_reported_call_at < kReportGrace) {
    must_report = false;
    why = "a call was reported less than 7 s ago";
  }
  // Step 6: wake or launch, under a process assertion.
  if (!is_running(app.process)) {
    emit(DeviceEventKind::AppLaunched, bundle,
         "background launch from " + std::string(to_string(app.process)), apns_id);
    start_process(app, false);
    if (!is_running(app.process)) {
      emit(DeviceEventKind::PushDropped, bundle, "app crashed while launching", apns_id);
      return;
    }
  } else if (app.process == ProcessState::Suspended) {
    emit(DeviceEventKind::AppWoken, bundle, {}, apns_id);
    set_process(app, ProcessState::Background);
  }
  const auto id = next_handling_++;
  PushHandling& handling = handlings_[id];
  handling.apns_id = apns_id;
  handling.bundle_id = bundle;
  handling.generation = app.generation;
  handling.must_report = must_report;
  handling.assertion_timer = schedule(strict ? kStrictAssertion : kLegacyAssertion,
                                      [this, id] { on_assertion_expired(id); });
  // Step 7: no registry, no delegate: the assertion timer decides (D11).
  if (!app.registry_created) return;
  run_delegate(app, id, payload_text, why);
}

void Device::run_delegate(AppRecord& app, std::uint64_t handling_id, const std::string& payload,
                          const std::string& why) {
  PushHandling& handling = handlings_.at(handling_id);
  const std::string bundle = app.config.bundle_id;
  const std::string apns_id = handling.apns_id;
  const bool metadata =
      app.config.implements_metadata_delegate && config_.ios >= kMetadataDelegateFrom;
  // Step 8; §5: on iOS 26.4 an app with the metadata delegate is told mustReport.
  emit(DeviceEventKind::DelegateCalled, bundle,
       std::string(metadata ? "didReceiveIncomingVoIPPushWith:metadata:"
                            : "didReceiveIncomingPushWith:for:completion:") +
           " mustReport=" + (handling.must_report ? "true" : "false") + " (" + why + ")",
       apns_id, {}, handling.must_report ? 1 : 0);

  const CallKitBehaviour behaviour = app.config.callkit;
  switch (behaviour.kind) {
  case CallKitBehaviour::Kind::Immediate:
    report_call(app, &handling, payload);
    break;
  case CallKitBehaviour::Kind::AfterDelay: {
    const auto generation = app.generation;
    schedule(behaviour.delay, [this, bundle, generation, handling_id, payload, behaviour] {
      // Step 9: a report attempted after the app was killed is lost.
      auto* later = find_app(bundle);
      if (!later || later->generation != generation || !is_running(later->process)) return;
      auto it = handlings_.find(handling_id);
      report_call(*later, it == handlings_.end() ? nullptr : &it->second, payload);
      if (behaviour.calls_completion) complete(handling_id);
    });
    break;
  }
  case CallKitBehaviour::Kind::Never:
    break;
  }

  // Step 9: the delegate has returned.
  if (handling.must_report && !handling.reported) {
    if (app.config.unrestricted_voip) {
      log_line(bundle, log_lines::kUnrestrictedVoipUnsupported, apns_id);
    }
    log_line(bundle, log_lines::kMustPostIncomingCall, apns_id);
    log_line(bundle,
             config_.ios13_kill_message ? log_lines::kKillingAppCallback : log_lines::kKillingApp,
             apns_id);
    kill_app(app, log_lines::kCrashUnhandledPush, apns_id);
    return;
  }
  if (behaviour.kind == CallKitBehaviour::Kind::AfterDelay) return; // completes after reporting
  if (behaviour.calls_completion) complete(handling_id);
}

void Device::report_call(AppRecord& app, PushHandling* handling, const std::string& payload) {
  const std::string bundle = app.config.bundle_id;
  const std::string apns_id = handling ? handling->apns_id : std::string();
  const CallInfo info = read_call_info(payload, uuids_);
  // §4.2: a report counts from the call to reportNewIncomingCall, whatever CallKit answers
  // [sim default].
  if (handling) handling->reported = true;
  app.last_reported_call_at = clock_.now();
  emit(DeviceEventKind::CallReported, bundle, "handle " + info.handle, apns_id, info.uuid);

  const auto existing = calls_.find(info.uuid);
  CallReportContext context;
  context.ios = config_.ios;
  context.voip_background_mode = app.config.voip_background_mode;
  context.uuid_in_use = existing != calls_.end() && existing->second.state != CallState::Ended &&
                        existing->second.state != CallState::Rejected;
  context.dnd = config_.dnd;
  context.handle = info.handle;
  context.allowed_handles = &config_.allowed_handles;
  context.blocked_handles = &config_.blocked_handles;
  context.injected = app.config.callkit.fail_with;
  if (const auto error = decide_incoming_call(context)) {
    // §6.2: a refused call is not shown and the app must not proceed with it.
    emit(DeviceEventKind::CallRejected, bundle, error->describe(), apns_id, info.uuid, error->code);
    if (!context.uuid_in_use) {
      CallRecord rejected;
      rejected.bundle_id = bundle;
      rejected.apns_id = apns_id;
      rejected.handle = info.handle;
      rejected.state = CallState::Rejected;
      rejected.error = error;
      calls_.insert_or_assign(info.uuid, std::move(rejected));
    }
    return;
  }
  CallRecord call;
  call.bundle_id = bundle;
  call.apns_id = apns_id;
  call.handle = info.handle;
  call.state = CallState::Ringing;
  const std::string uuid = info.uuid;
  call.ring_timer = schedule(config_.ring_timeout, [this, uuid] {
    auto it = calls_.find(uuid);
    if (it == calls_.end() || it->second.state != CallState::Ringing) return;
    it->second.ring_timer = 0;
    (void)end_call(uuid, CallEndedReason::Unanswered); // §7.4 CallKit 4
  });
  calls_.insert_or_assign(uuid, std::move(call));
  emit(DeviceEventKind::CallShown, bundle,
       config_.locked ? "full-screen incoming-call UI on the lock screen" : "incoming-call UI",
       apns_id, uuid);
}

void Device::complete(std::uint64_t handling_id) {
  auto it = handlings_.find(handling_id);
  if (it == handlings_.end() || it->second.finished) return;
  PushHandling& handling = it->second;
  handling.finished = true;
  cancel_timer(std::exchange(handling.assertion_timer, 0));
  emit(DeviceEventKind::CompletionCalled, handling.bundle_id, {}, handling.apns_id);
}

void Device::on_assertion_expired(std::uint64_t handling_id) {
  auto it = handlings_.find(handling_id);
  if (it == handlings_.end() || it->second.finished) return;
  PushHandling& handling = it->second;
  handling.finished = true;
  handling.assertion_timer = 0;
  auto* app = find_app(handling.bundle_id);
  if (!app || app->generation != handling.generation) return;
  if (handling.must_report && !handling.reported) {
    // Step 7: the delegate never ran, so FrontBoard kills the app (§4.2, D11).
    kill_app(*app, log_lines::kCrashFrontboard, handling.apns_id);
    return;
  }
  // Step 9 [sim]: completion() never came; the assertion lapses and the app is suspended, even
  // while its call rings: the spec names no exemption for a reported call (CallKit still hands
  // the suspended app its answer or end action, §7.4 CallKit 2).
  emit(DeviceEventKind::AssertionReleased, handling.bundle_id, {}, handling.apns_id);
  if (app->process == ProcessState::Background) {
    set_process(*app, ProcessState::Suspended);
  }
}

void Device::kill_app(AppRecord& app, std::string_view crash_record, std::string_view apns_id) {
  const std::string bundle = app.config.bundle_id;
  const int count = ++kill_counts_[bundle]; // §4.3 CSDVoIPApplicationKillCounts
  emit(DeviceEventKind::AppKilled, bundle, std::string(crash_record), apns_id, {}, count);
  // §7.4 steps 7 and 9: the killed app is NotRunning; AppKilled above says why.
  stop_process(app, ProcessState::NotRunning, CallEndedReason::Failed);
}

core::Result<std::string> Device::inject(const ApnsFile& file) {
  auto found = require_app(file.bundle_id);
  if (!found) return core::Unexpected(found.error());
  const AppRecord& app = **found;
  const auto& token = file.kind == PushKind::Voip ? app.voip_token : app.alert_token;
  if (!token) {
    return core::fail(Errc::NoToken,
                      file.bundle_id + " holds no " + std::string(to_string(file.kind)) + " token");
  }
  if (!reachable()) return core::fail(Errc::InvalidState, "device is unreachable");
  Push push;
  push.apns_id = uuids_.next().to_string();
  push.environment = app.config.environment;
  push.token = *token;
  push.topic = topic_for(file.bundle_id, file.kind);
  push.push_type = std::string(to_string(file.kind));
  push.payload = file.payload;
  push.accepted_at = clock_.now();
  (void)deliver(push);
  return push.apns_id;
}

} // namespace fake_device
