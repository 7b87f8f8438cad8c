#pragma once
// A sequence diagram as inline SVG for the HTML report: lane heads (top and bottom), lifelines,
// step bands with their labels, virtual time on the left margin, arrows with their labels, the
// cause as a note under the answer it explains, a failure as a red box. Pure; every text is
// escaped; no external reference (no xmlns, no href), so the page works from disk.

#include "scenario/sequence.hpp"

#include <string>

namespace scenario {

std::string to_svg(const SequenceDiagram& diagram);

} // namespace scenario
