// `voipsim selftest`: the HTTP/2 transport checked end to end on loopback, optionally over TLS
// with the PKI `voipsim certs` writes.

#include "cli/selftest.hpp"

#include "cli/commands.hpp"
#include "core/apns_environment.hpp"
#include "net/client.hpp"
#include "net/server.hpp"
#include "pki/classify.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <mutex>

#include <nlohmann/json.hpp>
#include <unistd.h>

namespace cli {

const char* const kSelftestHelp = R"(Usage: voipsim selftest [options]

Starts an HTTP/2 server on 127.0.0.1 with an ephemeral port and sends it requests from
voipsim's own HTTP/2 client, multiplexed over a few connections. The server echoes each body;
every answer is checked byte for byte. Use it to see that the transport works on this machine.
It is not a benchmark: see bench/README.md for measured speed.

Without --tls-dir it speaks cleartext h2c. With --tls-dir DIR (a directory written by
'voipsim certs') it runs the way the mock will: TLS with ALPN h2, the server presenting
DIR/server.pem, the client checking it as api.sandbox.push.apple.com against DIR/ca-bundle.pem
and presenting DIR/voip-services.pem, which the server requires and classifies like APNs.

Options:
  --requests N      requests to send in total (default 10000)
  --connections N   client connections, requests spread evenly (default 1)
  --streams N       MAX_CONCURRENT_STREAMS the server advertises (default 100)
  --body-bytes N    request body size in bytes, echoed back (default 1024, at most 8388608)
  --threads N       server I/O threads (default 1)
  --tls-dir DIR     use TLS with the certificates in DIR (see above)
  --json            print the summary as one JSON object on stdout
  -h, --help        show this help

Output: a progress line on stderr while running (on a terminal), then a summary.

Examples:
  voipsim selftest
  voipsim selftest --requests 100000 --connections 4 --threads 2
  voipsim certs --out pki --bundle-id com.example.imapp --team-id TEAMA12345 \
      --key-id KB00000001 --p12-password-file p12.secret
  voipsim selftest --tls-dir pki --json

Exit status: 0 every answer was right, 1 some request failed, 2 bad usage.
)";

