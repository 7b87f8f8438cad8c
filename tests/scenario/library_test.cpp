// The scenario library under the runner (issue #7 acceptance 2-4, #23 acceptance 1): a flipped
// expectation in any scenario of the library (faq/ and flows/) fails with a message that names it
// and shows what was seen; the same seed gives the same report; the JUnit XML validates against the
// common JUnit schema; the demo embeds every file of scenarios/.
#include "scenario/library.hpp"
#include "scenario/loader.hpp"
#include "scenario/report.hpp"
#include "scenario/report_json.hpp"
#include "scenario/runner.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using scenario::Outcome;
using scenario::Scenario;

const std::string kScenarios = VOIPSIM_SCENARIOS_DIR;

std::vector<Scenario> load(const std::string& sub) {
  auto loaded = scenario::load_scenario_files({kScenarios + "/" + sub});
  if (!loaded) ADD_FAILURE() << loaded.error().detail;
  return loaded ? std::move(*loaded) : std::vector<Scenario>{};
}

class ScenarioLibrary : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    auto run = scenario::Run::prepare(1);
    ASSERT_TRUE(run) << run.error().message();
    run_ = std::move(*run).release();
  }
  static void TearDownTestSuite() {
    delete run_;
    run_ = nullptr;
  }
  static scenario::Run* run_;
};
scenario::Run* ScenarioLibrary::run_ = nullptr;

// Turns one expectation of `e` into its opposite; returns which, or "" when it has none.
std::string flip(scenario::Expectations& e) {
  if (e.message && e.message->state) {
    using pipeline::MessageState;
    e.message->state =
        *e.message->state == MessageState::Accepted ? MessageState::Failed : MessageState::Accepted;
    return "expect.message.state";
  }
  if (e.apns && e.apns->count) {
    e.apns->count = *e.apns->count + 1;
    return "expect.apns.count";
  }
  if (e.apns && e.apns->status) {
    e.apns->status = *e.apns->status == 200 ? 400 : 200;
    return "expect.apns.status";
  }
  if (e.registration && (e.registration->state || e.registration->none)) {
    // Active becomes none (no registration at all); anything else becomes active.
    const bool active = e.registration->state == pipeline::RegistrationState::Active;
    e.registration->none = active;
    e.registration->state.reset();
    if (!active) e.registration->state = pipeline::RegistrationState::Active;
    return "expect.registration.state";
  }
  if (e.console && e.console->error) {
    e.console->error = *e.console->error == "none" ? "P12_INVALID" : "none";
    return "expect.console.error";
  }
  for (auto& device : e.devices) {
    if (!device.events.empty()) {
      device.no_events.push_back(device.events.front());
      device.events.erase(device.events.begin());
      return "expect.device.no_events";
    }
    if (!device.no_events.empty()) {
      device.events.push_back(device.no_events.front());
      device.no_events.erase(device.no_events.begin());
      return "expect.device.events";
    }
    if (device.kill_count) {
      device.kill_count = *device.kill_count + 1;
      return "expect.device.kill_count";
    }
  }
  if (e.certificate) {
    e.certificate->health = e.certificate->health == "ok" ? "BAD_CERTIFICATE" : "ok";
    return "expect.certificate.health";
  }
  if (e.response && e.response->status) {
    e.response->status = *e.response->status == 200 ? 403 : 200;
    return "expect.response.status";
  }
  return "";
}

TEST_F(ScenarioLibrary, EveryScenarioPassesAndFailsWithOneExpectationFlipped) {
  auto library = load("faq");
  ASSERT_FALSE(library.empty());
  for (auto& flow : load("flows"))
    library.push_back(std::move(flow));
  for (const auto& original : library) {
    SCOPED_TRACE(original.name);
    const auto passed = run_->run(original);
    ASSERT_EQ(passed.outcome, Outcome::Passed) << [&] {
      std::ostringstream out;
      scenario::print_scenario(out, passed, {});
      return out.str();
    }();

    // The last step with an expectation: the case's point.
    Scenario broken = original;
    std::size_t step = broken.steps.size();
    std::string flipped;
    while (step > 0 && flipped.empty())
      flipped = flip(broken.steps[--step].expect);
    ASSERT_FALSE(flipped.empty()) << "no expectation to flip";
    const auto result = run_->run(broken);
    ASSERT_EQ(result.outcome, Outcome::Failed);
    ASSERT_FALSE(result.failures.empty());
    const auto& f = result.failures.front();
    EXPECT_EQ(f.step, step + 1);
    EXPECT_EQ(f.mismatch.expectation, flipped);
    EXPECT_FALSE(f.mismatch.observed.empty());
    EXPECT_FALSE(f.context.empty()) << "the failure shows no timeline";
    std::ostringstream out;
    scenario::print_failure(out, f, {});
    EXPECT_NE(out.str().find("expectation: " + flipped), std::string::npos) << out.str();
    // A long value goes on under its column (lines fit in 120): read it joined again.
    std::string joined = out.str();
    const std::string under = "\n" + std::string(17, ' ');
    for (auto at = joined.find(under); at != std::string::npos; at = joined.find(under, at))
      joined.replace(at, under.size(), " ");
    EXPECT_NE(joined.find("observed:    " + f.mismatch.observed), std::string::npos) << out.str();
    EXPECT_NE(out.str().find(f.mismatch.where.text()), std::string::npos) << out.str();
  }
}

