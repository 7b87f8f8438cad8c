// voipsim-bench-pipeline: sendMessage -> device delivery, end to end over TLS, for N offline
// users (issue #6, acceptance 4), beside the mock's raw rate for the same pushes in the same run.
// In one process: the mock (strict registry of the N users' tokens), the pipeline on a SQLite
// file, and the "device" side as the mock's delivery bus, where a push counts as delivered.
// Not a test: run it by hand (bench/README.md).

#include "bench_tokens.hpp"
#include "core/file.hpp"
#include "mock_apns/pki_dir.hpp"
#include "mock_apns/server.hpp"
#include "net/client.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/push_request.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <sys/resource.h>

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

struct Options {
  std::uint64_t users = 100'000;
  std::string db; // empty: a file in a temporary folder
  // sendMessage calls open at once, through the asynchronous call from one thread (as an HTTP
  // front end makes them: many clients, few threads)...
  std::uint64_t concurrent = 256;
  std::uint64_t blocking_senders = 0; // ...or this many threads, each waiting for each answer
  std::uint64_t window = 1000;        // raw run: requests in flight at once
  // Raw and pipeline runs alternate this many times; medians are reported. The machine's speed
  // drifts by a third from one second to the next here: one run of each compares two moments.
  std::uint64_t rounds = 3;
};

// One run of the raw client or of the pipeline.
struct Run {
  double per_second = 0;
  double cpu_us = 0; // the process's CPU time per push
  double p50_ms = 0, p99_ms = 0;
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int usage() {
  std::fprintf(stderr,
               "usage: voipsim-bench-pipeline [--users N] [--db FILE] [--concurrent N]\n"
               "                              [--blocking-senders N] [--window N] [--rounds N]\n"
               "N offline users (default 100000), each with a VoIP token at the mock and a\n"
               "registration at the pipeline. Each round measures the mock's raw rate for the\n"
               "same pushes (our HTTP/2 client, --window requests in flight, default 1000,\n"
               "certificate auth), then the pipeline's with one message to each user: messages\n"
               "per second from the first sendMessage to the last delivery and the p50/p99 of\n"
               "sendMessage -> delivery, with the outbox in --db (default: a new file in\n"
               "$TMPDIR). The messages go through the asynchronous sendMessage with --concurrent\n"
               "calls open at once (default 256), or, with --blocking-senders N, from N threads\n"
               "that each wait for each answer. --rounds (default 3) rounds alternate the two;\n"
               "each round is printed, then the medians and one JSON line.\n");
  return 2;
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "voipsim-bench-pipeline: %s\n", what.c_str());
  std::exit(1);
}

// The device side reads the message's number from the payload, as the app would read its id
// ("msgId":"msg-N"); the raw run's pushes say "raw-N" and have none.
std::optional<std::uint64_t> message_number(std::string_view payload) {
  constexpr std::string_view key = R"("msgId":"msg-)";
  const auto at = payload.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  const char* first = payload.data() + at + key.size();
  std::uint64_t n = 0;
  const auto [end, error] = std::from_chars(first, payload.data() + payload.size(), n);
  if (error != std::errc{} || end == first) return std::nullopt;
  return n;
}

double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// The whole process's CPU time (every thread: mock, client, pipeline), in seconds. Rates swing
// with whatever else these shared machines run; CPU time per message swings much less.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto total = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return total(usage.ru_utime) + total(usage.ru_stime);
}

