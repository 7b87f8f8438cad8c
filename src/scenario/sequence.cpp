#include "scenario/sequence.hpp"

#include "scenario/report.hpp"

#include <algorithm>

namespace scenario {

namespace {

SequenceLane lane_of(const std::string& key) {
  if (key.starts_with(kDeviceLanePrefix))
    return {key, key.substr(kDeviceLanePrefix.size()), "iPhone and its app"};
  if (key == kPipelineLane) return {key, "IM backend", "pipeline and console"};
  if (key == kSandboxLane) return {key, "APNs sandbox", "api.sandbox.push.apple.com"};
  if (key == kProductionLane) return {key, "APNs production", "api.push.apple.com"};
  if (key == kProviderLane) return {key, "Provider", "the push steps' requests"};
  return {key, key, ""};
}

class Builder {
public:
  explicit Builder(const ScenarioResult& r) {
    // Devices first, in the order they act, then the fixed actors.
    std::vector<std::string> devices;
    bool provider = false;
    for (const auto& e : r.timeline) {
      if (!e.arrow) continue;
      for (const auto* key : {&e.arrow->from, &e.arrow->to}) {
        if (key->starts_with(kDeviceLanePrefix) &&
            std::find(devices.begin(), devices.end(), *key) == devices.end())
          devices.push_back(*key);
        provider = provider || *key == kProviderLane;
      }
    }
    for (const auto& d : devices)
      diagram_.lanes.push_back(lane_of(d));
    for (const auto key : {kPipelineLane, kSandboxLane, kProductionLane})
      diagram_.lanes.push_back(lane_of(std::string(key)));
    if (provider) diagram_.lanes.push_back(lane_of(std::string(kProviderLane)));
  }

  std::size_t lane(const std::string& key) {
    for (std::size_t i = 0; i < diagram_.lanes.size(); ++i)
      if (diagram_.lanes[i].key == key) return i;
    diagram_.lanes.push_back(lane_of(key)); // a lane no note site names yet: drawn all the same
    return diagram_.lanes.size() - 1;
  }

  void add(SequenceEvent event) { diagram_.events.push_back(std::move(event)); }

  void add_entry(const TimelineEntry& e) {
    if (e.source == "step") {
      add({SequenceKind::Band, e.t_ms, 0, 0, e.text, e.text, false, {}});
      return;
    }
    if (!e.arrow) return;
    const Arrow& a = *e.arrow;
    const std::size_t from = lane(a.from), to = lane(a.to);
    const bool answered = !a.reply.empty();
    add({from == to ? SequenceKind::Self : SequenceKind::Message,
         e.t_ms,
         from,
         to,
         a.label,
         e.text,
         a.problem && !answered,
         {}});
    if (answered) add({SequenceKind::Reply, e.t_ms, to, from, a.reply, e.text, a.problem, {}});
    if (!e.cause.empty())
      add({SequenceKind::Note,
           e.t_ms,
           std::min(from, to),
           std::max(from, to),
           e.cause,
           e.cause,
           a.problem,
           {}});
  }

  SequenceDiagram take() { return std::move(diagram_); }

private:
  SequenceDiagram diagram_;
};

SequenceEvent failure_event(const Failure& f, std::int64_t t_ms) {
  SequenceEvent event;
  event.kind = SequenceKind::Failure;
  event.t_ms = t_ms;
  event.problem = true;
  event.label = failure_heading(f);
  event.lines = {event.label, "expectation: " + f.mismatch.expectation,
                 "expected: " + f.mismatch.expected, "observed: " + f.mismatch.observed,
                 "at " + f.mismatch.where.text()};
  return event;
}

} // namespace

SequenceDiagram sequence_of(const ScenarioResult& r) {
  Builder b(r);
  const bool setup = !r.timeline.empty() && r.timeline.front().source != "step";
  if (setup)
    b.add({SequenceKind::Band, r.timeline.front().t_ms, 0, 0, "set-up", "set-up", false, {}});
  for (const auto& e : r.timeline)
    b.add_entry(e);
  // The run stops at the failing step: its failures close the diagram, after that step's events.
  const std::int64_t last = r.timeline.empty() ? 0 : r.timeline.back().t_ms;
  for (const auto& f : r.failures)
    b.add(failure_event(f, last));
  if (r.outcome == Outcome::Error) {
    SequenceEvent error;
    error.kind = SequenceKind::Failure;
    error.t_ms = last;
    error.problem = true;
    error.label = "ERROR: the scenario stopped here";
    error.lines = {error.label, r.error};
    b.add(std::move(error));
  }
  return b.take();
}

} // namespace scenario
