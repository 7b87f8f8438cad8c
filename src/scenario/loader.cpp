#include "scenario/loader.hpp"

#include "core/apns_environment.hpp"
#include "core/encoding.hpp"
#include "core/file.hpp"
#include "core/json_parse.hpp"
#include "core/parse_number.hpp"
#include "fake_device/remote/device_commands.hpp"
#include "mock_apns/push_type.hpp"
#include "mock_apns/reason.hpp"
#include "pipeline/console.hpp"
#include "pipeline/records.hpp"
#include "pki/developer_portal.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <limits>
#include <map>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace scenario {

namespace {

namespace fs = std::filesystem;
using fake_device::DeviceEventKind;

// Thrown inside this file only; parse_scenario turns it into an error value.
struct LoadError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words)
    out += (out.empty() ? "" : ", ") + w;
  return out;
}

const std::vector<std::pair<std::string, Action>>& actions() {
  static const std::vector<std::pair<std::string, Action>> table = {
      {"upload", Action::Upload},
      {"install", Action::Install},
      {"uninstall", Action::Uninstall},
      {"reinstall", Action::Reinstall},
      {"consent", Action::Consent},
      {"launch", Action::Launch},
      {"home", Action::Home},
      {"swipe", Action::Swipe},
      {"terminate", Action::Terminate},
      {"login", Action::Login},
      {"logout", Action::Logout},
      {"kick", Action::Kick},
      {"alert_token", Action::AlertToken},
      {"rotate_token", Action::RotateToken},
      {"airplane", Action::Airplane},
      {"callkit", Action::CallKit},
      {"answer", Action::Answer},
      {"decline", Action::Decline},
      {"dnd", Action::Dnd},
      {"send", Action::Send},
      {"push", Action::Push},
      {"advance", Action::Advance},
      {"fault", Action::Fault},
      {"rotate_key", Action::RotateKey},
      {"lock", Action::Lock},
      {"unlock", Action::Unlock},
      {"remove_voip", Action::RemoveVoip},
      {"reset_aps_identity", Action::ResetApsIdentity},
      {"restart_pipeline", Action::RestartPipeline},
      {"receive_option", Action::ReceiveOption},
      {"create_group", Action::CreateGroup},
      {"join_group", Action::JoinGroup},
      {"leave_group", Action::LeaveGroup},
      {"refuse_certificate", Action::RefuseCertificate},
  };
  return table;
}

template <class T>
std::vector<std::string> names_of(const std::vector<std::pair<std::string, T>>& table) {
  std::vector<std::string> out;
  for (const auto& [name, value] : table)
    out.push_back(name);
  return out;
}

// `expect`, `device` and `note` indented under an action's value belong to the step instead.
std::string step_key_hint(const std::string& key) {
  if (key != "expect" && key != "device" && key != "note") return {};
  return " ('" + key + "' belongs to the step: indent it to line up with the action key)";
}

// One file's nodes, with the file name every error carries.
class Reader {
public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const YAML::Node& at, const std::string& what) const {
    throw LoadError(where(at).text() + ": " + what);
  }
  Location where(const YAML::Node& at) const {
    const auto mark = at.Mark();
    return {file_, mark.line >= 0 ? mark.line + 1 : 0};
  }

  void require_map(const YAML::Node& node, const std::string& what) const {
    if (!node.IsMap()) fail(node, what + " must be a mapping of keys to values");
  }
  // Refuses keys outside `allowed`, naming them all.
  void check_keys(const YAML::Node& node, const std::string& what,
                  const std::vector<std::string>& allowed) const {
    require_map(node, what);
    std::vector<std::string> seen;
    for (const auto& entry : node) {
      const auto key = entry.first.as<std::string>();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        fail(entry.first, "unknown key '" + key + "' in " + what + "; allowed: " + join(allowed) +
                              step_key_hint(key));
      // YAML keeps both copies of a repeated key and a lookup sees only the first: the second
      // would be ignored without a word.
      if (std::find(seen.begin(), seen.end(), key) != seen.end())
        fail(entry.first, "'" + key + "' appears twice in " + what);
      seen.push_back(key);
    }
  }

  std::string text(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) fail(node, what + " must be a single value");
    return node.Scalar();
  }
  // A list of single values; one value alone is a list of one.
  std::vector<std::string> texts(const YAML::Node& node, const std::string& what) const {
    if (node.IsScalar()) return {node.Scalar()};
    if (!node.IsSequence()) fail(node, what + " must be a list");
    std::vector<std::string> out;
    for (const auto& item : node)
      out.push_back(text(item, what));
    return out;
  }
  bool flag(const YAML::Node& node, const std::string& what) const {
    const std::string t = text(node, what);
    if (t == "true" || t == "on" || t == "yes") return true;
    if (t == "false" || t == "off" || t == "no") return false;
    fail(node, what + " must be true or false (or on/off), not '" + t + "'");
  }
  std::int64_t integer(const YAML::Node& node, const std::string& what) const {
    const std::string t = text(node, what);
    const auto v = core::parse_whole<std::int64_t>(t);
    if (!v) fail(node, what + " must be a whole number, not '" + t + "'");
    return *v;
  }
  // A whole number that fits an int, from 0 up (status codes, counts).
  int small(const YAML::Node& node, const std::string& what) const {
    const auto v = integer(node, what);
    if (v < 0 || v > std::numeric_limits<int>::max())
      fail(node,
           what + " must be between 0 and " + std::to_string(std::numeric_limits<int>::max()));
    return static_cast<int>(v);
  }
  std::uint64_t natural(const YAML::Node& node, const std::string& what) const {
    const auto v = integer(node, what);
    if (v < 0) fail(node, what + " must not be negative");
    return static_cast<std::uint64_t>(v);
  }
  core::Duration duration(const YAML::Node& node, const std::string& what) const {
    auto d = parse_duration(text(node, what));
    if (!d) fail(node, what + ": " + d.error().message());
    return *d;
  }
  template <class T>
  T choice(const YAML::Node& node, const std::string& what,
           const std::vector<std::pair<std::string, T>>& table) const {
    const std::string t = text(node, what);
    for (const auto& [name, value] : table)
      if (name == t) return value;
    fail(node, "'" + t + "' is not a valid " + what + "; allowed: " + join(names_of(table)));
  }
  // A value read by a parser of another part (its names table, core/names.hpp); `allowed` are
  // that table's words.
  template <class Parse>
  auto parsed(const YAML::Node& node, const std::string& what, Parse parse,
              const std::string& allowed) const {
    const auto value = parse(text(node, what));
    checked(node, what, value.has_value(), allowed);
    return *value;
  }
  // A value checked by a parser of another part: allowed values listed from `allowed`.
  std::string checked(const YAML::Node& node, const std::string& what, bool valid,
                      const std::string& allowed) const {
    if (!valid)
      fail(node, "'" + node.Scalar() + "' is not a valid " + what + "; allowed: " + allowed);
    return node.Scalar();
  }

