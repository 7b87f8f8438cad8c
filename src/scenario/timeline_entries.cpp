#include "scenario/timeline_entries.hpp"

#include "core/encoding.hpp"
#include "core/uuid.hpp"
#include "mock_apns/reason.hpp"
#include "scenario/world.hpp"

namespace scenario {

namespace {

using fake_device::DeviceEventKind;

bool is_hex(char c) {
  return core::hex_value(c) >= 0;
}

// A UUID (core::Uuid's 36 characters) starting at `at`, not followed by more hex.
bool uuid_at(std::string_view text, std::size_t at) {
  constexpr std::size_t kLength = 36;
  return at + kLength <= text.size() && core::Uuid::parse(text.substr(at, kLength)) &&
         (at + kLength == text.size() || !is_hex(text[at + kLength]));
}

// The words a person knows the event by: PushKit's and CallKit's names where there are some.
std::string event_label(const fake_device::DeviceEvent& e) {
  std::string what;
  switch (e.kind) {
  case DeviceEventKind::DelegateCalled:
    return e.code == 1 ? "didReceiveIncomingPush (must report a call)" : "didReceiveIncomingPush";
  case DeviceEventKind::CallReported:
    what = "reportNewIncomingCall";
    break;
  case DeviceEventKind::CompletionCalled:
    return "completion()";
  case DeviceEventKind::RegistryCreated:
    return "PKPushRegistry created";
  case DeviceEventKind::TokenIssued:
    what = "didUpdate pushCredentials";
    break;
  case DeviceEventKind::TokenInvalidated:
    what = "didInvalidatePushToken";
    break;
  default:
    what = std::string(fake_device::to_string(e.kind));
    for (auto& c : what)
      if (c == '_') c = ' ';
  }
  return e.detail.empty() ? what : what + ": " + shorten_ids(e.detail);
}

bool is_problem(DeviceEventKind kind) {
  switch (kind) {
  case DeviceEventKind::TokenInvalidated:
  case DeviceEventKind::PushDropped:
  case DeviceEventKind::BlockedDrop:
  case DeviceEventKind::CallRejected:
  case DeviceEventKind::AssertionReleased:
  case DeviceEventKind::AppKilled:
  case DeviceEventKind::AppCrashed:
  case DeviceEventKind::TokenReportFailed:
    return true;
  default:
    return false;
  }
}

} // namespace

std::string apns_lane(core::ApnsEnvironment environment) {
  return std::string(environment == core::ApnsEnvironment::Sandbox ? kSandboxLane
                                                                   : kProductionLane);
}

std::string shorten_ids(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const bool starts_word = i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1]));
    if (starts_word && is_hex(text[i])) {
      std::size_t end = i;
      while (end < text.size() && is_hex(text[end]))
        ++end;
      const bool word_ends =
          end == text.size() || !std::isalnum(static_cast<unsigned char>(text[end]));
      if (uuid_at(text, i)) {
        out.append(text.substr(i, 8)).append("…");
        i += 36;
        continue;
      }
      if (end - i >= 16 && word_ends) { // a device token, a key id is shorter
        out.append(text.substr(i, 8)).append("…");
        i = end;
        continue;
      }
      out.append(text.substr(i, end - i));
      i = end;
      continue;
    }
    out += text[i++];
  }
  return out;
}

TimelineEntry apns_entry(const mock_apns::JournalEntry& e, std::string_view sender_lane) {
  TimelineEntry out;
  out.source = "apns";
  out.actor = std::string(core::to_string(e.environment));
  out.text = describe(e);
  out.cause = e.cause;
  Arrow arrow;
  arrow.from = std::string(sender_lane);
  arrow.to = apns_lane(e.environment);
  arrow.label = e.method + " " + shorten_ids(request_path(e));
  if (e.answer_dropped) {
    arrow.reply = "no answer: the connection was cut";
  } else {
    arrow.reply = std::to_string(e.status);
    if (e.reason) arrow.reply += " " + std::string(mock_apns::reason_text(*e.reason));
    if (e.goaway) arrow.reply += " + GOAWAY";
  }
  arrow.problem = e.answer_dropped || e.status >= 400;
  out.arrow = std::move(arrow);
  return out;
}

TimelineEntry device_entry(const fake_device::DeviceEvent& e, const std::string& device,
                           core::ApnsEnvironment environment) {
  TimelineEntry out;
  out.source = "device";
  out.actor = device;
  out.text = describe(e, device);
  Arrow arrow;
  arrow.from = arrow.to = device_lane(device);
  arrow.label = event_label(e);
  arrow.problem = is_problem(e.kind);
  switch (e.kind) {
  case DeviceEventKind::TokenReported:
  case DeviceEventKind::TokenReportFailed:
    arrow.to = std::string(kPipelineLane);
    arrow.label = "setVOIP " + shorten_ids(e.detail);
    break;
  case DeviceEventKind::PresenceChanged:
    arrow.to = std::string(kPipelineLane);
    arrow.label = "presence: " + e.detail;
    break;
  case DeviceEventKind::PushArrived:
    arrow.from = apns_lane(environment);
    arrow.label =
        "push delivered" + (e.apns_id.empty() ? "" : ", apns-id " + shorten_ids(e.apns_id));
    break;
  default:
    break;
  }
  out.arrow = std::move(arrow);
  return out;
}

TimelineEntry self_entry(std::string source, std::string actor, std::string_view lane,
                         std::string text, bool problem) {
  TimelineEntry out;
  out.source = std::move(source);
  out.actor = std::move(actor);
  out.arrow = Arrow{std::string(lane), std::string(lane), shorten_ids(text), {}, problem};
  out.text = std::move(text);
  return out;
}

TimelineEntry apns_self_entry(core::ApnsEnvironment environment, std::string text, bool problem) {
  return self_entry("apns", std::string(core::to_string(environment)), apns_lane(environment),
                    std::move(text), problem);
}

} // namespace scenario
