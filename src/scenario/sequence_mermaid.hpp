#pragma once
// A sequence diagram as Mermaid text (`sequenceDiagram`), which GitHub draws inside Markdown: a
// user pastes a scenario's run into an issue. Steps are notes over every lane, the cause a note
// over the request's lanes, a failure a note in a red rect. Pure.

#include "scenario/sequence.hpp"

#include <string>

namespace scenario {

std::string to_mermaid(const SequenceDiagram& diagram);

} // namespace scenario