private:
  std::string file_;
};

core::ApnsReason reason(const Reader& r, const YAML::Node& node, const std::string& what) {
  return r.parsed(node, what, core::parse_reason,
                  "a reason of apns-provider-api.md §5.4, e.g. BadDeviceToken, Unregistered, "
                  "ServiceUnavailable");
}

UploadSpec read_upload(const Reader& r, const YAML::Node& n, const std::string& what) {
  r.check_keys(n, what,
               {"label", "name", "credential", "from_csr", "password", "allow_other_types"});
  UploadSpec u;
  if (!n["credential"] == !n["from_csr"])
    r.fail(n, what + " needs one of 'credential' (a .p12 of the PKI, e.g. voip-services) and "
                     "'from_csr' (e.g. {kind: voip-services})");
  if (n["from_csr"]) {
    const YAML::Node& f = n["from_csr"];
    r.check_keys(f, "from_csr", {"kind", "with_key"});
    if (!f["kind"]) r.fail(f, "from_csr needs 'kind' (e.g. voip-services)");
    PortalExport e;
    e.kind = r.text(f["kind"], "kind");
    r.checked(f["kind"], "kind", pki::portal_kind(e.kind).has_value(),
              "a kind the portal issues: " + pki::portal_kind_words());
    if (f["with_key"]) e.with_key = r.flag(f["with_key"], "with_key");
    u.credential = e.kind + " issued from a CSR" + (e.with_key ? "" : ", exported without its key");
    u.from_csr = std::move(e);
  } else {
    u.credential = r.text(n["credential"], "credential");
  }
  u.label = n["label"] ? r.text(n["label"], "label") : u.from_csr ? u.from_csr->kind : u.credential;
  u.name = n["name"] ? r.text(n["name"], "name") : "Acme VoIP";
  if (n["password"]) u.password = n["password"].IsNull() ? "" : r.text(n["password"], "password");
  if (n["allow_other_types"])
    u.allow_other_types = r.flag(n["allow_other_types"], "allow_other_types");
  return u;
}

AppSpec read_app(const Reader& r, const YAML::Node& n) {
  r.check_keys(n, "app",
               {"bundle_id", "environment", "push_notifications", "voip_background_mode",
                "callkit_linked", "linked_sdk", "registry", "callkit", "certificate",
                "token_reporting", "reports_alert_token_as_voip", "unrestricted_voip"});
  AppSpec a;
  auto& c = a.config;
  if (n["bundle_id"]) c.bundle_id = r.text(n["bundle_id"], "bundle_id");
  if (n["environment"])
    c.environment = r.choice(n["environment"], "environment", core::apns_environment_spellings());
  if (n["push_notifications"])
    c.push_notifications_capability = r.flag(n["push_notifications"], "push_notifications");
  if (n["voip_background_mode"])
    c.voip_background_mode = r.flag(n["voip_background_mode"], "voip_background_mode");
  if (n["callkit_linked"]) c.callkit_linked = r.flag(n["callkit_linked"], "callkit_linked");
  if (n["linked_sdk"]) {
    auto v = fake_device::remote::parse_ios_version(r.text(n["linked_sdk"], "linked_sdk"));
    if (!v) r.fail(n["linked_sdk"], v.error().message());
    c.linked_sdk = *v;
  }
  if (n["registry"])
    c.registry = r.parsed(n["registry"], "registry", fake_device::parse_registry_creation,
                          fake_device::registry_creation_words());
  if (n["callkit"]) {
    auto b = fake_device::remote::parse_callkit_behaviour(r.text(n["callkit"], "callkit"));
    if (!b) r.fail(n["callkit"], b.error().message());
    c.callkit = *b;
  }
  if (n["certificate"]) a.certificate = r.text(n["certificate"], "certificate");
  if (n["token_reporting"])
    c.token_reporting =
        r.parsed(n["token_reporting"], "token_reporting", fake_device::parse_token_reporting,
                 fake_device::token_reporting_words());
  if (n["reports_alert_token_as_voip"])
    c.reports_alert_token_as_voip =
        r.flag(n["reports_alert_token_as_voip"], "reports_alert_token_as_voip");
  if (n["unrestricted_voip"])
    c.unrestricted_voip = r.flag(n["unrestricted_voip"], "unrestricted_voip");
  return a;
}

