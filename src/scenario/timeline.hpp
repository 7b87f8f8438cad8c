#pragma once
// One line of a scenario's timeline: what happened, where, and when on the virtual clock. The
// runner, the reports and the tests all read these; the same seed gives the same lines. Besides
// the text, the note sites say who did it and to whom, so that the sequence diagram of the HTML
// report is drawn from fields, not from the prose.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace scenario {

// The lanes of the sequence diagram, as Arrow names them. A device's lane carries its id after
// the prefix, so that a device may be called anything, "pipeline" included.
inline constexpr std::string_view kDeviceLanePrefix = "device:";
inline constexpr std::string_view kPipelineLane = "pipeline"; // the IM backend and its console
inline constexpr std::string_view kProviderLane = "provider"; // a `push` step's own requests
inline constexpr std::string_view kSandboxLane = "apns:sandbox";
inline constexpr std::string_view kProductionLane = "apns:production";

inline std::string device_lane(std::string_view device_id) {
  return std::string(kDeviceLanePrefix) + std::string(device_id);
}

// How an entry is drawn: a message from one lane to another, or something one actor did by
// itself (`from` == `to`).
struct Arrow {
  std::string from, to;
  std::string label;    // the arrow's short text: "POST /3/device/8c7a1d36…", "setVOIP ..."
  std::string reply;    // a request's answer, drawn back from `to`: "400 BadDeviceToken"
  bool problem = false; // a refusal or a failure: drawn in the warning colour
};

struct TimelineEntry {
  std::int64_t t_ms = 0; // virtual milliseconds since the scenario started
  std::string source;    // step, console, device, apns, pipeline, provider
  std::string text;
  // Where it happened: the device's id, the APNs environment (sandbox, production), pipeline,
  // console or provider; empty for a step.
  std::string actor;
  std::string cause;          // the plain-language cause, also at the end of `text`
  std::optional<Arrow> arrow; // none: not drawn (a step, or a line another entry draws)
  // Its place among the entries of the same t_ms, from 1: many things happen at one instant
  // of the virtual clock, and the reader needs their order. 0: not set (made by hand).
  std::uint32_t seq = 0;
};

} // namespace scenario
