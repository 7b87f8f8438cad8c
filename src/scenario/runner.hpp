#pragma once
// Runs scenarios: each in a fresh World on the virtual clock, step by step, checking each step's
// expectations once its effects have settled. A scenario stops at its first failing step (what
// follows would only repeat the damage); the result says what was expected, what was seen
// instead, and the timeline around it.

#include "core/result.hpp"
#include "scenario/check.hpp"
#include "scenario/model.hpp"
#include "scenario/timeline.hpp"
#include "scenario/world.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace scenario {

// Skipped: a --live run of a scenario that says it cannot run in real time (Scenario::live_skip).
enum class Outcome { Passed, Failed, Error, Skipped };
std::string_view to_string(Outcome outcome); // passed, failed, error, skipped

struct Failure {
  std::size_t step = 0; // 1-based
  std::string step_text;
  Mismatch mismatch;
  std::vector<TimelineEntry> context; // the failing step's part of the timeline
};

struct ScenarioResult {
  // Its place in the whole run's list (before --shard): reports and merged shards keep that order.
  std::size_t index = 0;
  std::string name, title, spec, demonstrates, file;
  std::vector<std::string> warnings; // the loader's (Scenario::warnings)
  Outcome outcome = Outcome::Passed;
  std::vector<Failure> failures; // of the failing step
  std::string error;             // Outcome::Error: why the scenario could not run
  std::string skip_reason;       // Outcome::Skipped: the file's live_skip
  std::size_t steps_total = 0;
  std::size_t steps_run = 0;
  std::vector<TimelineEntry> timeline;
  double wall_seconds = 0; // real time taken; the only field that differs run to run
};

// How many results ended each way.
struct OutcomeCounts {
  std::size_t passed = 0, failed = 0, errors = 0, skipped = 0;
  // Nothing failed or could not run (skipped ones pass): a run's exit status 0.
  bool all_passed() const { return failed == 0 && errors == 0; }
};
OutcomeCounts count_outcomes(const std::vector<ScenarioResult>& results);

// One run's shared set-up: the fake Apple PKI in a temporary folder, removed at the end.
class Run {
public:
  // `voipsim_path`: for a live run, the voipsim executable that starts the standalone parts;
  // empty for in-process worlds.
  static core::Result<std::unique_ptr<Run>> prepare(std::uint64_t seed,
                                                    std::string voipsim_path = {});
  ~Run();
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  ScenarioResult run(const Scenario& scenario) const;
  const RunContext& context() const { return context_; }

private:
  Run() = default;
  RunContext context_;
};

} // namespace scenario
