// `voipsim run` and `voipsim demo`: replay scenarios on the virtual clock and report.

#include "cli/run.hpp"

#include "cli/commands.hpp"
#include "core/file.hpp"
#include "scenario/library.hpp"
#include "scenario/loader.hpp"
#include "scenario/report.hpp"
#include "scenario/runner.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include <pthread.h>
#include <unistd.h>

namespace cli {

const char* const kRunHelp =
    R"(Usage: voipsim run FILE|DIR... [--junit OUT.xml] [--json OUT.json] [--seed N]
                   [--filter TEXT] [--quiet] [--live]

Replays scenario files (YAML, or the same structure as JSON; scenarios/README.md is the
reference). Each scenario runs in its own in-process world: a mock APNs on loopback ports with
TLS, the IM pipeline talking HTTP/2 to it, and simulated iPhones, all on one virtual clock, so
an hour of provider-token validity passes in milliseconds and the same seed gives the same
timeline (--live runs the same files against standalone processes instead). A folder is
searched recursively for *.yaml, *.yml and *.json.

Options:
  --junit FILE   write JUnit XML (one testcase per scenario, the timeline in system-out)
  --json FILE    write the JSON report (outcomes, failures, full timelines)
  --seed N       seed for tokens, ids and retry jitter (default 1)
  --filter TEXT  run only the scenarios whose name contains TEXT
  --quiet        print failures and the summary only, not every timeline
  --live         run against standalone processes in real time: 'voipsim mock-apns' and
                 'voipsim pipeline' are started for each scenario and driven through their
                 HTTP APIs, the iPhones follow the mock as 'voipsim device' does; 'advance'
                 waits in real time (at most 30 s a step): a scenario whose file says
                 live_skip: WHY is reported skipped, not run; an undeclared longer step
                 fails. Timelines then differ run to run. The parts are the run's own,
                 on loopback, without secrets: VOIPSIM_ADMIN_SECRET and VOIPSIM_API_SECRET
                 are not passed to them.
  -h, --help     show this help

Output: a progress line per scenario on stderr; each scenario's timeline (coloured on a
terminal, plain when piped) and a pass/fail table on stdout. A failure names the step, the
expectation and its place in the file, what was expected, what was observed, and the
timeline of that step.

Examples:
  voipsim run scenarios/faq/                        # the FAQ library
  voipsim run my-scenarios/ --filter token --seed 7
  voipsim run scenarios/ my-scenarios/ --quiet --junit report.xml --json report.json   # CI
  voipsim run my-scenarios/happy-path.yaml --live   # against real processes

Exit status: 0 every scenario passed (or, live, was skipped), 1 one failed or could not run,
2 bad usage or a scenario file that does not load (the error names the file, line and allowed
values).
)";

const char* const kDemoHelp =
    R"(Usage: voipsim demo [--out DIR] [--seed N] [--verbose]

Replays the whole scenario library built into voipsim (scenarios/faq: one scenario per FAQ
failure case of the IM VoIP flow; scenarios/flows: happy path, token rotation, uninstall,
provider tokens over an hour, retries, Do Not Disturb) and prints one line per scenario with
what it demonstrates. Everything runs in process on loopback, on a virtual clock.

Options:
  --out DIR    where to write the reports (default: a new folder under $TMPDIR, named at
               the end): report.json, junit.xml, timeline.txt (every scenario's timeline)
  --seed N     seed for tokens, ids and retry jitter (default 1)
  --verbose    also print every scenario's timeline
  -h, --help   show this help

Examples:
  voipsim demo
  voipsim demo --verbose --out demo-report   # every timeline; the reports in demo-report/

Exit status: 0 every scenario passed, 1 one failed or could not run, 2 bad usage.
)";

namespace {

using scenario::Outcome;
using scenario::ScenarioResult;

bool is_terminal(int fd) {
  return ::isatty(fd) == 1 && std::getenv("NO_COLOR") == nullptr;
}

// Ctrl-C or SIGTERM in the middle of a run: the run's folder (the PKI, live databases) is
// removed and the process ends; the parts it started die with it (PR_SET_PDEATHSIG). Made
// before any thread, so that every thread leaves the signals to this one.
class InterruptCleanup {
public:
  InterruptCleanup() {
    sigemptyset(&signals_);
    for (const int s : {SIGINT, SIGTERM, SIGUSR2})
      sigaddset(&signals_, s);
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
    thread_ = std::thread([this] {
      int signal = 0;
      sigwait(&signals_, &signal);
      if (signal == SIGUSR2) return; // the run ended
      std::lock_guard lock(mutex_);
      std::error_code ignored;
      if (!folder_.empty()) std::filesystem::remove_all(folder_, ignored);
      std::cerr << "\nvoipsim: interrupted; the run's temporary files are removed\n";
      std::_Exit(128 + signal);
    });
  }
  ~InterruptCleanup() {
    pthread_kill(thread_.native_handle(), SIGUSR2);
    thread_.join();
    pthread_sigmask(SIG_UNBLOCK, &signals_, nullptr);
  }
  InterruptCleanup(const InterruptCleanup&) = delete;
  InterruptCleanup& operator=(const InterruptCleanup&) = delete;