DeviceSpec read_device(const Reader& r, const YAML::Node& n) {
  r.check_keys(n, "device",
               {"id", "user", "ios", "locked", "dnd", "allowed_handles", "blocked_handles", "app"});
  DeviceSpec d;
  d.where = r.where(n);
  if (!n["id"] || !n["user"]) r.fail(n, "a device needs 'id' and 'user' (who logs in on it)");
  d.id = r.text(n["id"], "id");
  d.user = r.text(n["user"], "user");
  if (n["ios"]) {
    auto v = fake_device::remote::parse_ios_version(r.text(n["ios"], "ios"));
    if (!v) r.fail(n["ios"], v.error().message());
    d.ios = *v;
  }
  if (n["locked"]) d.locked = r.flag(n["locked"], "locked");
  if (n["dnd"]) d.dnd = r.flag(n["dnd"], "dnd");
  if (n["allowed_handles"]) d.allowed_handles = r.texts(n["allowed_handles"], "allowed_handles");
  if (n["blocked_handles"]) d.blocked_handles = r.texts(n["blocked_handles"], "blocked_handles");
  if (n["app"]) d.app = read_app(r, n["app"]);
  return d;
}

// {option: WORD, conversation: PEER | group: ID, user: USER}; neither conversation nor group:
// the global setting.
ReceiveOptionSpec read_receive_option(const Reader& r, const YAML::Node& n, bool needs_user) {
  r.check_keys(n, "receive_option", {"user", "option", "conversation", "group"});
  ReceiveOptionSpec spec;
  spec.where = r.where(n);
  if (!n["option"])
    r.fail(n, "a receive option needs 'option': " + pipeline::receive_option_words());
  spec.setting.option = r.parsed(n["option"], "receive option", pipeline::parse_receive_option,
                                 pipeline::receive_option_words());
  if (n["conversation"] && n["group"])
    r.fail(n, "a receive option is for one conversation or one group, not both");
  if (n["conversation"]) {
    spec.setting.scope = pipeline::ReceiveScope::Conversation;
    spec.setting.target = r.text(n["conversation"], "conversation");
  } else if (n["group"]) {
    spec.setting.scope = pipeline::ReceiveScope::Group;
    spec.setting.target = r.text(n["group"], "group");
  }
  if (n["user"]) spec.user = r.text(n["user"], "user");
  if (needs_user && spec.user.empty()) r.fail(n, "a receive option in setup needs 'user'");
  return spec;
}

// {id, type, members}: a group (im-voip-flow.md §4.3 "Group sends"); type Work unless given.
GroupSpec read_group(const Reader& r, const YAML::Node& n, const std::string& what) {
  if (!n.IsMap()) r.fail(n, what + " is {id: ..., type: ..., members: [...]}");
  r.check_keys(n, what, {"id", "type", "members"});
  GroupSpec spec;
  spec.where = r.where(n);
  if (!n["id"]) r.fail(n, what + " needs 'id'");
  spec.group.id = r.text(n["id"], "id");
  if (n["type"])
    spec.group.type =
        r.parsed(n["type"], "group type", pipeline::parse_group_type, pipeline::group_type_words());
  if (n["members"]) {
    const auto members = r.texts(n["members"], "members");
    spec.group.members.insert(members.begin(), members.end());
  }
  return spec;
}

// {group: ID, user: USER}: join_group, leave_group; user defaults to the step's device's.
MembershipSpec read_membership(const Reader& r, const YAML::Node& n, const std::string& what) {
  if (!n.IsMap()) r.fail(n, what + " is {group: ID, user: USER}");
  r.check_keys(n, what, {"group", "user"});
  MembershipSpec spec;
  spec.where = r.where(n);
  if (!n["group"]) r.fail(n, what + " needs 'group'");
  spec.group = r.text(n["group"], "group");
  if (n["user"]) spec.user = r.text(n["user"], "user");
  return spec;
}

Setup read_setup(const Reader& r, const YAML::Node& n) {
  r.check_keys(n, "setup",
               {"mock", "uploads", "groups", "receive_options", "devices", "mobile_instances"});
  Setup s;
  if (n["mobile_instances"]) {
    s.mobile_instances = r.small(n["mobile_instances"], "mobile_instances");
    r.checked(n["mobile_instances"], "mobile_instances", s.mobile_instances >= 1, "1 or more");
  }
  if (const auto mock = n["mock"]) {
    r.check_keys(mock, "setup.mock", {"tokens", "unregister_delay"});
    if (mock["tokens"])
      s.strict_tokens = r.choice(
          mock["tokens"], "tokens mode",
          std::vector<std::pair<std::string, bool>>{{"strict", true}, {"permissive", false}});
    if (mock["unregister_delay"])
      s.unregister_delay = r.duration(mock["unregister_delay"], "unregister_delay");
  }
  if (const auto uploads = n["uploads"]) {
    if (!uploads.IsSequence()) r.fail(uploads, "setup.uploads must be a list");
    for (const auto& u : uploads)
      s.uploads.push_back(read_upload(r, u, "an upload"));
  }
  if (const auto groups = n["groups"]) {
    if (!groups.IsSequence()) r.fail(groups, "setup.groups must be a list");
    for (const auto& g : groups)
      s.groups.push_back(read_group(r, g, "a group"));
  }
  if (const auto options = n["receive_options"]) {
    if (!options.IsSequence()) r.fail(options, "setup.receive_options must be a list");
    for (const auto& o : options)
      s.receive_options.push_back(read_receive_option(r, o, true));
  }
  if (const auto devices = n["devices"]) {
    if (!devices.IsSequence()) r.fail(devices, "setup.devices must be a list");
    for (const auto& d : devices) {
      s.devices.push_back(read_device(r, d));
      for (std::size_t i = 0; i + 1 < s.devices.size(); ++i)
        if (s.devices[i].id == s.devices.back().id)
          r.fail(d, "two devices are called '" + s.devices.back().id + "'");
    }
  }
  return s;
}

DeviceEventKind event_kind(const Reader& r, const YAML::Node& n) {
  return r.parsed(n, "device event", fake_device::parse_device_event_kind,
                  fake_device::device_event_kind_words());
}

