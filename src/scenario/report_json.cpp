#include "scenario/report_json.hpp"

#include "core/json_fields.hpp"
#include "core/json_parse.hpp"
#include "core/parse_number.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

namespace scenario {
namespace {

using nlohmann::json;

json to_json(const TimelineEntry& e) {
  json out = {{"t_ms", e.t_ms},   {"seq", e.seq},   {"source", e.source},
              {"actor", e.actor}, {"text", e.text}, {"cause", e.cause}};
  if (e.arrow) {
    const Arrow& a = *e.arrow;
    out["arrow"] = {{"from", a.from},
                    {"to", a.to},
                    {"label", a.label},
                    {"reply", a.reply},
                    {"problem", a.problem}};
  }
  return out;
}

json to_json(const std::vector<TimelineEntry>& entries) {
  json out = json::array();
  for (const auto& e : entries)
    out.push_back(to_json(e));
  return out;
}

// How the diagram draws an entry; absent for an entry it does not draw.
core::Result<Arrow> arrow_from_json(const json& j) {
  Arrow a;
  core::JsonFields f(j, "a timeline entry's arrow", {"from", "to", "label", "reply", "problem"});
  f.require("from", a.from).require("to", a.to).require("label", a.label);
  f.require("reply", a.reply).require("problem", a.problem);
  if (f.problem()) return core::Unexpected(*f.problem());
  return a;
}

core::Result<TimelineEntry> timeline_entry_from_json(const json& j) {
  TimelineEntry e;
  core::JsonFields f(j, "a timeline entry",
                     {"t_ms", "seq", "source", "actor", "text", "cause", "arrow"});
  f.require("t_ms", e.t_ms).require("seq", e.seq).require("source", e.source);
  f.require("actor", e.actor);
  f.require("text", e.text).require("cause", e.cause);
  if (f.problem()) return core::Unexpected(*f.problem());
  if (const auto arrow = j.find("arrow"); arrow != j.end()) {
    auto read = arrow_from_json(*arrow);
    if (!read) return core::Unexpected(read.error());
    e.arrow = std::move(*read);
  }
  return e;
}

core::Result<std::vector<TimelineEntry>> timeline_from_json(const std::vector<json>& items) {
  return core::read_json_items(items, "timeline entry", timeline_entry_from_json);
}

// "file:line" (Location::text) back into its parts; "file" alone is line 0.
Location location_of(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon != std::string::npos)
    if (const auto line = core::parse_whole<int>(text.substr(colon + 1)))
      return {text.substr(0, colon), *line};
  return {text, 0};
}

core::Result<Failure> failure_from_json(const json& j) {
  Failure f;
  std::string where;
  std::vector<json> context;
  core::JsonFields r(
      j, "a failure",
      {"step", "step_text", "expectation", "expected", "observed", "where", "context"});
  r.require("step", f.step)
      .require("step_text", f.step_text)
      .require("expectation", f.mismatch.expectation)
      .require("expected", f.mismatch.expected)
      .require("observed", f.mismatch.observed)
      .require("where", where)
      .require("context", context);
  if (r.problem()) return core::Unexpected(*r.problem());
  auto entries = timeline_from_json(context);
  if (!entries) return core::Unexpected(entries.error());
  f.context = std::move(*entries);
  f.mismatch.where = location_of(where);
  return f;
}

std::optional<Outcome> parse_outcome(std::string_view text) {
  for (const auto o : {Outcome::Passed, Outcome::Failed, Outcome::Error, Outcome::Skipped})
    if (to_string(o) == text) return o;
  return std::nullopt;
}

core::Result<ScenarioResult> scenario_result_from_json(const json& j) {
  ScenarioResult r;
  std::vector<json> failures, timeline;
  core::JsonFields f(j, "a scenario's result",
                     {"index", "name", "title", "spec", "demonstrates", "file", "warnings",
                      "outcome", "error", "skip_reason", "steps_total", "steps_run", "failures",
                      "timeline", "wall_seconds"});
  f.require("index", r.index)
      .require("name", r.name)
      .require("title", r.title)
      .require("spec", r.spec)
      .require("demonstrates", r.demonstrates)
      .require("file", r.file)
      .require("warnings", r.warnings)
      .require_named("outcome", r.outcome, parse_outcome, "passed, failed, error or skipped")
      .require("error", r.error)
      .require("skip_reason", r.skip_reason)
      .require("steps_total", r.steps_total)
      .require("steps_run", r.steps_run)
      .require("failures", failures)
      .require("timeline", timeline)
      .require("wall_seconds", r.wall_seconds);
  if (f.problem()) return core::Unexpected(*f.problem());
  auto read_failures = core::read_json_items(failures, "failure", failure_from_json);
  if (!read_failures) return core::Unexpected(read_failures.error());
  r.failures = std::move(*read_failures);
  auto entries = timeline_from_json(timeline);
  if (!entries) return core::Unexpected(entries.error());
  r.timeline = std::move(*entries);
  return r;
}

} // namespace

