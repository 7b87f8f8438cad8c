// `voipsim report merge`: shards' JSON reports joined into the whole suite's.

#include "cli/report.hpp"

#include "cli/commands.hpp"
#include "core/file.hpp"
#include "scenario/report.hpp"
#include "scenario/report_html.hpp"
#include "scenario/report_json.hpp"

#include <iostream>

namespace cli {

const char* const kReportHelp =
    R"(Usage: voipsim report merge REPORT.json... [--json OUT.json] [--junit OUT.xml]
                            [--html OUT.html]

Joins the JSON reports of one suite's shards (each written by 'voipsim run --shard I/N
--json FILE' with the same --seed) into the report of the whole suite, in the suite's order,
as one serial run would have written it (only each scenario's wall_seconds differs). Prints
the pass/fail table of the whole suite.

Options:
  --json FILE    write the merged JSON report
  --junit FILE   write the merged JUnit XML
  --html FILE    write the merged HTML report (a sequence diagram per scenario, as
                 'voipsim run --html' writes it)
  -h, --help     show this help

Examples:
  voipsim run scenarios/ --shard 1/3 --json shard-1.json     # on three CI jobs, 1/3, 2/3, 3/3
  voipsim report merge shard-*.json --json report.json --junit junit.xml --html report.html

Exit status: 0 every scenario passed (or was skipped), 1 one failed or could not run, or a
report could not be read or written, 2 bad usage or reports that do not belong together
(different seeds, a scenario in two of them).
)";

namespace report_command {

core::Result<Args> args_of(const std::vector<std::string>& words) {
  return Args::parse(words, {"json", "junit", "html"}, {});
}

core::Result<Options> options_of(const Args& args) {
  const auto& words = args.positional();
  if (words.empty() || words.front() != "merge")
    return core::fail(core::Errc::InvalidArgument,
                      "say what to do: 'voipsim report merge REPORT.json...'");
  if (words.size() < 2)
    return core::fail(core::Errc::InvalidArgument,
                      "name the shards' JSON reports to merge, e.g. 'voipsim report merge "
                      "shard-1.json shard-2.json'");
  Options o;
  o.reports.assign(words.begin() + 1, words.end());
  o.json_file = args.find("json");
  o.junit_file = args.find("junit");
  o.html_file = args.find("html");
  return o;
}

int run(const Options& o) {
  std::vector<scenario::RunReport> reports;
  for (const auto& path : o.reports) {
    const auto text = core::read_file(path);
    if (!text) return fail("report", "cannot read " + path + ": " + text.error().detail, 1);
    auto report = scenario::run_report_from_json(*text);
    if (!report)
      return fail("report", path + " is not a voipsim run report: " + report.error().detail, 1);
    reports.push_back(std::move(*report));
  }
  auto merged = scenario::merge_run_reports(std::move(reports));
  if (!merged) return refuse("report", merged.error().detail);
  scenario::print_table(std::cout, merged->results, {});
  if (o.json_file && !write_text(*o.json_file, scenario::to_json_report(*merged)))
    return kExitFailed;
  if (o.junit_file && !write_text(*o.junit_file, scenario::to_junit_xml(merged->results)))
    return kExitFailed;
  if (o.html_file &&
      !write_text(*o.html_file, scenario::to_html_report(merged->results, merged->seed)))
    return kExitFailed;
  return scenario::count_outcomes(merged->results).all_passed() ? kExitOk : kExitFailed;
}

} // namespace report_command

int report(const std::vector<std::string>& words) {
  return run_words("report", words, report_command::args_of, report_command::options_of,
                   report_command::run);
}

} // namespace cli
