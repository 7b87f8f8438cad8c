#include "scenario/check.hpp"

#include "mock_apns/push_type.hpp"
#include "mock_apns/reason.hpp"

#include <algorithm>

namespace scenario {

namespace {

std::string summary(const mock_apns::JournalEntry& e) {
  std::string out =
      std::string(mock_apns::environment_name(e.environment)) + " " + std::to_string(e.status);
  if (e.reason) out += " " + std::string(mock_apns::reason_text(*e.reason));
  return out;
}

std::string summary(std::span<const mock_apns::JournalEntry> requests) {
  if (requests.empty()) return "no request";
  std::string out =
      std::to_string(requests.size()) + (requests.size() == 1 ? " request: " : " requests: ");
  for (std::size_t i = 0; i < requests.size(); ++i)
    out += (i ? "; " : "") + summary(requests[i]);
  return out;
}

std::string summary(const pipeline::MessageRecord& m) {
  std::string out = std::string(pipeline::to_string(m.state));
  if (!m.reason.empty()) out += " (" + m.reason + ")";
  return out + ", attempts " + std::to_string(m.attempts);
}

std::string summary(const pipeline::Registration& r) {
  std::string out = std::string(pipeline::to_string(r.state));
  if (!r.reason.empty()) out += " (" + r.reason + ")";
  return out;
}

std::string summary(const std::vector<fake_device::DeviceEvent>& events) {
  if (events.empty()) return "no device event";
  std::string out;
  for (const auto& e : events) {
    if (e.kind == fake_device::DeviceEventKind::Log) continue; // the lines are in the timeline
    out += (out.empty() ? "" : ", ") + std::string(fake_device::to_string(e.kind));
  }
  return out.empty() ? "only log lines" : out;
}

bool has(const std::vector<fake_device::DeviceEvent>& events, fake_device::DeviceEventKind k) {
  return std::any_of(events.begin(), events.end(), [k](const auto& e) { return e.kind == k; });
}

std::string yes_no(bool b) {
  return b ? "true" : "false";
}

} // namespace

std::vector<Mismatch> check(const ApnsExpectation& e,
                            std::span<const mock_apns::JournalEntry> requests) {
  std::vector<Mismatch> out;
  const std::string seen = summary(requests);
  if (e.count && requests.size() != *e.count) {
    out.push_back({"expect.apns.count",
                   std::to_string(*e.count) + (*e.count == 1 ? " request" : " requests"), seen,
                   e.where});
  }
  if (requests.empty() && (e.status || e.reason || e.environment) && !e.count) {
    out.push_back({"expect.apns", "a request answered by the mock", seen, e.where});
    return out;
  }
  for (const auto& r : requests) {
    if (e.status && r.status != *e.status) {
      out.push_back({"expect.apns.status", std::to_string(*e.status), seen, e.where});
      break;
    }
  }
  // As reasons, not text: both spellings of BadEnvironmentKeyIdInToken are the same reason.
  const auto expected_reason = e.reason ? mock_apns::parse_reason(*e.reason) : std::nullopt;
  for (const auto& r : requests) {
    if (e.reason && r.reason != expected_reason) {
      out.push_back({"expect.apns.reason", *e.reason, seen, e.where});
      break;
    }
  }
  for (const auto& r : requests) {
    if (e.environment && mock_apns::environment_name(r.environment) != *e.environment) {
      out.push_back({"expect.apns.environment", *e.environment, seen, e.where});
      break;
    }
  }
  return out;
}

std::vector<Mismatch> check(const MessageExpectation& e,
                            const std::optional<pipeline::MessageRecord>& m) {
  const std::string label = e.message.empty() ? "the last message sent" : "message " + e.message;
  if (!m) return {{"expect.message", label + " in the pipeline", "no such message", e.where}};
  std::vector<Mismatch> out;
  if (e.state && pipeline::to_string(m->state) != *e.state)
    out.push_back({"expect.message.state", *e.state, summary(*m), e.where});
  if (e.reason && m->reason != *e.reason)
    out.push_back({"expect.message.reason", *e.reason, summary(*m), e.where});
  if (e.attempts && m->attempts != *e.attempts)
    out.push_back({"expect.message.attempts", std::to_string(*e.attempts), summary(*m), e.where});
  return out;
}

std::vector<Mismatch> check(const RegistrationExpectation& e,
                            const std::optional<pipeline::Registration>& r) {
  std::vector<Mismatch> out;
  const std::string seen = r ? summary(*r) : "none";
  if (e.state && (r ? std::string(pipeline::to_string(r->state)) : "none") != *e.state)
    out.push_back({"expect.registration.state", *e.state, seen, e.where});
  if (e.reason && (!r || r->reason != *e.reason))
    out.push_back({"expect.registration.reason", *e.reason, seen, e.where});
  return out;
}

std::vector<Mismatch> check(const ConsoleExpectation& e, const std::optional<ConsoleOutcome>& o) {
  if (!o) return {{"expect.console", "an upload in this step", "no upload", e.where}};
  std::vector<Mismatch> out;
  const auto* refused = std::get_if<pipeline::ApiError>(&*o);
  const auto* accepted = std::get_if<pipeline::UploadedCertificate>(&*o);
  const std::string seen = refused ? "refused " + refused->code + ": " + refused->message
                                   : "accepted with IDs " +
                                         std::to_string(accepted->record.cert_id_dev) + " and " +
                                         std::to_string(accepted->record.cert_id_prod);
  if (e.error && (refused ? refused->code : "none") != *e.error)
    out.push_back(
        {"expect.console.error", *e.error == "none" ? "accepted" : *e.error, seen, e.where});
  if (e.development_id && (!accepted || accepted->record.cert_id_dev != *e.development_id))
    out.push_back(
        {"expect.console.development_id", std::to_string(*e.development_id), seen, e.where});
  if (e.production_id && (!accepted || accepted->record.cert_id_prod != *e.production_id))
    out.push_back(
        {"expect.console.production_id", std::to_string(*e.production_id), seen, e.where});
  return out;
}

std::vector<Mismatch> check(const CertificateExpectation& e,
                            const std::optional<pipeline::CertificateRecord>& record) {
  const std::string label = e.label.empty() ? "the first upload" : "upload " + e.label;
  if (!record) return {{"expect.certificate", label, "no such upload", e.where}};
  if (record->health == e.health) return {};
  return {{"expect.certificate.health", e.health, record->health, e.where}};
}

std::vector<Mismatch> check(const DeviceExpectation& e, const DeviceObservation& d) {
  std::vector<Mismatch> out;
  const std::string seen = summary(d.events);
  for (const auto k : e.events)
    if (!has(d.events, k))
      out.push_back(
          {"expect.device.events", std::string(fake_device::to_string(k)), seen, e.where});
  for (const auto k : e.no_events)
    if (has(d.events, k))
      out.push_back({"expect.device.no_events", "no " + std::string(fake_device::to_string(k)),
                     seen, e.where});
  if (e.process && d.process != *e.process)
    out.push_back({"expect.device.process", *e.process, d.process, e.where});
  if (e.kill_count && d.kill_count != *e.kill_count)
    out.push_back({"expect.device.kill_count", std::to_string(*e.kill_count),
                   std::to_string(d.kill_count), e.where});
  if (e.voip_blocked && d.voip_blocked != *e.voip_blocked)
    out.push_back(
        {"expect.device.voip_blocked", yes_no(*e.voip_blocked), yes_no(d.voip_blocked), e.where});
  if (e.has_voip_token && d.has_voip_token != *e.has_voip_token)
    out.push_back({"expect.device.has_voip_token", yes_no(*e.has_voip_token),
                   yes_no(d.has_voip_token), e.where});
  return out;
}

std::vector<Mismatch> check(const ResponseExpectation& e,
                            const std::optional<ResponseObservation>& r) {
  if (!r) return {{"expect.response", "a push in this step", "no push", e.where}};
  const std::string seen =
      r->status ? std::to_string(r->status) + (r->reason.empty() ? "" : " " + r->reason)
                : "no answer: " + r->reason;
  std::vector<Mismatch> out;
  if (e.status && r->status != *e.status)
    out.push_back({"expect.response.status", std::to_string(*e.status), seen, e.where});
  if (e.reason && mock_apns::parse_reason(r->reason) != mock_apns::parse_reason(*e.reason))
    out.push_back({"expect.response.reason", *e.reason, seen, e.where});
  return out;
}

} // namespace scenario
