// voipsim up: the whole stack in one process (issue #22) - the mock, the pipeline with the PKI's
// VoIP certificate uploaded, and one simulated iPhone per --user, logged in and in the
// background: ready to ring. Thin: flags, wiring, printing; each part is the one its own command
// runs.
#include "cli/up.hpp"

#include "cli/commands.hpp"
#include "cli/device.hpp"
#include "cli/line_printer.hpp"
#include "cli/secret.hpp"
#include "core/device_token.hpp"
#include "core/file.hpp"
#include "fake_device/device.hpp"
#include "fake_device/device_event.hpp"
#include "fake_device/remote/linked_device.hpp"
#include "fake_device/remote/pipeline_link.hpp"
#include "mock_apns/admin_server.hpp"
#include "mock_apns/pki_dir.hpp"
#include "mock_apns/server.hpp"
#include "net/http1_server.hpp"
#include "pipeline/api.hpp"
#include "pipeline/pipeline.hpp"
#include "pki/certificate.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <utility>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

namespace cli {

const char* const kUpHelp =
    R"help(Usage: voipsim up [--dir DIR] [--user NAME[:development|production]]... [--fresh]
                  [--sandbox HOST:PORT] [--production HOST:PORT] [--admin HOST:PORT]
                  [--listen HOST:PORT] [--seed N]

Starts the whole local VoIP push path in one process: the mock APNs (sandbox and production
listeners and its admin API), the IM push pipeline (its API) with the PKI's VoIP Services
certificate uploaded to its console, and for each --user a simulated iPhone with the app
installed, consented, logged in as that user, its VoIP token reported with the certificate ID
of its build's environment, and then sent to the background: ready to ring. A message to that
user through the pipeline's API makes the phone ring.

State lives in DIR (default .voipsim in the current folder): the PKI (DIR/pki, made by the
first start: the CA bundle, the VoIP certificate and key, the .p8 key; .p12 password
"voipsim"), the pipeline's database (DIR/pipeline.db: the uploaded certificate, its IDs, the
messages). A second 'voipsim up' in the same DIR reuses them, so the certificate IDs, the CA
and every command printed before keep working. --fresh deletes that state and starts over. A
phone's VoIP token is new at each start (the mock keeps its tokens in memory); each phone
reports its new one to the pipeline, so sending to the user works across restarts.

Ports: sandbox 2197, production 2198, admin 2199, pipeline 2200 on 127.0.0.1 when free;
otherwise free ones. A port given by its flag must be free.

When ready it prints one JSON line on stdout:
  {"event":"ready","sandbox":"127.0.0.1:2197","production":"127.0.0.1:2198",
   "admin":"http://127.0.0.1:2199","console":"http://127.0.0.1:2199/",
   "pipeline":"http://127.0.0.1:2200","pki":"DIR/pki",
   "certificate_ids":{"development":1001,"production":1002},
   "devices":[{"user":"bob","device_id":"bobs-iphone","environment":"sandbox","token":"<hex>"}]}
then every phone's events as JSON lines, as 'voipsim device' prints them, each with its
"device_id" (kinds: push_arrived, delegate_called, call_reported, call_shown, app_killed, ...).
On stderr it prints commands that work as printed: a push with curl and the VoIP certificate,
the same with a provider token from 'voipsim jwt', and a message through the pipeline.

Options:
  --dir DIR            where the state lives (default .voipsim)
  --user NAME[:ENV]    a simulated iPhone whose app logs in as NAME; ENV is the app's build:
                       development (default; the sandbox) or production. Repeatable; none
                       given: one user, bob
  --fresh              delete DIR's PKI and database first: new CA, certificate and IDs
  --sandbox HOST:PORT  the mock's sandbox listener (default 127.0.0.1:2197 if free)
  --production HOST:PORT
                       the mock's production listener (default 127.0.0.1:2198 if free)
  --admin HOST:PORT    the mock's admin API (default 127.0.0.1:2199 if free)
  --listen HOST:PORT   the pipeline's API (default 127.0.0.1:2200 if free)
  --seed N             the phones' tokens and call UUIDs repeat for the same seed (default
                       random)
  -h, --help           show this help

