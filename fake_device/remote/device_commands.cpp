#include "fake_device/remote/device_commands.hpp"

#include "core/parse_number.hpp"

#include <vector>

namespace fake_device::remote {

const char* const kDeviceCommandsHelp =
    R"(  launch | home | suspend | swipe | terminate    open the app, press Home, suspend it,
                                                 swipe it away, or let the system end it
  consent | login | logout | kick                the app's privacy consent and IM account
  online | airplane | power-off                  the device's network
  answer UUID | decline UUID | end UUID          the user at the incoming-call UI; end: the
                                                 remote party hangs up
  callkit immediate|never|delay:MS|fail:NAME     how the app reports the next VoIP pushes
  dnd on|off | lock on|off                       Do Not Disturb, screen lock
  rotate-token | reset-identity                  the system changes the app's VoIP token / every
                                                 VoIP token of the app's environment
  reinstall                                      delete the app and install the same build
  help                                           this list
)";

namespace {

core::Unexpected<core::Error> bad(const std::string& why) {
  return core::fail(core::Errc::InvalidArgument, why);
}

std::vector<std::string_view> words_of(std::string_view line) {
  std::vector<std::string_view> words;
  while (!line.empty()) {
    const auto start = line.find_first_not_of(" \t\r");
    if (start == std::string_view::npos) break;
    line.remove_prefix(start);
    const auto end = line.find_first_of(" \t\r");
    words.push_back(line.substr(0, end));
    line.remove_prefix(end == std::string_view::npos ? line.size() : end);
  }
  return words;
}

std::optional<int> whole_number(std::string_view text) {
  const auto value = core::parse_whole<int>(text);
  if (!value || *value < 0) return std::nullopt;
  return value;
}

} // namespace

core::Result<CallKitBehaviour> parse_callkit_behaviour(std::string_view text) {
  if (text == "immediate") return CallKitBehaviour::immediate();
  if (text == "never") return CallKitBehaviour::never();
  if (text == "no-completion") {
    CallKitBehaviour b = CallKitBehaviour::immediate();
    b.calls_completion = false;
    return b;
  }
  if (text.starts_with("delay:")) {
    const auto ms = whole_number(text.substr(6));
    if (!ms)
      return bad("delay:MS needs whole milliseconds, e.g. delay:500; got '" + std::string(text) +
                 "'");
    return CallKitBehaviour::after(std::chrono::milliseconds(*ms));
  }
  if (text.starts_with("fail:")) {
    const std::string_view name = text.substr(5);
    if (const auto error = parse_incoming_call_error(name))
      return CallKitBehaviour::failing(*error);
    if (const auto code = whole_number(name)) {
      if (const auto error = incoming_call_error_of_code(*code))
        return CallKitBehaviour::failing(*error);
    }
    return bad("fail:NAME takes a CallKit incoming-call error, 0-7 or one of " +
               incoming_call_error_words() + "; got '" + std::string(name) + "'");
  }
  return bad("CallKit behaviour must be immediate, never, delay:MS, fail:NAME or no-completion; "
             "got '" +
             std::string(text) + "'");
}

core::Result<IosVersion> parse_ios_version(std::string_view text) {
  const auto dot = text.find('.');
  const auto major = whole_number(text.substr(0, dot));
  const auto minor =
      dot == std::string_view::npos ? std::optional<int>(0) : whole_number(text.substr(dot + 1));
  if (!major || !minor || *major < 9 || *major > 99)
    return bad("an iOS version is MAJOR or MAJOR.MINOR between 9 and 99, e.g. 17 or 12.4; got '" +
               std::string(text) + "'");
  return IosVersion{*major, *minor};
}

core::Result<DeviceAction> parse_device_command(std::string_view line, const AppConfig& app) {
  const auto words = words_of(line);
  if (words.empty()) return bad("empty command; type 'help' for the list");
  const std::string_view verb = words[0];
  const std::string bundle = app.bundle_id;
  const auto arity = [&](std::size_t n, const char* usage) -> core::Result<void> {
    if (words.size() != n + 1) return bad(std::string("usage: ") + usage);
    return {};
  };
  using Lifecycle = core::Result<void> (Device::*)(std::string_view);
  const std::pair<const char*, Lifecycle> app_actions[] = {
      {"launch", &Device::launch},       {"home", &Device::press_home},
      {"suspend", &Device::suspend},     {"swipe", &Device::swipe_away},
      {"terminate", &Device::terminate}, {"consent", &Device::give_consent},
      {"login", &Device::login},         {"logout", &Device::logout},
      {"kick", &Device::kick},           {"rotate-token", &Device::rotate_token}};
  for (const auto& [name, member] : app_actions) {
    if (verb != name) continue;
    if (auto ok = arity(0, name); !ok) return core::Unexpected(ok.error());
    return DeviceAction([bundle, member = member](Device& d) { return (d.*member)(bundle); });
  }
  const std::pair<const char*, Reachability> networks[] = {{"online", Reachability::Online},
                                                           {"airplane", Reachability::AirplaneMode},
                                                           {"power-off", Reachability::PoweredOff}};
  for (const auto& [name, to] : networks) {
    if (verb != name) continue;
    if (auto ok = arity(0, name); !ok) return core::Unexpected(ok.error());
    return DeviceAction([to = to](Device& d) -> core::Result<void> {
      d.set_reachability(to);
      return {};
    });
  }
  if (verb == "answer" || verb == "decline" || verb == "end") {
    if (auto ok = arity(1, "answer|decline|end CALL-UUID"); !ok)
      return core::Unexpected(ok.error());
    const std::string uuid(words[1]);
    if (verb == "answer") return DeviceAction([uuid](Device& d) { return d.answer(uuid); });
    if (verb == "decline") return DeviceAction([uuid](Device& d) { return d.decline(uuid); });
    return DeviceAction(
        [uuid](Device& d) { return d.end_call(uuid, CallEndedReason::RemoteEnded); });
  }
  if (verb == "callkit") {
    if (auto ok = arity(1, "callkit immediate|never|delay:MS|fail:NAME|no-completion"); !ok)
      return core::Unexpected(ok.error());
    auto behaviour = parse_callkit_behaviour(words[1]);
    if (!behaviour) return core::Unexpected(behaviour.error());
    return DeviceAction(
        [bundle, b = *behaviour](Device& d) { return d.set_callkit_behaviour(bundle, b); });
  }
  if (verb == "dnd" || verb == "lock") {
    if (auto ok = arity(1, "dnd on|off, lock on|off"); !ok) return core::Unexpected(ok.error());
    if (words[1] != "on" && words[1] != "off") return bad(std::string(verb) + " takes on or off");
    const bool on = words[1] == "on";
    const bool dnd = verb == "dnd";
    return DeviceAction([on, dnd](Device& d) -> core::Result<void> {
      (dnd ? d.config().dnd : d.config().locked) = on;
      return {};
    });
  }
  if (verb == "reset-identity") {
    if (auto ok = arity(0, "reset-identity"); !ok) return core::Unexpected(ok.error());
    return DeviceAction([environment = app.environment](Device& d) -> core::Result<void> {
      d.reset_aps_identity(environment);
      return {};
    });
  }
  if (verb == "reinstall") {
    if (auto ok = arity(0, "reinstall"); !ok) return core::Unexpected(ok.error());
    return DeviceAction([app](Device& d) -> core::Result<void> {
      if (auto removed = d.uninstall(app.bundle_id); !removed) return removed;
      return d.install(app);
    });
  }
  return bad("unknown command '" + std::string(verb) + "'; type 'help' for the list");
}

} // namespace fake_device::remote
