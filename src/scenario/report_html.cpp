#include "scenario/report_html.hpp"

#include "core/encoding.hpp"
#include "scenario/markup.hpp"
#include "scenario/report.hpp"
#include "scenario/sequence.hpp"
#include "scenario/sequence_svg.hpp"

#include <cstdio>
#include <sstream>

namespace scenario {

namespace {

// Nothing may be fetched: the report is a file people open from disk, attach and print.
constexpr const char* kPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

constexpr const char* kStyle = R"(
body { font: 14px/1.45 system-ui, sans-serif; color: #1f2328; margin: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 4px; }
.totals { color: #57606a; margin: 0 0 12px; }
table.summary { border-collapse: collapse; margin: 12px 0 28px; }
table.summary th, table.summary td { border-bottom: 1px solid #d0d7de; padding: 4px 10px;
  text-align: left; vertical-align: top; }
table.summary td.number { text-align: right; white-space: nowrap; }
.outcome { font-weight: 700; white-space: nowrap; }
.passed .outcome { color: #1a7f37; } .failed .outcome, .error .outcome { color: #cf222e; }
.skipped .outcome { color: #0969da; }
section.scenario { border-top: 2px solid #d0d7de; padding-top: 14px; margin-top: 26px; }
section.scenario p { margin: 2px 0; }
.meta { color: #57606a; }
.problem-box { border: 2px solid #cf222e; background: #ffebe9; color: #82071e; padding: 8px 12px;
  margin: 10px 0; border-radius: 4px; white-space: pre-wrap; font-family: ui-monospace, monospace;
  font-size: 13px; }
.diagram { overflow-x: auto; margin: 10px 0; }
pre.timeline { font-size: 12px; overflow-x: auto; }
label.only-failed { user-select: none; }
body.only-failed .scenario.passed, body.only-failed tr.passed,
body.only-failed .scenario.skipped, body.only-failed tr.skipped { display: none; }
svg.sequence { font: 12px sans-serif; display: block; }
svg.sequence .band-even { fill: #f6f8fa; } svg.sequence .band-odd { fill: #ffffff; }
svg.sequence .band-label { font-weight: 600; fill: #424a53; }
svg.sequence .band.failed .band-label { fill: #cf222e; }
svg.sequence .lifeline { stroke: #8c959f; stroke-dasharray: 4 4; }
svg.sequence .lane-head rect { fill: #ddf4ff; stroke: #54aeff; }
svg.sequence .lane-title { font-weight: 700; text-anchor: middle; }
svg.sequence .lane-subtitle { font-size: 10px; fill: #57606a; text-anchor: middle; }
svg.sequence .time { font-size: 11px; fill: #57606a; font-variant-numeric: tabular-nums; }
svg.sequence line, svg.sequence .loop { stroke: #24292f; stroke-width: 1.3; fill: none; }
svg.sequence .arrowhead { fill: #24292f; }
svg.sequence .reply line { stroke-dasharray: 5 3; }
svg.sequence .problem line, svg.sequence .problem .loop { stroke: #bc4c00; stroke-width: 2; }
svg.sequence .problem .arrowhead { fill: #bc4c00; }
svg.sequence .problem text { fill: #953800; }
svg.sequence .reply.problem text { font-weight: 700; }
svg.sequence .arrow-label { text-anchor: middle; }
svg.sequence text { paint-order: stroke; stroke: #ffffff; stroke-width: 3px; stroke-linejoin: round; }
svg.sequence .lane-head text, svg.sequence .note text, svg.sequence .failure text { stroke: none; }
svg.sequence .self-label.end { text-anchor: end; }
svg.sequence .note rect { fill: #fff8c5; stroke: #d4a72c; }
svg.sequence .note.problem rect { fill: #fff1e5; stroke: #bc4c00; }
svg.sequence .failure rect { fill: #ffebe9; stroke: #cf222e; stroke-width: 2; }
svg.sequence .failure text { fill: #82071e; }
svg.sequence .failure .failure-title { font-weight: 700; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  body { margin: 0; } label.only-failed { display: none; }
  section.scenario { break-before: page; border-top: none; }
  .diagram { overflow: visible; } svg.sequence { max-width: 100%; height: auto; }
}
)";

// Builds no markup from data: it only toggles a class.
constexpr const char* kScript = R"(
document.getElementById("only-failed").addEventListener("change", (event) => {
  document.body.classList.toggle("only-failed", event.target.checked);
});
)";

std::string seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f s", s);
  return text;
}

std::string virtual_time(const ScenarioResult& r) {
  return format_instant(r.timeline.empty() ? 0 : r.timeline.back().t_ms);
}

void summary(std::ostream& out, const std::vector<ScenarioResult>& results) {
  out << "<table class=\"summary\"><thead><tr><th>outcome</th><th>scenario</th>"
         "<th>what it demonstrates</th><th>steps</th><th>virtual time</th><th>took</th></tr>"
         "</thead><tbody>";
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    const std::string outcome(to_string(r.outcome));
    out << "<tr class=\"" << outcome << "\"><td class=\"outcome\">" << core::to_upper_ascii(outcome)
        << "</td><td><a href=\"#s" << i + 1 << "\">" << markup_escape(r.name) << "</a></td><td>"
        << markup_escape(r.demonstrates.empty() ? r.title : r.demonstrates)
        << "</td><td class=\"number\">" << r.steps_run << "/" << r.steps_total
        << "</td><td class=\"number\">" << markup_escape(virtual_time(r))
        << "</td><td class=\"number\">" << seconds(r.wall_seconds) << "</td></tr>";
  }
  out << "</tbody></table>";
}

void scenario_section(std::ostream& out, const ScenarioResult& r, std::size_t index) {
  const std::string outcome(to_string(r.outcome));
  out << "<section class=\"scenario " << outcome << "\" id=\"s" << index << "\"><h2><span "
      << "class=\"outcome\">" << core::to_upper_ascii(outcome) << "</span> "
      << markup_escape(r.name) << "</h2>";
  if (!r.title.empty()) out << "<p class=\"title\">" << markup_escape(r.title) << "</p>";
  if (!r.demonstrates.empty())
    out << "<p class=\"demonstrates\">" << markup_escape(r.demonstrates) << "</p>";
  out << "<p class=\"meta\">";
  if (!r.spec.empty()) out << "spec: " << markup_escape(r.spec) << " &middot; ";
  out << "file: " << markup_escape(r.file) << " &middot; " << r.steps_run << "/" << r.steps_total
      << " steps &middot; virtual time " << markup_escape(virtual_time(r)) << "</p>";
  for (const auto& w : r.warnings)
    out << "<p class=\"meta\">warning: " << markup_escape(w) << "</p>";
  if (r.outcome == Outcome::Skipped)
    out << "<p class=\"meta\">not run live: " << markup_escape(r.skip_reason) << "</p>";
  if (r.outcome == Outcome::Error)
    out << "<div class=\"problem-box\">ERROR " << markup_escape(r.error) << "</div>";
  // The timeline around a failure is the diagram's last band: only the mismatch here.
  for (const auto& f : r.failures)
    out << "<div class=\"problem-box failure-text\">"
        << markup_escape(failure_heading(f) + ", " + f.mismatch.where.text() + "\n  expectation: " +
                         f.mismatch.expectation + "\n  expected:    " + f.mismatch.expected +
                         "\n  observed:    " + f.mismatch.observed)
        << "</div>";
  if (!r.timeline.empty() || !r.failures.empty() || r.outcome == Outcome::Error)
    out << "<div class=\"diagram\">" << to_svg(sequence_of(r)) << "</div>";
  std::ostringstream timeline;
  print_scenario(timeline, r, {});
  out << "<details><summary>The timeline as text</summary><pre class=\"timeline\">"
      << markup_escape(timeline.str()) << "</pre></details></section>";
}

} // namespace

std::string to_html_report(const std::vector<ScenarioResult>& results, std::uint64_t seed) {
  const auto n = count_outcomes(results);
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"" << kPolicy << "\">"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      << "<title>voipsim scenario report</title><style>" << kStyle << "</style></head><body>"
      << "<h1>voipsim scenario report</h1><p class=\"totals\">" << n.passed << " of "
      << results.size() << " scenarios passed"
      << (n.skipped ? ", " + std::to_string(n.skipped) + " skipped" : "") << " &middot; seed "
      << seed << "</p>"
      << "<label class=\"only-failed\"><input type=\"checkbox\" id=\"only-failed\"> only the "
         "scenarios that did not pass</label>";
  summary(out, results);
  for (std::size_t i = 0; i < results.size(); ++i)
    scenario_section(out, results[i], i + 1);
  out << "<script>" << kScript << "</script></body></html>\n";
  return out.str();
}

} // namespace scenario
