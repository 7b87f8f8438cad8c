// voipsim mock-apns: the APNs mock as a standalone server for test suites in any language.
#include "cli/mock_apns.hpp"

#include "cli/commands.hpp"
#include "cli/secret.hpp"
#include "core/clock.hpp"
#include "core/encoding.hpp"
#include "core/file.hpp"
#include "core/json_parse.hpp"
#include "mock_apns/admin_server.hpp"
#include "mock_apns/json_codec.hpp"
#include "mock_apns/log_throttle.hpp"
#include "mock_apns/pki_dir.hpp"
#include "mock_apns/server.hpp"
#include "scenario/recorder.hpp"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string_view>

#include <nlohmann/json.hpp>

namespace cli {

const char* const kMockApnsHelp =
    R"(Usage: voipsim mock-apns [--sandbox HOST:PORT] [--production HOST:PORT] [--admin HOST:PORT]
                         [--pki DIR] [--auth cert,token] [--strict | --permissive]
                         [--tokens FILE] [--config FILE] [--seed N] [--threads N]
                         [--journal-size N] [--journal-body-limit BYTES] [--journal-max-mb N]
                         [--per-token-burst N] [--unregister-delay SECONDS] [--verbose]
                         [--record FILE] [--admin-secret-file FILE] [--allow-host NAME]...

Runs a local mock of Apple's APNs provider API (HTTP/2 over TLS): a sandbox and a production
listener that answer exactly as APNs does (docs/spec/apns-provider-api.md), and an admin API
(plain HTTP/1.1, JSON) to seed tokens and keys, read the journal, verify, inject faults and
follow deliveries. With no flags it makes its own PKI in a temporary folder and picks free
ports.

When ready it prints one JSON line to stdout:
  {"event":"ready","sandbox":"127.0.0.1:P1","production":"127.0.0.1:P2","admin":"127.0.0.1:P3",
   "console":"http://127.0.0.1:P3/","pki":"DIR"}
Open the console in a browser on this machine to watch every request, its answer and where
the push went (with an admin secret, the page asks for it once).
Point an APNs client at the sandbox or production address with DIR/ca-bundle.pem as its CA
(the server certificate also names api.sandbox.push.apple.com and api.push.apple.com), and
either a provider certificate from DIR (certificate auth) or a JWT signed with DIR's .p8 key
(token auth). A refused TLS handshake (e.g. a client certificate from another CA) prints a
line to stderr naming the listener, the client and OpenSSL's reason, at most one a second.
SIGINT or SIGTERM shuts down gracefully (GOAWAY {"reason":"Shutdown"}) and prints
{"event":"stopped",...} with the request counters.

Options:
  --sandbox HOST:PORT      sandbox listener (default 127.0.0.1:0, a free port)
  --production HOST:PORT   production listener (default 127.0.0.1:0)
  --admin HOST:PORT        admin API (default 127.0.0.1:0); keep it on loopback. Beyond
                           loopback without a secret it prints {"event":"warning",...} first
  --admin-secret-file FILE the admin API then needs "Authorization: Bearer <secret>" on
                           every request but GET /v1/health (else 401); FILE holds the
                           secret (its trailing newline is ignored), e.g. made with
                           'openssl rand -hex 32 > FILE; chmod 600 FILE'. Without the flag
                           the secret comes from VOIPSIM_ADMIN_SECRET, if set. Never a plain
                           value on the command line: ps would show it
  --allow-host NAME        the admin API also answers requests addressed to NAME (a proxy's
                           or container's host name; repeatable). Without it, it answers
                           only localhost, loopback and its own IP address, and refuses
                           requests from web pages of other origins and POST/PUT/PATCH/DELETE
                           without "Content-Type: application/json" (see mock_apns/README.md,
                           "Browsers")
  --pki DIR                a folder written by 'voipsim certs': the mock trusts its CA bundle,
                           serves its server certificate and knows its provider token key
                           (default: a fresh one in a temporary folder, removed on exit,
                           or at the next start when the mock was killed; its .p12
                           password is "voipsim")
  --auth cert,token        which auth modes to serve (default both). "cert" alone: a client
                           without a certificate is a token connection, as at APNs, whose
                           requests all get 403 (MissingProviderToken, or
                           InvalidProviderToken when they carry a JWT); a certificate from
                           another CA fails the handshake. "token" alone asks for none
  --strict                 unknown device tokens answer 400 BadDeviceToken (default)
  --permissive             any well-formed device token is accepted
  --tokens FILE            token records to load: a JSON array of
                           {"token":"<hex>","environment":"sandbox|production",
                            "topic":"<bundle>[.voip]","state":"active|unregistered|expired",
                            "timestamp":<ms>}
  --config FILE            JSON object of settings by their names in apns-provider-api.md §10,
                           e.g. {"perTokenBurst":0,"envKeyReasonSpelling":"documented",
                                 "perStreamCertEnvErrors":true,"strictJson":true,
                                 "connectionIdleTimeout":3600}; durations are in seconds.
                           GET /v1/settings on the admin API lists every one with its value.
  --seed N                 generated apns-ids repeat for the same seed (default: random)
  --threads N              I/O threads per listener (default 1)
  --journal-size N         requests kept in the journal ring (default 10000; the counters
                           in /metrics and the journal stay exact beyond it). Each keeps
                           the request's headers, its body and the answer
  --journal-body-limit B   body bytes kept per request (default 5120, any legal VoIP
                           payload; the true size is kept beside it)
  --journal-max-mb N       the ring's memory bound in MiB (default 320): when slots filled
                           to their bounds by hostile clients would not fit, the ring keeps
                           fewer requests (GET /v1/settings' journal says how many)
  --verbose                one stderr line per request: time, listener, auth, token,
                           status, reason
  --per-token-burst N      requests per token per window before 429 TooManyRequests
                           (default 20; 0 turns the limit off, e.g. for benchmarks)
  --unregister-delay S     seconds an unregistered token still gets 200 (default 0); the 410's
                           timestamp is the end of the delay (apns-provider-api.md §5.3)
  --record FILE            on shutdown, write the traffic seen as a scenario skeleton that
                           'voipsim run FILE' replays: a simulated device per VoIP token,
                           each request a push step expecting the answer it got, the pauses
                           between them as advance steps (what the journal ring still holds)
  -h, --help               show this help

Examples:
  voipsim mock-apns                   # its own PKI in a temporary folder, free ports
  voipsim certs --out pki --bundle-id com.example.imapp --team-id TEAMA12345 \
      --key-id KB00000001 --p12-password-file p12.secret
  voipsim mock-apns --pki pki --sandbox 127.0.0.1:2197 --production 127.0.0.1:2198 \
      --admin 127.0.0.1:8080 > mock.jsonl &
  curl http://127.0.0.1:8080/v1/tokens --json \
      '{"token":"TOKEN","environment":"sandbox","topic":"com.example.imapp.voip"}'
  curl --http2 --cacert pki/ca-bundle.pem --cert pki/voip-services.pem \
      --key pki/voip-services.key --resolve api.sandbox.push.apple.com:2197:127.0.0.1 \
      -H "apns-push-type: voip" -H "apns-topic: com.example.imapp.voip" -d '{"aps":{}}' \
      https://api.sandbox.push.apple.com:2197/3/device/TOKEN
  curl http://127.0.0.1:8080/v1/journal     # every answer, with its cause
  voipsim mock-apns --permissive --per-token-burst 0   # load tests: any token, no 429

Exit status: 0 stopped by a signal, 1 could not start (busy port, unreadable files),
2 bad usage (an unreadable or empty secret file included).
)";

namespace mock_apns_command {
namespace {

// Why the mock could not start, and so its exit status: a file named by a flag that cannot be
// read is a failure to start, one that holds the wrong thing is bad usage.
struct Failure {
  std::string message;
  int status = kExitFailed;
};
template <class T>
using Loaded = core::Result<T, Failure>;
core::Unexpected<Failure> failure(std::string message, int status) {
  return core::Unexpected(Failure{std::move(message), status});
}

// One stderr line per refused TLS handshake, at most one a second (a client retrying with the
// wrong certificate would flood it); the line says how many went unwritten before it.
void log_refusal(mock_apns::LogThrottle& throttle, const mock_apns::HandshakeRefusal& refusal) {
  const auto unwritten = throttle.admit(std::chrono::system_clock::now());
  if (!unwritten) return;
  std::string line = "voipsim mock-apns: the " + std::string(core::to_string(refusal.environment)) +
                     " listener (port " + std::to_string(refusal.port) +
                     ") refused a TLS handshake from " + refusal.peer + ": " + refusal.reason;
  if (*unwritten > 0)
    line += " (and " + std::to_string(*unwritten) + " more refused since the line before)";
  std::cerr << line + "\n";
}

// --verbose: one line per request, e.g.
// "2026-12-07T06:10:09.123Z sandbox token KB00000001 (team TEAMA12345) aa35…eaf6 400
// BadDeviceToken". Lines from several I/O threads are written whole (one << of one string).
void log_request(const mock_apns::JournalEntry& e) {
  std::string line = core::iso8601_millis(e.time);
  // A refused certificate's text carries what the client sent: printable only.
  line.append(" ").append(core::to_string(e.environment)).append(" ");
  line.append(core::printable(e.auth, 200)).append(" ");
  line.append(e.token.empty() ? "-" : core::printable(e.token)).append(" ");
  line.append(std::to_string(e.status));
  if (e.reason) line.append(" ").append(mock_apns::reason_text(*e.reason));
  std::cerr << line + "\n";
}

// The server's options without its PKI: the --config file's settings, then the flags over them.
Loaded<mock_apns::ServerOptions> server_options_of(const Options& o) {
  mock_apns::ServerOptions options;
  options.host = o.sandbox.host;
  options.sandbox_port = o.sandbox.port;
  options.production_port = o.production.port;
  options.certificate_auth = o.certificate_auth;
  options.token_auth = o.token_auth;
  if (o.config_file) {
    const auto text = core::read_file(*o.config_file);
    if (!text) return failure("cannot read --config " + *o.config_file, kExitFailed);
    const auto json = core::parse_json(*text);
    if (!json) return failure(*o.config_file + " is " + json.error().detail, kExitUsage);
    if (auto applied = mock_apns::apply_settings_json(*json, options.settings); !applied)
      return failure(*o.config_file + ": " + applied.error().detail, kExitUsage);
  }
  if (o.strict_tokens) options.settings.strict_tokens = *o.strict_tokens;
  if (o.per_token_burst) options.settings.per_token_burst = *o.per_token_burst;
  if (o.unregister_delay) options.settings.unregister_delay = *o.unregister_delay;
  options.seed = o.seed;
  options.threads = o.threads;
  options.journal.capacity = o.journal_size;
  options.journal.body_limit = o.journal_body_limit;
  options.journal.max_bytes = o.journal_max_mb << 20;
  if (o.verbose) options.on_request = log_request;
  return options;
}

Loaded<std::vector<mock_apns::TokenRecord>> tokens_of(const Options& o) {
  if (!o.tokens_file) return std::vector<mock_apns::TokenRecord>();
  const auto text = core::read_file(*o.tokens_file);
  if (!text) return failure("cannot read --tokens " + *o.tokens_file, kExitFailed);
  auto parsed = mock_apns::parse_token_records(*text);
  if (!parsed) return failure(*o.tokens_file + ": " + parsed.error().detail, kExitUsage);
  return std::move(*parsed);
}

// The --pki folder, or a temporary one that goes when this does (a killed mock's is removed at
// the next start).
class PkiFolder {
public:
  explicit PkiFolder(const std::optional<std::string>& dir) {
    if (dir) {
      pki_ = mock_apns::load_pki_dir(*dir);
      return;
    }
    pki_ = mock_apns::make_temporary_pki_dir(core::SystemClock().now(), "voipsim");
    if (pki_) temporary_ = pki_->dir;
  }
  ~PkiFolder() {
    std::error_code ignored;
    if (temporary_) std::filesystem::remove_all(*temporary_, ignored);
  }
  PkiFolder(const PkiFolder&) = delete;
  PkiFolder& operator=(const PkiFolder&) = delete;

  const core::Result<mock_apns::PkiDir>& get() const { return pki_; }

private:
  core::Result<mock_apns::PkiDir> pki_ = core::fail(core::Errc::InvalidArgument, "");
  std::optional<std::filesystem::path> temporary_;
};

void print_ready(const mock_apns::Server& server, const std::string& host,
                 const mock_apns::AdminServer& admin, const Options& o,
                 const mock_apns::PkiDir& pki) {
  mock_apns::ReadyLine ready;
  ready.sandbox = address(host, server.port(mock_apns::Environment::Sandbox));
  ready.production = address(host, server.port(mock_apns::Environment::Production));
  ready.admin = address(o.admin.host, admin.port());
  ready.console = "http://" + ready.admin + "/";
  ready.pki = pki.dir.string();
  std::cout << mock_apns::to_json(ready).dump() << std::endl;
}

// What the journal ring still holds, as a scenario that replays it (--record).
std::string recording_of(mock_apns::Server& server, std::uint64_t requests) {
  scenario::Recording recording;
  recording.requests = server.journal().query({}, server.journal().capacity());
  recording.find_token = [&server](std::string_view t) { return server.tokens().find(t); };
  recording.strict_tokens = server.settings().strict_tokens;
  recording.unregister_delay = server.settings().unregister_delay;
  recording.dropped = requests - recording.requests.size();
  recording.recorded_at = server.clock().now();
  return scenario::record_scenario(recording);
}

} // namespace

core::Result<Args> args_of(const std::vector<std::string>& words) {
  return Args::parse(words,
                     {"sandbox", "production", "admin", "pki", "auth", "tokens", "config", "seed",
                      "threads", "journal-size", "journal-body-limit", "journal-max-mb",
                      "per-token-burst", "unregister-delay", "record", "admin-secret-file",
                      "allow-host"},
                     {"strict", "permissive", "verbose"});
}

core::Result<Options> options_of(const Args& args) {
  if (auto none = no_positional(args); !none) return core::Unexpected(none.error());
  Options o;
  const auto sandbox = args.host_port("sandbox", kAnyLoopbackPort);
  if (!sandbox) return core::Unexpected(sandbox.error());
  const auto production = args.host_port("production", kAnyLoopbackPort);
  if (!production) return core::Unexpected(production.error());
  const auto admin = args.host_port("admin", kAnyLoopbackPort);
  if (!admin) return core::Unexpected(admin.error());
  o.sandbox = *sandbox;
  o.production = *production;
  o.admin = *admin;
  o.admin_secret_file = args.find("admin-secret-file");
  if (o.sandbox.host != o.production.host) {
    return core::fail(core::Errc::InvalidArgument,
                      "--sandbox and --production must use the same host");
  }
  const std::string auth = args.get("auth", "cert,token");
  o.certificate_auth = o.token_auth = false;
  // Word by word: each of cert and token at most once.
  for (std::size_t from = 0; from <= auth.size();) {
    const std::size_t comma = std::min(auth.find(',', from), auth.size());
    const std::string_view word = std::string_view(auth).substr(from, comma - from);
    bool& chosen = word == "cert" ? o.certificate_auth : o.token_auth;
    if ((word != "cert" && word != "token") || chosen) {
      return core::fail(core::Errc::InvalidArgument,
                        "--auth takes cert, token or cert,token; got '" + auth + "'");
    }
    chosen = true;
    from = comma + 1;
  }
  if (args.has("strict") && args.has("permissive")) {
    return core::fail(core::Errc::InvalidArgument, "--strict and --permissive exclude each other");
  }
  if (args.has("permissive")) o.strict_tokens = false;
  if (args.has("strict")) o.strict_tokens = true;
  o.config_file = args.find("config");
  const auto seed = args.number("seed", 0, 0, UINT64_MAX);
  if (!seed) return core::Unexpected(seed.error());
  const auto threads = args.number("threads", 1, 1, 64);
  if (!threads) return core::Unexpected(threads.error());
  const auto journal_size = args.number("journal-size", 10'000, 1, 100'000'000);
  if (!journal_size) return core::Unexpected(journal_size.error());
  const auto body_limit = args.number("journal-body-limit", 5'120, 0, 16 << 20);
  if (!body_limit) return core::Unexpected(body_limit.error());
  const auto max_mb = args.number("journal-max-mb", 320, 1, 1 << 20);
  if (!max_mb) return core::Unexpected(max_mb.error());
  const auto burst = args.optional_number("per-token-burst", 0, UINT32_MAX);
  if (!burst) return core::Unexpected(burst.error());
  const auto delay = args.optional_number("unregister-delay", 0, 365ULL * 86400);
  if (!delay) return core::Unexpected(delay.error());
  o.seed = *seed;
  o.threads = *threads;
  o.journal_size = *journal_size;
  o.journal_body_limit = *body_limit;
  o.journal_max_mb = *max_mb;
  o.verbose = args.has("verbose");
  if (*burst) o.per_token_burst = static_cast<std::uint32_t>(**burst);
  if (*delay) o.unregister_delay = std::chrono::seconds(**delay);
  o.tokens_file = args.find("tokens");
  o.record_file = args.find("record");
  o.pki_dir = args.find("pki");
  o.allowed_hosts = args.every("allow-host");
  return o;
}

int run(const Options& o) {
  const auto admin_secret =
      read_secret(o.admin_secret_file, "admin-secret-file", mock_apns::kAdminSecretEnv);
  if (!admin_secret) return fail("mock-apns", admin_secret.error().detail, kExitUsage);
  auto options = server_options_of(o);
  if (!options) return fail("mock-apns", options.error().message, options.error().status);
  const auto tokens = tokens_of(o);
  if (!tokens) return fail("mock-apns", tokens.error().message, tokens.error().status);

  // Opened now, so that a path that cannot be written fails before anything is recorded.
  std::ofstream record;
  if (o.record_file) {
    record.open(*o.record_file, std::ios::binary | std::ios::trunc);
    if (!record) return fail("mock-apns", "cannot write --record " + *o.record_file, kExitFailed);
  }

  // Signals are taken by sigwait below; every thread started from here on inherits the mask.
  const sigset_t stop_signals = block_stop_signals();

  const PkiFolder folder(o.pki_dir);
  const auto& pki = folder.get();
  if (!pki) return fail("mock-apns", "--pki: " + pki.error().message(), kExitFailed);
  mock_apns::use_tls_files(*pki, *options);
  mock_apns::LogThrottle refusals_logged;
  options->on_handshake_refused = [&refusals_logged](const mock_apns::HandshakeRefusal& refusal) {
    log_refusal(refusals_logged, refusal);
  };

  mock_apns::Server server(*options);
  if (auto registered = mock_apns::register_pki_dir(*pki, server.keys()); !registered)
    return fail("mock-apns", "--pki: " + registered.error().message(), kExitFailed);
  for (std::size_t i = 0; i < tokens->size(); ++i) {
    if (auto put = server.tokens().put((*tokens)[i]); !put)
      return fail("mock-apns", "--tokens record " + std::to_string(i) + ": " + put.error().detail,
                  kExitUsage);
  }
  if (auto started = server.start(); !started)
    return fail("mock-apns", started.error().message(), kExitFailed);
  mock_apns::AdminServerOptions admin_options;
  admin_options.host = o.admin.host;
  admin_options.port = o.admin.port;
  admin_options.bearer_secret = *admin_secret;
  admin_options.allowed_hosts = o.allowed_hosts;
  admin_options.pki = std::make_shared<const mock_apns::PkiDir>(*pki);
  mock_apns::AdminServer admin_server(server, admin_options);
  if (auto started = admin_server.start(); !started) {
    server.stop();
    return fail("mock-apns", started.error().message(), kExitFailed);
  }
  warn_if_exposed("the admin API", o.admin.host, *admin_secret, "admin-secret-file",
                  mock_apns::kAdminSecretEnv);
  print_ready(server, options->host, admin_server, o, *pki);

  int signal = 0;
  sigwait(&stop_signals, &signal);
  admin_server.stop();
  server.stop();
  const auto counters = server.journal().counters();
  nlohmann::ordered_json stopped{{"event", "stopped"},
                                 {"signal", stop_signal_name(signal)},
                                 {"requests", counters.requests},
                                 {"accepted", counters.accepted},
                                 {"by_reason", counters.by_reason}};
  if (record.is_open()) {
    record << recording_of(server, counters.requests);
    record.close();
    stopped["recorded"] = *o.record_file;
    if (!record) stopped["record_error"] = "could not finish writing the recording";
  }
  std::cout << stopped.dump() << std::endl;
  return kExitOk;
}

} // namespace mock_apns_command

int mock_apns(const std::vector<std::string>& words) {
  return run_words("mock-apns", words, mock_apns_command::args_of, mock_apns_command::options_of,
                   mock_apns_command::run);
}

} // namespace cli