// An event word, or {event: word, code: N, detail: text}.
EventMatch read_event(const Reader& r, const YAML::Node& n) {
  EventMatch m;
  if (n.IsScalar()) {
    m.kind = event_kind(r, n);
    return m;
  }
  r.check_keys(n, "a device event", {"event", "code", "detail", "count", "message"});
  if (!n["event"]) r.fail(n, "a device event needs 'event' (its kind)");
  m.kind = event_kind(r, n["event"]);
  if (n["code"]) m.code = r.small(n["code"], "code");
  if (n["detail"]) m.detail = r.text(n["detail"], "detail");
  if (n["count"]) m.count = r.small(n["count"], "count");
  if (n["message"]) m.message = r.text(n["message"], "message");
  return m;
}

std::vector<EventMatch> read_events(const Reader& r, const YAML::Node& n, const std::string& what) {
  if (n.IsScalar() || n.IsMap()) return {read_event(r, n)};
  if (!n.IsSequence()) r.fail(n, what + " must be a list of device events");
  std::vector<EventMatch> out;
  for (const auto& e : n)
    out.push_back(read_event(r, e));
  return out;
}

// One device's expectations in a step's `expect.device`.
DeviceExpectation read_device_expectation(const Reader& r, const YAML::Node& d) {
  r.check_keys(
      d, "expect.device",
      {"device", "events", "no_events", "process", "kill_count", "voip_blocked", "has_voip_token"});
  DeviceExpectation x;
  x.where = r.where(d);
  if (d["device"]) x.device = r.text(d["device"], "device");
  if (d["events"]) x.events = read_events(r, d["events"], "events");
  if (d["no_events"]) x.no_events = read_events(r, d["no_events"], "no_events");
  for (const auto& m : x.no_events)
    if (m.count) r.fail(d["no_events"], "'count' belongs in events (no_events means none)");
  if (d["process"])
    x.process = r.parsed(d["process"], "process state", fake_device::parse_process_state,
                         fake_device::process_state_words());
  if (d["kill_count"]) x.kill_count = r.small(d["kill_count"], "kill_count");
  if (d["voip_blocked"]) x.voip_blocked = r.flag(d["voip_blocked"], "voip_blocked");
  if (d["has_voip_token"]) x.has_voip_token = r.flag(d["has_voip_token"], "has_voip_token");
  return x;
}

