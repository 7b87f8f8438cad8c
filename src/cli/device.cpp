// voipsim device: the simulated iPhone as its own process, linked to a standalone mock APNs (and
// optionally a pipeline) over their JSON APIs. Thin: flags, wiring, printing.
#include "cli/device.hpp"

#include "cli/commands.hpp"
#include "cli/line_printer.hpp"
#include "cli/secret.hpp"
#include "core/names.hpp"
#include "fake_device/device_event.hpp"
#include "fake_device/remote/device_commands.hpp"
#include "fake_device/remote/linked_device.hpp"
#include "fake_device/remote/pipeline_link.hpp"
#include "mock_apns/admin_server.hpp"
#include "pipeline/api.hpp"

#include <csignal>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>
#include <vector>

#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace cli {

namespace {
const std::string kDeviceHelpText =
    std::string(
        R"(Usage: voipsim device --mock-admin URL [--pipeline URL] [--app BUNDLE]
                      [--env development|production] [--ios VERSION] [--linked-sdk VERSION]
                      [--no-voip-background] [--no-push-capability] [--no-consent]
                      [--callkit immediate|never|delay:MS|fail:NAME|no-completion]
                      [--user ID] [--no-login] [--certificate-id N]
                      [--start foreground|background|not-running] [--device-id ID] [--seed N]
                      [--mock-admin-secret-file FILE] [--pipeline-secret-file FILE]

Runs one simulated iPhone with one app (docs/spec/pushkit-callkit.md) against a running
'voipsim mock-apns': the app registers with PushKit, the VoIP token is issued at the mock for
the app's bundle id and environment, and every push the mock accepts for that token is
delivered to the device, which applies iOS's rules (wake or launch the app, the CallKit report,
kills and penalties) and prints what happened. With --pipeline the app's IM SDK reports its
token (setVOIP) and its presence to that 'voipsim pipeline'.

At start the app is installed, given privacy consent, launched, logged in as --user, and then
left as --start says (default background: the user pressed Home, so the IM SDK is offline and
calls arrive by VoIP push). Then it prints one JSON line:
  {"event":"ready","device_id":"iphone-1","bundle_id":"...","environment":"sandbox",
   "voip_token":"<64 hex>"|null,"mock_admin":"http://..."}
and from then on one JSON line per device event (first those of the start-up), as it happens:
  {"event":"device","ts":<unix ms>,"kind":"call_reported","bundle_id":..,"apns_id":..,
   "call_uuid":..,"code":..,"detail":..}
(kinds: app_state_changed, token_issued, push_arrived, app_launched, delegate_called,
call_reported, call_shown, call_rejected, app_killed, log, ...). Problems reaching the mock or
the pipeline print {"event":"warning","message":..}; the device keeps going.

Commands, one per line on stdin (each answered by {"event":"command","command":..,"ok":..}):
)") +
    fake_device::remote::kDeviceCommandsHelp +
    R"(  quit                                           stop, as SIGTERM does

Options:
  --mock-admin URL       the mock's admin API, http://HOST:PORT (its ready line's "admin")
  --pipeline URL         the pipeline's API, http://HOST:PORT (default: no IM backend)
  --mock-admin-secret-file FILE
                         the mock's admin secret, for a mock started with one: FILE holds
                         it (trailing newline ignored); default: VOIPSIM_ADMIN_SECRET, if set
  --pipeline-secret-file FILE
                         the same for the pipeline's API; default: VOIPSIM_API_SECRET
  --app BUNDLE           the app's bundle id (default com.example.imapp)
  --env ENV              its aps-environment: sandbox (the entitlement's "development") or
                         production
  --ios VERSION          the device's iOS version (default 17; before 13 the CallKit rule
                         is not enforced, pushkit-callkit.md §7.6 D21)
  --linked-sdk VERSION   the SDK the app was built with (default: the --ios version)
  --no-voip-background   the app lacks UIBackgroundModes voip
  --no-push-capability   the app lacks the Push Notifications capability: no token arrives
  --no-consent           the user has not accepted the privacy policy
  --callkit BEHAVIOUR    immediate (default): report the call inside the delegate; never;
                         delay:MS after the delegate returned; fail:NAME CallKit refuses with
                         that incoming-call error (e.g. fail:filteredByDoNotDisturb);
                         no-completion: report but never call PushKit's completion
  --user ID              the IM account the app logs in as (default user-1)
  --no-login             stay logged out
  --certificate-id N     the console certificate ID the app reports with its token (1001)
  --start STATE          foreground, background (default) or not-running
  --device-id ID         the installation's name in events and reports (default iphone-1)
  --seed N               tokens and call UUIDs repeat for the same seed (default: random)
  -h, --help             show this help

