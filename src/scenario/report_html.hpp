#pragma once
// The HTML report (`voipsim run --html`, `voipsim demo`'s report.html): one self-contained page
// - a summary table, then per scenario its sequence diagram as inline SVG, its failure with
// expected vs observed and the place in the file, and its text timeline. The CSS and the small
// script are inline, nothing is fetched (a Content-Security-Policy forbids it), so the file opens
// from disk and prints. Every text from a scenario or a client is escaped. Pure.

#include "scenario/runner.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace scenario {

std::string to_html_report(const std::vector<ScenarioResult>& results, std::uint64_t seed);

} // namespace scenario
