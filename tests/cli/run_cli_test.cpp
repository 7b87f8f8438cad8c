// `voipsim run` and `voipsim demo` as a user calls them: exit status, reports, clear errors.
#include "cli_support.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>

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

TEST(DemoCli, ReplaysTheLibraryAndNamesItsReportFolder) {
  support::TempDir dir;
  const auto out = (dir.path() / "reports").string();
  const auto r = voipsim({"demo", "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.output.find("scenarios passed"), std::string::npos);
  EXPECT_NE(r.output.find("reports in " + std::filesystem::absolute(out).string()),
            std::string::npos)
      << r.output;
  for (const char* f : {"report.json", "junit.xml", "timeline.txt"})
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

  // Real time has limits: an hour of provider-token validity is refused, and says why.
  const auto hour =
      cli_test::voipsim({"run", "--live", kScenarios + "/flows/provider-token-hour.yaml"});
  EXPECT_EQ(hour.exit_code, 1) << hour.describe();
  EXPECT_NE(hour.output.find("--live runs in real time"), std::string::npos) << hour.output;
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