Expectations read_expect(const Reader& r, const YAML::Node& n) {
  r.check_keys(n, "expect",
               {"apns", "message", "registration", "console", "certificate", "device", "response"});
  Expectations e;
  if (const auto a = n["apns"]) {
    ApnsExpectation x;
    x.where = r.where(a);
    if (a.IsScalar() && a.Scalar() == "none") {
      x.count = 0;
    } else {
      r.check_keys(a, "expect.apns",
                   {"count", "status", "reason", "environment", "topic", "push_type", "apns_id_of",
                    "timestamp_at", "headers", "body", "body_contains"});
      if (a["count"]) x.count = r.natural(a["count"], "count");
      if (a["status"]) x.status = r.small(a["status"], "status");
      if (a["reason"]) x.reason = reason(r, a["reason"], "reason");
      if (a["environment"])
        x.environment =
            r.choice(a["environment"], "environment", core::apns_environment_spellings());
      if (a["topic"]) x.topic = r.text(a["topic"], "topic");
      if (a["push_type"])
        x.push_type = r.parsed(a["push_type"], "push_type", mock_apns::parse_push_type,
                               mock_apns::push_type_words());
      if (a["apns_id_of"]) x.apns_id_of = r.text(a["apns_id_of"], "apns_id_of");
      if (a["timestamp_at"]) x.timestamp_at = r.duration(a["timestamp_at"], "timestamp_at");
      if (const auto headers = a["headers"]) {
        if (!headers.IsMap())
          r.fail(headers, "expect.apns.headers maps a header name to its value");
        for (const auto& h : headers) {
          ApnsExpectation::Header header;
          header.name = core::to_lower_ascii(r.text(h.first, "a header name"));
          if (h.second.IsMap()) {
            r.check_keys(h.second, "a header's value", {"at"});
            if (!h.second["at"]) r.fail(h.second, "a header's value is text, or {at: DURATION}");
            header.at = r.duration(h.second["at"], "at");
          } else {
            header.value = r.text(h.second, "a header's value");
          }
          x.headers.push_back(std::move(header));
        }
      }
      if (a["body"]) x.body = r.text(a["body"], "body");
      if (a["body_contains"]) x.body_contains = r.text(a["body_contains"], "body_contains");
    }
    e.apns = x;
  }
  if (const auto m = n["message"]) {
    r.check_keys(m, "expect.message",
                 {"message", "state", "reason", "attempts", "pushes", "receivers"});
    MessageExpectation x;
    x.where = r.where(m);
    if (m["message"]) x.message = r.text(m["message"], "message");
    if (m["state"])
      x.state = r.parsed(m["state"], "message state", pipeline::parse_message_state,
                         pipeline::message_state_words());
    if (m["reason"]) x.reason = r.text(m["reason"], "reason");
    if (m["attempts"]) x.attempts = r.small(m["attempts"], "attempts");
    // pushes: {DEVICE: {state, reason, attempts}, ...}: one installation's push each
    // (im-voip-flow.md §3.4); receivers: {USER: ...}: what one receiver's pushes sum up to (§4.3
    // "Group sends").
    auto read_pushes = [&](const char* key, const std::string& keyed_by) {
      std::vector<PushExpectation> out;
      const auto list = m[key];
      if (!list) return out;
      const std::string what = std::string("expect.message.") + key;
      if (!list.IsMap()) r.fail(list, what + " maps " + keyed_by + "s to a push");
      for (const auto& entry : list) {
        const auto& p = entry.second;
        r.check_keys(p, what, {"state", "reason", "attempts"});
        PushExpectation push;
        push.where = r.where(p);
        push.key = r.text(entry.first, keyed_by);
        if (p["state"])
          push.state = r.parsed(p["state"], "message state", pipeline::parse_message_state,
                                pipeline::message_state_words());
        if (p["reason"]) push.reason = r.text(p["reason"], "reason");
        if (p["attempts"]) push.attempts = r.small(p["attempts"], "attempts");
        out.push_back(std::move(push));
      }
      return out;
    };
    x.pushes = read_pushes("pushes", "device id");
    x.receivers = read_pushes("receivers", "user");
    e.message = x;
  }
  if (const auto g = n["registration"]) {
    r.check_keys(g, "expect.registration", {"user", "device", "state", "reason"});
    RegistrationExpectation x;
    x.where = r.where(g);
    if (g["user"]) x.user = r.text(g["user"], "user");
    if (g["device"]) x.device = r.text(g["device"], "device");
    // "none" is no state of a registration: that there is none at all.
    if (g["state"] && r.text(g["state"], "registration state") == "none") {
      x.none = true;
    } else if (g["state"]) {
      x.state = r.parsed(g["state"], "registration state", pipeline::parse_registration_state,
                         "none, " + pipeline::registration_state_words());
    }
    if (g["reason"]) x.reason = r.text(g["reason"], "reason");
    e.registration = x;
  }
  if (const auto c = n["console"]) {
    r.check_keys(c, "expect.console", {"error", "development_id", "production_id", "warning"});
    ConsoleExpectation x;
    x.where = r.where(c);
    if (c["error"]) {
      const std::string code = r.text(c["error"], "console code");
      x.error = r.checked(c["error"], "console code",
                          code == "none" || pipeline::parse_console_code(code).has_value(),
                          "none, " + pipeline::console_code_words());
    }
    if (c["development_id"]) x.development_id = r.integer(c["development_id"], "development_id");
    if (c["production_id"]) x.production_id = r.integer(c["production_id"], "production_id");
    if (c["warning"]) x.warning = r.text(c["warning"], "warning");
    e.console = x;
  }
  if (const auto c = n["certificate"]) {
    r.check_keys(c, "expect.certificate", {"label", "health"});
    CertificateExpectation x;
    x.where = r.where(c);
    if (c["label"]) x.label = r.text(c["label"], "label");
    if (!c["health"]) r.fail(c, "expect.certificate needs 'health'");
    x.health = r.checked(
        c["health"], "certificate health",
        pipeline::parse_certificate_health(r.text(c["health"], "certificate health")).has_value(),
        pipeline::certificate_health_words());
    e.certificate = x;
  }
  if (const auto devices = n["device"]) {
    // One device's expectations, or a list of them, one per device (`device:` names it).
    std::vector<YAML::Node> listed;
    if (devices.IsSequence()) {
      for (const auto& d : devices)
        listed.push_back(d);
    } else {
      listed.push_back(devices);
    }
    for (const auto& d : listed) {
      e.devices.push_back(read_device_expectation(r, d));
      for (std::size_t i = 0; i + 1 < e.devices.size(); ++i)
        if (e.devices[i].device == e.devices.back().device)
          r.fail(d, "expect.device names " +
                        (e.devices.back().device.empty() ? std::string("the step's device")
                                                         : "'" + e.devices.back().device + "'") +
                        " twice; put its expectations together");
    }
  }
  if (const auto p = n["response"]) {
    r.check_keys(p, "expect.response", {"status", "reason"});
    ResponseExpectation x;
    x.where = r.where(p);
    if (p["status"]) x.status = r.small(p["status"], "status");
    if (p["reason"]) x.reason = reason(r, p["reason"], "reason");
    e.response = x;
  }
  return e;
}

// A header of a `push` as written, or nullopt for `none` (the header is left out).
std::optional<std::string> header(const Reader& r, const YAML::Node& n, const std::string& what) {
  const std::string t = r.text(n, what);
  if (t == "none") return std::nullopt;
  return t;
}

// JSON text of exactly the byte count at `n` (`what`): `head`, then x's, then `tail`; 0 gives
// no text at all where `zero_is_empty` (a push without a body: the mock's PayloadEmpty).
std::string padded_json(const Reader& r, const YAML::Node& n, const std::string& what,
                        std::string_view head, std::string_view tail, bool zero_is_empty) {
  const auto bytes = r.integer(n, what);
  const auto shortest = static_cast<std::int64_t>(head.size() + tail.size());
  if (zero_is_empty && bytes == 0) return {};
  if (bytes < shortest || bytes > 1'000'000)
    r.fail(n, what + " must be " + (zero_is_empty ? "0 or " : "") + "between " +
                  std::to_string(shortest) + " and 1000000");
  return std::string(head) + std::string(bytes - shortest, 'x') + std::string(tail);
}

// A push body of exactly `n` bytes: the default body padded inside a "pad" string (so 5121
// bytes is the VoIP limit plus one, the mock's own 413); 0 is an empty body.
std::string body_of_size(const Reader& r, const YAML::Node& n) {
  return padded_json(r, n, "body_bytes", R"({"aps":{},"pad":")", R"("})", true);
}

