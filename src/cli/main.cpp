// voipsim: one executable, one subcommand per job. Thin: parsing and printing only.

#include "cli/commands.hpp"

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr const char* kHelp =
    R"(voipsim )" VOIPSIM_VERSION R"( - a local simulator of the iOS VoIP-push path:
a mock of Apple's APNs HTTP/2 provider API, a simulated iPhone and the IM push backend.

Usage:
  voipsim <command> [options]
  voipsim help <command>        help for one command
  voipsim --help | --version

Commands:
  up         Start the whole stack in one process, its state kept in .voipsim: the mock, the
             pipeline with the VoIP certificate uploaded, and simulated iPhones ready to ring.
  demo       Replay the built-in scenario library (every FAQ failure case and the main flows)
             on a virtual clock and print a pass/fail table; reports go to a folder it names.
  run        Replay scenario files (YAML/JSON): each in an in-process world of mock APNs,
             pipeline and simulated iPhones on one virtual clock; JUnit XML and JSON reports.
  report     Merge the JSON reports of a suite's shards (run --shard I/N) into one, with
             JUnit XML.
  certs      Write a fake Apple push PKI for one app: CAs, the mock's server certificate,
             provider certificates of each kind (.pem, .key, .p12), a .p8 token key.
  jwt        Print a provider token (JWT) signed with a PKI folder's .p8 key: token
             authentication against the mock with curl or any APNs client.
  device     Run a simulated iPhone against a running mock: the app registers for VoIP
             pushes, pushes the mock accepts arrive, iOS's CallKit rules apply; events as JSON
             lines, commands (home, swipe, airplane, answer, ...) on stdin.
  mock-apns  Run the APNs mock: sandbox and production HTTP/2 listeners answering as APNs does,
             plus an admin API (tokens, keys, journal, verify, faults, deliveries, metrics).
  pipeline   Run the IM push backend: certificate console, setVOIP, presence, and offline-only
             VoIP pushes to the mock with a durable SQLite outbox; JSON API over HTTP.
  selftest   Check the HTTP/2 transport on loopback: an in-process server and client
             exchange requests and every answer is verified.

Examples:
  voipsim up --user bob        # mock, pipeline and bob's iPhone; prints commands to try
  voipsim demo                 # every FAQ failure case, replayed, with a pass/fail table
  voipsim help mock-apns       # a command's options and examples

Exit status: 0 success, 1 the command ran and failed, 2 bad usage.
)";

struct Command {
  const char* name;
  int (*run)(const std::vector<std::string>&);
  const char* const* help;
};

const Command kCommands[] = {
    {"certs", cli::certs, &cli::kCertsHelp},
    {"demo", cli::demo, &cli::kDemoHelp},
    {"device", cli::device, &cli::kDeviceHelp},
    {"jwt", cli::jwt, &cli::kJwtHelp},
    {"mock-apns", cli::mock_apns, &cli::kMockApnsHelp},
    {"pipeline", cli::pipeline, &cli::kPipelineHelp},
    {"report", cli::report, &cli::kReportHelp},
    {"run", cli::run, &cli::kRunHelp},
    {"selftest", cli::selftest, &cli::kSelftestHelp},
    {"up", cli::up, &cli::kUpHelp},
};

const Command* find(const std::string& name) {
  for (const auto& c : kCommands)
    if (name == c.name) return &c;
  return nullptr;
}

int unknown(const std::string& name) {
  std::cerr << "voipsim: unknown command '" << name << "'. Run 'voipsim --help' for the list.\n";
  return cli::kExitUsage;
}

} // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kHelp;
    return cli::kExitUsage;
  }
  const std::string first = args.front();
  if (first == "--help" || first == "-h") {
    std::cout << kHelp;
    return cli::kExitOk;
  }
  if (first == "--version") {
    std::cout << "voipsim " VOIPSIM_VERSION "\n";
    return cli::kExitOk;
  }
  if (first == "help") {
    if (args.size() < 2) {
      std::cout << kHelp;
      return cli::kExitOk;
    }
    const Command* c = find(args[1]);
    if (!c) return unknown(args[1]);
    std::cout << *c->help;
    return cli::kExitOk;
  }
  const Command* c = find(first);
  if (!c) return unknown(first);
  args.erase(args.begin());
  for (const auto& a : args)
    if (a == "--help" || a == "-h") {
      std::cout << *c->help;
      return cli::kExitOk;
    }
  try {
    return c->run(args);
  } catch (const std::exception& e) {
    std::cerr << "voipsim " << first << ": " << e.what() << "\n";
    return cli::kExitFailed;
  }
}
