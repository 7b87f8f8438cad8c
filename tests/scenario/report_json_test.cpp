// The JSON report and its reader (issue #21): what `voipsim report merge` reads back is what
// `voipsim run --json` wrote, and shards' reports merge into the whole suite's, in its order.
#include "scenario/report_json.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using scenario::Outcome;
using scenario::RunReport;
using scenario::ScenarioResult;

scenario::TimelineEntry entry(std::int64_t t_ms, std::string source, std::string text) {
  scenario::TimelineEntry e;
  e.t_ms = t_ms;
  e.source = std::move(source);
  e.text = std::move(text);
  return e;
}

ScenarioResult result(std::size_t index, std::string name, Outcome outcome = Outcome::Passed) {
  ScenarioResult r;
  r.index = index;
  r.name = std::move(name);
  r.title = "t <&>";
  r.spec = "im-voip-flow.md §4.3";
  r.demonstrates = "d";
  r.file = "scenarios/flows/x.yaml";
  r.outcome = outcome;
  r.steps_total = 3;
  r.steps_run = 2;
  r.timeline = {entry(0, "step", "#1 install"),
                entry(5000, "apns", "sandbox POST /3/device/ab… -> 200")};
  // What the diagram draws comes back too (the HTML report of merged shards needs it).
  r.timeline[1].actor = "sandbox";
  r.timeline[1].cause = "a warning";
  r.timeline[1].arrow =
      scenario::Arrow{"pipeline", "apns:sandbox", "POST /3/device/ab…", "200", true};
  r.wall_seconds = 0.25;
  return r;
}

TEST(RunReportJson, WhatIsWrittenReadsBackFieldForField) {
  RunReport report;
  report.seed = 9;
  report.shard = scenario::Shard{2, 3};
  report.results.push_back(result(4, "flows/a"));
  auto failed = result(7, "faq/b", Outcome::Failed);
  failed.warnings = {"b.yaml:3: a warning"};
  scenario::Failure f;
  f.step = 2;
  f.step_text = "send";
  f.mismatch = {"expect.message.state", "accepted", "failed (FAILED_CERT)", {"b.yaml", 12}};
  f.context = {entry(100, "pipeline", "msg-1: failed")};
  failed.failures = {f};
  report.results.push_back(failed);
  auto skipped = result(9, "flows/c", Outcome::Skipped);
  skipped.skip_reason = "an hour passes";
  report.results.push_back(skipped);

  const std::string text = scenario::to_json_report(report);
  const auto read = scenario::run_report_from_json(text);
  ASSERT_TRUE(read) << read.error().detail;
  EXPECT_EQ(read->seed, 9u);
  ASSERT_TRUE(read->shard);
  EXPECT_EQ(read->shard->text(), "2/3");
  ASSERT_EQ(read->results.size(), 3u);
  // Written again, it is the same text: every field came back.
  EXPECT_EQ(scenario::to_json_report(*read), text);
  EXPECT_EQ(read->results[1].failures.at(0).mismatch.where.line, 12);
  EXPECT_EQ(read->results[1].failures.at(0).mismatch.where.file, "b.yaml");
  const auto j = nlohmann::json::parse(text);
  EXPECT_EQ(j["failed"], 1);
  EXPECT_EQ(j["skipped"], 1);
  EXPECT_EQ(j["scenarios"][2]["skip_reason"], "an hour passes");
}

TEST(RunReportJson, AReportThatIsNotOneSaysWhy) {
  EXPECT_FALSE(scenario::run_report_from_json("not json"));
  const auto no_seed = scenario::run_report_from_json(R"({"scenarios":[]})");
  ASSERT_FALSE(no_seed);
  EXPECT_NE(no_seed.error().detail.find("\"seed\""), std::string::npos) << no_seed.error().detail;
  RunReport one;
  one.results.push_back(result(0, "a"));
  auto j = nlohmann::json::parse(scenario::to_json_report(one));
  j["scenarios_total"] = 2;
  const auto short_list = scenario::run_report_from_json(j.dump());
  ASSERT_FALSE(short_list);
  EXPECT_NE(short_list.error().detail.find("scenarios_total"), std::string::npos);
}

TEST(RunReportMerge, ShardsJoinInTheSuitesOrder) {
  RunReport first{3, scenario::Shard{1, 2}, {result(1, "b"), result(4, "e")}};
  RunReport second{3, scenario::Shard{2, 2}, {result(0, "a"), result(2, "c"), result(3, "d")}};
  const auto merged = scenario::merge_run_reports({first, second});
  ASSERT_TRUE(merged) << merged.error().detail;
  EXPECT_FALSE(merged->shard); // the whole suite's
  std::string order;
  for (const auto& r : merged->results)
    order += r.name;
  EXPECT_EQ(order, "abcde");

  RunReport other_seed = second;
  other_seed.seed = 4;
  const auto seeds = scenario::merge_run_reports({first, other_seed});
  ASSERT_FALSE(seeds);
  EXPECT_NE(seeds.error().detail.find("different seeds"), std::string::npos);
  const auto twice = scenario::merge_run_reports({first, first});
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().detail.find("is in two reports"), std::string::npos);
}

// Every scenario in exactly one shard, by its name alone.
TEST(Shards, EveryNameIsInExactlyOneShardOfN) {
  for (std::uint32_t n : {1u, 2u, 3u, 7u}) {
    std::vector<std::size_t> sizes(n);
    for (int i = 0; i < 300; ++i) {
      const std::string name = "flows/scenario-" + std::to_string(i);
      int in = 0;
      for (std::uint32_t k = 1; k <= n; ++k)
        if (scenario::in_shard(name, {k, n})) {
          ++in;
          ++sizes[k - 1];
        }
      EXPECT_EQ(in, 1) << name << " in " << n;
    }
    for (const auto size : sizes) // a fair share, give or take
      EXPECT_GT(size, 300 / n / 2) << n;
  }
  // The same shard on every machine and build: FNV-1a of the name (the shards here worked out apart
  // from this code), not std::hash.
  EXPECT_TRUE(scenario::in_shard("flows/happy-path", {2u, 3u}));
  EXPECT_TRUE(scenario::in_shard("flows/happy-path", {2u, 7u}));
}

TEST(Shards, ParseIOfN) {
  const auto two_of_three = scenario::parse_shard("2/3");
  ASSERT_TRUE(two_of_three);
  EXPECT_EQ(two_of_three->index, 2u);
  EXPECT_EQ(two_of_three->count, 3u);
  for (const char* bad : {"0/3", "4/3", "3", "1/0", "a/b", "1/3/5", "", "-1/3"}) {
    const auto parsed = scenario::parse_shard(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_NE(parsed.error().detail.find("give I/N"), std::string::npos) << bad;
  }
}

} // namespace
