#include "scenario/report.hpp"

#include "core/encoding.hpp"
#include "scenario/markup.hpp"
#include "scenario/text_wrap.hpp"
#include "scenario/timeline_entries.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace scenario {

namespace {

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

// A line's width in a terminal and a CI log; the text wraps under its own column.
constexpr std::size_t kLineWidth = 120;
constexpr std::size_t kWhoWidth = 16; // a longer device id is cut in its column

// Who did it, the timeline's second column: the device, "apns sandbox", or the part.
std::string who_of(const TimelineEntry& e) {
  if (e.source == "device" && !e.actor.empty()) return e.actor;
  if (e.source == "apns" && !e.actor.empty()) return "apns " + e.actor;
  return e.source;
}

// The text without what has a place of its own - the device's id before it (a column), the
// cause after it (a line) - and with long ids shortened (the JSON report has them whole).
std::string body_of(const TimelineEntry& e) {
  std::string_view text = e.text;
  if ((e.source == "device" || e.source == "apns") && !e.actor.empty() &&
      text.starts_with(e.actor + " "))
    text.remove_prefix(e.actor.size() + 1);
  if (!e.cause.empty() && text.ends_with(": " + e.cause)) text.remove_suffix(e.cause.size() + 2);
  return shorten_ids(text);
}

// What is left of a line after column `at`, and never less than 40 columns.
constexpr std::size_t room_after(std::size_t at) {
  return at + 40 < kLineWidth ? kLineWidth - at : 40;
}

// `text` wrapped within kLineWidth, from column `at` (the caller wrote what is before it); the
// lines after the first start there too.
void print_wrapped(std::ostream& out, std::string_view text, std::size_t at) {
  const std::size_t room = room_after(at);
  const auto lines = wrap(text, room);
  for (std::size_t i = 0; i < lines.size(); ++i)
    out << (i == 0 ? "" : std::string(at, ' ')) << lines[i] << "\n";
}

std::string head_of(const TimelineEntry& e) {
  return format_instant(e.t_ms) + (e.seq ? " #" + std::to_string(e.seq) : "");
}

// The entries as a table: time and place at that instant, who, what; the cause indented
// under it.
void print_entries(std::ostream& out, const std::vector<TimelineEntry>& entries,
                   const TextStyle& style, std::string_view indent) {
  std::size_t head = 0, who = 0;
  for (const auto& e : entries) {
    head = std::max(head, glyphs(head_of(e)));
    who = std::max(who, std::min(kWhoWidth, glyphs(who_of(e))));
  }
  const std::size_t column = indent.size() + head + 2 + who + 2;
  const std::size_t room = room_after(column);
  const std::string under(column, ' ');
  for (const auto& e : entries) {
    const std::string h = head_of(e), w = cut(who_of(e), who);
    const auto lines = wrap(body_of(e), room);
    out << indent << paint(style, kDim) << h << paint(style, kReset)
        << std::string(head - glyphs(h) + 2, ' ') << paint(style, colour_of(e.source)) << w
        << paint(style, kReset) << std::string(who - glyphs(w) + 2, ' ') << lines.front() << "\n";
    for (std::size_t i = 1; i < lines.size(); ++i)
      out << under << lines[i] << "\n";
    if (e.cause.empty()) continue;
    for (const auto& line : wrap("cause: " + e.cause, room - 2))
      out << under << "  " << paint(style, kDim) << line << paint(style, kReset) << "\n";
  }
}

std::string failure_line(const Failure& f) {
  return "step " + std::to_string(f.step) + " (" + f.step_text + "): " + f.mismatch.expectation +
         ": expected " + f.mismatch.expected + ", observed " + f.mismatch.observed;
}

std::string timeline_text(const std::vector<TimelineEntry>& timeline) {
  std::ostringstream out;
  print_entries(out, timeline, {}, "");
  return out.str();
}

} // namespace

std::string failure_heading(const Failure& f) {
  return "FAILED at step " + std::to_string(f.step) + " (" + f.step_text + ")";
}

