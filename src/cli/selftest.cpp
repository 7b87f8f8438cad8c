// `voipsim selftest`: the HTTP/2 transport checked end to end on loopback.

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "net/client.hpp"
#include "net/server.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>

#include <nlohmann/json.hpp>
#include <unistd.h>

namespace cli {

const char* const kSelftestHelp = R"(Usage: voipsim selftest [options]

Starts an HTTP/2 server (cleartext h2c) on 127.0.0.1 with an ephemeral port and sends it
requests from voipsim's own HTTP/2 client, all multiplexed over a few connections. The server
echoes each body; every answer is checked byte for byte. Use it to see that the transport works
on this machine. It is not a benchmark: see bench/README.md for measured speed.

Options:
  --requests N      requests to send in total (default 10000)
  --connections N   client connections, requests spread evenly (default 1)
  --streams N       MAX_CONCURRENT_STREAMS the server advertises (default 100)
  --body-bytes N    request body size in bytes, echoed back (default 1024, at most 8388608)
  --threads N       server I/O threads (default 1)
  --json            print the summary as one JSON object on stdout
  -h, --help        show this help

Output: a progress line on stderr while running (on a terminal), then a summary.
Exit status: 0 every answer was right, 1 some request failed, 2 bad usage.
)";

namespace {

struct Tally {
  std::mutex mutex;
  std::condition_variable changed;
  std::uint64_t done = 0;
  std::uint64_t ok = 0;
  std::vector<std::string> problems; // the first few, for the report
};

std::string body_for(std::uint64_t i, std::size_t size) {
  std::string body(size, '\0');
  for (std::size_t k = 0; k < size; ++k)
    body[k] = static_cast<char>('a' + (i + k) % 26);
  return body;
}

} // namespace

int selftest(const std::vector<std::string>& words) {
  std::string error;
  const auto args = Args::parse(
      words, {"requests", "connections", "streams", "body-bytes", "threads"}, {"json"}, error);
  std::optional<std::uint64_t> requests, connections, streams, body_bytes, threads;
  if (args) {
    requests = args->number("requests", 10'000, 1, 10'000'000, error);
    connections = args->number("connections", 1, 1, 64, error);
    streams = args->number("streams", 100, 1, 100'000, error);
    body_bytes = args->number("body-bytes", 1024, 0, 8u << 20, error);
    threads = args->number("threads", 1, 1, 64, error);
  }
  if (!error.empty() || !args->positional().empty()) {
    if (error.empty()) error = "unexpected argument '" + args->positional().front() + "'";
    std::cerr << "voipsim selftest: " << error << "\nRun 'voipsim selftest --help' for usage.\n";
    return kExitUsage;
  }
  const bool json = args->has("json");

  net::ServerOptions server_options;
  server_options.threads = *threads;
  server_options.settings.max_concurrent_streams = static_cast<std::uint32_t>(*streams);
  server_options.handler =
      net::handle_each([](net::Request&& request, const net::Responder& responder) {
        responder.respond(net::Response{200, {}, std::move(request.body)});
      });
  net::Server server(server_options);
  if (auto started = server.start(); !started) {
    std::cerr << "voipsim selftest: server did not start: " << started.error().message() << "\n";
    return kExitFailed;
  }

  net::IoThreads io(1);
  std::vector<std::unique_ptr<net::Client>> clients;
  for (std::uint64_t c = 0; c < *connections; ++c) {
    net::ClientOptions o;
    o.port = server.port();
    o.request_timeout = std::chrono::minutes(5);
    o.max_queued_requests = *requests;
    clients.push_back(std::make_unique<net::Client>(io, o));
  }

  Tally tally;
  const auto started_at = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < *requests; ++i) {
    net::Request r;
    r.method = "POST";
    r.path = "/selftest/" + std::to_string(i);
    r.body = body_for(i, *body_bytes);
    clients[i % clients.size()]->submit(
        std::move(r), [i, size = *body_bytes, &tally](net::ResponseResult result) {
          std::string problem;
          if (!result)
            problem = result.error().message;
          else if (result->status != 200)
            problem = "status " + std::to_string(result->status);
          else if (result->body != body_for(i, size))
            problem = "echoed body differs";
          std::lock_guard lock(tally.mutex);
          ++tally.done;
          if (problem.empty())
            ++tally.ok;
          else if (tally.problems.size() < 5)
            tally.problems.push_back("request " + std::to_string(i) + ": " + problem);
          tally.changed.notify_all();
        });
  }

  const bool progress = !json && isatty(STDERR_FILENO);
  {
    std::unique_lock lock(tally.mutex);
    while (tally.done < *requests) {
      tally.changed.wait_for(lock, std::chrono::milliseconds(250));
      if (progress)
        std::fprintf(stderr, "\r  %llu / %llu requests", (unsigned long long)tally.done,
                     (unsigned long long)*requests);
    }
  }
  if (progress) std::fprintf(stderr, "\r%40s\r", "");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
  clients.clear();
  server.stop();

  const bool pass = tally.ok == *requests;
  if (json) {
    nlohmann::json out = {{"command", "selftest"},
                          {"transport", "h2c"},
                          {"requests", *requests},
                          {"ok", tally.ok},
                          {"failed", *requests - tally.ok},
                          {"connections", *connections},
                          {"streams", *streams},
                          {"body_bytes", *body_bytes},
                          {"seconds", seconds},
                          {"problems", tally.problems},
                          {"pass", pass}};
    std::cout << out.dump() << "\n";
  } else {
    std::printf("voipsim selftest: HTTP/2 (h2c) on 127.0.0.1:%u, %llu connection(s), %llu streams, "
                "%llu-byte bodies\n",
                server.port(), (unsigned long long)*connections, (unsigned long long)*streams,
                (unsigned long long)*body_bytes);
    std::printf("  %llu of %llu requests answered correctly in %.2f s (%.0f requests/s)\n",
                (unsigned long long)tally.ok, (unsigned long long)*requests, seconds,
                seconds > 0 ? double(*requests) / seconds : 0.0);
    for (const auto& p : tally.problems)
      std::printf("  problem: %s\n", p.c_str());
    std::printf("  result: %s\n", pass ? "PASS" : "FAIL");
  }
  return pass ? kExitOk : kExitFailed;
}

} // namespace cli
