// The text timeline a person reads (issue #21 point 2): the order at one instant numbered, who
// in a column, lines within 120 columns with the cause on its own line, ids shortened - and
// the JSON report keeping them whole.
#include "scenario/report.hpp"
#include "scenario/report_json.hpp"
#include "scenario/text_wrap.hpp"

#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using scenario::TimelineEntry;

const std::string kToken = "8c7a1d369e788af7220d5592924322a72b6c535cc6675ff651b2879d4930c917";
const std::string kApnsId = "b9035617-71fe-5050-adfd-56fcb3ba70ff";
const std::string kCause = "token was issued in the sandbox, request came to the production "
                           "(api.push.apple.com) listener; send it to the host of the app's "
                           "aps-environment";

TimelineEntry entry(std::int64_t t, std::uint32_t seq, std::string source, std::string actor,
                    std::string text, std::string cause = {}) {
  TimelineEntry e;
  e.t_ms = t;
  e.seq = seq;
  e.source = std::move(source);
  e.actor = std::move(actor);
  e.text = std::move(text);
  e.cause = std::move(cause);
  return e;
}

scenario::ScenarioResult result() {
  scenario::ScenarioResult r;
  r.name = "faq/2a-dev-build-production-id";
  r.title = "Development build reported with the production certificate ID";
  r.steps_total = r.steps_run = 1;
  r.timeline = {
      entry(0, 1, "step", "", "#1 send"),
      entry(0, 2, "device", "bobs-iphone",
            "bobs-iphone token_reported [com.example.imapp] certificate 1002 token " + kToken),
      entry(0, 3, "apns", "production",
            "production POST /3/device/8c7a1d36… topic com.example.imapp.voip (certificate "
            "\"VoIP Services: com.example.imapp\") -> 400 BadDeviceToken apns-id " +
                kApnsId + ": " + kCause,
            kCause),
      entry(65'250, 1, "pipeline", "pipeline", "msg-1: rejected (BadDeviceToken), attempts 1"),
  };
  return r;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

TEST(ScenarioTextTimeline, NumberedAtEachInstantWhoInAColumnTheCauseOnItsOwnLine) {
  std::ostringstream out;
  scenario::print_scenario(out, result(), {});
  const auto lines = lines_of(out.str());
  ASSERT_GE(lines.size(), 8u) << out.str();
  EXPECT_EQ(lines[1], "  +0:00.000 #1  step             #1 send");
  EXPECT_EQ(lines[2],
            "  +0:00.000 #2  bobs-iphone      token_reported [com.example.imapp] certificate 1002 "
            "token 8c7a1d36…");
  EXPECT_EQ(lines[3], "  +0:00.000 #3  apns production  POST /3/device/8c7a1d36… topic "
                      "com.example.imapp.voip (certificate \"VoIP Services:");
  EXPECT_EQ(lines[4], "                                 com.example.imapp\") -> 400 BadDeviceToken "
                      "apns-id b9035617…");
  EXPECT_EQ(lines[5], "                                   cause: token was issued in the sandbox, "
                      "request came to the production");
  EXPECT_EQ(lines[7],
            "  +1:05.250 #1  pipeline         msg-1: rejected (BadDeviceToken), attempts 1");
  for (const auto& line : lines)
    EXPECT_LE(scenario::glyphs(line), 120u) << line;
  EXPECT_EQ(out.str().find(kToken), std::string::npos);
  EXPECT_EQ(out.str().find(kApnsId), std::string::npos);
}

TEST(ScenarioTextTimeline, TheJsonReportKeepsTheWholeValuesAndTheOrder) {
  const auto report =
      nlohmann::json::parse(scenario::to_json_report({1, std::nullopt, {result()}}));
  const auto& timeline = report["scenarios"][0]["timeline"];
  EXPECT_NE(timeline[1]["text"].get<std::string>().find(kToken), std::string::npos);
  EXPECT_EQ(timeline[2]["seq"], 3);
  EXPECT_EQ(timeline[2]["actor"], "production");
  EXPECT_EQ(timeline[2]["cause"], kCause);
  EXPECT_EQ(timeline[3]["seq"], 1);
}

TEST(ScenarioTextTimeline, InstantsAreShortWithinTheFirstHour) {
  EXPECT_EQ(scenario::format_instant(0), "+0:00.000");
  EXPECT_EQ(scenario::format_instant(65'250), "+1:05.250");
  EXPECT_EQ(scenario::format_instant(3'660'000), "+1:01:00.000");
}

TEST(ScenarioTextWrap, BreaksAtSpacesAndInsideWordsLongerThanALine) {
  EXPECT_EQ(scenario::wrap("one two three", 7), (std::vector<std::string>{"one two", "three"}));
  EXPECT_EQ(scenario::wrap("abcdefghij", 4), (std::vector<std::string>{"abcd", "efgh", "ij"}));
  EXPECT_EQ(scenario::wrap("", 4), (std::vector<std::string>{""}));
  // Glyphs, not bytes: "…" is one.
  EXPECT_EQ(scenario::wrap("8c7a1d36… x", 9), (std::vector<std::string>{"8c7a1d36…", "x"}));
  EXPECT_EQ(scenario::cut("8c7a1d369e78", 9), "8c7a1d36…");
  EXPECT_EQ(scenario::cut("short", 9), "short");
}

} // namespace
