#include "scenario/check.hpp"

#include "core/parse_number.hpp"
#include "mock_apns/push_type.hpp"
#include "mock_apns/reason.hpp"
#include "pipeline/message_summary.hpp"
#include "scenario/report.hpp"

#include <algorithm>
#include <cstdlib>

namespace scenario {

namespace {

// A 410's timestamp as the scenario's files write it: an offset from the start, "+0:00:35.000".
std::string offset_of(std::int64_t unix_ms, core::TimePoint start) {
  return format_offset(unix_ms - core::unix_millis(start));
}

std::string summary(const mock_apns::JournalEntry& e, core::TimePoint start) {
  std::string out = std::string(core::to_string(e.environment)) + " " + std::to_string(e.status);
  if (e.reason) out += " " + std::string(mock_apns::reason_text(*e.reason));
  if (e.timestamp_ms) out += " timestamp " + offset_of(*e.timestamp_ms, start);
  if (!e.topic.empty()) out += " topic " + e.topic;
  if (e.push_type) out += " push type " + std::string(mock_apns::push_type_name(*e.push_type));
  if (!e.apns_id.empty()) out += " apns-id " + e.apns_id;
  return out;
}

std::string summary(std::span<const mock_apns::JournalEntry> requests, core::TimePoint start) {
  if (requests.empty()) return "no request";
  std::string out =
      std::to_string(requests.size()) + (requests.size() == 1 ? " request: " : " requests: ");
  for (std::size_t i = 0; i < requests.size(); ++i)
    out += (i ? "; " : "") + summary(requests[i], start);
  return out;
}

std::string summary(const pipeline::PushRecord& p) {
  std::string out = std::string(pipeline::to_string(p.state));
  if (!p.reason.empty()) out += " (" + p.reason + ")";
  return out + ", attempts " + std::to_string(p.attempts);
}

// With several pushes (im-voip-flow.md §3.4), each installation's too; in a group message each
// member's (im-voip-flow.md §4.3 "Group sends"), as member/installation.
std::string summary(const pipeline::MessageRecord& m) {
  std::string out = std::string(pipeline::to_string(m.state));
  if (!m.reason.empty()) out += " (" + m.reason + ")";
  out += ", attempts " + std::to_string(m.attempts);
  if (m.pushes.size() > 1 || !m.group.empty())
    for (const auto& p : m.pushes)
      out += "; " + pipeline::push_name(m, p) + ": " + summary(p);
  return out;
}

// What `user`'s pushes of `m` sum up to (message_summary.hpp), as a message of those pushes only;
// nullopt when the message is not for that user. A message decided as a whole (no pushes, e.g.
// skipped for a receive option) is its receiver's.
std::optional<pipeline::MessageRecord> receiver_part(const pipeline::MessageRecord& m,
                                                     const std::string& user) {
  pipeline::MessageRecord part;
  for (const auto& p : m.pushes)
    if (p.receiver == user) part.pushes.push_back(p);
  if (part.pushes.empty()) {
    if (m.pushes.empty() && m.group.empty() && m.receiver == user) return m;
    return std::nullopt;
  }
  pipeline::summarise(part);
  return part;
}

void check_push(const std::string& what, const PushExpectation& expected,
                const pipeline::MessageState state, const std::string& reason, int attempts,
                const std::string& observed, std::vector<Mismatch>& out) {
  if (expected.state && state != *expected.state)
    out.push_back({what + ".state", std::string(pipeline::to_string(*expected.state)), observed,
                   expected.where});
  if (expected.reason && reason != *expected.reason)
    out.push_back({what + ".reason", *expected.reason, observed, expected.where});
  if (expected.attempts && attempts != *expected.attempts)
    out.push_back(
        {what + ".attempts", std::to_string(*expected.attempts), observed, expected.where});
}

std::string summary(const pipeline::Registration& r) {
  std::string out = std::string(pipeline::to_string(r.state));
  if (!r.reason.empty()) out += " (" + r.reason + ")";
  return out;
}

// The kinds seen; with code and detail for those of the kind a match asks about.
std::string summary(const std::vector<fake_device::DeviceEvent>& events, const EventMatch& asked) {
  if (events.empty()) return "no device event";
  const bool detailed = asked.code || !asked.detail.empty();
  std::string out;
  for (const auto& e : events) {
    const bool shown = detailed && e.kind == asked.kind;
    if (e.kind == fake_device::DeviceEventKind::Log && !shown) continue; // in the timeline
    out += (out.empty() ? "" : ", ") + std::string(fake_device::to_string(e.kind));
    if (shown) out += " (code " + std::to_string(e.code) + ": " + e.detail + ")";
  }
  return out.empty() ? "only log lines" : out;
}

bool matches(const fake_device::DeviceEvent& e, const EventMatch& m) {
  return e.kind == m.kind && (!m.code || e.code == *m.code) &&
         (m.detail.empty() || e.detail.find(m.detail) != std::string::npos) &&
         (m.message.empty() || (!m.apns_id.empty() && e.apns_id == m.apns_id));
}

std::size_t times_seen(const std::vector<fake_device::DeviceEvent>& events, const EventMatch& m) {
  return static_cast<std::size_t>(
      std::count_if(events.begin(), events.end(), [&](const auto& e) { return matches(e, m); }));
}

bool has(const std::vector<fake_device::DeviceEvent>& events, const EventMatch& m) {
  return times_seen(events, m) > 0;
}

// `events`' match: exactly `count` times when it asks for a count, else at least once.
bool seen_as_asked(const std::vector<fake_device::DeviceEvent>& events, const EventMatch& m) {
  return m.count ? times_seen(events, m) == static_cast<std::size_t>(*m.count) : has(events, m);
}

std::string yes_no(bool b) {
  return b ? "true" : "false";
}

} // namespace

std::string describe(const EventMatch& m) {
  std::string out(fake_device::to_string(m.kind));
  if (m.code) out += " code " + std::to_string(*m.code);
  if (!m.detail.empty()) out += " with \"" + m.detail + "\"";
  if (!m.message.empty())
    out += " for message " + m.message + (m.apns_id.empty() ? " (it has no apns-id)" : "");
  if (m.count) out += " exactly " + std::to_string(*m.count) + (*m.count == 1 ? " time" : " times");
  return out;
}

namespace {

// expect.apns.headers, body and body_contains: what each request carried. The observed side
// lists each request's value, so a mismatch shows what the pipeline sent.
void check_request(const ApnsExpectation& e, std::span<const mock_apns::JournalEntry> requests,
                   const ApnsContext& context, std::vector<Mismatch>& out) {
  const auto listed = [&](auto value_of) {
    std::string text;
    for (const auto& r : requests)
      text += (text.empty() ? "" : "; ") + value_of(r);
    return text;
  };
  // A time header is in whole seconds: within the tolerance and the second it was cut to.
  const std::int64_t slack = 1 + std::chrono::ceil<std::chrono::seconds>(context.tolerance).count();
  for (const auto& h : e.headers) {
    const std::int64_t at_ms = h.at ? core::unix_millis(context.start + *h.at) : 0;
    const auto holds = [&](std::optional<std::string_view> sent) {
      if (h.value) return sent == h.value;
      const auto seconds = sent ? core::parse_whole<std::int64_t>(*sent) : std::nullopt;
      return seconds && std::llabs(*seconds - at_ms / 1000) <= slack;
    };
    if (std::all_of(requests.begin(), requests.end(),
                    [&](const auto& r) { return holds(r.request_headers.find(h.name)); }))
      continue;
    const std::string expected =
        h.name + ": " +
        (h.value ? *h.value
                 : std::to_string(at_ms / 1000) + " (" + offset_of(at_ms, context.start) + ")");
    out.push_back({"expect.apns.headers." + h.name, expected, listed([&](const auto& r) {
                     return std::string(r.request_headers.find(h.name).value_or("(not sent)"));
                   }),
                   e.where});
  }
  const auto bodies = [&] { return listed([](const auto& r) { return "body " + r.body; }); };
  if (e.body && std::any_of(requests.begin(), requests.end(),
                            [&](const auto& r) { return r.body != *e.body; }))
    out.push_back({"expect.apns.body", "body " + *e.body, bodies(), e.where});
  if (e.body_contains && std::any_of(requests.begin(), requests.end(), [&](const auto& r) {
        return r.body.find(*e.body_contains) == std::string::npos;
      }))
    out.push_back(
        {"expect.apns.body_contains", "a body containing " + *e.body_contains, bodies(), e.where});
}

} // namespace

std::vector<Mismatch> check(const ApnsExpectation& e,
                            std::span<const mock_apns::JournalEntry> requests,
                            const ApnsContext& context) {
  std::vector<Mismatch> out;
  const std::string seen = summary(requests, context.start);
  if (e.count && requests.size() != *e.count) {
    out.push_back({"expect.apns.count",
                   std::to_string(*e.count) + (*e.count == 1 ? " request" : " requests"), seen,
                   e.where});
  }
  const bool about_fields = e.status || e.reason || e.environment || e.topic || e.push_type ||
                            e.apns_id_of || e.timestamp_at || !e.headers.empty() || e.body ||
                            e.body_contains;
  if (requests.empty() && about_fields && !e.count) {
    out.push_back({"expect.apns", "a request answered by the mock", seen, e.where});
    return out;
  }
  // Every request of the step must match; the first that does not is reported, once a field.
  auto each = [&](const std::string& field, const std::string& expected, auto differs) {
    if (std::any_of(requests.begin(), requests.end(), differs))
      out.push_back({"expect.apns." + field, expected, seen, e.where});
  };
  if (e.status)
    each("status", std::to_string(*e.status), [&](const auto& r) { return r.status != *e.status; });
  if (e.reason)
    each("reason", std::string(mock_apns::reason_text(*e.reason)),
         [&](const auto& r) { return r.reason != *e.reason; });
  if (e.environment)
    each("environment", std::string(core::to_string(*e.environment)),
         [&](const auto& r) { return r.environment != *e.environment; });
  if (e.topic) each("topic", *e.topic, [&](const auto& r) { return r.topic != *e.topic; });
  if (e.push_type)
    each("push_type", std::string(mock_apns::push_type_name(*e.push_type)),
         [&](const auto& r) { return r.push_type != *e.push_type; });
  if (e.apns_id_of && !context.apns_id) {
    out.push_back({"expect.apns.apns_id_of", "the apns-id of message " + *e.apns_id_of,
                   "no such message", e.where});
  } else if (e.apns_id_of) {
    each("apns_id_of", *context.apns_id + " (message " + *e.apns_id_of + ")",
         [&](const auto& r) { return r.apns_id != *context.apns_id; });
  }
  if (e.timestamp_at) {
    const std::int64_t ms = core::unix_millis(context.start + *e.timestamp_at);
    const auto slack = std::chrono::duration_cast<std::chrono::milliseconds>(context.tolerance);
    each("timestamp_at",
         "timestamp " + offset_of(ms, context.start) +
             (slack.count() ? " (within " + std::to_string(slack.count()) + " ms)" : ""),
         [&](const auto& r) {
           return !r.timestamp_ms || std::llabs(*r.timestamp_ms - ms) > slack.count();
         });
  }
  check_request(e, requests, context, out);
  return out;
}

std::vector<Mismatch> check(const MessageExpectation& e,
                            const std::optional<pipeline::MessageRecord>& m) {
  const std::string label = e.message.empty() ? "the last message sent" : "message " + e.message;
  if (!m) return {{"expect.message", label + " in the pipeline", "no such message", e.where}};
  std::vector<Mismatch> out;
  if (e.state && m->state != *e.state)
    out.push_back(
        {"expect.message.state", std::string(pipeline::to_string(*e.state)), summary(*m), e.where});
  if (e.reason && m->reason != *e.reason)
    out.push_back({"expect.message.reason", *e.reason, summary(*m), e.where});
  if (e.attempts && m->attempts != *e.attempts)
    out.push_back({"expect.message.attempts", std::to_string(*e.attempts), summary(*m), e.where});
  for (const auto& expected : e.pushes) {
    const std::string what = "expect.message.pushes." + expected.key;
    const auto push = std::find_if(m->pushes.begin(), m->pushes.end(),
                                   [&](const auto& p) { return p.installation == expected.key; });
    if (push == m->pushes.end()) {
      out.push_back({what, "a push", "none: " + summary(*m), expected.where});
      continue;
    }
    check_push(what, expected, push->state, push->reason, push->attempts, summary(*push), out);
  }
  for (const auto& expected : e.receivers) {
    const std::string what = "expect.message.receivers." + expected.key;
    const auto part = receiver_part(*m, expected.key);
    if (!part) {
      out.push_back({what, "a receiver", "none: " + summary(*m), expected.where});
      continue;
    }
    check_push(what, expected, part->state, part->reason, part->attempts, summary(*part), out);
  }
  return out;
}

std::vector<Mismatch> check(const RegistrationExpectation& e,
                            const std::optional<pipeline::Registration>& r) {
  std::vector<Mismatch> out;
  const std::string seen = r ? summary(*r) : "none";
  if (e.none && r) out.push_back({"expect.registration.state", "none", seen, e.where});
  if (e.state && (!r || r->state != *e.state))
    out.push_back(
        {"expect.registration.state", std::string(pipeline::to_string(*e.state)), seen, e.where});
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
  if (e.warning) {
    std::string warnings;
    bool found = false;
    for (const auto& w : accepted ? accepted->warnings : std::vector<std::string>{}) {
      warnings += (warnings.empty() ? "" : "; ") + w;
      found = found || w.find(*e.warning) != std::string::npos;
    }
    if (!found) {
      out.push_back({"expect.console.warning", "a warning with \"" + *e.warning + "\"",
                     !accepted          ? seen
                     : warnings.empty() ? "no warning"
                                        : warnings,
                     e.where});
    }
  }
  return out;
}

std::vector<Mismatch> check(const CertificateExpectation& e,
                            const std::optional<pipeline::CertificateRecord>& record) {
  const std::string label = e.label.empty() ? "the first upload" : "upload " + e.label;
  if (!record) return {{"expect.certificate", label, "no such upload", e.where}};
  const std::string health(pipeline::to_string(record->health));
  if (health == e.health) return {};
  return {{"expect.certificate.health", e.health, health, e.where}};
}

std::vector<Mismatch> check(const DeviceExpectation& e, const DeviceObservation& d) {
  std::vector<Mismatch> out;
  for (const auto& m : e.events) {
    if (seen_as_asked(d.events, m)) continue;
    std::string seen = summary(d.events, m);
    if (m.count) seen = std::to_string(times_seen(d.events, m)) + " times: " + seen;
    out.push_back({"expect.device.events", describe(m), std::move(seen), e.where});
  }
  for (const auto& m : e.no_events)
    if (has(d.events, m))
      out.push_back(
          {"expect.device.no_events", "no " + describe(m), summary(d.events, m), e.where});
  if (e.process && d.process != *e.process)
    out.push_back({"expect.device.process", std::string(fake_device::to_string(*e.process)),
                   std::string(fake_device::to_string(d.process)), e.where});
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
  // The answer's reason as a reason, not text: both spellings of BadEnvironmentKeyIdInToken are
  // the same reason.
  if (e.reason && mock_apns::parse_reason(r->reason) != *e.reason)
    out.push_back(
        {"expect.response.reason", std::string(mock_apns::reason_text(*e.reason)), seen, e.where});
  return out;
}

} // namespace scenario
