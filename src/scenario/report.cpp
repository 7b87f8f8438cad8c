#include "scenario/report.hpp"

#include "scenario/markup.hpp"

#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

namespace scenario {

namespace {

using nlohmann::json;

const char* paint(const TextStyle& s, const char* code) {
  return s.colour ? code : "";
}
constexpr const char* kReset = "\x1b[0m";
constexpr const char* kRed = "\x1b[31m";
constexpr const char* kGreen = "\x1b[32m";
constexpr const char* kYellow = "\x1b[33m";
constexpr const char* kBlue = "\x1b[34m";
constexpr const char* kDim = "\x1b[2m";
constexpr const char* kBold = "\x1b[1m";

const char* colour_of(const std::string& source) {
  if (source == "step") return kBold;
  if (source == "apns") return "\x1b[36m";     // cyan
  if (source == "device") return "\x1b[35m";   // magenta
  if (source == "pipeline") return "\x1b[34m"; // blue
  return kYellow;                              // console, provider
}

const char* outcome_colour(Outcome o) {
  return o == Outcome::Passed    ? kGreen
         : o == Outcome::Failed  ? kRed
         : o == Outcome::Skipped ? kBlue
                                 : kYellow;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

void print_entry(std::ostream& out, const TimelineEntry& e, const TextStyle& style,
                 const char* indent) {
  char source[16];
  std::snprintf(source, sizeof source, "%-8s", e.source.c_str());
  out << indent << paint(style, kDim) << format_offset(e.t_ms) << paint(style, kReset) << "  "
      << paint(style, colour_of(e.source)) << source << paint(style, kReset) << " " << e.text
      << "\n";
}

std::string failure_line(const Failure& f) {
  return "step " + std::to_string(f.step) + " (" + f.step_text + "): " + f.mismatch.expectation +
         ": expected " + f.mismatch.expected + ", observed " + f.mismatch.observed;
}

std::string timeline_text(const std::vector<TimelineEntry>& timeline) {
  std::ostringstream out;
  for (const auto& e : timeline)
    print_entry(out, e, {}, "");
  return out.str();
}

} // namespace

std::string format_offset(std::int64_t t_ms) {
  const bool negative = t_ms < 0;
  const std::int64_t ms = negative ? -t_ms : t_ms;
  char text[40];
  std::snprintf(text, sizeof text, "%s+%lld:%02lld:%02lld.%03lld", negative ? "-" : "",
                static_cast<long long>(ms / 3'600'000), static_cast<long long>(ms / 60'000 % 60),
                static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
  return text;
}

void print_failure(std::ostream& out, const Failure& f, const TextStyle& style) {
  out << paint(style, kRed) << "  FAILED" << paint(style, kReset) << " at step " << f.step << " ("
      << f.step_text << "), " << f.mismatch.where.text() << "\n"
      << "    expectation: " << f.mismatch.expectation << "\n"
      << "    expected:    " << f.mismatch.expected << "\n"
      << "    observed:    " << f.mismatch.observed << "\n";
  if (f.context.empty()) return;
  out << "    around it:\n";
  for (const auto& e : f.context)
    print_entry(out, e, style, "      ");
}

void print_scenario(std::ostream& out, const ScenarioResult& r, const TextStyle& style) {
  out << paint(style, kBold) << r.name << paint(style, kReset);
  if (!r.title.empty()) out << " - " << r.title;
  out << "\n";
  if (!r.spec.empty()) out << "  spec: " << r.spec << "\n";
  for (const auto& e : r.timeline)
    print_entry(out, e, style, "  ");
  if (r.outcome == Outcome::Error) {
    out << paint(style, kYellow) << "  ERROR" << paint(style, kReset) << " " << r.error << "\n";
  }
  if (r.outcome == Outcome::Skipped) out << "  not run live: " << r.skip_reason << "\n";
  for (const auto& f : r.failures)
    print_failure(out, f, style);
  out << "  " << paint(style, outcome_colour(r.outcome)) << upper(to_string(r.outcome))
      << paint(style, kReset) << " (" << r.steps_run << "/" << r.steps_total << " steps)\n\n";
}

void print_table(std::ostream& out, const std::vector<ScenarioResult>& results,
                 const TextStyle& style) {
  std::size_t width = 8;
  for (const auto& r : results)
    width = std::max(width, r.name.size());
  std::size_t passed = 0, skipped = 0;
  for (const auto& r : results) {
    passed += r.outcome == Outcome::Passed;
    skipped += r.outcome == Outcome::Skipped;
    const std::string word = upper(to_string(r.outcome));
    out << "  " << paint(style, outcome_colour(r.outcome)) << word << paint(style, kReset)
        << std::string(8 - word.size(), ' ') << r.name
        << std::string(width - r.name.size() + 2, ' ')
        << (r.demonstrates.empty() ? r.title : r.demonstrates) << "\n";
    if (r.outcome == Outcome::Error) out << "         " << r.error << "\n";
    if (r.outcome == Outcome::Skipped) out << "         not run live: " << r.skip_reason << "\n";
    for (const auto& f : r.failures)
      out << "         " << failure_line(f) << "\n";
  }
  out << "\n  " << passed << " of " << results.size() << " scenarios passed";
  if (skipped > 0) out << ", " << skipped << " skipped";
  out << "\n";
}

std::string to_junit_xml(const std::vector<ScenarioResult>& results) {
  std::size_t failures = 0, errors = 0, skipped = 0;
  double total = 0;
  for (const auto& r : results) {
    failures += r.outcome == Outcome::Failed;
    errors += r.outcome == Outcome::Error;
    skipped += r.outcome == Outcome::Skipped;
    total += r.wall_seconds;
  }
  auto seconds = [](double s) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", s);
    return std::string(text);
  };
  std::ostringstream out;
  out << R"(<?xml version="1.0" encoding="UTF-8"?>)"
      << "\n"
      << R"(<testsuites name="voipsim" tests=")" << results.size() << R"(" failures=")" << failures
      << R"(" errors=")" << errors << R"(" time=")" << seconds(total) << "\">\n"
      << R"(  <testsuite name="voipsim.scenarios" tests=")" << results.size() << R"(" failures=")"
      << failures << R"(" errors=")" << errors << R"(" skipped=")" << skipped << R"(" time=")"
      << seconds(total) << "\">\n";
  for (const auto& r : results) {
    // classname groups by folder: "faq/2a-..." -> "scenarios.faq".
    const auto slash = r.name.rfind('/');
    std::string group = slash == std::string::npos ? "" : r.name.substr(0, slash);
    for (auto& c : group)
      if (c == '/') c = '.';
    const std::string classname = group.empty() ? "scenarios" : "scenarios." + group;
    out << R"(    <testcase name=")" << markup_escape(r.name) << R"(" classname=")"
        << markup_escape(classname) << R"(" time=")" << seconds(r.wall_seconds) << "\">\n";
    if (r.outcome == Outcome::Skipped)
      out << R"(      <skipped message=")" << markup_escape("not run live: " + r.skip_reason)
          << "\"/>\n";
    if (r.outcome == Outcome::Error) {
      out << R"(      <error message=")" << markup_escape(r.error) << R"(" type="error">)"
          << markup_escape(r.error) << "</error>\n";
    }
    if (!r.failures.empty()) {
      std::string body;
      for (const auto& f : r.failures)
        body += failure_line(f) + " (" + f.mismatch.where.text() + ")\n";
      out << R"(      <failure message=")" << markup_escape(failure_line(r.failures.front()))
          << R"(" type="expectation">)" << markup_escape(body) << "</failure>\n";
    }
    out << "      <system-out>" << markup_escape(timeline_text(r.timeline)) << "</system-out>\n";
    if (!r.warnings.empty()) { // the loader's, where a CI's report shows a test's stderr
      std::string warnings;
      for (const auto& w : r.warnings)
        warnings += "warning: " + w + "\n";
      out << "      <system-err>" << markup_escape(warnings) << "</system-err>\n";
    }
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
  return out.str();
}

} // namespace scenario
