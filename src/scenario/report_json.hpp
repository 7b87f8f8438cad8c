#pragma once
// The JSON report of a run (`voipsim run --json`, `voipsim demo`'s report.json) and its reader:
// `voipsim report merge` joins shards' reports into the report of the whole suite (issue #21).
// Every field but each scenario's wall_seconds is the same for the same scenarios and seed,
// whatever -j ran them. Pure.

#include "core/result.hpp"
#include "scenario/runner.hpp"
#include "scenario/shard.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scenario {

struct RunReport {
  std::uint64_t seed = 1;
  std::optional<Shard> shard;          // a shard's report: which share of the suite
  std::vector<ScenarioResult> results; // by ScenarioResult::index
};

// {"seed","shard" (a shard's only),"scenarios_total","passed","failed","errors","skipped",
// "scenarios":[{"index","name",...,"timeline":[{"t_ms","seq","source","actor","text","cause",
// "arrow" (when drawn: {"from","to","label","reply","problem"})}],"wall_seconds"}]}.
std::string to_json_report(const RunReport& report);
// The report `to_json_report` wrote; an error that names the field otherwise.
core::Result<RunReport> run_report_from_json(std::string_view text);

// Reports of one suite's shards as the report of the whole: the same seed, each scenario once,
// in the order of the whole run; an error that says which reports do not fit together.
core::Result<RunReport> merge_run_reports(std::vector<RunReport> reports);

} // namespace scenario
