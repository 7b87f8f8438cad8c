#pragma once
// One line of a scenario's timeline: what happened, where, and when on the virtual clock. The
// runner, the reports and the tests all read these; the same seed gives the same lines.

#include <cstdint>
#include <string>

namespace scenario {

struct TimelineEntry {
  std::int64_t t_ms = 0; // virtual milliseconds since the scenario started
  std::string source;    // step, console, device, apns, pipeline, provider
  std::string text;
};

} // namespace scenario
