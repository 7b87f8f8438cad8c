// `voipsim run` and `voipsim demo`: replay scenarios on the virtual clock and report.

#include "cli/run.hpp"

#include "cli/commands.hpp"
#include "core/file.hpp"
#include "scenario/library.hpp"
#include "scenario/loader.hpp"
#include "scenario/report.hpp"
#include "scenario/report_html.hpp"
#include "scenario/report_json.hpp"
#include "scenario/runner.hpp"
#include "scenario/sequence_mermaid.hpp"

#include <algorithm>
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
    R"(Usage: voipsim run FILE|DIR... [--junit OUT.xml] [--json OUT.json] [--html OUT.html]
                   [--mermaid DIR] [--seed N] [--filter TEXT] [--quiet] [--live] [-j N]
                   [--shard I/N]

Replays scenario files (YAML, or the same structure as JSON; scenarios/README.md is the
reference). Each scenario runs in its own in-process world: a mock APNs on loopback ports with
TLS, the IM pipeline talking HTTP/2 to it, and simulated iPhones, all on one virtual clock, so
an hour of provider-token validity passes in milliseconds and the same seed gives the same
timeline (--live runs the same files against standalone processes instead). A folder is
searched recursively for *.yaml, *.yml and *.json.

Options:
  --junit FILE   write JUnit XML (one testcase per scenario, the timeline in system-out)
  --json FILE    write the JSON report (outcomes, failures, full timelines)
  --html FILE    write the HTML report: a summary table, then each scenario's sequence
                 diagram (a lane per iPhone, the IM backend, APNs sandbox and production,
                 the provider), its failure in red with expected vs observed; one file that
                 opens from disk, fetches nothing and prints
  --mermaid DIR  write each scenario's diagram as Mermaid text, DIR/<name>.mmd (paste it
                 into a ```mermaid block of an issue: GitHub draws it)
  --seed N       seed for tokens, ids and retry jitter (default 1)
  --filter TEXT  run only the scenarios whose name contains TEXT
  --quiet        print failures and the summary only, not every timeline
  -j N           run N scenarios at once (default: the machine's cores); outcomes, reports
                 and their order are those of a serial run with the same seed
  --shard I/N    run only share I of N (1 <= I <= N): each scenario is in exactly one share,
                 the same on every machine (by its name), so N CI jobs split a suite; join
                 their --json reports with 'voipsim report merge'. An empty share passes
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
  voipsim run scenarios/faq/ --html report.html     # open report.html in a browser
  voipsim run my-scenarios/broken.yaml --mermaid diagrams/   # diagrams/broken.mmd for an issue
  voipsim run my-scenarios/happy-path.yaml --live   # against real processes
  voipsim run scenarios/ -j 8 --quiet               # eight at once
  voipsim run scenarios/ --shard 2/3 --json shard-2.json   # CI job 2 of 3; then report merge

Exit status: 0 every scenario passed (or, live, was skipped), 1 one failed or could not run,
2 bad usage or a scenario file that does not load (the error names the file, line and allowed
values).
)";

const char* const kDemoHelp =
    R"(Usage: voipsim demo [--out DIR] [--seed N] [--verbose] [-j N]

Replays the whole scenario library built into voipsim (scenarios/faq: one scenario per FAQ
failure case of the IM VoIP flow; scenarios/flows: happy path, token rotation, uninstall,
provider tokens over an hour, retries, Do Not Disturb) and prints one line per scenario with
what it demonstrates. Everything runs in process on loopback, on a virtual clock.

Options:
  --out DIR    where to write the reports (default: a new folder under $TMPDIR, named at
               the end): report.html (a sequence diagram per scenario), report.json,
               junit.xml, timeline.txt (every scenario's timeline)
  --seed N     seed for tokens, ids and retry jitter (default 1)
  --verbose    also print every scenario's timeline
  -j N         run N scenarios at once (default: the machine's cores)
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

// The progress line of a scenario that ended: "[3/51] flows/happy-path ... passed (0.03 s)".
void print_progress(std::size_t done, std::size_t total, const ScenarioResult& r) {
  char took[32];
  std::snprintf(took, sizeof took, "%.2f s", r.wall_seconds);
  std::cerr << "[" << done << "/" << total << "] " << r.name << " ... "
            << scenario::to_string(r.outcome) << " (" << took << ")\n";
  for (const auto& warning : r.warnings)
    std::cerr << "    warning: " << warning << "\n";
}

// Runs them, `jobs` at once, with a progress line each as it ends; the PKI is made once for
// all. `done` sees the results in the list's order whatever order they end in, and the results
// are the list's order: a parallel run reports what a serial one does (each world has its own
// parts and takes its randomness from the seed alone). `index_of[i]`: list[i]'s place in the
// whole suite, before --shard took a share of it (empty: i).
std::optional<std::vector<ScenarioResult>>
run_all(const std::vector<scenario::Scenario>& list, const std::vector<std::size_t>& index_of,
        std::uint64_t seed, bool live, unsigned jobs,
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
  std::vector<std::optional<ScenarioResult>> results(list.size());
  std::mutex mutex;     // results, the counters and the output
  std::size_t next = 0; // the next scenario a worker takes
  std::size_t ended = 0;
  std::size_t shown = 0; // results handed to `done`, in order
  auto work = [&] {
    for (;;) {
      std::size_t i = 0;
      {
        std::lock_guard lock(mutex);
        if (next == list.size()) return;
        i = next++;
      }
      ScenarioResult r = (*run)->run(list[i]);
      r.index = index_of.empty() ? i : index_of[i];
      std::lock_guard lock(mutex);
      print_progress(++ended, list.size(), r);
      results[i] = std::move(r);
      for (; shown < results.size() && results[shown]; ++shown)
        if (done) done(*results[shown]);
    }
  };
  std::vector<std::thread> workers;
  for (unsigned j = 1; j < std::min<std::size_t>(jobs, list.size()); ++j)
    workers.emplace_back(work);
  work();
  for (auto& w : workers)
    w.join();
  std::vector<ScenarioResult> out;
  out.reserve(results.size());
  for (auto& r : results)
    out.push_back(std::move(*r));
  return out;
}

// -j N (also -jN) for --jobs N, as make and ctest spell it.
std::vector<std::string> with_jobs_spelt_out(std::vector<std::string> words) {
  std::vector<std::string> out;
  for (auto& w : words) {
    if (w == "-j") {
      out.push_back("--jobs");
    } else if (w.size() > 2 && w.rfind("-j", 0) == 0) {
      out.push_back("--jobs");
      out.push_back(w.substr(2));
    } else {
      out.push_back(std::move(w));
    }
  }
  return out;
}

// -j N, default the machine's cores.
core::Result<unsigned> jobs_of(const Args& args) {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  auto jobs = args.number("jobs", cores, 1, 256);
  if (!jobs) return core::Unexpected(jobs.error());
  return static_cast<unsigned>(*jobs);
}

// DIR/<name>.mmd for each scenario; a name's folders (faq/...) become folders in DIR.
bool write_mermaid(const std::filesystem::path& dir, const std::vector<ScenarioResult>& results) {
  for (const auto& r : results) {
    const std::filesystem::path name(r.name + ".mmd");
    // A name is a path under the folder it was found in; never one that leaves DIR.
    const bool inside = name.is_relative() &&
                        std::none_of(name.begin(), name.end(), [](auto& p) { return p == ".."; });
    const auto path = dir / (inside ? name : name.filename());
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
      std::cerr << "voipsim: cannot create " << path.parent_path().string() << ": " << ec.message()
                << "\n";
      return false;
    }
    if (!write_text(path, scenario::to_mermaid(scenario::sequence_of(r)))) return false;
  }
  return true;
}

// Both replay with seeds from 1 up: 0 is not a seed here.
core::Result<std::uint64_t> seed_of(const Args& args) {
  return args.number("seed", 1, 1, UINT64_MAX);
}

} // namespace

namespace run_command {

core::Result<Args> args_of(const std::vector<std::string>& words) {
  return Args::parse(with_jobs_spelt_out(words),
                     {"junit", "json", "html", "mermaid", "seed", "filter", "jobs", "shard"},
                     {"quiet", "live"});
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
  o.html_file = args.find("html");
  o.mermaid_dir = args.find("mermaid");
  o.seed = *seed;
  o.filter = args.get("filter", "");
  o.quiet = args.has("quiet");
  o.live = args.has("live");
  const auto jobs = jobs_of(args);
  if (!jobs) return core::Unexpected(jobs.error());
  o.jobs = *jobs;
  if (const auto shard = args.find("shard")) {
    auto read = scenario::parse_shard(*shard);
    if (!read) return core::Unexpected(read.error());
    o.shard = *read;
  }
  return o;
}

int run(const Options& o) {
  auto loaded = scenario::load_scenario_files(o.paths);
  if (!loaded) return refuse("run", loaded.error().detail);
  // The whole suite's order (after --filter) numbers the scenarios; --shard then takes its share.
  std::vector<scenario::Scenario> list;
  std::vector<std::size_t> index_of;
  std::size_t index = 0;
  for (auto& s : *loaded) {
    if (s.name.find(o.filter) == std::string::npos) continue;
    if (!o.shard || scenario::in_shard(s.name, *o.shard)) {
      list.push_back(std::move(s));
      index_of.push_back(index);
    }
    ++index;
  }
  if (index == 0)
    return refuse("run", "no scenario" + (o.filter.empty() ? "" : " matches --filter " + o.filter));
  const scenario::TextStyle style{is_terminal(STDOUT_FILENO)};
  std::vector<ScenarioResult> results; // a shard of a small suite may have none: that passes
  if (!list.empty()) {
    auto ran = run_all(list, index_of, o.seed, o.live, o.jobs, [&](const ScenarioResult& r) {
      if (!o.quiet || r.outcome != Outcome::Passed) scenario::print_scenario(std::cout, r, style);
    });
    if (!ran) return kExitFailed;
    results = std::move(*ran);
  }
  if (o.shard)
    std::cout << "  shard " << o.shard->text() << ": " << list.size() << " of the " << index
              << " scenarios\n";
  scenario::print_table(std::cout, results, style);
  if (o.json_file &&
      !write_text(*o.json_file, scenario::to_json_report({o.seed, o.shard, results})))
    return kExitFailed;
  if (o.junit_file && !write_text(*o.junit_file, scenario::to_junit_xml(results)))
    return kExitFailed;
  if (o.html_file && !write_text(*o.html_file, scenario::to_html_report(results, o.seed)))
    return kExitFailed;
  if (o.mermaid_dir && !write_mermaid(*o.mermaid_dir, results)) return kExitFailed;
  return scenario::count_outcomes(results).all_passed() ? kExitOk : kExitFailed;
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

// report.html, report.json, junit.xml and timeline.txt in `out`.
bool write_reports(const std::filesystem::path& out, const std::vector<ScenarioResult>& results,
                   std::uint64_t seed) {
  std::ostringstream timelines;
  for (const auto& r : results)
    scenario::print_scenario(timelines, r, {});
  return write_text(out / "report.html", scenario::to_html_report(results, seed)) &&
         write_text(out / "report.json", scenario::to_json_report({seed, std::nullopt, results})) &&
         write_text(out / "junit.xml", scenario::to_junit_xml(results)) &&
         write_text(out / "timeline.txt", timelines.str());
}

} // namespace

core::Result<Args> args_of(const std::vector<std::string>& words) {
  return Args::parse(with_jobs_spelt_out(words), {"out", "seed", "jobs"}, {"verbose"});
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
  const auto jobs = jobs_of(args);
  if (!jobs) return core::Unexpected(jobs.error());
  o.jobs = *jobs;
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
            << " scenarios of the iOS VoIP-push path (FAQ failure cases and flows), each with a\n"
               "mock APNs, the IM pipeline and a simulated iPhone, on a virtual clock.\n\n";
  std::cout.flush();
  auto results = run_all(*list, {}, o.seed, false, o.jobs, [&](const ScenarioResult& r) {
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
            << " (report.html: open it in a browser; report.json, junit.xml, timeline.txt)\n";
  return scenario::count_outcomes(*results).all_passed() ? kExitOk : kExitFailed;
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