// The parameters of one action; `v` is the action key's value (null when there is none, as
// for a bare word), `at` where errors about a missing value point.
void read_action(const Reader& r, const YAML::Node& v, const YAML::Node& at, Step& s) {
  const bool none = !v || v.IsNull() || (v.IsMap() && v.size() == 0);
  const std::string word(to_string(s.action));
  switch (s.action) {
  case Action::Upload:
    if (none) r.fail(at, "upload needs {credential: ..., name: ..., label: ...}");
    s.upload = read_upload(r, v, "upload");
    return;
  case Action::Airplane:
  case Action::Dnd:
    if (none) r.fail(at, word + " needs on or off");
    s.on = r.flag(v, word);
    return;
  case Action::CallKit: {
    if (none) r.fail(at, "callkit needs immediate, never, delay:MS, fail:NAME or no-completion");
    auto b = fake_device::remote::parse_callkit_behaviour(r.text(v, "callkit"));
    if (!b) r.fail(v, b.error().message());
    s.value = v.Scalar();
    return;
  }
  case Action::Advance:
    if (none) r.fail(at, "advance needs a duration, e.g. 5s or 61m");
    s.duration = r.duration(v, "advance");
    return;
  case Action::Send:
    if (none) return;
    r.check_keys(v, "send",
                 {"from", "to", "group", "at", "ext", "ext_bytes", "online_user_only",
                  "disable_push", "random", "as"});
    if (v["from"]) s.send.from = r.text(v["from"], "from");
    if (v["to"] && v["group"]) r.fail(v, "send goes 'to' a user or to a 'group', not both");
    if (v["to"]) s.send.to = r.text(v["to"], "to");
    if (v["group"]) s.send.group = r.text(v["group"], "group");
    if (v["at"] && !v["group"]) r.fail(v["at"], "'at' (@-mentions) needs a 'group' message");
    if (v["at"]) s.send.at = r.texts(v["at"], "at");
    if (v["ext"]) s.send.ext = r.text(v["ext"], "ext");
    if (v["ext_bytes"]) {
      // An ext of exactly this many bytes (Note 7): the seed's JSON, padded inside "content".
      s.send.ext = padded_json(r, v["ext_bytes"], "ext_bytes",
                               R"({"entity":{"action":1,"content":")", R"("}})", false);
    }
    if (v["online_user_only"])
      s.send.online_user_only = r.flag(v["online_user_only"], "online_user_only");
    if (v["disable_push"]) s.send.disable_push = r.flag(v["disable_push"], "disable_push");
    if (v["random"]) s.send.random = r.natural(v["random"], "random");
    if (v["as"]) s.send.label = r.text(v["as"], "as");
    return;
  case Action::Push:
    if (none) return;
    r.check_keys(v, "push",
                 {"token", "auth", "credential", "environment", "new_provider_token", "topic",
                  "push_type", "priority", "expiration", "collapse_id", "apns_id", "body",
                  "body_bytes"});
    if (v["token"]) s.push.token = r.text(v["token"], "token");
    if (v["auth"]) s.push.auth = r.parsed(v["auth"], "auth", parse_push_auth, push_auth_words());
    if (v["credential"]) s.push.credential = r.text(v["credential"], "credential");
    if (v["environment"])
      s.push.environment =
          r.choice(v["environment"], "environment", core::apns_environment_spellings());
    if (v["new_provider_token"])
      s.push.new_provider_token = r.flag(v["new_provider_token"], "new_provider_token");
    if (v["topic"]) s.push.topic = r.text(v["topic"], "topic");
    if (v["push_type"]) s.push.push_type = header(r, v["push_type"], "push_type");
    if (v["priority"]) s.push.priority = header(r, v["priority"], "priority");
    if (v["expiration"]) {
      // "+30s": that long after the step's (virtual) time; anything else is sent as written.
      const std::string t = r.text(v["expiration"], "expiration");
      if (t.starts_with("+")) {
        auto d = parse_duration(t.substr(1));
        if (!d) r.fail(v["expiration"], "expiration: " + d.error().message());
        s.push.expires_in = *d; // the header is made from it when the push goes
      } else {
        s.push.expiration = header(r, v["expiration"], "expiration");
      }
    }
    if (v["collapse_id"]) s.push.collapse_id = header(r, v["collapse_id"], "collapse_id");
    if (v["apns_id"]) s.push.apns_id = header(r, v["apns_id"], "apns_id");
    if (v["body"] && v["body_bytes"]) r.fail(v, "push takes 'body' or 'body_bytes', not both");
    if (v["body"]) s.push.body = r.text(v["body"], "body");
    if (v["body_bytes"]) s.push.body = body_of_size(r, v["body_bytes"]);
    return;
  case Action::ReceiveOption:
    if (none) r.fail(at, "receive_option needs {option: ..., conversation: ... or group: ...}");
    s.receive_option = read_receive_option(r, v, false);
    return;
  case Action::CreateGroup:
    if (none) r.fail(at, "create_group needs {id: ..., type: ..., members: [...]}");
    s.group = read_group(r, v, "create_group");
    return;
  case Action::JoinGroup:
  case Action::LeaveGroup: {
    const std::string what = s.action == Action::JoinGroup ? "join_group" : "leave_group";
    if (none) r.fail(at, what + " needs {group: ID, user: USER}");
    s.membership = read_membership(r, v, what);
    return;
  }
  case Action::RestartPipeline:
    if (none) return;
    r.check_keys(v, "restart_pipeline", {"down_for"});
    if (v["down_for"]) s.duration = r.duration(v["down_for"], "down_for");
    return;
  case Action::RotateKey:
    if (none) return;
    r.check_keys(v, "rotate_key", {"revoke_old"});
    if (v["revoke_old"]) s.revoke_old = r.flag(v["revoke_old"], "revoke_old");
    return;
  case Action::RefuseCertificate:
    if (none || !v.IsScalar())
      r.fail(none ? at : v, "refuse_certificate needs the label of an upload, e.g. "
                            "refuse_certificate: voip");
    s.value = r.text(v, "refuse_certificate");
    return;
  case Action::Fault:
    if (none) r.fail(at, "fault needs {reason: ..., count: ...}");
    r.check_keys(v, "fault", {"reason", "count", "skip", "goaway"});
    if (!v["reason"] && !v["goaway"]) r.fail(v, "a fault needs 'reason' and/or 'goaway'");
    if (v["reason"]) s.fault.reason = reason(r, v["reason"], "reason");
    if (v["goaway"]) s.fault.goaway = reason(r, v["goaway"], "goaway");
    if (v["count"]) s.fault.count = r.integer(v["count"], "count");
    if (v["skip"]) s.fault.skip = r.natural(v["skip"], "skip");
    return;
  default:
    if (!none && v.IsMap() && v.begin()->first.IsScalar())
      r.fail(v,
             "'" + word + "' takes no value" + step_key_hint(v.begin()->first.as<std::string>()));
    if (!none) r.fail(v, "'" + word + "' takes no value");
    return;
  }
}