// The mock's raw rate: the pipeline's own requests, straight from one HTTP/2 client.
double raw_rate(mock_apns::Server& mock, const mock_apns::PkiDir& pki, const Options& o) {
  net::IoThreads io(1);
  net::ClientOptions client;
  client.port = mock.port(mock_apns::Environment::Sandbox);
  client.authority = "api.sandbox.push.apple.com";
  client.tls = net::TlsClientConfig{pki.ca_bundle_file,
                                    (pki.dir / "voip-services.pem").string(),
                                    (pki.dir / "voip-services.key").string(),
                                    "",
                                    "",
                                    "api.sandbox.push.apple.com",
                                    {"h2"}};
  net::Client http(io, client);
  std::mutex mutex;
  std::condition_variable changed;
  std::uint64_t in_flight = 0, ok = 0, done = 0;
  const auto start = Clock::now();
  for (std::uint64_t i = 0; i < o.users; ++i) {
    pipeline::MessageRecord m;
    m.message_id = "raw-" + std::to_string(i);
    m.sender = "alice";
    m.ext = R"({"entity":{"action":1,"sender":"alice"}})";
    m.created_at = std::chrono::system_clock::now();
    m.token_hex = bench::token_hex(i);
    m.bundle_id = "com.example.imapp";
    auto request = pipeline::voip_request(m);
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return in_flight < o.window; });
      ++in_flight;
    }
    http.submit(std::move(*request), [&](net::ResponseResult r) {
      std::lock_guard lock(mutex);
      --in_flight;
      ++done;
      if (r && r->status == 200) ++ok;
      changed.notify_all();
    });
  }
  std::unique_lock lock(mutex);
  changed.wait(lock, [&] { return done == o.users; });
  const double elapsed = seconds(Clock::now() - start);
  if (ok != o.users) die("raw run: only " + std::to_string(ok) + " of the pushes were accepted");
  return static_cast<double>(o.users) / elapsed;
}

} // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) return usage();
    const std::string value = argv[++i];
    if (flag == "--users")
      o.users = std::strtoull(value.c_str(), nullptr, 10);
    else if (flag == "--db")
      o.db = value;
    else if (flag == "--concurrent")
      o.concurrent = std::max<std::uint64_t>(1, std::strtoull(value.c_str(), nullptr, 10));
    else if (flag == "--blocking-senders")
      o.blocking_senders = std::strtoull(value.c_str(), nullptr, 10);
    else if (flag == "--window")
      o.window = std::max<std::uint64_t>(1, std::strtoull(value.c_str(), nullptr, 10));
    else if (flag == "--rounds")
      o.rounds = std::max<std::uint64_t>(1, std::strtoull(value.c_str(), nullptr, 10));
    else
      return usage();
  }
  if (o.users == 0) return usage();

  auto pki = mock_apns::make_temporary_pki_dir(core::SystemClock().now(), "voipsim");
  if (!pki) die(pki.error().message());
  struct RemoveWhenDone {
    std::filesystem::path dir;
    ~RemoveWhenDone() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } cleanup{pki->dir};
  mock_apns::ServerOptions mock_options;
  mock_options.certificate_chain_file = pki->server_certificate_file;
  mock_options.private_key_file = pki->server_key_file;
  mock_options.client_ca_file = pki->ca_bundle_file;
  mock_options.settings.per_token_burst = 0;
  mock_options.seed = 1;
  mock_apns::Server mock(mock_options);
  for (std::uint64_t i = 0; i < o.users; ++i)
    (void)mock.tokens().put(
        {bench::token_hex(i), mock_apns::Environment::Sandbox, "com.example.imapp.voip"});
  if (auto started = mock.start(); !started) die(started.error().message());

  // The pipeline, its certificate and N offline users with a registration each.
  core::SystemClock clock;
  pipeline::PipelineOptions options;
  options.database = o.db.empty() ? (pki->dir / "pipeline.db").string() : o.db;
  options.apple_ca_file = pki->ca_bundle_file;
  options.dispatcher.sandbox = {"127.0.0.1", mock.port(mock_apns::Environment::Sandbox),
                                "api.sandbox.push.apple.com"};
  options.dispatcher.production = {"127.0.0.1", mock.port(mock_apns::Environment::Production),
                                   "api.push.apple.com"};
  options.dispatcher.ca_file = pki->ca_bundle_file;
  auto opened = pipeline::Pipeline::open(options, clock);
  if (!opened) die(opened.error().message());
  pipeline::Pipeline& p = **opened;
  auto uploaded = p.upload_certificate(
      {"Bench VoIP", core::read_file(pki->dir / "voip-services.p12").value_or(""), "voipsim"});
  if (auto* error = std::get_if<pipeline::ApiError>(&uploaded)) die(error->message);
  const auto dev_id = std::get<pipeline::UploadedCertificate>(uploaded).record.cert_id_dev;
  std::printf("pipeline: registering %llu users in %s...\n",
              static_cast<unsigned long long>(o.users), options.database.c_str());
  std::fflush(stdout);
  const auto setup_start = Clock::now();
  for (std::uint64_t i = 0; i < o.users; ++i) {
    const std::string user = "user-" + std::to_string(i);
    const auto presence =
        p.set_presence(user, pipeline::kDefaultInstallation, pipeline::Presence::Background);
    if (auto* e = std::get_if<pipeline::ApiError>(&presence)) die(e->message);
    if (auto e = p.set_voip(user, pipeline::kDefaultInstallation, bench::token_hex(i), dev_id))
      die(e->message);
  }
  const double setup_seconds = seconds(Clock::now() - setup_start);

  // The store numbers messages msg-1 .. msg-N in the order it takes them: message n's times are
  // slot n-1, and recording an arrival needs no lock.
  // Round r sends msg-(r*N + 1) .. msg-((r+1)*N); index r*N + i is user i's message then.
  const std::uint64_t total = o.users * o.rounds;
  std::vector<std::atomic<std::int64_t>> sent_ns(total), delivered_ns(total);
  std::atomic<std::uint64_t> delivered{0};
  std::mutex done_mutex;
  std::condition_variable all_delivered;
  const auto epoch = Clock::now();
  const auto now_ns = [&] {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - epoch).count();
  };
  std::atomic<bool> pipeline_running{false}; // the raw runs' deliveries are not looked up
  mock.deliveries().subscribe([&](const mock_apns::Delivery& d) {
    if (!pipeline_running.load(std::memory_order_relaxed)) return;
    const auto number = message_number(d.payload);
    if (!number || *number == 0 || *number > total) return;
    std::int64_t expected = 0;
    if (!delivered_ns[*number - 1].compare_exchange_strong(expected, now_ns())) return;
    if ((delivered.fetch_add(1) + 1) % o.users == 0) { // a round's last
      std::lock_guard lock(done_mutex);
      all_delivered.notify_all();
    }
  });

  const auto message_to = [](std::uint64_t i) {
    return pipeline::MessageToSend{
        "alice",
        "user-" + std::to_string(i),
        "call",
        false,
        pipeline::OfflinePushInfo{"voip", R"({"entity":{"action":1,"sender":"alice"}})", "", "",
                                  false},
        std::nullopt,
        {},
        {}};
  };
  // Ids count msg-1, msg-2, ... in the order the store took the messages.
  const auto note_sent = [&](const pipeline::Pipeline::SendResult& sent, std::int64_t started) {
    if (const auto* error = std::get_if<pipeline::ApiError>(&sent)) die(error->message);
    sent_ns[std::stoull(std::get<std::string>(sent).substr(4)) - 1] = started;
  };
  const auto run_pipeline = [&](std::uint64_t round) {
    const std::int64_t first_send = now_ns();
    const double cpu_start = cpu_seconds();
    if (o.blocking_senders > 0) {
      std::vector<std::thread> senders;
      std::atomic<std::uint64_t> next{0};
      for (std::uint64_t s = 0; s < o.blocking_senders; ++s) {
        senders.emplace_back([&] {
          for (std::uint64_t i; (i = next.fetch_add(1)) < o.users;) {
            const std::int64_t started = now_ns();
            note_sent(p.send_message(message_to(i)), started);
          }
        });
      }
      for (auto& t : senders)
        t.join();
    } else {
      // The window refills when half of it has been answered: one wake-up per concurrent/2
      // answers, not one per answer.
      std::mutex window_mutex;
      std::condition_variable window_refill;
      std::uint64_t open = 0;
      for (std::uint64_t i = 0; i < o.users; ++i) {
        {
          std::unique_lock lock(window_mutex);
          if (open == o.concurrent)
            window_refill.wait(lock, [&] { return open <= o.concurrent / 2; });
          ++open;
        }
        const std::int64_t started = now_ns();
        p.send_message(message_to(i), [&, started](pipeline::Pipeline::SendResult sent) {
          note_sent(sent, started);
          std::lock_guard lock(window_mutex);
          if (--open == o.concurrent / 2 || open == 0) window_refill.notify_one();
        });
      }
      // Every answer, before the window's variables go: one may come after its delivery.
      std::unique_lock lock(window_mutex);
      window_refill.wait(lock, [&] { return open == 0; });
    }
    const std::uint64_t goal = (round + 1) * o.users;
    {
      std::unique_lock lock(done_mutex);
      if (!all_delivered.wait_for(lock, 10min, [&] { return delivered.load() >= goal; }))
        die("only " + std::to_string(delivered.load() - round * o.users) +
            " deliveries within 10 minutes");
    }
    Run run;
    run.cpu_us = (cpu_seconds() - cpu_start) * 1e6 / static_cast<double>(o.users);
    std::int64_t last = 0;
    std::vector<std::int64_t> latency(o.users);
    for (std::uint64_t i = 0; i < o.users; ++i) {
      const std::uint64_t at = round * o.users + i;
      last = std::max<std::int64_t>(last, delivered_ns[at]);
      latency[i] = delivered_ns[at] - sent_ns[at];
    }
    std::sort(latency.begin(), latency.end());
    run.per_second = static_cast<double>(o.users) / ((last - first_send) / 1e9);
    run.p50_ms = latency[latency.size() / 2] / 1e6;
    run.p99_ms = latency[std::min(latency.size() - 1, latency.size() * 99 / 100)] / 1e6;
    return run;
  };

  if (o.blocking_senders > 0) {
    std::printf("each round: %llu pushes from the raw client, then %llu messages from %llu "
                "threads, each waiting for each answer\n\n",
                static_cast<unsigned long long>(o.users), static_cast<unsigned long long>(o.users),
                static_cast<unsigned long long>(o.blocking_senders));
  } else {
    std::printf("each round: %llu pushes from the raw client, then %llu messages with %llu "
                "sendMessage calls open at once\n\n",
                static_cast<unsigned long long>(o.users), static_cast<unsigned long long>(o.users),
                static_cast<unsigned long long>(o.concurrent));
  }
  std::printf("%-7s %12s %8s %14s %8s %7s %9s %9s\n", "round", "mock raw/s", "CPU us", "pipeline/s",
              "CPU us", "ratio", "p50 ms", "p99 ms");
  std::vector<double> raw_rates, raw_cpu, rates, cpu, p50s, p99s, ratios;
  for (std::uint64_t round = 0; round < o.rounds; ++round) {
    const double raw_cpu_start = cpu_seconds();
    Run raw;
    raw.per_second = raw_rate(mock, *pki, o);
    raw.cpu_us = (cpu_seconds() - raw_cpu_start) * 1e6 / static_cast<double>(o.users);
    pipeline_running = true;
    const Run run = run_pipeline(round);
    pipeline_running = false;
    const double ratio = run.per_second / raw.per_second;
    std::printf("%-7llu %12.0f %8.1f %14.0f %8.1f %7.3f %9.1f %9.1f\n",
                static_cast<unsigned long long>(round + 1), raw.per_second, raw.cpu_us,
                run.per_second, run.cpu_us, ratio, run.p50_ms, run.p99_ms);
    std::fflush(stdout);
    raw_rates.push_back(raw.per_second);
    raw_cpu.push_back(raw.cpu_us);
    rates.push_back(run.per_second);
    cpu.push_back(run.cpu_us);
    p50s.push_back(run.p50_ms);
    p99s.push_back(run.p99_ms);
    ratios.push_back(ratio);
  }
  const double raw_median = median(raw_rates), rate_median = median(rates);
  std::printf("%-7s %12.0f %8.1f %14.0f %8.1f %7.3f %9.1f %9.1f\n", "median", raw_median,
              median(raw_cpu), rate_median, median(cpu), rate_median / raw_median, median(p50s),
              median(p99s));
  std::printf("ratio of the medians, pipeline/mock raw: %.3f (target >= 0.5); rounds' ratios "
              "%.3f-%.3f; setup of %llu users took %.1f s\n",
              rate_median / raw_median, *std::min_element(ratios.begin(), ratios.end()),
              *std::max_element(ratios.begin(), ratios.end()),
              static_cast<unsigned long long>(o.users), setup_seconds);
  std::string round_ratios;
  for (const double r : ratios)
    round_ratios += (round_ratios.empty() ? "" : ",") + std::to_string(r).substr(0, 6);
  std::printf("{\"users\":%llu,\"rounds\":%llu,\"mock_raw_per_s\":%.0f,\"pipeline_per_s\":%.0f,"
              "\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"ratio\":%.4f,\"round_ratios\":[%s],"
              "\"mock_raw_cpu_us\":%.2f,\"pipeline_cpu_us\":%.2f}\n",
              static_cast<unsigned long long>(o.users), static_cast<unsigned long long>(o.rounds),
              raw_median, rate_median, median(p50s), median(p99s), rate_median / raw_median,
              round_ratios.c_str(), median(raw_cpu), median(cpu));
  return 0;
}