// The report without the one field that is real time.
nlohmann::json deterministic_report(const std::vector<scenario::ScenarioResult>& results) {
  auto report = nlohmann::json::parse(scenario::to_json_report({7, std::nullopt, results}));
  for (auto& s : report["scenarios"])
    s.erase("wall_seconds");
  return report;
}

TEST(ScenarioDeterminism, TheSameSeedGivesTheSameReport) {
  auto library = load("");
  ASSERT_FALSE(library.empty());
  nlohmann::json reports[2];
  for (auto& report : reports) {
    auto run = scenario::Run::prepare(7); // a fresh PKI and fresh worlds each time
    ASSERT_TRUE(run);
    std::vector<scenario::ScenarioResult> results;
    for (const auto& sc : library)
      results.push_back((*run)->run(sc));
    report = deterministic_report(results);
  }
  EXPECT_EQ(reports[0]["scenarios_total"], library.size());
  EXPECT_EQ(reports[0].dump(1), reports[1].dump(1));
}

TEST_F(ScenarioLibrary, JunitXmlValidatesAgainstTheJunitSchema) {
  auto flows = load("flows");
  ASSERT_FALSE(flows.empty());
  std::vector<scenario::ScenarioResult> results;
  results.push_back(run_->run(flows.front()));
  Scenario broken = flows.front();
  broken.name += " <broken & \"quoted\"> \xff"; // escaping (and a byte that is not UTF-8)
  for (auto it = broken.steps.rbegin(); it != broken.steps.rend(); ++it)
    if (!flip(it->expect).empty()) break;
  results.push_back(run_->run(broken));
  Scenario unrunnable = flows.front();
  unrunnable.name = "unrunnable";
  unrunnable.setup.uploads.push_back(
      {"x", "x", "no-such-credential", std::nullopt, false, std::nullopt});
  results.push_back(run_->run(unrunnable));
  ASSERT_EQ(results[1].outcome, Outcome::Failed);
  ASSERT_EQ(results[2].outcome, Outcome::Error);
  results[0].warnings = {"s.yaml:9: devices <a> & \"b\" both log in as bob"}; // the loader's

  support::TempDir dir;
  const std::string junit = scenario::to_junit_xml(results);
  EXPECT_NE(junit.find("<system-err>warning: s.yaml:9: devices &lt;a&gt; &amp;"), std::string::npos)
      << junit;
  const auto xml = dir.write("junit.xml", junit);
  const auto checked = support::run_process(
      {"xmllint", "--noout", "--schema", VOIPSIM_JUNIT_XSD, xml}, std::chrono::seconds(60));
  EXPECT_EQ(checked.exit_code, 0) << checked.describe();
}

TEST(ScenarioEmbedding, TheDemoCarriesEveryScenarioFile) {
  std::set<std::string> on_disk, embedded;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kScenarios)) {
    const auto ext = entry.path().extension();
    if (entry.path().filename() == "scenario.schema.json") continue;
    if (ext == ".yaml" || ext == ".yml" || ext == ".json")
      on_disk.insert(std::filesystem::relative(entry.path(), kScenarios).generic_string());
  }
  for (const auto& f : scenario::embedded_library()) {
    embedded.insert(std::string(f.path));
    auto parsed = scenario::parse_scenario(f.text, std::string(f.path), "x");
    EXPECT_TRUE(parsed) << parsed.error().detail;
  }
  EXPECT_EQ(embedded, on_disk);
}

} // namespace