Step read_step(const Reader& r, const YAML::Node& n) {
  static const auto kActions = actions();
  Step s;
  s.where = r.where(n);
  if (n.IsScalar()) { // "- home": the action with no value
    s.action = r.choice(n, "step", kActions);
    read_action(r, YAML::Node(YAML::NodeType::Null), n, s);
    s.text = n.Scalar();
    return s;
  }
  r.require_map(n, "a step");
  std::vector<std::string> found, seen;
  YAML::Node action_key;
  for (const auto& entry : n) {
    const auto key = entry.first.as<std::string>();
    if (std::find(seen.begin(), seen.end(), key) != seen.end())
      r.fail(entry.first, "'" + key + "' appears twice in a step");
    seen.push_back(key);
    if (key == "expect" || key == "device" || key == "note") continue;
    found.push_back(key);
    action_key = entry.first;
  }
  if (found.size() != 1) {
    r.fail(n, found.empty() ? "a step needs one action; allowed: " + join(names_of(kActions))
                            : "a step has one action, this one has " + join(found));
  }
  s.action = r.choice(action_key, "step", kActions);
  const YAML::Node value = n[found[0]];
  read_action(r, value, action_key, s);
  s.text = found[0];
  if (value && value.IsScalar() && !value.Scalar().empty()) s.text += " " + value.Scalar();
  if (n["device"]) s.device = r.text(n["device"], "device");
  if (n["note"]) s.note = r.text(n["note"], "note");
  if (n["expect"]) s.expect = read_expect(r, n["expect"]);
  return s;
}

// Two phones of one user under the default mobile_instances 1 is legal (a kicked login is a
// case worth replaying), but the second login kicks the first, which then never rings: said
// unless the file wrote the setting, in case it was not meant.
std::vector<std::string> setup_warnings(const Setup& s, bool policy_written) {
  std::vector<std::string> warnings;
  if (policy_written || s.mobile_instances > 1) return warnings;
  for (std::size_t i = 0; i < s.devices.size(); ++i) {
    const DeviceSpec& later = s.devices[i];
    const auto same_user = [&](const DeviceSpec& d) { return d.user == later.user; };
    const auto first = std::find_if(s.devices.begin(), s.devices.begin() + i, same_user);
    if (later.user.empty() || first == s.devices.begin() + i) continue;
    warnings.push_back(later.where.text() + ": devices '" + first->id + "' and '" + later.id +
                       "' both log in as " + later.user +
                       ": with mobile_instances 1 (the default) the second login kicks the "
                       "first, which then never rings (im-voip-flow.md §3.4); write "
                       "setup.mobile_instances: 2 to keep both logged in, or 1 if the kick is "
                       "meant");
  }
  return warnings;
}

Scenario read_scenario(const Reader& r, const YAML::Node& root, const std::string& name) {
  r.check_keys(root, "the scenario",
               {"name", "title", "spec", "demonstrates", "live_skip", "setup", "steps"});
  Scenario sc;
  sc.where = r.where(root);
  sc.name = root["name"] ? r.text(root["name"], "name") : name;
  if (root["title"]) sc.title = r.text(root["title"], "title");
  if (root["spec"]) sc.spec = r.text(root["spec"], "spec");
  if (root["demonstrates"]) sc.demonstrates = r.text(root["demonstrates"], "demonstrates");
  if (root["live_skip"]) {
    sc.live_skip = r.text(root["live_skip"], "live_skip");
    r.checked(root["live_skip"], "live_skip", !sc.live_skip.empty(),
              "the reason it cannot run in real time");
  }
  if (root["setup"]) sc.setup = read_setup(r, root["setup"]);
  sc.warnings = setup_warnings(sc.setup, root["setup"] && root["setup"]["mobile_instances"]);
  const auto steps = root["steps"];
  if (!steps || !steps.IsSequence() || steps.size() == 0)
    r.fail(steps ? steps : root, "a scenario needs 'steps': a list of at least one step");
  for (const auto& step : steps) {
    Step s = read_step(r, step);
    if (!s.device.empty()) {
      const auto& ds = sc.setup.devices;
      if (std::none_of(ds.begin(), ds.end(), [&](const DeviceSpec& d) { return d.id == s.device; }))
        r.fail(step["device"], "no device '" + s.device + "' in setup.devices");
    }
    sc.steps.push_back(std::move(s));
  }
  return sc;
}

} // namespace

std::string Location::text() const {
  return line > 0 ? file + ":" + std::to_string(line) : file;
}

const std::vector<std::string>& action_names() {
  static const auto names = names_of(actions());
  return names;
}

std::string_view to_string(Action action) {
  for (const auto& [name, value] : actions())
    if (value == action) return name;
  return "?";
}