The APIs take the secrets 'voipsim mock-apns' and 'voipsim pipeline' take from
VOIPSIM_ADMIN_SECRET and VOIPSIM_API_SECRET, when set.

Examples:
  voipsim up                                  # bob's phone, development build
  voipsim up --user bob --user carol:production > events.jsonl
  curl http://127.0.0.1:2200/v1/messages --json \
      '{"sender":"alice","receiver":"bob","offline_push_info":{"ios_push_type":"voip"}}'
  voipsim up --fresh                          # forget the PKI and the database

SIGINT or SIGTERM stop everything and print {"event":"stopped","signal":"SIGTERM"}. Exit
status: 0 stopped by a signal, 1 could not start (busy port, unwritable DIR, a database of
another schema version), 2 bad usage.
)help";

namespace up_command {

using nlohmann::ordered_json;
namespace fs = std::filesystem;

core::Result<User> parse_user(const std::string& text) {
  User user;
  const auto colon = text.find(':');
  user.name = text.substr(0, colon);
  if (user.name.empty())
    return core::fail(core::Errc::InvalidArgument,
                      "--user takes NAME or NAME:development|production, got '" + text + "'");
  if (colon == std::string::npos) return user;
  const std::string env = text.substr(colon + 1);
  const auto environment = core::parse_apns_environment(env);
  if (!environment)
    return core::fail(core::Errc::InvalidArgument, "--user " + text + ": the build takes " +
                                                       core::apns_environment_words() + ", got '" +
                                                       env + "'");
  user.environment = *environment;
  return user;
}

core::Result<Args> args_of(const std::vector<std::string>& words) {
  return Args::parse(words, {"dir", "user", "sandbox", "production", "admin", "listen", "seed"},
                     {"fresh"});
}

core::Result<Options> options_of(const Args& args) {
  if (auto none = no_positional(args); !none) return core::Unexpected(none.error());
  Options o;
  o.dir = args.get("dir", o.dir);
  if (o.dir.empty()) return core::fail(core::Errc::InvalidArgument, "--dir needs a folder");
  o.fresh = args.has("fresh");
  for (const auto& text : args.every("user")) {
    auto user = parse_user(text);
    if (!user) return core::Unexpected(user.error());
    for (const auto& other : o.users) {
      if (other.name == user->name)
        return core::fail(core::Errc::InvalidArgument,
                          "--user " + user->name + " is given twice: one phone per user");
    }
    o.users.push_back(std::move(*user));
  }
  if (o.users.empty()) o.users.push_back(User{"bob", core::ApnsEnvironment::Sandbox});
  const std::pair<const char*, std::pair<Listen*, const char*>> listeners[] = {
      {"sandbox", {&o.sandbox, kDefaultSandbox}},
      {"production", {&o.production, kDefaultProduction}},
      {"admin", {&o.admin, kDefaultAdmin}},
      {"listen", {&o.pipeline, kDefaultPipeline}}};
  for (const auto& [flag, target] : listeners) {
    const auto address = args.host_port(flag, target.second);
    if (!address) return core::Unexpected(address.error());
    target.first->address = *address;
    target.first->given = args.has(flag);
  }
  // One listener given: the other's default port goes on its host.
  if (o.sandbox.given && !o.production.given) o.production.address.host = o.sandbox.address.host;
  if (o.production.given && !o.sandbox.given) o.sandbox.address.host = o.production.address.host;
  if (o.sandbox.address.host != o.production.address.host)
    return core::fail(core::Errc::InvalidArgument,
                      "--sandbox and --production must use the same host");
  const auto seed = args.number("seed", 0, 0, UINT64_MAX);
  if (!seed) return core::Unexpected(seed.error());
  o.seed = *seed;
  return o;
}

namespace {

constexpr const char* kCommand = "up";
// What to do about state a former start left that cannot be used.
constexpr const char* kStartOver =
    " (to start over, run 'voipsim up --fresh', which deletes DIR's PKI and database; or give "
    "another --dir)";

// Whether a listener could bind `address` now (SO_REUSEADDR, as the servers bind).
bool port_is_free(const HostPort& address) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family = AF_INET;
  if (auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
      inet_pton(AF_INET, address.host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(address.port);
    length = sizeof(sockaddr_in);
  } else if (auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
             inet_pton(AF_INET6, address.host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(address.port);
    length = sizeof(sockaddr_in6);
    family = AF_INET6;
  } else {
    return true; // a host name: the server resolves it and says what is wrong
  }
  const int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return true;
  const int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  const bool free = bind(fd, reinterpret_cast<sockaddr*>(&storage), length) == 0;
  close(fd);
  return free;
}

// The port to listen on: the given one, else the default when free, else any free one.
std::uint16_t port_of(const Listen& listen) {
  if (listen.given || port_is_free(listen.address)) return listen.address.port;
  return 0;
}

// Holds DIR for this run: a second `voipsim up` there (with --fresh, it would delete this one's
// PKI and database under it) is refused before it touches anything. Released at exit.
class DirLock {
public:
  static core::Result<DirLock> take(const fs::path& dir) {
    const int fd = ::open((dir / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
      return core::fail(core::Errc::InvalidArgument,
                        "cannot write " + (dir / "lock").string() + ": " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      return core::fail(core::Errc::InvalidArgument,
                        "another 'voipsim up' is using " + dir.string() +
                            "; stop it (Ctrl-C) or give this one another --dir");
    }
    return DirLock(fd);
  }
  DirLock(DirLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  DirLock& operator=(DirLock&&) = delete;
  ~DirLock() {
    if (fd_ >= 0) ::close(fd_);
  }

private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_;
};

// --fresh: what a former start left in `dir` goes (the folder itself and anything else the user
// put there stay).
core::Result<void> forget_state(const fs::path& dir) {
  for (const fs::path& path :
       {dir / "pki", dir / "pipeline.db", dir / "pipeline.db-wal", dir / "pipeline.db-shm"}) {
    std::error_code ec;
    fs::remove_all(path, ec);
    if (ec)
      return core::fail(core::Errc::InvalidArgument,
                        "--fresh: cannot delete " + path.string() + ": " + ec.message());
  }
  return {};
}

// DIR/pki as a former start left it, or made now.
core::Result<mock_apns::PkiDir> pki_in(const fs::path& dir, bool& made) {
  made = !fs::exists(dir / "manifest.json");
  if (!made) return mock_apns::load_pki_dir(dir);
  return mock_apns::make_pki_dir(dir, core::SystemClock().now(), kP12Password);
}

// The first PEM certificate of `pem`, to tell whether a stored record is this PKI's leaf.
std::string_view first_certificate(std::string_view pem) {
  constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
  const auto end = pem.find(kEnd);
  return end == std::string_view::npos ? pem : pem.substr(0, end + kEnd.size());
}

// The console's record of the PKI's VoIP certificate: the one a former start uploaded (same
// leaf, so the IDs people copied stay valid), else uploaded now. `note` says which.
core::Result<pipeline::CertificateRecord>
certificate_of(pipeline::Pipeline& backend, const mock_apns::PkiDir& pki, std::string& note) {
  const fs::path voip = pki.dir / pki::kind_name(pki::CertificateKind::VoipServices);
  const auto leaf = core::read_file(voip.string() + ".pem");
  if (!leaf) return core::Unexpected(leaf.error());
  for (const auto& record : backend.certificates()) {
    if (record.name == kCertificateName &&
        first_certificate(record.certificate_pem) == first_certificate(*leaf)) {
      note = "reused the certificate uploaded before";
      return record;
    }
  }
  const auto p12 = core::read_file(voip.string() + ".p12");
  if (!p12) return core::Unexpected(p12.error());
  pipeline::CertificateUpload upload;
  upload.name = kCertificateName;
  upload.p12_der = *p12;
  upload.password = kP12Password;
  auto uploaded = backend.upload_certificate(upload);
  if (const auto* refused = std::get_if<pipeline::ApiError>(&uploaded))
    return core::fail(core::Errc::InvalidArgument,
                      "the console refused the PKI's VoIP certificate: " + refused->code + ": " +
                          refused->message);
  note = "uploaded the PKI's VoIP certificate";
  return std::get<pipeline::UploadedCertificate>(uploaded).record;
}

// One --user's phone: its link to the pipeline (the IM SDK's server) and the device itself.
struct Phone {
  User user;
  std::string device_id;
  std::unique_ptr<fake_device::remote::PipelineLink> im;
  std::unique_ptr<fake_device::remote::LinkedDevice> device;
  std::string token; // its VoIP token
};

std::string device_id_of(const User& user) {
  return user.name + "s-iphone";
}

// A phone for `user`, its app ready to ring; its events go to `out` tagged with its id.
core::Result<Phone> start_phone(const User& user, const net::HttpEndpoint& admin,
                                const net::HttpEndpoint& api, const mock_apns::PkiDir& pki,
                                const pipeline::CertificateRecord& certificate, std::uint64_t seed,
                                LinePrinter& out) {
  Phone phone;
  phone.user = user;
  phone.device_id = device_id_of(user);
  phone.im = std::make_unique<fake_device::remote::PipelineLink>(api, user.name);
  phone.im->set_error_handler([&out](const std::string& m) { out.warning(m); });
  fake_device::DeviceConfig config;
  config.device_id = phone.device_id;
  config.seed = seed;
  fake_device::AppConfig app;
  app.bundle_id = pki.bundle_id;
  app.environment = user.environment;
  app.certificate_id = user.environment == core::ApnsEnvironment::Sandbox
                           ? certificate.cert_id_dev
                           : certificate.cert_id_prod;
  const std::string device_id = phone.device_id;
  auto linked = fake_device::remote::LinkedDevice::start(
      {admin, config, phone.im.get(), seed,
       [&out, device_id](const fake_device::DeviceEvent& e) {
         out.print(fake_device::to_json_line(e, device_id));
       },
       [&out](const std::string& m) { out.warning(m); }});
  if (!linked) return core::Unexpected(linked.error());
  phone.device = std::move(*linked);
  auto& runner = phone.device->runner();
  const auto started = runner.call([&](fake_device::Device& d) {
    return device_command::start_app(d, app, true, true, device_command::StartState::Background);
  });
  if (!started) return core::Unexpected(started.error());
  auto token = runner.call([&](fake_device::Device& d) { return d.voip_token(app.bundle_id); });
  if (!token)
    return core::fail(core::Errc::InvalidArgument,
                      "no VoIP token was issued (its events above say why)");
  phone.token = std::move(*token);
  return phone;
}

// The address curl's --resolve sends a host name to, for a listener on `host`.
std::string resolve_address(const std::string& host) {
  if (host.empty() || host == "0.0.0.0") return "127.0.0.1";
  if (host == "::") return "[::1]";
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

// The lines on stderr a person copies: each works as printed while this runs.
std::string how_to_use(const Options& o, const std::string& sandbox, const net::HttpEndpoint& admin,
                       const net::HttpEndpoint& api, const mock_apns::PkiDir& pki,
                       const std::vector<Phone>& phones, const std::string& certificate_note) {
  const std::string dir = pki.dir.string();
  // A secret set in the environment is named, not printed.
  const auto bearer = [](const net::HttpEndpoint& to, const char* env) {
    return to.bearer_secret.empty() ? std::string()
                                    : " -H \"Authorization: Bearer $" + std::string(env) + "\"";
  };
  std::string voipsim = "voipsim";
  std::error_code ec;
  if (const auto self = fs::read_symlink("/proc/self/exe", ec); !ec) voipsim = self.string();
  const Phone* sandbox_phone = nullptr;
  for (const auto& phone : phones)
    if (!sandbox_phone && phone.user.environment == core::ApnsEnvironment::Sandbox)
      sandbox_phone = &phone;
  const std::string port = sandbox.substr(sandbox.rfind(':') + 1);
  const std::string host(core::apns_host(core::ApnsEnvironment::Sandbox));
  // A push to the sandbox: how it connects, [its credential,] what it sends.
  const std::string connect = "curl --http2 --cacert " + pki.ca_bundle_file + " --resolve " + host +
                              ":" + port + ":" + resolve_address(o.sandbox.address.host);
  const std::string send = " -H 'apns-push-type: voip' -H 'apns-topic: " + pki.bundle_id +
                           ".voip' -d '{\"aps\":{}}' https://" + host + ":" + port +
                           core::device_path(sandbox_phone ? sandbox_phone->token : "TOKEN");
  const std::string voip = (pki.dir / pki::kind_name(pki::CertificateKind::VoipServices)).string();
  std::string text = "voipsim up: ready; state in " + o.dir + " (" + certificate_note +
                     "); Ctrl-C stops everything\n";
  text +=
      "  the console (every push, its answer and where it went; a browser on this machine):\n    " +
      admin.url() + "/\n";
  text += "  the mock's journal (every request, with its cause):\n    curl" +
          bearer(admin, mock_apns::kAdminSecretEnv) + " " + admin.url() + "/v1/journal\n";
  text += "  a push with the VoIP certificate" +
          (sandbox_phone ? " to " + sandbox_phone->device_id : std::string()) + ":\n    " +
          connect + " --cert " + voip + ".pem --key " + voip + ".key" + send + "\n";
  text += "  the same with a provider token:\n    " + connect + " -H \"authorization: bearer $(" +
          voipsim + " jwt --pki " + dir + ")\"" + send + "\n";
  for (const auto& phone : phones) {
    text += "  a call to " + phone.user.name + " through the IM backend (" + phone.device_id +
            " rings):\n    curl" + bearer(api, pipeline::kApiSecretEnv) + " " + api.url() +
            "/v1/messages --json '{\"sender\":\"alice\",\"receiver\":\"" + phone.user.name +
            "\",\"offline_push_info\":{\"ios_push_type\":\"voip\"}}'\n";
  }
  return text;
}

} // namespace

int run(const Options& o) {
  const auto admin_secret = read_secret(std::nullopt, "", mock_apns::kAdminSecretEnv);
  if (!admin_secret) return fail(kCommand, admin_secret.error().detail, kExitUsage);
  const auto api_secret = read_secret(std::nullopt, "", pipeline::kApiSecretEnv);
  if (!api_secret) return fail(kCommand, api_secret.error().detail, kExitUsage);

  // Signals are taken by sigwait below; every thread started from here on inherits the mask.
  const sigset_t stop_signals = block_stop_signals();

  const fs::path dir = fs::absolute(o.dir); // the printed commands work from any folder
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fail(kCommand, "--dir " + o.dir + ": " + ec.message(), kExitFailed);
  const auto lock = DirLock::take(dir);
  if (!lock) return fail(kCommand, lock.error().detail, kExitFailed);
  if (o.fresh) {
    if (auto forgotten = forget_state(dir); !forgotten)
      return fail(kCommand, forgotten.error().detail, kExitFailed);
  }
  bool made = false;
  const auto pki = pki_in(dir / "pki", made);
  if (!pki)
    return fail(kCommand, (dir / "pki").string() + ": " + pki.error().message() + kStartOver,
                kExitFailed);

  mock_apns::ServerOptions mock_options;
  mock_options.host = o.sandbox.address.host;
  mock_options.sandbox_port = port_of(o.sandbox);
  mock_options.production_port = port_of(o.production);
  mock_apns::use_tls_files(*pki, mock_options);
  mock_options.seed = o.seed;
  mock_apns::Server mock(mock_options);
  if (auto registered = mock_apns::register_pki_dir(*pki, mock.keys()); !registered)
    return fail(kCommand, registered.error().message(), kExitFailed);
  if (auto started = mock.start(); !started)
    return fail(kCommand, "the mock: " + started.error().message(), kExitFailed);
  mock_apns::AdminServerOptions admin_options;
  admin_options.host = o.admin.address.host;
  admin_options.port = port_of(o.admin);
  admin_options.bearer_secret = *admin_secret;
  admin_options.pki = std::make_shared<const mock_apns::PkiDir>(*pki);
  mock_apns::AdminServer admin_server(mock, admin_options);
  if (auto started = admin_server.start(); !started)
    return fail(kCommand, "the mock's admin API: " + started.error().message(), kExitFailed);

  pipeline::PipelineOptions pipeline_options;
  pipeline_options.database = (dir / "pipeline.db").string();
  pipeline_options.apple_ca_file = pki->ca_bundle_file;
  using core::ApnsEnvironment;
  pipeline_options.dispatcher.sandbox = pipeline::apns_endpoint(
      ApnsEnvironment::Sandbox, mock_options.host, mock.port(ApnsEnvironment::Sandbox));
  pipeline_options.dispatcher.production = pipeline::apns_endpoint(
      ApnsEnvironment::Production, mock_options.host, mock.port(ApnsEnvironment::Production));
  pipeline_options.dispatcher.ca_file = pki->ca_bundle_file;
  pipeline_options.dispatcher.seed = o.seed != 0 ? o.seed : 1;
  core::SystemClock clock;
  auto backend = pipeline::Pipeline::open(pipeline_options, clock);
  if (!backend)
    return fail(kCommand, "the pipeline: " + backend.error().message() + kStartOver, kExitFailed);
  net::Http1ServerOptions http;
  http.host = o.pipeline.address.host;
  http.port = port_of(o.pipeline);
  http.server_name = "voipsim pipeline";
  http.auth = pipeline::api_auth(*api_secret);
  net::Http1Server api_server(http, pipeline::api_handler(**backend));
  if (auto started = api_server.start(); !started)
    return fail(kCommand, "the pipeline's API: " + started.error().message(), kExitFailed);

  std::string certificate_note;
  const auto certificate = certificate_of(**backend, *pki, certificate_note);
  if (!certificate) return fail(kCommand, certificate.error().message(), kExitFailed);
  if (made) certificate_note = "a new PKI; " + certificate_note;

  net::HttpEndpoint admin{admin_options.host, admin_server.port(), *admin_secret};
  net::HttpEndpoint api{http.host, api_server.port(), *api_secret};
  const std::uint64_t seed = o.seed != 0 ? o.seed : std::random_device()();
  LinePrinter out;
  std::vector<Phone> phones;
  for (std::size_t i = 0; i < o.users.size(); ++i) {
    auto phone = start_phone(o.users[i], admin, api, *pki, *certificate, seed + i, out);
    if (!phone) {
      out.release();
      return fail(kCommand, o.users[i].name + "'s phone: " + phone.error().message(), kExitFailed);
    }
    // Ready to ring means the pipeline holds this phone's token (start_app reports a failed
    // setVOIP as an event, as a real SDK would).
    // The phone registers as its own installation (im-voip-flow.md §3.4).
    const auto registration = (*backend)->registration(
        o.users[i].name, fake_device::remote::installation_of(phone->device_id));
    if (!registration || registration->token_hex != phone->token) {
      out.release();
      return fail(kCommand,
                  o.users[i].name + "'s phone: its VoIP token did not reach the pipeline (its "
                                    "events above say why)",
                  kExitFailed);
    }
    phones.push_back(std::move(*phone));
  }

  const std::string sandbox =
      address(mock_options.host, mock.port(mock_apns::Environment::Sandbox));
  ordered_json devices = ordered_json::array();
  for (const auto& phone : phones) {
    devices.push_back({{"user", phone.user.name},
                       {"device_id", phone.device_id},
                       {"environment", core::to_string(phone.user.environment)},
                       {"token", phone.token}});
  }
  std::cerr << how_to_use(o, sandbox, admin, api, *pki, phones, certificate_note) << std::flush;
  out.release(ordered_json{
      {"event", "ready"},
      {"sandbox", sandbox},
      {"production", address(mock_options.host, mock.port(mock_apns::Environment::Production))},
      {"admin", admin.url()},
      {"console", admin.url() + "/"},
      {"pipeline", api.url()},
      {"pki", pki->dir.string()},
      {"certificate_ids",
       {{"development", certificate->cert_id_dev}, {"production", certificate->cert_id_prod}}},
      {"devices", devices}});

  int signal = 0;
  sigwait(&stop_signals, &signal);
  phones.clear(); // each stops following deliveries, then ends
  api_server.stop();
  backend->reset(); // what is in flight stays pending in the database
  admin_server.stop();
  mock.stop();
  out.print(ordered_json{{"event", "stopped"}, {"signal", stop_signal_name(signal)}});
  return kExitOk;
}

} // namespace up_command

int up(const std::vector<std::string>& words) {
  return run_words("up", words, up_command::args_of, up_command::options_of, up_command::run);
}

} // namespace cli