  void remove_on_interrupt(std::filesystem::path folder) {
    std::lock_guard lock(mutex_);
    folder_ = std::move(folder);
  }

private:
  sigset_t signals_;
  std::mutex mutex_;
  std::filesystem::path folder_;
  std::thread thread_;
};

// Runs them in order with a progress line each; the PKI is made once for all.
std::optional<std::vector<ScenarioResult>>
run_all(const std::vector<scenario::Scenario>& list, std::uint64_t seed, bool live,
        const std::function<void(const ScenarioResult&)>& done) {
  InterruptCleanup cleanup;
  std::cerr << "voipsim: preparing the fake Apple PKI...\n";
  std::string self;
  if (live) {
    std::error_code ec;
    self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
    if (self.empty()) {
      std::cerr << "voipsim: --live cannot find its own executable to start the parts: "
                << ec.message() << "\n";
      return std::nullopt;
    }
  }
  auto run = scenario::Run::prepare(seed, self);
  if (!run) {
    std::cerr << "voipsim: cannot prepare the run: " << run.error().message() << "\n";
    return std::nullopt;
  }
  cleanup.remove_on_interrupt((*run)->context().pki.dir);
  std::vector<ScenarioResult> results;
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::cerr << "[" << i + 1 << "/" << list.size() << "] " << list[i].name << " ..." << std::flush;
    results.push_back((*run)->run(list[i]));
    const auto& r = results.back();
    char took[32];
    std::snprintf(took, sizeof took, "%.2f s", r.wall_seconds);
    std::cerr << " " << scenario::to_string(r.outcome) << " (" << took << ")\n";
    for (const auto& warning : r.warnings)
      std::cerr << "    warning: " << warning << "\n";
    if (done) done(r);
  }
  return results;
}

bool write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "voipsim: cannot write " << path.string() << "\n";
    return false;
  }
  return true;
}

bool all_passed(const std::vector<ScenarioResult>& results) {
  for (const auto& r : results)
    if (r.outcome != Outcome::Passed && r.outcome != Outcome::Skipped) return false;
  return true;
}

// Both replay with seeds from 1 up: 0 is not a seed here.
core::Result<std::uint64_t> seed_of(const Args& args) {
  return args.number("seed", 1, 1, UINT64_MAX);
}

} // namespace

namespace run_command {

core::Result<Args> args_of(const std::vector<std::string>& words) {
  return Args::parse(words, {"junit", "json", "seed", "filter"}, {"quiet", "live"});
}

core::Result<Options> options_of(const Args& args) {
  if (args.positional().empty()) {
    return core::fail(core::Errc::InvalidArgument,
                      "name at least one scenario file or folder, e.g. 'voipsim run scenarios/'.");
  }
  const auto seed = seed_of(args);
  if (!seed) return core::Unexpected(seed.error());
  Options o;
  o.paths = args.positional();
  o.junit_file = args.find("junit");
  o.json_file = args.find("json");
  o.seed = *seed;
  o.filter = args.get("filter", "");
  o.quiet = args.has("quiet");
  o.live = args.has("live");
  return o;
}

int run(const Options& o) {
  auto loaded = scenario::load_scenario_files(o.paths);
  if (!loaded) return refuse("run", loaded.error().detail);
  std::vector<scenario::Scenario> list;
  for (auto& s : *loaded)
    if (s.name.find(o.filter) != std::string::npos) list.push_back(std::move(s));
  if (list.empty())
    return refuse("run", "no scenario" + (o.filter.empty() ? "" : " matches --filter " + o.filter));
  const scenario::TextStyle style{is_terminal(STDOUT_FILENO)};
  auto results = run_all(list, o.seed, o.live, [&](const ScenarioResult& r) {
    if (!o.quiet || r.outcome != Outcome::Passed) scenario::print_scenario(std::cout, r, style);
  });
  if (!results) return kExitFailed;
  scenario::print_table(std::cout, *results, style);
  if (o.json_file && !write_text(*o.json_file, scenario::to_json_report(*results, o.seed)))
    return kExitFailed;
  if (o.junit_file && !write_text(*o.junit_file, scenario::to_junit_xml(*results)))
    return kExitFailed;
  return all_passed(*results) ? kExitOk : kExitFailed;
}

} // namespace run_command

