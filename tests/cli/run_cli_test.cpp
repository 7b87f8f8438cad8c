// `voipsim run` and `voipsim demo` as a user calls them: exit status, reports, clear errors.
#include "cli_support.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>
#include <set>

#include <gtest/gtest.h>

namespace {

using cli_test::voipsim;

const std::string kScenarios = VOIPSIM_SCENARIOS_DIR;

TEST(RunCli, ReplaysAFolderAndWritesJunitAndJson) {
  support::TempDir dir;
  const auto r = voipsim({"run", kScenarios, "--filter", "happy", "--junit", dir.file("junit.xml"),
                          "--json", dir.file("report.json")});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.output.find("[1/1] flows/happy-path ... passed"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("1 of 1 scenarios passed"), std::string::npos) << r.output;
  EXPECT_NE(support::read_file(dir.file("junit.xml")).find("<testcase name=\"flows/happy-path\""),
            std::string::npos);
  const auto report = nlohmann::json::parse(support::read_file(dir.file("report.json")));
  EXPECT_EQ(report["passed"], 1);
  EXPECT_EQ(report["scenarios"][0]["outcome"], "passed");
}

TEST(RunCli, AFailingScenarioExitsOneAndSaysWhatWasSeen) {
  support::TempDir dir;
  const auto file = dir.write("broken.yaml", R"(name: broken
steps:
  - fault: {reason: ServiceUnavailable}
    expect:
      apns: {count: 1}
)");
  const auto r = voipsim({"run", file});
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.output.find("expectation: expect.apns.count"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("observed:    no request"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("broken.yaml:5"), std::string::npos) << r.output;
}

// The page itself is looked at in a browser (tests/browser/report_test.py).
TEST(RunCli, WritesTheHtmlReportAndAMermaidFilePerScenario) {
  support::TempDir dir;
  const auto r = voipsim({"run", kScenarios, "--filter", "2a-dev-build", "--quiet", "--html",
                          dir.file("report.html"), "--mermaid", dir.file("diagrams")});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const auto page = support::read_file(dir.file("report.html"));
  EXPECT_TRUE(page.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(page.find(">400 BadDeviceToken<"), std::string::npos);
  const auto mermaid = support::read_file(dir.file("diagrams/faq/2a-dev-build-production-id.mmd"));
  EXPECT_TRUE(mermaid.starts_with("sequenceDiagram\n")) << mermaid;
}

TEST(RunCli, UsageAndLoadErrorsExitTwo) {
  EXPECT_EQ(voipsim({"run"}).exit_code, 2);
  EXPECT_EQ(voipsim({"run", "/no/such/file.yaml"}).exit_code, 2);
  EXPECT_EQ(voipsim({"run", kScenarios, "--filter", "no-such-scenario"}).exit_code, 2);
  support::TempDir dir;
  const auto bad = voipsim({"run", dir.write("bad.yaml", "steps:\n  - jump\n")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("bad.yaml:2: 'jump' is not a valid step; allowed:"), std::string::npos)
      << bad.output;
  const auto help = voipsim({"run", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("--junit FILE"), std::string::npos);
}

// The report without the one field that is real time.
nlohmann::json without_timings(nlohmann::json report) {
  for (auto& s : report["scenarios"])
    s.erase("wall_seconds");
  return report;
}

// Issue #21 acceptance 2: -j 2 and a serial run of the library give the same report apart from
// durations; shards 1/3, 2/3, 3/3 hold every scenario exactly once, and their merged report is the
// serial one apart from timings.
TEST(RunCli, ParallelAndShardedRunsReportWhatASerialRunDoes) {
  support::TempDir dir;
  auto report_of = [&](const std::vector<std::string>& extra, const std::string& name) {
    std::vector<std::string> words = {"run", kScenarios, "--quiet",     "--seed",
                                      "5",   "--json",   dir.file(name)};
    words.insert(words.end(), extra.begin(), extra.end());
    const auto r = voipsim(words);
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    return nlohmann::json::parse(support::read_file(dir.file(name)));
  };
  const auto serial = report_of({"-j", "1"}, "serial.json");
  const auto parallel = report_of({"-j2"}, "parallel.json");
  EXPECT_GT(serial["scenarios_total"].get<int>(), 40);
  EXPECT_EQ(without_timings(parallel).dump(1), without_timings(serial).dump(1));

  std::multiset<std::string> in_shards;
  std::vector<std::string> merge = {"report", "merge"};
  for (int i = 1; i <= 3; ++i) {
    const std::string name = "shard-" + std::to_string(i) + ".json";
    const auto shard = report_of({"--shard", std::to_string(i) + "/3", "-j", "2"}, name);
    EXPECT_EQ(shard["shard"], std::to_string(i) + "/3");
    for (const auto& s : shard["scenarios"])
      in_shards.insert(s["name"].get<std::string>());
    merge.push_back(dir.file(name));
  }
  std::multiset<std::string> all;
  for (const auto& s : serial["scenarios"])
    all.insert(s["name"].get<std::string>());
  EXPECT_EQ(in_shards, all); // each once

  merge.insert(merge.end(), {"--json", dir.file("merged.json"), "--junit", dir.file("merged.xml"),
                             "--html", dir.file("merged.html")});
  const auto merged = voipsim(merge);
  ASSERT_EQ(merged.exit_code, 0) << merged.describe();
  EXPECT_NE(merged.output.find(std::to_string(all.size()) + " of " + std::to_string(all.size()) +
                               " scenarios passed"),
            std::string::npos)
      << merged.output;
  const auto merged_report = nlohmann::json::parse(support::read_file(dir.file("merged.json")));
  EXPECT_EQ(without_timings(merged_report).dump(1), without_timings(serial).dump(1));
  EXPECT_NE(support::read_file(dir.file("merged.xml")).find("<testcase name=\"flows/happy-path\""),
            std::string::npos);
  // The merged HTML report is the serial run's too: its diagrams come from the timelines' fields,
  // which the JSON report carries and merge reads back.
  const auto html = support::read_file(dir.file("merged.html"));
  EXPECT_NE(html.find(std::to_string(all.size()) + " of " + std::to_string(all.size()) +
                      " scenarios passed"),
            std::string::npos);
  EXPECT_NE(html.find("400 BadDeviceToken"), std::string::npos);

  // Reports that do not belong together are refused, and say why.
  const auto other_seed = voipsim({"run", kScenarios, "--quiet", "--filter", "happy", "--json",
                                   dir.file("other.json"), "--seed", "6"});
  ASSERT_EQ(other_seed.exit_code, 0) << other_seed.describe();
  const auto refused =
      voipsim({"report", "merge", dir.file("shard-1.json"), dir.file("other.json")});
  EXPECT_EQ(refused.exit_code, 2) << refused.describe();
  EXPECT_NE(refused.output.find("different seeds"), std::string::npos) << refused.output;
  EXPECT_EQ(voipsim({"report", "merge"}).exit_code, 2);
  EXPECT_EQ(voipsim({"run", kScenarios, "--shard", "4/3"}).exit_code, 2);
}

TEST(DemoCli, ReplaysTheLibraryAndNamesItsReportFolder) {
  support::TempDir dir;
  const auto out = (dir.path() / "reports").string();
  const auto r = voipsim({"demo", "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.output.find("scenarios passed"), std::string::npos);
  EXPECT_NE(r.output.find("reports in " + std::filesystem::absolute(out).string()),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("report.html"), std::string::npos) << r.output;
  for (const char* f : {"report.html", "report.json", "junit.xml", "timeline.txt"})
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(out) / f)) << f;
  EXPECT_EQ(voipsim({"demo", "extra"}).exit_code, 2);
}

} // namespace

namespace {

// --live: the same files against `voipsim mock-apns` and `voipsim pipeline` as processes.
TEST(RunCli, LiveRunsTheSameScenariosAgainstStandaloneProcesses) {
  const auto r = cli_test::voipsim(
      {"run", "--live", "--quiet", kScenarios + "/flows/happy-path.yaml",
       kScenarios + "/flows/retry-503.yaml", kScenarios + "/faq/2a-dev-build-production-id.yaml"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.output.find("3 of 3 scenarios passed"), std::string::npos) << r.output;

  // Real time has limits: a scenario whose file says it needs the virtual clock (live_skip) is
  // reported skipped with its reason, and the run still passes (issue #21).
  support::TempDir dir;
  const auto hour =
      cli_test::voipsim({"run", "--live", kScenarios + "/flows/provider-token-hour.yaml", "--json",
                         dir.file("report.json"), "--junit", dir.file("junit.xml")});
  EXPECT_EQ(hour.exit_code, 0) << hour.describe();
  EXPECT_NE(hour.output.find("SKIPPED provider-token-hour"), std::string::npos) << hour.output;
  EXPECT_NE(hour.output.find("not run live: the provider token's hour passes"), std::string::npos)
      << hour.output;
  EXPECT_NE(hour.output.find("0 of 1 scenarios passed, 1 skipped"), std::string::npos)
      << hour.output;
  const auto report = nlohmann::json::parse(support::read_file(dir.file("report.json")));
  EXPECT_EQ(report["skipped"], 1);
  EXPECT_EQ(report["scenarios"][0]["outcome"], "skipped");
  EXPECT_NE(support::read_file(dir.file("junit.xml")).find("<skipped message=\"not run live: "),
            std::string::npos);
  // Without --live it runs, on the virtual clock.
  EXPECT_EQ(cli_test::voipsim({"run", "--quiet", kScenarios + "/flows/provider-token-hour.yaml"})
                .exit_code,
            0);
  // One that does not say so fails at the long step, and the message names live_skip.
  const auto file = dir.write("long.yaml", "steps:\n  - advance: 31s\n");
  const auto undeclared = cli_test::voipsim({"run", "--live", file});
  EXPECT_EQ(undeclared.exit_code, 1) << undeclared.describe();
  EXPECT_NE(undeclared.output.find("--live runs in real time"), std::string::npos)
      << undeclared.output;
  EXPECT_NE(undeclared.output.find("live_skip: WHY"), std::string::npos) << undeclared.output;
}

// im-voip-flow.md §3.4 with the parts as processes: the kicked phone is told through the login's
// answer, and each phone's push is read back through the pipeline's API.
TEST(RunCli, LiveRunsTwoPhonesOfOneUser) {
  const auto r = cli_test::voipsim({"run", "--live", "--quiet",
                                    kScenarios + "/flows/two-phones-second-login-kicks-first.yaml",
                                    kScenarios + "/flows/two-phones-both-ring.yaml",
                                    kScenarios + "/flows/two-phones-one-in-use.yaml"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.output.find("3 of 3 scenarios passed"), std::string::npos) << r.output;
}

// Issue #23 defect 4 with the parts as processes: the refusal goes through the mock's admin API
// (POST /v1/certificates/refused), the verdict is read back through the pipeline's.
TEST(RunCli, LiveRefusesAnUploadsCertificateThroughTheAdminApi) {
  const auto r = cli_test::voipsim(
      {"run", "--live", "--quiet", kScenarios + "/flows/refused-certificate.yaml"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.output.find("1 of 1 scenarios passed"), std::string::npos) << r.output;
}

// The parts --live starts are its own: secrets meant for other mocks and pipelines in the
// caller's environment do not reach them, so the run is not locked out of its own parts.
TEST(RunCli, LiveIgnoresSecretsInTheEnvironment) {
  const cli_test::ScopedEnv admin("VOIPSIM_ADMIN_SECRET", "meant-for-another-mock");
  const cli_test::ScopedEnv api("VOIPSIM_API_SECRET", "meant-for-another-pipeline");
  const auto r =
      cli_test::voipsim({"run", "--live", "--quiet", kScenarios + "/flows/happy-path.yaml"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.output.find("1 of 1 scenarios passed"), std::string::npos) << r.output;
}

} // namespace