core::Result<core::Duration> parse_duration(std::string_view text) {
  // The digits, then the unit: no sign, no spaces.
  const auto digits = std::min(text.find_first_not_of("0123456789"), text.size());
  const std::string_view unit = text.substr(digits);
  const auto number = core::parse_whole<std::int64_t>(text.substr(0, digits));
  if (!number) {
    return core::fail(core::Errc::InvalidArgument,
                      "'" + std::string(text) +
                          "' is not a duration; write e.g. 250ms, 5s, 61m, 1h");
  }
  const std::int64_t n = *number;
  using namespace std::chrono;
  // A hundred years is more than any scenario needs, and far from the clock's overflow.
  constexpr std::int64_t kLongestMs = 100LL * 366 * 24 * 3600 * 1000;
  const std::int64_t scale = unit == "ms"                  ? 1
                             : unit.empty() || unit == "s" ? 1000
                             : unit == "m"                 ? 60'000
                             : unit == "h"                 ? 3'600'000
                                                           : 0;
  if (scale != 0 && n > kLongestMs / scale) {
    return core::fail(core::Errc::InvalidArgument,
                      "'" + std::string(text) + "' is longer than a hundred years");
  }
  if (unit == "ms") return duration_cast<core::Duration>(milliseconds(n));
  if (unit.empty() || unit == "s") return duration_cast<core::Duration>(seconds(n));
  if (unit == "m") return duration_cast<core::Duration>(minutes(n));
  if (unit == "h") return duration_cast<core::Duration>(hours(n));
  return core::fail(core::Errc::InvalidArgument,
                    "'" + std::string(text) + "' has an unknown unit; use ms, s, m or h");
}

namespace {

// "- launch" followed by an indented "expect:" is a YAML error on the indented line: the
// hint names the bare word above it, which needs a colon to take the mapping.
std::string bare_word_hint(std::string_view text, int error_line) {
  std::vector<std::string_view> lines;
  for (std::size_t from = 0; from <= text.size();) {
    const auto end = std::min(text.find('\n', from), text.size());
    lines.push_back(text.substr(from, end - from));
    from = end + 1;
  }
  for (int i = std::min(error_line, static_cast<int>(lines.size())) - 1; i >= 0; --i) {
    std::string_view line = lines[static_cast<std::size_t>(i)];
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r'))
      line.remove_suffix(1);
    if (line.find_first_not_of(' ') == std::string_view::npos) continue;
    const auto dash = line.find_first_not_of(' ');
    if (!line.substr(dash).starts_with("- ")) return {};
    const std::string word(line.substr(line.find_first_not_of(' ', dash + 1)));
    for (const auto& [name, action] : actions())
      if (name == word)
        return "; did you mean '- " + word + ":' on line " + std::to_string(i + 1) +
               "? (a step with expect, device or note needs a colon after its action)";
    return {};
  }
  return {};
}

} // namespace

core::Result<Scenario> parse_scenario(std::string_view text, const std::string& file,
                                      const std::string& name) {
  // yaml-cpp stops near 500 levels with a bare "bad file"; say what is wrong first.
  if (core::nests_deeper_than(text, core::kMaxJsonDepth)) {
    return core::fail(core::Errc::InvalidArgument, file + ": not accepted: nested deeper than " +
                                                       std::to_string(core::kMaxJsonDepth) +
                                                       " levels");
  }
  // YAML reads JSON too, but leniently (a trailing comma passes): a .json file is strict JSON.
  if (file.ends_with(".json")) {
    if (auto strict = core::parse_json(text); !strict)
      return core::fail(core::Errc::InvalidArgument, file + ": " + strict.error().detail);
  }
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    const Reader r(file);
    if (!root.IsMap()) r.fail(root, "a scenario file holds one mapping (name, setup, steps, ...)");
    return read_scenario(r, root, name);
  } catch (const LoadError& e) {
    return core::fail(core::Errc::InvalidArgument, e.what());
  } catch (const YAML::Exception& e) {
    const Location at{file, e.mark.line >= 0 ? e.mark.line + 1 : 0};
    return core::fail(core::Errc::InvalidArgument,
                      at.text() + ": " + e.msg + bare_word_hint(text, e.mark.line));
  }
}

core::Result<std::vector<Scenario>> load_scenario_files(const std::vector<std::string>& paths) {
  std::vector<Scenario> out;
  auto load = [&](const fs::path& file, const std::string& name) -> core::Result<void> {
    auto text = core::read_file(file.string());
    if (!text) return core::Unexpected(text.error());
    auto sc = parse_scenario(*text, file.string(), name);
    if (!sc) return core::Unexpected(sc.error());
    out.push_back(std::move(*sc));
    return {};
  };
  for (const auto& p : paths) {
    std::error_code ec;
    const fs::path path(p);
    if (fs::is_directory(path, ec)) {
      std::vector<fs::path> files;
      fs::recursive_directory_iterator it(path, ec), end;
      for (; !ec && it != end; it.increment(ec)) {
        const auto ext = it->path().extension();
        // The format's JSON Schema lives beside the scenarios it describes.
        if (it->path().filename() == "scenario.schema.json") continue;
        if (it->is_regular_file() && (ext == ".yaml" || ext == ".yml" || ext == ".json"))
          files.push_back(it->path());
      }
      if (ec) {
        const std::string where = it != end ? it->path().string() : p;
        return core::fail(core::Errc::InvalidArgument,
                          "cannot read folder " + where + ": " + ec.message());
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        auto name = fs::relative(f, path).replace_extension().generic_string();
        if (auto loaded = load(f, name); !loaded) return core::Unexpected(loaded.error());
      }
    } else if (fs::exists(path, ec)) {
      if (auto loaded = load(path, path.stem().string()); !loaded)
        return core::Unexpected(loaded.error());
    } else {
      return core::fail(core::Errc::InvalidArgument, p + ": no such scenario file or folder");
    }
  }
  for (std::size_t i = 0; i < out.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (out[i].name == out[j].name)
        return core::fail(core::Errc::InvalidArgument,
                          out[i].where.file + ": the name '" + out[i].name + "' is taken by " +
                              out[j].where.file + "; scenario names must be unique");
  return out;
}

} // namespace scenario
