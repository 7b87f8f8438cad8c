// The sequence diagram of a scenario's run: the events made from the timeline's fields, drawn
// as SVG and as Mermaid, and the HTML report around them - with hostile text shown as text.
#include "scenario/report_html.hpp"
#include "scenario/sequence.hpp"
#include "scenario/sequence_mermaid.hpp"
#include "scenario/sequence_svg.hpp"
#include "scenario/timeline_entries.hpp" // self_entry

#include <gtest/gtest.h>

namespace {

using scenario::Arrow;
using scenario::SequenceKind;
using scenario::TimelineEntry;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

TimelineEntry step(std::int64_t t, std::string text) {
  TimelineEntry e;
  e.t_ms = t;
  e.source = "step";
  e.text = std::move(text);
  return e;
}

TimelineEntry arrow(std::int64_t t, std::string from, std::string to, std::string label,
                    std::string reply = {}, std::string cause = {}, bool problem = false) {
  TimelineEntry e;
  e.t_ms = t;
  e.source = "apns";
  e.text = label + " (the whole line)";
  e.cause = std::move(cause);
  e.arrow = Arrow{std::move(from), std::move(to), std::move(label), std::move(reply), problem};
  return e;
}

// FAQ 2a in short: a setVOIP, then the pipeline's push refused by production.
scenario::ScenarioResult faq_2a() {
  scenario::ScenarioResult r;
  r.name = "faq/2a-dev-build-production-id";
  r.title = "Development build reported with the production certificate ID";
  r.file = "scenarios/faq/2a-dev-build-production-id.yaml";
  r.steps_total = r.steps_run = 2;
  r.timeline = {
      scenario::self_entry("console", "console", scenario::kPipelineLane, "upload accepted"),
      step(0, "#1 login"),
      arrow(0, "device:bobs-iphone", "pipeline", "setVOIP certificate 1002 token 8c7a1d36…"),
      step(5000, "#2 send"),
      arrow(5000, "pipeline", "apns:production", "POST /3/device/8c7a1d36…", "400 BadDeviceToken",
            "token was issued in the sandbox", true),
  };
  // A provider's answered request is drawn from the journal's entry, not from its own line.
  TimelineEntry said;
  said.source = said.actor = "provider";
  said.text = "push (token auth) to production 8c7a1d36… -> 400 BadDeviceToken";
  r.timeline.push_back(said);
  return r;
}

scenario::ScenarioResult failed(scenario::ScenarioResult r) {
  r.outcome = scenario::Outcome::Failed;
  scenario::Failure f;
  f.step = 2;
  f.step_text = "send";
  f.mismatch = {"expect.apns.reason",
                "BadTopic",
                "1 request: production 400 BadDeviceToken",
                {"broken.yaml", 23}};
  r.failures.push_back(f);
  return r;
}

TEST(ScenarioSequence, LanesAreTheDevicesThenTheBackendAndBothApnsEnvironments) {
  const auto d = scenario::sequence_of(faq_2a());
  ASSERT_EQ(d.lanes.size(), 4u);
  EXPECT_EQ(d.lanes[0].key, "device:bobs-iphone");
  EXPECT_EQ(d.lanes[0].title, "bobs-iphone");
  EXPECT_EQ(d.lanes[1].title, "IM backend");
  EXPECT_EQ(d.lanes[2].title, "APNs sandbox");
  EXPECT_EQ(d.lanes[3].title, "APNs production");
}

TEST(ScenarioSequence, ARequestIsAnArrowItsAnswerComesBackAndItsCauseIsANote) {
  const auto d = scenario::sequence_of(faq_2a());
  std::vector<SequenceKind> kinds;
  for (const auto& e : d.events)
    kinds.push_back(e.kind);
  // set-up band, the upload, #1, setVOIP, #2, the request, its answer, the cause; the
  // provider's line without an arrow is not drawn.
  EXPECT_EQ(kinds, (std::vector{SequenceKind::Band, SequenceKind::Self, SequenceKind::Band,
                                SequenceKind::Message, SequenceKind::Band, SequenceKind::Message,
                                SequenceKind::Reply, SequenceKind::Note}));
  const auto& request = d.events[5];
  EXPECT_EQ(request.from, 1u);
  EXPECT_EQ(request.to, 3u);
  EXPECT_FALSE(request.problem); // the request was sent; its answer is the problem
  const auto& answer = d.events[6];
  EXPECT_EQ(answer.from, 3u);
  EXPECT_EQ(answer.to, 1u);
  EXPECT_EQ(answer.label, "400 BadDeviceToken");
  EXPECT_TRUE(answer.problem);
  EXPECT_EQ(d.events[7].label, "token was issued in the sandbox");
  EXPECT_EQ(d.events[2].label, "#1 login");
}

TEST(ScenarioSequence, AFailureClosesTheDiagramWithExpectedObservedAndWhere) {
  const auto d = scenario::sequence_of(failed(faq_2a()));
  const auto& f = d.events.back();
  ASSERT_EQ(f.kind, SequenceKind::Failure);
  EXPECT_EQ(f.lines,
            (std::vector<std::string>{
                "FAILED at step 2 (send)", "expectation: expect.apns.reason", "expected: BadTopic",
                "observed: 1 request: production 400 BadDeviceToken", "at broken.yaml:23"}));
}

TEST(ScenarioSequence, AProviderLaneOnlyWhenAPushStepMadeRequests) {
  auto r = faq_2a();
  r.timeline.push_back(arrow(6000, "provider", "apns:sandbox", "POST /3/device/8c7a1d36…", "200"));
  const auto d = scenario::sequence_of(r);
  ASSERT_EQ(d.lanes.size(), 5u);
  EXPECT_EQ(d.lanes[4].title, "Provider");
}

TEST(ScenarioSequence, ThreeDevicesHaveThreeLanesInTheOrderTheyAct) {
  scenario::ScenarioResult r;
  for (const char* id : {"carols-iphone", "bobs-iphone", "daves-iphone", "bobs-iphone"})
    r.timeline.push_back(arrow(0, scenario::device_lane(id), "pipeline", "presence: foreground"));
  const auto d = scenario::sequence_of(r);
  ASSERT_EQ(d.lanes.size(), 6u);
  EXPECT_EQ(d.lanes[0].title, "carols-iphone");
  EXPECT_EQ(d.lanes[1].title, "bobs-iphone");
  EXPECT_EQ(d.lanes[2].title, "daves-iphone");
}

TEST(ScenarioSequenceSvg, ALaneHeadPerActorTopAndBottomAndAnArrowPerRequest) {
  const auto svg = scenario::to_svg(scenario::sequence_of(faq_2a()));
  EXPECT_TRUE(svg.starts_with("<svg class=\"sequence\""));
  EXPECT_EQ(count(svg, "class=\"lane-head\""), 8u);
  EXPECT_EQ(count(svg, "<line class=\"lifeline\""), 4u);
  EXPECT_EQ(count(svg, "<g class=\"message\""), 2u); // setVOIP and the request
  EXPECT_EQ(count(svg, "<g class=\"reply problem\""), 1u);
  EXPECT_NE(svg.find(">400 BadDeviceToken<"), std::string::npos);
  EXPECT_EQ(count(svg, "<g class=\"note problem\""), 1u);
  EXPECT_EQ(count(svg, "class=\"band\""), 3u);
  EXPECT_NE(svg.find(">+0:05.000<"), std::string::npos); // time on the margin
  EXPECT_EQ(svg.find("class=\"failure\""), std::string::npos);
  EXPECT_EQ(svg.find("http"), std::string::npos); // no xmlns, no external reference
}

TEST(ScenarioSequenceSvg, AFailureIsARedBoxWithExpectedAndObserved) {
  const auto svg = scenario::to_svg(scenario::sequence_of(failed(faq_2a())));
  const auto box = svg.find("<g class=\"failure\">");
  ASSERT_NE(box, std::string::npos);
  EXPECT_NE(svg.find(">expected: BadTopic<", box), std::string::npos);
  EXPECT_NE(svg.find(">at broken.yaml:23<", box), std::string::npos);
  EXPECT_EQ(count(svg, "<g class=\"band failed\">"), 1u); // the failing step's band
  EXPECT_LT(svg.find("<g class=\"band failed\"><rect class=\"band-even\""), box);
}

TEST(ScenarioSequenceSvg, HostileTextIsEscaped) {
  auto r = faq_2a();
  r.timeline.push_back(arrow(9000, "device:<b>x</b>", "pipeline", "<script>alert(1)</script>",
                             "\"><img src=x onerror=alert(2)>", "a & b"));
  const auto svg = scenario::to_svg(scenario::sequence_of(r));
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("<img"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(svg.find("a &amp; b"), std::string::npos);
}

TEST(ScenarioSequenceMermaid, ParticipantsArrowsAnswerAndCause) {
  const auto text = scenario::to_mermaid(scenario::sequence_of(failed(faq_2a())));
  EXPECT_TRUE(text.starts_with("sequenceDiagram\n"));
  EXPECT_NE(text.find("  participant L0 as bobs-iphone\n"), std::string::npos);
  EXPECT_NE(text.find("  participant L3 as APNs production\n"), std::string::npos);
  // The time, where it moved, leads the step's note.
  EXPECT_NE(text.find("  Note over L0,L3: +0:05.000 #35;2 send\n"), std::string::npos);
  EXPECT_NE(text.find("  L1->>L3: POST /3/device/8c7a1d36…\n"), std::string::npos);
  EXPECT_NE(text.find("  L3-->>L1: ⚠ 400 BadDeviceToken\n"), std::string::npos);
  EXPECT_NE(text.find("  Note over L1,L3: token was issued in the sandbox\n"), std::string::npos);
  EXPECT_NE(text.find("  Note over L0,L3: #35;1 login\n"), std::string::npos);
  EXPECT_NE(text.find("  rect rgb(255, 220, 220)\n    Note over L0,L3: FAILED at step 2 (send)"
                      "<br/>expectation: expect.apns.reason<br/>expected: BadTopic"),
            std::string::npos);
}

TEST(ScenarioSequenceMermaid, SyntaxInTextIsWrittenAsEntities) {
  scenario::ScenarioResult r;
  r.timeline.push_back(arrow(0, "pipeline", "pipeline", "a;b #c %%d <e> f\nparticipant X"));
  const auto text = scenario::to_mermaid(scenario::sequence_of(r));
  EXPECT_NE(text.find("  L0->>L0: a#59;b #35;c #37;#37;d #60;e#62; f participant X\n"),
            std::string::npos);
  EXPECT_EQ(count(text, "participant"), 4u); // three lanes and the text
}

TEST(ScenarioHtmlReport, HostileScenarioTextShowsAsText) {
  auto r = failed(faq_2a());
  r.name = "faq/<script>window.__pwned = 1</script>";
  r.title = "<img src=x onerror=\"window.__pwned = 2\">";
  r.demonstrates = "it's <b>bold</b> & \"quoted\"";
  r.spec = "</style><script>window.__pwned = 3</script>";
  r.error = "</pre>";
  r.warnings = {"<iframe>"};
  const auto page = scenario::to_html_report({r}, 7);
  // The page's own script is its only one.
  EXPECT_EQ(count(page, "<script"), 1u);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_EQ(page.find("<b>"), std::string::npos);
  EXPECT_EQ(page.find("<iframe"), std::string::npos);
  EXPECT_EQ(count(page, "</style>"), 1u);
  EXPECT_NE(page.find("faq/&lt;script&gt;window.__pwned = 1&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("it&#39;s &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;"),
            std::string::npos);
}

TEST(ScenarioHtmlReport, OnePageWithASummaryAndADiagramPerScenarioAndNoExternalReference) {
  auto second = faq_2a();
  second.name = "flows/second";
  const auto page = scenario::to_html_report({failed(faq_2a()), second}, 1);
  EXPECT_TRUE(page.starts_with("<!DOCTYPE html>"));
  EXPECT_EQ(count(page, "<svg class=\"sequence\""), 2u);
  EXPECT_EQ(count(page, "<tr class=\""), 2u);
  EXPECT_NE(page.find("<tr class=\"failed\">"), std::string::npos);
  EXPECT_NE(page.find("expected:    BadTopic"), std::string::npos);
  EXPECT_NE(page.find("1 of 2 scenarios passed"), std::string::npos);
  EXPECT_NE(page.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
  for (const char* reference : {"http:", "https:", "src=", "url(", "@import", "//"})
    EXPECT_EQ(page.find(reference), std::string::npos) << reference;
}

} // namespace
