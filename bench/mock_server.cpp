// voipsim-bench-mock: the APNs mock loaded with N device tokens for h2load runs, or just the
// resident memory of N tokens. Not a test and not part of voipsim: bench/mock_apns_compare.sh
// drives it.

#include "bench_tokens.hpp"
#include "mock_apns/pki_dir.hpp"
#include "mock_apns/server.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include <signal.h>

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: voipsim-bench-mock --dir DIR [--tokens N] [--uris K] [--threads N] "
               "[--journal N] [--memory-only]\n"
               "Makes a PKI in DIR, loads N sandbox VoIP tokens (default 1000000) into a strict\n"
               "registry, writes DIR/uris.txt (K request URIs over those tokens, default 1000)\n"
               "and DIR/jwt.txt (a provider token for the PKI's key), starts the mock with the\n"
               "per-token rate limit off and prints 'listening on 127.0.0.1:PORT rss_kib=R'.\n"
               "--memory-only prints 'tokens=N rss_kib=R' after loading and exits.\n");
  return 2;
}

long rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

} // namespace

int main(int argc, char** argv) {
  std::string dir;
  std::uint64_t tokens = 1'000'000, uris = 1000, threads = 1, journal = 10'000;
  bool memory_only = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--memory-only") {
      memory_only = true;
      continue;
    }
    if (i + 1 >= argc) return usage();
    const std::string value = argv[++i];
    if (flag == "--dir")
      dir = value;
    else if (flag == "--tokens")
      tokens = std::strtoull(value.c_str(), nullptr, 10);
    else if (flag == "--uris")
      uris = std::strtoull(value.c_str(), nullptr, 10);
    else if (flag == "--threads")
      threads = std::strtoull(value.c_str(), nullptr, 10);
    else if (flag == "--journal")
      journal = std::strtoull(value.c_str(), nullptr, 10);
    else
      return usage();
  }
  if (dir.empty() && !memory_only) return usage();

  mock_apns::ServerOptions options;
  options.settings.per_token_burst = 0; // h2load hits the same tokens thousands of times
  options.threads = threads;
  options.seed = 1;
  options.journal.capacity = journal;
  std::optional<mock_apns::PkiDir> pki;
  if (!memory_only) {
    auto made = mock_apns::make_pki_dir(dir, core::SystemClock().now(), "bench");
    if (!made) {
      std::fprintf(stderr, "voipsim-bench-mock: %s\n", made.error().message().c_str());
      return 1;
    }
    pki = std::move(*made);
    options.certificate_chain_file = pki->server_certificate_file;
    options.private_key_file = pki->server_key_file;
    options.client_ca_file = pki->ca_bundle_file;
  }
  mock_apns::Server server(options);
  for (std::uint64_t i = 0; i < tokens; ++i) {
    (void)server.tokens().put(
        {bench::token_hex(i), mock_apns::Environment::Sandbox, "com.example.imapp.voip"});
  }
  const long loaded_rss = rss_kib();
  if (memory_only) {
    std::printf("tokens=%llu rss_kib=%ld\n",
                static_cast<unsigned long long>(server.tokens().size()), loaded_rss);
    return 0;
  }
  if (auto registered = mock_apns::register_pki_dir(*pki, server.keys()); !registered) {
    std::fprintf(stderr, "voipsim-bench-mock: %s\n", registered.error().message().c_str());
    return 1;
  }
  auto jwt = mock_apns::provider_token(*pki, core::SystemClock().now());
  if (!jwt) {
    std::fprintf(stderr, "voipsim-bench-mock: %s\n", jwt.error().message().c_str());
    return 1;
  }
  std::ofstream(dir + "/jwt.txt") << *jwt << "\n";
  std::ofstream uri_file(dir + "/uris.txt");
  for (std::uint64_t i = 0; i < uris; ++i) {
    uri_file << "/3/device/" << bench::token_hex(i * (tokens / std::max<std::uint64_t>(uris, 1)))
             << "\n";
  }
  uri_file.close();

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (auto started = server.start(); !started) {
    std::fprintf(stderr, "voipsim-bench-mock: %s\n", started.error().message().c_str());
    return 1;
  }
  std::printf("listening on 127.0.0.1:%u rss_kib=%ld\n",
              server.port(mock_apns::Environment::Sandbox), loaded_rss);
  std::fflush(stdout);
  int received = 0;
  sigwait(&signals, &received);
  server.stop();
  return 0;
}