namespace selftest_command {
namespace {

struct Tally {
  std::mutex mutex;
  std::condition_variable changed;
  std::uint64_t done = 0;
  std::uint64_t ok = 0;
  std::vector<std::string> problems; // the first few, for the report
  std::string client_identity;       // what the server read from the client certificate
  bool client_rejected = false;      // the server would refuse it the way APNs does
};

std::string body_for(std::uint64_t i, std::size_t size) {
  std::string body(size, '\0');
  for (std::size_t k = 0; k < size; ++k)
    body[k] = static_cast<char>('a' + (i + k) % 26);
  return body;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// "voip-services for com.example.imapp (sandbox, production), topics com.example.imapp.voip"
std::string describe(const pki::ProviderIdentity& id) {
  std::string environments;
  if (id.development) environments = core::to_string(core::ApnsEnvironment::Sandbox);
  if (id.production)
    environments += (environments.empty() ? "" : ", ") +
                    std::string(core::to_string(core::ApnsEnvironment::Production));
  std::string text = std::string(pki::kind_name(id.kind)) + " for " + id.bundle_id + " (" +
                     (environments.empty() ? "no environment" : environments) + "), topics";
  for (const auto& t : id.topics)
    text += " " + t;
  return text;
}

// Echoes bodies; on TLS, classifies the client certificate once per connection, as APNs does.
net::HandlerFactory echo_and_classify(const std::shared_ptr<const pki::TrustStore>& trust,
                                      Tally& tally) {
  auto echo = net::handle_each([](net::Request&& request, const net::Responder& responder) {
    responder.respond(net::Response{200, {}, std::move(request.body)});
  });
  return [echo, trust, &tally](const net::PeerInfo& peer, net::ConnectionHandle connection) {
    if (trust) {
      auto id =
          pki::classify_certificate(peer.client_certificate_der, *trust, core::SystemClock().now());
      std::lock_guard lock(tally.mutex);
      tally.client_identity = id ? describe(*id) : "rejected: " + id.error().message();
      tally.client_rejected = !id;
    }
    return echo(peer, std::move(connection));
  };
}

// DIR/ca-bundle.pem as the server's trust store, or nullptr (said on stderr) if it cannot be.
std::shared_ptr<const pki::TrustStore> trust_of(const std::string& tls_dir) {
  const std::string bundle = tls_dir + "/ca-bundle.pem";
  std::error_code ec;
  const bool present = std::filesystem::exists(bundle, ec);
  auto store = pki::TrustStore::from_pem(present ? read_file(bundle) : std::string());
  if (!store) {
    std::cerr << "voipsim selftest: cannot use " << bundle << ": "
              << (present ? store.error().message() : "no such file")
              << "\nWrite the directory with 'voipsim certs --out " << tls_dir << " ...' first.\n";
    return nullptr;
  }
  return std::make_shared<const pki::TrustStore>(std::move(*store));
}

std::vector<std::unique_ptr<net::Client>> make_clients(net::IoThreads& io, const Options& o,
                                                       std::uint16_t port) {
  std::vector<std::unique_ptr<net::Client>> clients;
  for (std::uint64_t c = 0; c < o.connections; ++c) {
    net::ClientOptions options;
    options.port = port;
    options.request_timeout = std::chrono::minutes(5);
    options.max_queued_requests = o.requests;
    if (!o.tls_dir.empty()) {
      net::TlsClientConfig t;
      t.ca_file = o.tls_dir + "/ca-bundle.pem";
      t.certificate_file = o.tls_dir + "/voip-services.pem";
      t.private_key_file = o.tls_dir + "/voip-services.key";
      t.server_name = "api.sandbox.push.apple.com";
      options.tls = t;
    }
    clients.push_back(std::make_unique<net::Client>(io, options));
  }
  return clients;
}

// Submits every request, spread over the clients; each answer is checked and counted.
void send_all(const std::vector<std::unique_ptr<net::Client>>& clients, const Options& o,
              Tally& tally) {
  for (std::uint64_t i = 0; i < o.requests; ++i) {
    net::Request r;
    r.method = "POST";
    r.path = "/selftest/" + std::to_string(i);
    r.body = body_for(i, o.body_bytes);
    clients[i % clients.size()]->submit(
        std::move(r), [i, size = o.body_bytes, &tally](net::ResponseResult result) {
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
}

// Until every answer is in; a progress line on stderr when it is a terminal.
void wait_for_answers(Tally& tally, std::uint64_t requests, bool progress) {
  {
    std::unique_lock lock(tally.mutex);
    while (tally.done < requests) {
      tally.changed.wait_for(lock, std::chrono::milliseconds(250));
      if (progress)
        std::fprintf(stderr, "\r  %llu / %llu requests", (unsigned long long)tally.done,
                     (unsigned long long)requests);
    }
  }
  if (progress) std::fprintf(stderr, "\r%40s\r", "");
}

void print_summary(const Options& o, const Tally& tally, std::uint16_t port, double seconds,
                   bool pass) {
  const std::string transport = o.tls_dir.empty() ? "h2c" : "h2 over TLS";
  if (o.json) {
    nlohmann::json out = {{"command", "selftest"},
                          {"transport", transport},
                          {"requests", o.requests},
                          {"ok", tally.ok},
                          {"failed", o.requests - tally.ok},
                          {"connections", o.connections},
                          {"streams", o.streams},
                          {"body_bytes", o.body_bytes},
                          {"seconds", seconds},
                          {"problems", tally.problems},
                          {"pass", pass}};
    if (!o.tls_dir.empty()) out["client_certificate"] = tally.client_identity;
    std::cout << out.dump() << "\n";
    return;
  }
  std::printf("voipsim selftest: HTTP/2 (%s) on 127.0.0.1:%u, %llu connection(s), %llu streams, "
              "%llu-byte bodies\n",
              transport.c_str(), port, (unsigned long long)o.connections,
              (unsigned long long)o.streams, (unsigned long long)o.body_bytes);
  if (!o.tls_dir.empty()) {
    std::printf("  server certificate: verified as api.sandbox.push.apple.com\n");
    std::printf("  client certificate: %s\n", tally.client_identity.c_str());
  }
  std::printf("  %llu of %llu requests answered correctly in %.2f s (%.0f requests/s)\n",
              (unsigned long long)tally.ok, (unsigned long long)o.requests, seconds,
              seconds > 0 ? double(o.requests) / seconds : 0.0);
  for (const auto& p : tally.problems)
    std::printf("  problem: %s\n", p.c_str());
  std::printf("  result: %s\n", pass ? "PASS" : "FAIL");
}

} // namespace

core::Result<Args> args_of(const std::vector<std::string>& words) {
  return Args::parse(
      words, {"requests", "connections", "streams", "body-bytes", "threads", "tls-dir"}, {"json"});
}

core::Result<Options> options_of(const Args& args) {
  if (auto none = no_positional(args); !none) return core::Unexpected(none.error());
  const auto requests = args.number("requests", 10'000, 1, 10'000'000);
  if (!requests) return core::Unexpected(requests.error());
  const auto connections = args.number("connections", 1, 1, 64);
  if (!connections) return core::Unexpected(connections.error());
  const auto streams = args.number("streams", 100, 1, 100'000);
  if (!streams) return core::Unexpected(streams.error());
  const auto body_bytes = args.number("body-bytes", 1024, 0, std::uint64_t{8} << 20);
  if (!body_bytes) return core::Unexpected(body_bytes.error());
  const auto threads = args.number("threads", 1, 1, 64);
  if (!threads) return core::Unexpected(threads.error());
  // Every body is made before sending: keep that within reason.
  if (*requests * *body_bytes > (std::uint64_t{1} << 30))
    return core::fail(core::Errc::InvalidArgument,
                      "--requests times --body-bytes must stay within 1 GiB");
  Options o;
  o.requests = *requests;
  o.connections = *connections;
  o.streams = *streams;
  o.body_bytes = *body_bytes;
  o.threads = *threads;
  o.tls_dir = args.get("tls-dir", "");
  o.json = args.has("json");
  return o;
}

int run(const Options& o) {
  Tally tally;
  net::ServerOptions server_options;
  server_options.threads = o.threads;
  server_options.settings.max_concurrent_streams = static_cast<std::uint32_t>(o.streams);
  std::shared_ptr<const pki::TrustStore> trust;
  if (!o.tls_dir.empty()) {
    trust = trust_of(o.tls_dir);
    if (!trust) return kExitFailed;
    net::TlsServerConfig tls;
    tls.certificate_chain_file = o.tls_dir + "/server.pem";
    tls.private_key_file = o.tls_dir + "/server.key";
    tls.client_certificates = net::ClientCertMode::Require;
    tls.client_ca_file = o.tls_dir + "/ca-bundle.pem";
    server_options.tls = std::move(tls);
  }
  server_options.handler = echo_and_classify(trust, tally);
  net::Server server(server_options);
  if (auto started = server.start(); !started)
    return fail("selftest", "server did not start: " + started.error().message(), kExitFailed);

  net::IoThreads io(1);
  auto clients = make_clients(io, o, server.port());
  const auto started_at = std::chrono::steady_clock::now();
  send_all(clients, o, tally);
  wait_for_answers(tally, o.requests, !o.json && isatty(STDERR_FILENO));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
  clients.clear();
  server.stop();

  const bool pass = tally.ok == o.requests && !tally.client_rejected;
  print_summary(o, tally, server.port(), seconds, pass);
  return pass ? kExitOk : kExitFailed;
}

} // namespace selftest_command

int selftest(const std::vector<std::string>& words) {
  return run_words("selftest", words, selftest_command::args_of, selftest_command::options_of,
                   selftest_command::run);
}

} // namespace cli