namespace demo_command {
namespace {

// The scenarios built into the executable, or nullopt (said on stderr) if one does not load.
std::optional<std::vector<scenario::Scenario>> embedded_scenarios() {
  std::vector<scenario::Scenario> list;
  for (const auto& file : scenario::embedded_library()) {
    const std::string path(file.path);
    auto name = std::filesystem::path(path).replace_extension().generic_string();
    auto parsed = scenario::parse_scenario(file.text, "scenarios/" + path, name);
    if (!parsed) { // the build embeds only files the test suite loads: a bug if it happens
      std::cerr << "voipsim demo: built-in scenario does not load: " << parsed.error().detail
                << "\n";
      return std::nullopt;
    }
    list.push_back(std::move(*parsed));
  }
  return list;
}

// --out DIR, made if missing, or a new folder under $TMPDIR; nullopt (said on stderr) if it
// cannot be made.
std::optional<std::filesystem::path> report_folder(const std::optional<std::string>& out_dir) {
  if (out_dir) {
    std::error_code ec;
    std::filesystem::create_directories(*out_dir, ec);
    if (ec) {
      std::cerr << "voipsim demo: cannot create " << *out_dir << ": " << ec.message() << "\n";
      return std::nullopt;
    }
    return std::filesystem::path(*out_dir);
  }
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/voipsim-demo-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) {
    std::cerr << "voipsim demo: cannot create a report folder under " << tmpl << "\n";
    return std::nullopt;
  }
  return std::filesystem::path(tmpl);
}

// report.json, junit.xml and timeline.txt in `out`.
bool write_reports(const std::filesystem::path& out, const std::vector<ScenarioResult>& results,
                   std::uint64_t seed) {
  std::ostringstream timelines;
  for (const auto& r : results)
    scenario::print_scenario(timelines, r, {});
  return write_text(out / "report.json", scenario::to_json_report(results, seed)) &&
         write_text(out / "junit.xml", scenario::to_junit_xml(results)) &&
         write_text(out / "timeline.txt", timelines.str());
}

} // namespace

core::Result<Args> args_of(const std::vector<std::string>& words) {
  return Args::parse(words, {"out", "seed"}, {"verbose"});
}

core::Result<Options> options_of(const Args& args) {
  if (!args.positional().empty()) {
    return core::fail(core::Errc::InvalidArgument,
                      "takes no file names (use 'voipsim run FILE...' for your own)");
  }
  const auto seed = seed_of(args);
  if (!seed) return core::Unexpected(seed.error());
  Options o;
  o.out_dir = args.find("out");
  o.seed = *seed;
  o.verbose = args.has("verbose");
  return o;
}

int run(const Options& o) {
  const auto started = std::chrono::steady_clock::now();
  const auto list = embedded_scenarios();
  if (!list) return kExitFailed;
  const auto out = report_folder(o.out_dir);
  if (!out) return kExitFailed;

  const scenario::TextStyle style{is_terminal(STDOUT_FILENO)};
  std::cout << "voipsim demo: " << list->size()
            << " scenarios of the iOS VoIP-push path (FAQ failure cases and flows), each with a "
               "mock APNs, the IM pipeline and a simulated iPhone, on a virtual clock.\n\n";
  std::cout.flush();
  auto results = run_all(*list, o.seed, false, [&](const ScenarioResult& r) {
    if (o.verbose) scenario::print_scenario(std::cout, r, style);
  });
  if (!results) return kExitFailed;
  std::cout << "\n";
  scenario::print_table(std::cout, *results, style);
  if (!write_reports(*out, *results, o.seed)) return kExitFailed;
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  char took_text[32];
  std::snprintf(took_text, sizeof took_text, "%.1f s", took);
  std::cout << "  finished in " << took_text << "; reports in "
            << std::filesystem::absolute(*out).string()
            << " (report.json, junit.xml, timeline.txt)\n";
  return all_passed(*results) ? kExitOk : kExitFailed;
}

} // namespace demo_command

int run(const std::vector<std::string>& words) {
  return run_words("run", words, run_command::args_of, run_command::options_of, run_command::run,
                   false);
}

int demo(const std::vector<std::string>& words) {
  return run_words("demo", words, demo_command::args_of, demo_command::options_of,
                   demo_command::run, false);
}

} // namespace cli