std::string format_instant(std::int64_t t_ms) {
  const bool negative = t_ms < 0;
  const std::int64_t ms = negative ? -t_ms : t_ms;
  char text[40];
  if (ms < 3'600'000)
    std::snprintf(text, sizeof text, "%s+%lld:%02lld.%03lld", negative ? "-" : "",
                  static_cast<long long>(ms / 60'000), static_cast<long long>(ms / 1000 % 60),
                  static_cast<long long>(ms % 1000));
  else
    return format_offset(t_ms);
  return text;
}

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
      << f.step_text << "), " << f.mismatch.where.text() << "\n";
  out << "    expectation: ";
  print_wrapped(out, f.mismatch.expectation, 17);
  out << "    expected:    ";
  print_wrapped(out, f.mismatch.expected, 17);
  out << "    observed:    ";
  print_wrapped(out, f.mismatch.observed, 17);
  if (f.context.empty()) return;
  out << "    around it:\n";
  print_entries(out, f.context, style, "      ");
}

void print_scenario(std::ostream& out, const ScenarioResult& r, const TextStyle& style) {
  out << paint(style, kBold) << r.name << paint(style, kReset);
  if (r.title.empty())
    out << "\n";
  else
    print_wrapped(out << " - ", r.title, glyphs(r.name) + 3);
  if (!r.spec.empty()) out << "  spec: " << r.spec << "\n";
  print_entries(out, r.timeline, style, "  ");
  if (r.outcome == Outcome::Error) {
    out << paint(style, kYellow) << "  ERROR" << paint(style, kReset) << " " << r.error << "\n";
  }
  if (r.outcome == Outcome::Skipped) out << "  not run live: " << r.skip_reason << "\n";
  for (const auto& f : r.failures)
    print_failure(out, f, style);
  out << "  " << paint(style, outcome_colour(r.outcome))
      << core::to_upper_ascii(to_string(r.outcome)) << paint(style, kReset) << " (" << r.steps_run
      << "/" << r.steps_total << " steps)\n\n";
}

void print_table(std::ostream& out, const std::vector<ScenarioResult>& results,
                 const TextStyle& style) {
  std::size_t width = 8;
  for (const auto& r : results)
    width = std::max(width, r.name.size());
  for (const auto& r : results) {
    const std::string word = core::to_upper_ascii(to_string(r.outcome));
    out << "  " << paint(style, outcome_colour(r.outcome)) << word << paint(style, kReset)
        << std::string(8 - word.size(), ' ') << r.name
        << std::string(width - r.name.size() + 2, ' ');
    print_wrapped(out, r.demonstrates.empty() ? r.title : r.demonstrates, 2 + 8 + width + 2);
    const std::string under(9, ' ');
    if (r.outcome == Outcome::Error) print_wrapped(out << under, r.error, 9);
    if (r.outcome == Outcome::Skipped)
      print_wrapped(out << under, "not run live: " + r.skip_reason, 9);
    for (const auto& f : r.failures)
      print_wrapped(out << under, failure_line(f), 9);
  }
  const auto n = count_outcomes(results);
  out << "\n  " << n.passed << " of " << results.size() << " scenarios passed";
  if (n.skipped > 0) out << ", " << n.skipped << " skipped";
  out << "\n";
}

std::string to_junit_xml(const std::vector<ScenarioResult>& results) {
  const auto n = count_outcomes(results);
  double total = 0;
  for (const auto& r : results)
    total += r.wall_seconds;
  auto seconds = [](double s) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", s);
    return std::string(text);
  };
  std::ostringstream out;
  out << R"(<?xml version="1.0" encoding="UTF-8"?>)"
      << "\n"
      << R"(<testsuites name="voipsim" tests=")" << results.size() << R"(" failures=")" << n.failed
      << R"(" errors=")" << n.errors << R"(" time=")" << seconds(total) << "\">\n"
      << R"(  <testsuite name="voipsim.scenarios" tests=")" << results.size() << R"(" failures=")"
      << n.failed << R"(" errors=")" << n.errors << R"(" skipped=")" << n.skipped << R"(" time=")"
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
