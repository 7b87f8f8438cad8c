// voipsim-bench-server: net::Server with a trivial handler (200, no body) for h2load runs.
// Not a test and not part of voipsim: bench/h2load_compare.sh drives it.

#include "net/server.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

#include <signal.h>

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: voipsim-bench-server --cert FILE --key FILE [--port N] [--threads N]\n"
               "Serves 200 with an empty body to every request over TLS (ALPN h2) on\n"
               "127.0.0.1 until SIGINT/SIGTERM; prints 'listening on 127.0.0.1:PORT'.\n");
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  net::ServerOptions options;
  net::TlsServerConfig tls;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--cert")
      tls.certificate_chain_file = value;
    else if (flag == "--key")
      tls.private_key_file = value;
    else if (flag == "--port")
      options.port = static_cast<std::uint16_t>(std::atoi(value.c_str()));
    else if (flag == "--threads")
      options.threads = static_cast<std::size_t>(std::atoi(value.c_str()));
    else
      return usage();
  }
  if (argc % 2 == 0 || tls.certificate_chain_file.empty() || tls.private_key_file.empty())
    return usage();
  options.tls = tls;
  options.settings.max_concurrent_streams = 1000;
  options.handler = net::handle_each([](net::Request&&, net::Responder responder) {
    responder.respond(net::Response{200, {}, {}});
  });

  // Block the signals before any thread starts, then wait for one here.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  net::Server server(options);
  if (auto started = server.start(); !started) {
    std::fprintf(stderr, "voipsim-bench-server: %s\n", started.error().message().c_str());
    return 1;
  }
  std::printf("listening on 127.0.0.1:%u\n", server.port());
  std::fflush(stdout);
  int received = 0;
  sigwait(&signals, &received);
  server.stop();
  return 0;
}
