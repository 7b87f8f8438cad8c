#pragma once
// The words a person or a test types to drive a running `voipsim device` (one command per line
// on stdin) and the --callkit / --ios flag values, parsed into actions on the Device. Pure: no
// I/O, so every command is unit-tested on the virtual clock.

#include "core/result.hpp"
#include "fake_device/device.hpp"

#include <functional>
#include <string>
#include <string_view>

namespace fake_device::remote {

// "immediate", "never", "delay:MS", "fail:NAME" (a CallKit incoming-call error such as
// filteredByDoNotDisturb, or its number 0-7) or "no-completion".
core::Result<CallKitBehaviour> parse_callkit_behaviour(std::string_view text);

// "17", "16.4".
core::Result<IosVersion> parse_ios_version(std::string_view text);

// What a command line does to the device, for the app `app` (installed as configured there:
// `reinstall` installs that configuration again).
using DeviceAction = std::function<core::Result<void>(Device&)>;
core::Result<DeviceAction> parse_device_command(std::string_view line, const AppConfig& app);

// One line per command, for `help` and --help.
extern const char* const kDeviceCommandsHelp;

} // namespace fake_device::remote
