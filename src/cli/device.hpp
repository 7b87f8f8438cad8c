#pragma once
// voipsim device, in two steps: its flags read into Options (pure, so tests check every flag
// without starting a device), then run(), which links the device to the mock and serves stdin.

#include "cli/args.hpp"
#include "core/result.hpp"
#include "fake_device/app_config.hpp"
#include "fake_device/device_config.hpp"
#include "net/http1_client.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fake_device {
class Device;
}

namespace cli::device_command {

// How the app is left once started (--start): the user's last move after logging in.
enum class StartState {
  Foreground, // left open
  Background, // Home pressed: the IM SDK is offline, VoIP pushes ring it
  NotRunning, // swiped away in the app switcher
};
std::string_view to_string(StartState state); // "foreground", "background", "not-running"
std::optional<StartState> parse_start_state(std::string_view text);
std::string start_state_words(); // "foreground, background or not-running"

struct Options {
  net::HttpEndpoint admin;                      // its bearer secret comes from the file below
  std::optional<std::string> admin_secret_file; // else VOIPSIM_ADMIN_SECRET, if set
  std::optional<net::HttpEndpoint> pipeline;
  std::optional<std::string> pipeline_secret_file; // else VOIPSIM_API_SECRET, if set
  fake_device::AppConfig app;
  fake_device::DeviceConfig device; // its seed comes from `seed`
  std::string user = "user-1";
  bool consent = true;
  bool login = true;
  StartState start = StartState::Background;
  std::uint64_t seed = 0; // 0: random
};

// The words after `voipsim device`, split by the command's flags.
core::Result<Args> args_of(const std::vector<std::string>& words);
// Every flag checked before anything starts; the error says which one and why. Reads no file.
core::Result<Options> options_of(const Args& args);
// Installs the app, gives consent (unless not `consent`), launches it, logs in (unless not
// `login`), then leaves it as `start` says; what the app's configuration makes fail on a real
// phone is an event, not an error.
core::Result<void> start_app(fake_device::Device& device, const fake_device::AppConfig& app,
                             bool consent, bool login, StartState start);
// Runs the device until a signal or `quit`; returns the exit status (1 could not start, 2 an
// unusable secret file).
int run(const Options& options);

} // namespace cli::device_command
