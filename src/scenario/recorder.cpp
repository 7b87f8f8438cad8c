#include "scenario/recorder.hpp"

#include "core/apns_environment.hpp"
#include "core/clock.hpp"
#include "core/device_token.hpp"
#include "core/json_string.hpp"
#include "mock_apns/push_type.hpp"
#include "mock_apns/reason.hpp"
#include "pki/certificate.hpp"
#include "scenario/push_auth.hpp"

#include <chrono>
#include <map>
#include <sstream>

namespace scenario {

namespace {

// A YAML double-quoted scalar: JSON's string syntax is valid YAML.
std::string q(std::string_view text) {
  std::string quoted;
  core::append_json_string(quoted, text);
  return quoted;
}

std::string duration_text(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) return std::to_string(ms.count() / 1000) + "s";
  return std::to_string(ms.count()) + "ms";
}

// How a recorded request is replayed: an accepted certificate by the PKI's credential of its
// kind (pki/credential_set.cpp names them by kind_name), a token connection with a token; a
// refused certificate has no credential to replay it with.
struct ReplayAuth {
  PushAuth auth = PushAuth::None;
  std::string credential; // certificate auth only
};

ReplayAuth replay_auth(const mock_apns::JournalEntry& r) {
  ReplayAuth out;
  if (r.auth_kind == mock_apns::AuthKind::Token) out.auth = PushAuth::Token;
  if (r.auth_kind == mock_apns::AuthKind::Certificate && r.certificate_kind) {
    out.auth = PushAuth::Certificate;
    // The PKI has no credential of kind "other" (an Apple CN of no known kind): the VoIP one.
    out.credential = *r.certificate_kind == pki::CertificateKind::Other
                         ? pki::kind_name(pki::CertificateKind::VoipServices)
                         : pki::kind_name(*r.certificate_kind);
  }
  return out;
}

struct RecordedDevice {
  std::string id;
  std::string bundle;
  bool development = true;
  std::optional<std::int64_t> died_at_ms; // unregistered or expired at the end of the recording
  bool uninstalled = false;
};

constexpr std::chrono::milliseconds kSmallestGap{100}; // bursts replay back to back

} // namespace

std::string record_scenario(const Recording& rec) {
  // One device per VoIP token the registry knew, in order of first use.
  std::map<std::string, RecordedDevice> devices;
  std::vector<std::string> order;
  for (const auto& r : rec.requests) {
    if (r.token.empty() || devices.contains(r.token) || !rec.find_token) continue;
    const auto record = rec.find_token(r.token);
    const std::string_view suffix = ".voip";
    if (!record || !record->topic.ends_with(suffix)) continue;
    RecordedDevice d;
    d.id = "device-" + std::to_string(order.size() + 1);
    d.bundle = record->topic.substr(0, record->topic.size() - suffix.size());
    d.development = record->environment == mock_apns::Environment::Sandbox;
    if (record->state != mock_apns::TokenState::Active) d.died_at_ms = record->timestamp_ms;
    devices.emplace(r.token, d);
    order.push_back(r.token);
  }

  std::ostringstream out;
  out << "# Recorded by voipsim mock-apns --record at "
      << core::format_utc(rec.recorded_at, "%Y-%m-%d %H:%M:%S") << " UTC: " << rec.requests.size()
      << " requests.\n"
      << "# A skeleton: each request is a push step expecting the answer the mock gave. The\n"
      << "# recorded tokens become simulated devices whose apps get tokens of their own; pushes "
         "to\n"
      << "# tokens the mock did not know keep their text. Replay: voipsim run THIS_FILE\n";
  if (rec.dropped > 0) {
    out << "# " << rec.dropped
        << " older requests had left the journal ring (--journal-size) and are missing.\n";
  }
  out << "name: " << q("recorded-" + core::format_utc(rec.recorded_at, "%Y%m%d-%H%M%S")) << "\n"
      << "title: " << q("Traffic recorded by voipsim mock-apns") << "\n"
      << "setup:\n"
      << "  mock: {tokens: " << (rec.strict_tokens ? "strict" : "permissive")
      << ", unregister_delay: " << rec.unregister_delay.count() << "ms}\n";
  if (!order.empty()) {
    out << "  devices:\n";
    for (const auto& token : order) {
      const auto& d = devices.at(token);
      out << "    - id: " << d.id << "\n      user: user-" << d.id.substr(7) << "\n"
          << "      app: {bundle_id: " << q(d.bundle) << ", environment: "
          << core::to_string(d.development ? core::ApnsEnvironment::Sandbox
                                           : core::ApnsEnvironment::Production)
          << "}\n";
    }
  }
  out << "steps:\n";
  for (const auto& token : order) {
    const auto& d = devices.at(token);
    out << "  # " << d.id << " stands for the recorded token " << token << "\n";
    for (const char* step : {"install", "consent", "launch"})
      out << "  - " << step << ":\n    device: " << d.id << "\n";
  }
  if (order.empty() && rec.requests.empty()) out << "  - advance: 0s\n";

  std::optional<core::TimePoint> last;
  for (const auto& r : rec.requests) {
    if (last) {
      const auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(r.time - *last);
      if (gap >= kSmallestGap) out << "  - advance: " << duration_text(gap) << "\n";
    }
    last = r.time;
    const auto now_ms = core::unix_millis(r.time);
    for (auto& [token, d] : devices) {
      if (d.died_at_ms && *d.died_at_ms <= now_ms && !d.uninstalled) {
        out << "  - uninstall:\n    device: " << d.id
            << "\n    note: " << q("the recorded token was unregistered here") << "\n";
        d.uninstalled = true;
      }
    }
    const std::string answer =
        std::to_string(r.status) +
        (r.reason ? " " + std::string(mock_apns::reason_text(*r.reason)) : std::string());
    if (r.method != "POST" || (!r.path.empty() && !r.path.starts_with(core::kDevicePathPrefix)) ||
        r.token.empty() || r.goaway) {
      out << "  # not replayable as a push step: " << r.method << " " << r.path << " -> " << answer
          << (r.goaway ? " (GOAWAY)" : "") << "\n";
      continue;
    }
    const auto device = devices.find(r.token);
    out << "  - push:\n";
    // After its uninstall the app has no token: the push goes to the one it had.
    out << "      token: "
        << (device == devices.end()      ? q(r.token)
            : device->second.uninstalled ? std::string("last_voip")
                                         : std::string("voip"))
        << "\n";
    const ReplayAuth auth = replay_auth(r);
    out << "      auth: " << to_string(auth.auth) << "\n";
    if (!auth.credential.empty()) out << "      credential: " << auth.credential << "\n";
    out << "      environment: " << core::to_string(r.environment) << "\n"
        << "      topic: " << q(r.topic) << "\n";
    if (r.push_type) out << "      push_type: " << mock_apns::push_type_name(*r.push_type) << "\n";
    if (device != devices.end()) out << "    device: " << device->second.id << "\n";
    out << "    note: " << q("recorded: " + answer + " (" + r.auth + ")") << "\n"
        << "    expect:\n      response: {status: " << r.status;
    if (r.reason) out << ", reason: " << mock_apns::reason_text(*r.reason);
    out << "}\n";
  }
  return out.str();
}

} // namespace scenario