std::string to_json_report(const RunReport& report) {
  json scenarios = json::array();
  for (const auto& r : report.results) {
    json failures = json::array();
    for (const auto& f : r.failures) {
      failures.push_back({{"step", f.step},
                          {"step_text", f.step_text},
                          {"expectation", f.mismatch.expectation},
                          {"expected", f.mismatch.expected},
                          {"observed", f.mismatch.observed},
                          {"where", f.mismatch.where.text()},
                          {"context", to_json(f.context)}});
    }
    scenarios.push_back({{"index", r.index},
                         {"name", r.name},
                         {"title", r.title},
                         {"spec", r.spec},
                         {"demonstrates", r.demonstrates},
                         {"file", r.file},
                         {"warnings", r.warnings},
                         {"outcome", to_string(r.outcome)},
                         {"error", r.error},
                         {"skip_reason", r.skip_reason},
                         {"steps_total", r.steps_total},
                         {"steps_run", r.steps_run},
                         {"failures", failures},
                         {"timeline", to_json(r.timeline)},
                         {"wall_seconds", r.wall_seconds}});
  }
  json out = {{"seed", report.seed}};
  if (report.shard) out["shard"] = report.shard->text();
  out["scenarios_total"] = report.results.size();
  const auto n = count_outcomes(report.results);
  out["passed"] = n.passed;
  out["failed"] = n.failed;
  out["errors"] = n.errors;
  out["skipped"] = n.skipped;
  out["scenarios"] = std::move(scenarios);
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

core::Result<RunReport> run_report_from_json(std::string_view text) {
  auto parsed = core::parse_json(text);
  if (!parsed) return core::Unexpected(parsed.error());
  RunReport report;
  std::optional<std::string> shard;
  std::vector<json> scenarios;
  std::size_t total = 0, passed = 0, failed = 0, errors = 0, skipped = 0;
  core::JsonFields f(
      *parsed, "a voipsim run report",
      {"seed", "shard", "scenarios_total", "passed", "failed", "errors", "skipped", "scenarios"});
  f.require("seed", report.seed)
      .read("shard", shard)
      .require("scenarios_total", total)
      .require("passed", passed)
      .require("failed", failed)
      .require("errors", errors)
      .require("skipped", skipped)
      .require("scenarios", scenarios);
  if (f.problem()) return core::Unexpected(*f.problem());
  if (shard) {
    auto read = parse_shard(*shard);
    if (!read) return core::Unexpected(read.error().in_context("\"shard\""));
    report.shard = *read;
  }
  auto results = core::read_json_items(scenarios, "scenario", scenario_result_from_json);
  if (!results) return core::Unexpected(results.error());
  report.results = std::move(*results);
  if (report.results.size() != total)
    return core::fail(core::Errc::InvalidArgument,
                      "\"scenarios_total\" is " + std::to_string(total) + " but " +
                          std::to_string(report.results.size()) + " scenarios are listed");
  return report;
}

core::Result<RunReport> merge_run_reports(std::vector<RunReport> reports) {
  RunReport merged;
  if (reports.empty()) return merged;
  merged.seed = reports.front().seed;
  std::set<std::size_t> indexes;
  std::set<std::string> names;
  for (auto& report : reports) {
    if (report.seed != merged.seed)
      return core::fail(core::Errc::InvalidArgument, "the reports were run with different seeds (" +
                                                         std::to_string(merged.seed) + " and " +
                                                         std::to_string(report.seed) +
                                                         "): shards of one suite share --seed");
    for (auto& r : report.results) {
      if (!indexes.insert(r.index).second || !names.insert(r.name).second)
        return core::fail(core::Errc::InvalidArgument,
                          "scenario " + r.name + " (index " + std::to_string(r.index) +
                              ") is in two reports: merge the shards of one run, each once");
      merged.results.push_back(std::move(r));
    }
  }
  std::sort(merged.results.begin(), merged.results.end(),
            [](const ScenarioResult& a, const ScenarioResult& b) { return a.index < b.index; });
  return merged;
}

} // namespace scenario
