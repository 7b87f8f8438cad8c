#pragma once
// What a run tells people and CI: a readable timeline per scenario (coloured on a terminal), the
// failures with what was expected and seen, a pass/fail table and JUnit XML (the JSON report,
// which shards' reports are merged from, is report_json.hpp).
// Pure: strings in, strings out; the CLI writes them.

#include "scenario/runner.hpp"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace scenario {

struct TextStyle {
  bool colour = false; // ANSI colours, for a terminal
};

// "+0:01:05.250"
std::string format_offset(std::int64_t t_ms);
// The same, shorter within the first hour: "+1:05.250", and "+1:01:00.000" past it.
std::string format_instant(std::int64_t t_ms);
// "FAILED at step 3 (send alice -> bob)": how the diagram and the HTML box head a failure.
std::string failure_heading(const Failure& f);

// The scenario's timeline, then its failures or error: an entry a line (wrapped within 120
// columns) - the virtual time and its place at that instant ("+0:05.000 #3"), who (a device,
// "apns production", the pipeline, ...), what, and the cause on a line of its own.
void print_scenario(std::ostream& out, const ScenarioResult& result, const TextStyle& style);
// One failure: the step, the expectation, expected vs observed, where in the file, and the
// step's part of the timeline.
void print_failure(std::ostream& out, const Failure& failure, const TextStyle& style);
// One line per scenario: outcome, name, what it demonstrates; then the totals.
void print_table(std::ostream& out, const std::vector<ScenarioResult>& results,
                 const TextStyle& style);

// JUnit XML: <testsuites name="voipsim"><testsuite name="voipsim.scenarios"><testcase>... with
// <failure>/<error> and the timeline in <system-out>.
std::string to_junit_xml(const std::vector<ScenarioResult>& results);

} // namespace scenario