Examples:
  voipsim mock-apns > mock.jsonl &          # its ready line names the "admin" address
  voipsim device --mock-admin http://127.0.0.1:PORT --seed 7
  voipsim device --mock-admin http://127.0.0.1:PORT --pipeline http://127.0.0.1:PORT2 \
      --user bob --callkit delay:2000         # setVOIP and presence go to the pipeline
  printf 'airplane\nonline\nquit\n' | voipsim device --mock-admin http://127.0.0.1:PORT

SIGINT or SIGTERM stop the device and print {"event":"stopped","signal":"SIGTERM"}, as
'voipsim mock-apns' and 'voipsim pipeline' do; 'quit' prints
{"event":"stopped","signal":null,"command":"quit"}. Exit status: 0
stopped, 1 could not start (mock unreachable or refusing the secret, the app could not be set
up), 2 bad usage (an unreadable or empty secret file included).
)";
} // namespace

const char* const kDeviceHelp = kDeviceHelpText.c_str();

namespace device_command {

using nlohmann::ordered_json;
using namespace fake_device;

namespace {

core::Unexpected<core::Error> usage_error(std::string message) {
  return core::fail(core::Errc::InvalidArgument, std::move(message));
}

} // namespace

core::Result<Args> args_of(const std::vector<std::string>& words) {
  return Args::parse(words,
                     {"mock-admin", "pipeline", "app", "env", "ios", "linked-sdk", "callkit",
                      "user", "certificate-id", "start", "device-id", "seed",
                      "mock-admin-secret-file", "pipeline-secret-file"},
                     {"no-voip-background", "no-push-capability", "no-consent", "no-login"});
}

namespace {

// The --start words; `voipsim up` leaves its phones in the background too.
constexpr core::Names<StartState, 3> kStartStateNames{{
    {StartState::Foreground, "foreground"},
    {StartState::Background, "background"},
    {StartState::NotRunning, "not-running"},
}};

} // namespace

std::string_view to_string(StartState state) {
  return core::name_of(kStartStateNames, state);
}

std::optional<StartState> parse_start_state(std::string_view text) {
  return core::value_named(kStartStateNames, text);
}

std::string start_state_words() {
  return core::words_of(kStartStateNames);
}

// Install, consent, launch, login, then the --start state. Steps the app's configuration makes
// fail on a real phone (no token without the capability) are events, not errors; only a step
// the device refuses outright stops the start.
core::Result<void> start_app(Device& device, const fake_device::AppConfig& app, bool consent,
                             bool login, StartState start) {
  const std::string& bundle = app.bundle_id;
  if (auto r = device.install(app); !r) return r;
  if (consent) {
    if (auto r = device.give_consent(bundle); !r) return r;
  }
  if (auto r = device.launch(bundle); !r) return r;
  if (login) {
    if (auto r = device.login(bundle); !r) return r;
  }
  switch (start) {
  case StartState::Background:
    return device.press_home(bundle);
  case StartState::NotRunning:
    return device.swipe_away(bundle);
  case StartState::Foreground:
    break;
  }
  return {};
}

core::Result<Options> options_of(const Args& args) {
  if (auto none = no_positional(args); !none) return core::Unexpected(none.error());
  Options o;
  if (!args.has("mock-admin"))
    return usage_error(
        "--mock-admin URL is required (the admin address 'voipsim mock-apns' prints)");
  auto admin = net::parse_http_endpoint(args.get("mock-admin", ""));
  if (!admin) return usage_error("--mock-admin: " + admin.error().detail);
  o.admin = *admin;
  o.admin_secret_file = args.find("mock-admin-secret-file");
  if (args.has("pipeline")) {
    auto pipeline = net::parse_http_endpoint(args.get("pipeline", ""));
    if (!pipeline) return usage_error("--pipeline: " + pipeline.error().detail);
    o.pipeline = *pipeline;
    o.pipeline_secret_file = args.find("pipeline-secret-file");
  }
  o.app.bundle_id = args.get("app", o.app.bundle_id);
  if (o.app.bundle_id.empty()) return usage_error("--app needs a bundle id");
  const std::string env = args.get("env", "sandbox");
  const auto environment = core::parse_apns_environment(env);
  if (!environment) {
    return usage_error("--env takes " + core::apns_environment_words() + ", got '" + env + "'");
  }
  o.app.environment = *environment;
  auto ios = remote::parse_ios_version(args.get("ios", "17"));
  if (!ios) return usage_error("--ios: " + ios.error().detail);
  o.device.ios = *ios;
  auto sdk = remote::parse_ios_version(args.get("linked-sdk", args.get("ios", "17")));
  if (!sdk) return usage_error("--linked-sdk: " + sdk.error().detail);
  o.app.linked_sdk = *sdk;
  o.app.voip_background_mode = !args.has("no-voip-background");
  o.app.push_notifications_capability = !args.has("no-push-capability");
  auto callkit = remote::parse_callkit_behaviour(args.get("callkit", "immediate"));
  if (!callkit) return usage_error("--callkit: " + callkit.error().detail);
  o.app.callkit = *callkit;
  o.user = args.get("user", o.user);
  if (o.user.empty()) return usage_error("--user needs an account name");
  o.consent = !args.has("no-consent");
  o.login = !args.has("no-login");
  const auto certificate = args.number("certificate-id", 1001, 1, INT64_MAX);
  if (!certificate) return core::Unexpected(certificate.error());
  o.app.certificate_id = static_cast<std::int64_t>(*certificate);
  if (const auto start = args.find("start")) {
    const auto state = parse_start_state(*start);
    if (!state)
      return usage_error("--start takes " + start_state_words() + ", got '" + *start + "'");
    o.start = *state;
  }
  o.device.device_id = args.get("device-id", o.device.device_id);
  const auto seed = args.number("seed", 0, 0, UINT64_MAX);
  if (!seed) return core::Unexpected(seed.error());
  o.seed = *seed;
  return o;
}

namespace {

std::string trimmed(std::string line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
    line.pop_back();
  return line;
}

// The command lines of stdin as its reads arrive. A command is a few words: a "line" of more
// than 64 KiB is not one, and is dropped up to its newline.
class CommandLines {
public:
  // Adds what was read; false when it began dropping an over-long line.
  bool add(std::string_view bytes) {
    pending_.append(bytes);
    if (discarding_) {
      const auto newline = pending_.find('\n');
      pending_.erase(0, newline == std::string::npos ? pending_.size() : newline + 1);
      discarding_ = newline == std::string::npos;
    }
    if (pending_.find('\n') == std::string::npos && pending_.size() > kLongestLine) {
      pending_.clear();
      discarding_ = true;
      return false;
    }
    return true;
  }
  // The next whole line, trimmed (possibly empty), if one has arrived.
  std::optional<std::string> next() {
    const auto newline = pending_.find('\n');
    if (newline == std::string::npos) return std::nullopt;
    std::string line = trimmed(pending_.substr(0, newline));
    pending_.erase(0, newline + 1);
    return line;
  }

private:
  static constexpr std::size_t kLongestLine = 64 * 1024;
  std::string pending_;
  bool discarding_ = false; // inside an over-long line
};

// Answers one command line on stdout; false for `quit`, which ends the device.
bool answer(const std::string& line, LinePrinter& out, remote::DeviceRunner& runner,
            const AppConfig& app) {
  ordered_json reply{{"event", "command"}, {"command", line}};
  if (line == "quit") {
    reply["ok"] = true;
    out.print(reply);
    return false;
  }
  if (line == "help") {
    reply["ok"] = true;
    reply["help"] = remote::kDeviceCommandsHelp;
    out.print(reply);
    return true;
  }
  auto action = remote::parse_device_command(line, app);
  auto done = action ? runner.call([&](Device& d) { return (*action)(d); })
                     : core::Result<void>(core::Unexpected(action.error()));
  reply["ok"] = done.has_value();
  if (!done) reply["error"] = done.error().detail;
  out.print(reply);
  return true;
}

// Runs stdin's commands until a signal arrives on `signals` or `quit` comes; the stopped line,
// which says which. When stdin ends, it waits for a signal.
ordered_json serve_commands(int signals, LinePrinter& out, remote::DeviceRunner& runner,
                            const AppConfig& app) {
  ordered_json stopped{{"event", "stopped"}, {"signal", nullptr}};
  CommandLines lines;
  bool stdin_open = true;
  for (;;) {
    pollfd fds[2] = {{signals, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
    if (poll(fds, stdin_open ? 2 : 1, -1) < 0) continue; // EINTR
    if (fds[0].revents & POLLIN) {
      signalfd_siginfo info{};
      if (read(signals, &info, sizeof info) == sizeof info)
        stopped["signal"] = stop_signal_name(static_cast<int>(info.ssi_signo));
      return stopped;
    }
    if (!stdin_open || !(fds[1].revents & (POLLIN | POLLHUP))) continue;
    char buffer[4096];
    const ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
    if (n <= 0) {
      stdin_open = false; // no more commands; run until a signal
      continue;
    }
    if (!lines.add(std::string_view(buffer, static_cast<std::size_t>(n)))) {
      out.print(ordered_json{{"event", "command"},
                             {"ok", false},
                             {"error", "a line of more than 64 KiB; dropped up to its newline"}});
    }
    while (auto line = lines.next()) {
      if (line->empty()) continue;
      if (!answer(*line, out, runner, app)) {
        stopped["command"] = "quit";
        return stopped;
      }
    }
  }
}

} // namespace

int run(const Options& options) {
  auto admin = options.admin;
  const auto admin_secret =
      read_secret(options.admin_secret_file, "mock-admin-secret-file", mock_apns::kAdminSecretEnv);
  if (!admin_secret) return fail("device", admin_secret.error().detail, kExitUsage);
  admin.bearer_secret = *admin_secret;
  auto im = options.pipeline;
  if (im) {
    const auto api_secret =
        read_secret(options.pipeline_secret_file, "pipeline-secret-file", pipeline::kApiSecretEnv);
    if (!api_secret) return fail("device", api_secret.error().detail, kExitUsage);
    im->bearer_secret = *api_secret;
  }
  DeviceConfig device = options.device;
  device.seed = options.seed != 0 ? options.seed : std::random_device()();

  // Signals are read from a signalfd in the loop below; threads started from here inherit the
  // mask, so none of them is interrupted.
  const sigset_t stop_signals = block_stop_signals();
  const int signals = signalfd(-1, &stop_signals, SFD_CLOEXEC);
  if (signals < 0) return fail("device", "signalfd failed", kExitFailed);

  LinePrinter out;
  std::optional<remote::PipelineLink> pipeline;
  if (im) {
    pipeline.emplace(*im, options.user);
    pipeline->set_error_handler([&out](const std::string& m) { out.warning(m); });
  }
  auto linked =
      remote::LinkedDevice::start({admin, device, pipeline ? &*pipeline : nullptr, options.seed,
                                   [&out](const DeviceEvent& e) { out.print(to_json_line(e)); },
                                   [&out](const std::string& m) { out.warning(m); }});
  if (!linked) {
    out.release(); // what happened before the failure
    close(signals);
    const bool refused = linked.error().code == std::errc::permission_denied;
    return fail("device",
                linked.error().detail + (refused ? "" : " (is 'voipsim mock-apns' running there?)"),
                kExitFailed);
  }
  remote::DeviceRunner& runner = (*linked)->runner();

  const std::string bundle = options.app.bundle_id;
  const auto setup = runner.call([&](Device& d) {
    return start_app(d, options.app, options.consent, options.login, options.start);
  });
  if (!setup) {
    out.release();
    close(signals);
    return fail("device", "could not set up " + bundle + ": " + setup.error().message(),
                kExitFailed);
  }
  const auto token = runner.call([&](Device& d) { return d.voip_token(bundle); });
  out.release(ordered_json{{"event", "ready"},
                           {"device_id", options.device.device_id},
                           {"bundle_id", bundle},
                           {"environment", to_string(options.app.environment)},
                           {"voip_token", token ? ordered_json(*token) : ordered_json(nullptr)},
                           {"mock_admin", admin.url()}});

  const ordered_json stopped = serve_commands(signals, out, runner, options.app);
  linked->reset(); // stops following, then ends the device
  close(signals);
  out.print(stopped);
  return kExitOk;
}

} // namespace device_command

int device(const std::vector<std::string>& words) {
  return run_words("device", words, device_command::args_of, device_command::options_of,
                   device_command::run);
}

} // namespace cli
