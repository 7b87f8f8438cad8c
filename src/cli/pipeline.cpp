// voipsim pipeline: the IM push backend as a standalone server with its JSON API.
#include "pipeline/pipeline.hpp"

#include "cli/commands.hpp"
#include "cli/pipeline.hpp"
#include "cli/secret.hpp"
#include "core/file.hpp"
#include "net/http1_server.hpp"
#include "pipeline/api.hpp"
#include "pipeline/request_json.hpp"
#include "pki/classify.hpp"

#include <csignal>
#include <iostream>
#include <tuple>

#include <nlohmann/json.hpp>

namespace cli {

const char* const kPipelineHelp =
    R"(Usage: voipsim pipeline --apns-sandbox HOST:PORT --apns-production HOST:PORT --ca FILE
                        [--listen HOST:PORT] [--db FILE] [--apple-ca FILE] [--seed N]
                        [--retry-delay MS] [--max-retries N] [--max-in-flight N]
                        [--mobile-instances N] [--api-secret-file FILE] [--allow-host NAME]...

Runs the IM push backend (docs/spec/im-voip-flow.md): a certificate console, setVOIP, presence,
and a message service that sends a VoIP push over HTTP/2 to the receiver's APNs environment when
the receiver is offline, with a durable outbox in SQLite. Its API is JSON over HTTP/1.1:
  POST /v1/console/certificates {"name","p12_base64","password"}
                                   -> {"development_id":N,"production_id":M,...}
  GET /v1/console/certificates, DELETE /v1/console/certificates/{record_id}
  POST /v1/users/{user}/presence {"state":"online|background|killed|logged_out|kicked",
                     "installation":"<device id>"} -> {...,"kicked":["<device id>",...]}
  POST /v1/users/{user}/voip-token {"token":"<hex>","certificate_id":N,
                     "installation":"<device id>"}   (setVOIP)
  DELETE /v1/users/{user}/voip-token[?installation=ID]
  GET /v1/users/{user}/registration[?installation=ID], GET /v1/users/{user}/registrations
                     (installation: the phone's id; left out, "default": one phone per user)
  POST /v1/users/{user}/receive-options {"scope":"global|conversation|group","target",
                     "option":"RECEIVE|NOT_RECEIVE|RECEIVE_NOT_NOTIFY|..."}  ("Do not notify")
  GET /v1/users/{user}/receive-options
  POST /v1/groups {"id","type":"Work|Public|Meeting|AVChatRoom|Community","members":[..]}
  POST /v1/groups/{id}/members {"user"}, DELETE /v1/groups/{id}/members/{user},
  GET /v1/groups/{id}   (a group message goes to every member but the sender)
  POST /v1/messages {"sender","receiver","content","offline_push_info":{"ios_push_type":"voip",
                     "ext":"<json text>","title","desc"},"random":N} -> {"message_id":"msg-1"}
                     (the same sender, receiver and random within 60 s: the first's id again;
                     "group" and "at_users":[..] instead of "receiver": a group message)
  GET /v1/messages/{id} -> {"state":"pending|accepted|rejected|skipped_online|
                            skipped_no_push_requested|skipped_receive_option|
                            skipped_no_registration|
                            skipped_logged_out|skipped_group_type|payload_too_large|expired|
                            failed","reason":..,"apns_id":..,"attempts":N,"group":..,
                            "pushes":[{"receiver","installation","state","reason","apns_id",
                            "attempts"}]}
                            (one push per installation, of each member of a group; the
                            top-level fields: the push that got furthest, pending while one
                            is pending)
  GET /v1/health[?wait_idle_ms=N]  (answers once nothing is in flight, or after N ms)
  GET /v1
Errors are {"error":"<code>","message":"<text>"} with a 4xx status. With a secret, every
request but GET /v1/health needs "Authorization: Bearer <secret>" (else 401 UNAUTHORIZED).

When ready it prints {"event":"ready","listen":"127.0.0.1:P"}. Messages still pending when
it stops (or is killed) are sent again at the next start with the same --db. SIGINT or
SIGTERM stops it and prints {"event":"stopped",...}.

Options:
  --apns-sandbox HOST:PORT      where development certificate IDs push (a mock's "sandbox")
  --apns-production HOST:PORT   where production certificate IDs push (a mock's "production")
  --ca FILE                     trust anchors for the APNs servers' TLS certificates (PEM; for
                                'voipsim mock-apns', its PKI's ca-bundle.pem)
  --listen HOST:PORT            the API's address (default 127.0.0.1:0, a free port); beyond
                                loopback without a secret it prints {"event":"warning",...}
  --api-secret-file FILE        the API's bearer secret: FILE holds it (its trailing newline
                                is ignored). Without the flag it comes from
                                VOIPSIM_API_SECRET, if set. Never a plain value on the command
                                line: ps would show it
  --allow-host NAME             the API also answers requests addressed to NAME (a proxy's or
                                container's host name; repeatable). Without it, it answers
                                only localhost, loopback and its own IP address, and refuses
                                requests from web pages of other origins and POST/PUT/DELETE
                                without "Content-Type: application/json" (src/pipeline/README.md,
                                "Browsers")
  --db FILE                     the SQLite database (default voipsim-pipeline.db; ":memory:"
                                keeps nothing). It holds the private keys of uploaded .p12
                                files: it and its -wal/-shm files are made owner-only (0600),
                                and an existing one loses any group and other permissions
  --apple-ca FILE               Apple root and WWDR CA certificates (PEM) the console checks
                                uploads against (default: the --ca file)
  --seed N                      jitter of retries repeats for the same seed (default 1)
  --retry-delay MS              first retry after 429/5xx/no answer (default 1000; then
                                doubling up to 4 s, plus up to 50% jitter; 5xx and no answer
                                are retried until the call push is 30 s old, then expired)
  --max-retries N               429 retries before a message fails (default 3)
  --max-in-flight N             pushes sent and not yet answered by APNs, at most; beyond it
                                POST /v1/messages answers once one is (backpressure: a slow
                                APNs slows the senders instead of queueing; default 2048)
  --mobile-instances N          the product setting mobileInstances: installations of one user
                                logged in together (default 1, the industry's one phone); a
                                login beyond N kicks the one that logged in first: its presence
                                and registration become kicked and the answer of the login's
                                POST /v1/users/{user}/presence lists it in "kicked"
  -h, --help                    show this help

Examples:
  voipsim mock-apns > mock.jsonl &   # its ready line: "sandbox", "production", "pki"
  voipsim pipeline --apns-sandbox 127.0.0.1:P1 --apns-production 127.0.0.1:P2 \
      --ca PKI/ca-bundle.pem --listen 127.0.0.1:8081 --db :memory:
  curl http://127.0.0.1:8081/v1/console/certificates --json \
      "{\"name\":\"VoIP\",\"password\":\"voipsim\",\"p12_base64\":\"$(base64 -w0 PKI/voip-services.p12)\"}"
  curl http://127.0.0.1:8081/v1/users/bob/voip-token --json \
      '{"token":"TOKEN","certificate_id":DEVELOPMENT_ID}'   # the upload's development_id
  curl http://127.0.0.1:8081/v1/users/bob/presence --json '{"state":"background"}'
  curl http://127.0.0.1:8081/v1/messages --json '{"sender":"alice","receiver":"bob",
      "content":"call","offline_push_info":{"ios_push_type":"voip"}}'
  curl http://127.0.0.1:8081/v1/messages/msg-1         # its state, reason, attempts
  # Two phones of bob ringing together (im-voip-flow.md §3.4): start with --mobile-instances 2
  curl http://127.0.0.1:8081/v1/users/bob/presence --json \
      '{"state":"background","installation":"bobs-ipad"}'

Exit status: 0 stopped by a signal, 1 could not start (unreadable files, busy port, a
database of another schema version), 2 bad usage (an unreadable or empty secret file included).
)";

namespace pipeline_command {
namespace {

// The CA files, checked where their flags are known: an unreadable or empty one names the flag,
// what the file is for and where to find it.
std::optional<std::string> check_ca_files(const Options& o) {
  const std::tuple<const char*, std::optional<std::string>, const char*> files[] = {
      {"ca", o.ca_file,
       "the CA that signs the APNs servers' TLS certificates, which the pipeline trusts: "
       "for 'voipsim mock-apns', the mock's own CA, ca-bundle.pem in the folder of its ready "
       "line's \"pki\" (or of the --pki DIR it was given)"},
      {"apple-ca", o.apple_ca_file,
       "the Apple root and WWDR CA that uploaded certificates must chain to: for "
       "'voipsim mock-apns', the same ca-bundle.pem; leave the flag out to use the "
       "--ca file"},
  };
  for (const auto& [flag, file, what] : files) {
    if (!file) continue;
    const auto pem = core::read_file(*file);
    if (!pem) return "--" + std::string(flag) + ": " + pem.error().detail + ". It is " + what + ".";
    if (const auto trust = pki::TrustStore::from_pem(*pem); !trust) {
      return "--" + std::string(flag) + " " + *file + ": " + trust.error().detail + ". It is " +
             what + ".";
    }
  }
  return std::nullopt;
}

pipeline::PipelineOptions pipeline_options_of(const Options& o) {
  pipeline::PipelineOptions options;
  options.database = o.database;
  options.apple_ca_file = o.apple_ca_file.value_or(o.ca_file);
  options.dispatcher.sandbox = pipeline::apns_endpoint(core::ApnsEnvironment::Sandbox,
                                                       o.apns_sandbox.host, o.apns_sandbox.port);
  options.dispatcher.production = pipeline::apns_endpoint(
      core::ApnsEnvironment::Production, o.apns_production.host, o.apns_production.port);
  options.dispatcher.ca_file = o.ca_file;
  options.dispatcher.seed = o.seed;
  options.dispatcher.retry.first_delay = o.retry_delay;
  options.dispatcher.retry.max_retries = o.max_retries;
  options.dispatcher.max_in_flight = o.max_in_flight;
  options.mobile_instances = o.mobile_instances;
  return options;
}

} // namespace

core::Result<Args> args_of(const std::vector<std::string>& words) {
  return Args::parse(words,
                     {"listen", "db", "apns-sandbox", "apns-production", "ca", "apple-ca", "seed",
                      "retry-delay", "max-retries", "max-in-flight", "mobile-instances",
                      "api-secret-file", "allow-host"},
                     {});
}

core::Result<Options> options_of(const Args& args) {
  if (auto none = no_positional(args); !none) return core::Unexpected(none.error());
  if (auto given = args.require({"apns-sandbox", "apns-production", "ca"},
                                " (see the ready line of 'voipsim mock-apns' for the values)");
      !given)
    return core::Unexpected(given.error());
  Options o;
  // The APNs addresses are required: their fallback is never read.
  const auto listen = args.host_port("listen", kAnyLoopbackPort);
  if (!listen) return core::Unexpected(listen.error());
  const auto sandbox = args.host_port("apns-sandbox", "");
  if (!sandbox) return core::Unexpected(sandbox.error());
  const auto production = args.host_port("apns-production", "");
  if (!production) return core::Unexpected(production.error());
  o.listen = *listen;
  o.apns_sandbox = *sandbox;
  o.apns_production = *production;
  const auto seed = args.number("seed", 1, 0, UINT64_MAX);
  if (!seed) return core::Unexpected(seed.error());
  const auto delay = args.number("retry-delay", 1000, 1, 3'600'000);
  if (!delay) return core::Unexpected(delay.error());
  const auto retries = args.number("max-retries", 3, 0, 100);
  if (!retries) return core::Unexpected(retries.error());
  const auto max_in_flight = args.number("max-in-flight", 2048, 1, 1'000'000);
  if (!max_in_flight) return core::Unexpected(max_in_flight.error());
  const auto mobile_instances = args.number("mobile-instances", 1, 1, 1000);
  if (!mobile_instances) return core::Unexpected(mobile_instances.error());
  o.mobile_instances = static_cast<int>(*mobile_instances);
  o.seed = *seed;
  o.retry_delay = std::chrono::milliseconds(*delay);
  o.max_retries = static_cast<int>(*retries);
  o.max_in_flight = static_cast<std::size_t>(*max_in_flight);
  o.ca_file = args.get("ca", "");
  o.apple_ca_file = args.find("apple-ca");
  o.database = args.get("db", o.database);
  o.api_secret_file = args.find("api-secret-file");
  o.allowed_hosts = args.every("allow-host");
  return o;
}

int run(const Options& o) {
  const auto secret = read_secret(o.api_secret_file, "api-secret-file", pipeline::kApiSecretEnv);
  if (!secret) return fail("pipeline", secret.error().detail, kExitUsage);
  if (const auto unusable = check_ca_files(o)) return fail("pipeline", *unusable, kExitFailed);
  const auto options = pipeline_options_of(o);

  // Signals are taken by sigwait below; every thread started from here on inherits the mask.
  const sigset_t stop_signals = block_stop_signals();

  core::SystemClock clock;
  auto backend = pipeline::Pipeline::open(options, clock);
  if (!backend) return fail("pipeline", backend.error().message(), kExitFailed);
  net::Http1ServerOptions http;
  http.host = o.listen.host;
  http.port = o.listen.port;
  http.server_name = "voipsim pipeline";
  http.auth = pipeline::api_auth(*secret);
  http.allowed_hosts = o.allowed_hosts;
  net::Http1Server server(http, pipeline::api_handler(**backend));
  if (auto started = server.start(); !started)
    return fail("pipeline", "--listen: " + started.error().message(), kExitFailed);
  warn_if_exposed("the pipeline's API", o.listen.host, *secret, "api-secret-file",
                  pipeline::kApiSecretEnv);
  pipeline::ReadyLine ready;
  ready.listen = address(o.listen.host, server.port());
  ready.db = options.database;
  std::cout << pipeline::to_json(ready).dump() << std::endl;

  int signal = 0;
  sigwait(&stop_signals, &signal);
  server.stop();
  const std::size_t in_flight = (*backend)->in_flight();
  backend->reset(); // what is in flight stays pending in the database
  std::cout << nlohmann::ordered_json{{"event", "stopped"},
                                      {"signal", stop_signal_name(signal)},
                                      {"left_pending", in_flight}}
                   .dump()
            << std::endl;
  return kExitOk;
}

} // namespace pipeline_command

int pipeline(const std::vector<std::string>& words) {
  return run_words("pipeline", words, pipeline_command::args_of, pipeline_command::options_of,
                   pipeline_command::run);
}

} // namespace cli
