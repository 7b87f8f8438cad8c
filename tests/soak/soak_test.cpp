// The fault soak in CTest (issue #8, acceptance 4): a short run with fault rates high enough
// that every kind of fault hits many times; nothing may be lost and every duplicate must be
// explained by a retry. The full 100,000-message run is `voipsim-soak` (tests/soak/README.md).
// Spec: docs/spec/im-voip-flow.md
#include "soak/fault_soak.hpp"

#include <gtest/gtest.h>

namespace {

TEST(FaultSoak, EveryMessageEndsInOneStateAndNoneIsLost) {
  soak::SoakOptions options;
  options.messages = 3'000;
  options.seed = 8;
  options.service_unavailable = 0.05;
  options.too_many_requests = 0.05;
  options.connection_drop = 0.01;
  options.goaway = 0.01;
  options.max_duration = std::chrono::seconds(120);
  const auto report = soak::run_fault_soak(options);
  ASSERT_TRUE(report) << report.error().message();
  const std::string line = report->line();
  std::printf("%s\n", line.c_str()); // the soak's result, in the CTest log
  ASSERT_EQ(line.rfind("messages=3000 delivered=", 0), 0u) << line;

  EXPECT_TRUE(report->settled) << line;
  EXPECT_EQ(report->lost, 0u) << report->first_lost << "\n" << line;
  EXPECT_EQ(report->unexplained_duplicates, 0u) << line;
  std::uint64_t terminal = 0;
  for (const auto& [state, n] : report->states) {
    EXPECT_NE(state, "pending") << line;
    terminal += n;
  }
  EXPECT_EQ(terminal, report->messages) << "one state per message: " << line;
  EXPECT_EQ(report->deliveries, report->delivered + report->duplicates) << line;
  // Every fault kind really happened, so the run proves something about each.
  EXPECT_GT(report->faults_503, 0u) << line;
  EXPECT_GT(report->faults_429, 0u) << line;
  EXPECT_GT(report->answers_dropped, 0u) << line;
  EXPECT_GT(report->goaways, 0u) << line;
  // Failures are 429 retries used up, never fewer (a dropped connection only delays the pushes
  // in flight on it: they are retried until their call is 30 s old, §4.5), and the retries must
  // visibly rescue messages. Accepted is bounded loosely: under TSan on a busy machine pushes
  // wait long enough to expire.
  EXPECT_EQ(report->gave_up_early, 0u) << line;
  EXPECT_GT(report->accepted_after_retry, report->messages / 20) << line;
  EXPECT_GT(report->state("accepted"), report->messages / 2) << line;
}

// Issue #26 acceptance 3, short: the mock down for 2 s mid-run and back on the same ports. The
// pushes caught by it are retried until it is back; no answer is never a failure (§4.5), and
// with no 429 in play (the one retry limit left) nothing may fail at all. No 503 either: each
// one after the outage waits a full capped back-off (4-6 s), which only makes the run longer.
TEST(FaultSoak, AnOutageMidRunLosesNothingAndFailsNothing) {
  soak::SoakOptions options;
  options.messages = 1'000;
  options.seed = 26;
  options.too_many_requests = 0;
  options.service_unavailable = 0;
  options.outage = std::chrono::seconds(2);
  options.max_duration = std::chrono::seconds(120);
  const auto report = soak::run_fault_soak(options);
  ASSERT_TRUE(report) << report.error().message();
  const std::string line = report->line();
  std::printf("%s\n", line.c_str());
  EXPECT_TRUE(report->settled) << line;
  EXPECT_EQ(report->lost, 0u) << report->first_lost << "\n" << line;
  EXPECT_EQ(report->unexplained_duplicates, 0u) << line;
  EXPECT_EQ(report->state("failed"), 0u) << line;
  EXPECT_EQ(report->state("accepted"), report->messages) << "none older than 30 s: " << line;
  EXPECT_EQ(report->outage_seconds, 2) << line;
}

} // namespace
