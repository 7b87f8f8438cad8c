#pragma once
// A scenario's run as a sequence diagram: the actors as lanes, then what happened in order -
// step bands, arrows between lanes (a request and its answer, a delivery, setVOIP), what an
// actor did by itself, the plain-language cause of an answer, and a failed expectation or error
// where the run stopped. Pure: made from the timeline's fields (never from its prose), drawn by
// sequence_svg and sequence_mermaid.

#include "scenario/runner.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace scenario {

struct SequenceLane {
  std::string key;   // as Arrow names it: "device:bobs-iphone", "pipeline", "apns:sandbox", ...
  std::string title; // "bobs-iphone", "IM backend", "APNs sandbox", ...
  std::string subtitle;
};

enum class SequenceKind {
  Band,    // a step begins (or the set-up before the first): `label`
  Message, // `from` -> `to`
  Reply,   // a request's answer, `from` (the server) -> `to`, dashed
  Self,    // something the actor of `from` did by itself
  Note,    // the plain-language cause of the event before it, over `from`..`to`
  Failure, // a failed expectation or an error: `lines`, drawn in red
};

struct SequenceEvent {
  SequenceKind kind = SequenceKind::Self;
  std::int64_t t_ms = 0;
  std::size_t from = 0, to = 0; // lane indexes
  std::string label;
  std::string detail; // the timeline's whole text, for a tooltip
  bool problem = false;
  std::vector<std::string> lines; // Failure: what was expected, observed, and where
};

struct SequenceDiagram {
  std::vector<SequenceLane> lanes;
  std::vector<SequenceEvent> events;
};

// Lanes: the devices in the order they first act, the IM backend, APNs sandbox and production,
// and the provider when a `push` step made requests.
SequenceDiagram sequence_of(const ScenarioResult& result);

} // namespace scenario
