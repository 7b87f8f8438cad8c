// voipsim-soak: the fault soak of issue #8 as a command, for runs longer than CTest's (the
// whole 100,000 messages by default). Progress on stderr, the result line on stdout.
#include "soak/fault_soak.hpp"

#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

namespace {

constexpr const char* kHelp =
    R"(Usage: voipsim-soak [--messages N] [--senders N] [--seed N] [--max-seconds S]
                    [--rate-503 P] [--rate-429 P] [--rate-drop P] [--rate-goaway P]
                    [--outage S] [--db FILE] [--json FILE]

The fault soak: the IM pipeline sends one VoIP message to each of N offline users through a
mock APNs (both in this process, over loopback TLS, in real time) that answers a random share
of the requests, drawn from --seed, with 503 ServiceUnavailable (--rate-503, default 0.02) and
429 TooManyRequests (--rate-429, 0.02), cuts connections without answering after the push was
judged (--rate-drop, 0.002) and closes others with GOAWAY Shutdown after answering
(--rate-goaway, 0.002). With --outage S, the mock is stopped for S seconds once half the
messages are taken and a new one started on the same ports, as when APNs is out of reach for a
while. The pipeline retries with back-off as im-voip-flow.md §4.5 says: 429 at most 3 times,
no answer and 5xx until the call push is 30 s old (then expired, not failed).

At the end every message must be in one terminal state and none lost (missing from the outbox,
still pending, or accepted yet never delivered); a device receiving a message twice is a
duplicate, explained when the pipeline attempted that message at least as often (a retry after
an answer that never came). Prints one line:

  messages=N delivered=... rejected=... lost=0 duplicates=... accepted=... failed=...
  expired=... duplicates_unexplained=0 requests=... faults_503=... faults_429=...
  answers_dropped=... goaways=... gave_up_early=0 accepted_after_retry=... seconds=...
  rss_mib_mid=... rss_mib_end=... [outage_s=S]

Options:
  --messages N     offline users, one message each (default 100000)
  --senders N      threads calling sendMessage (default 8)
  --seed N         fault draws, ids and retry jitter (default 1)
  --max-seconds S  give up waiting for the last pushes after S seconds (default 600)
  --rate-503 P, --rate-429 P, --rate-drop P, --rate-goaway P
                   the share of requests each fault hits, 0 to 1 (0 turns it off)
  --outage S       stop the mock for S seconds halfway through the sends, then restart it on
                   the same ports (default 0: no outage)
  --db FILE        the pipeline's SQLite file; must not exist (default: a temporary one)
  --json FILE      also write the result as JSON
  -h, --help       show this help

Examples:
  voipsim-soak                          the whole soak, 100,000 messages
  voipsim-soak --outage 12              the same with APNs down for 12 s mid-run
  voipsim-soak --messages 2000 --rate-503 0 --rate-429 0 --json out.json

Exit status: 0 nothing lost and every duplicate explained, 1 otherwise, 2 bad usage or a
set-up failure.
)";

int usage_error(const std::string& what) {
  std::fprintf(stderr, "voipsim-soak: %s (see --help)\n", what.c_str());
  return 2;
}

bool parse_count(std::string_view text, std::uint64_t& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool parse_share(const std::string& text, double& out) {
  try {
    std::size_t used = 0;
    out = std::stod(text, &used);
    return used == text.size() && out >= 0.0 && out <= 1.0;
  } catch (...) {
    return false;
  }
}

} // namespace

int main(int argc, char** argv) {
  soak::SoakOptions options;
  std::string json_file;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "-h" || flag == "--help") {
      std::fputs(kHelp, stdout);
      return 0;
    }
    if (i + 1 >= argc) return usage_error(flag + " needs a value");
    const std::string value = argv[++i];
    std::uint64_t seconds = 0;
    bool ok = true;
    if (flag == "--messages")
      ok = parse_count(value, options.messages) && options.messages > 0;
    else if (flag == "--senders")
      ok = parse_count(value, options.senders) && options.senders > 0 && options.senders <= 256;
    else if (flag == "--seed")
      ok = parse_count(value, options.seed);
    else if (flag == "--max-seconds")
      ok = parse_count(value, seconds) && seconds > 0,
      options.max_duration = std::chrono::seconds(seconds);
    else if (flag == "--rate-503")
      ok = parse_share(value, options.service_unavailable);
    else if (flag == "--rate-429")
      ok = parse_share(value, options.too_many_requests);
    else if (flag == "--rate-drop")
      ok = parse_share(value, options.connection_drop);
    else if (flag == "--rate-goaway")
      ok = parse_share(value, options.goaway);
    else if (flag == "--outage")
      ok = parse_count(value, seconds) && seconds <= 3600,
      options.outage = std::chrono::seconds(seconds);
    else if (flag == "--db")
      options.database = value;
    else if (flag == "--json")
      json_file = value;
    else
      return usage_error("unknown option " + flag);
    if (!ok) return usage_error("bad value for " + flag + ": '" + value + "'");
  }
  options.progress = [](const std::string& line) {
    std::fprintf(stderr, "voipsim-soak: %s\n", line.c_str());
  };
  const auto report = soak::run_fault_soak(options);
  if (!report) {
    std::fprintf(stderr, "voipsim-soak: %s\n", report.error().message().c_str());
    return 2;
  }
  std::printf("%s\n", report->line().c_str());
  if (!report->first_lost.empty())
    std::fprintf(stderr, "voipsim-soak: lost, e.g. %s\n", report->first_lost.c_str());
  if (!json_file.empty()) {
    std::ofstream out(json_file);
    out << report->to_json() << "\n";
    if (!out) return usage_error("cannot write " + json_file);
  }
  return report->lost == 0 && report->unexplained_duplicates == 0 && report->settled ? 0 : 1;
}
