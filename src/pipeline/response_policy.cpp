// Spec: docs/spec/im-voip-flow.md
#include "pipeline/response_policy.hpp"

#include "core/apns_reason.hpp"

#include <algorithm>

namespace pipeline {

namespace {

Decision terminal(MessageState state, std::string reason) {
  Decision d;
  d.state = state;
  d.reason = std::move(reason);
  return d;
}

std::string describe(const AttemptResult& r) {
  return r.status != 0 ? std::to_string(r.status) + " " + r.reason : r.reason;
}

// 1 s, 2 s, 4 s, ... up to max_delay, stretched by up to 50% jitter.
core::Duration back_off(int attempts, const RetryPolicy& policy, double jitter) {
  const auto base = std::min<std::chrono::milliseconds>(
      policy.first_delay * (1LL << std::clamp(attempts - 1, 0, 30)), policy.max_delay);
  return std::chrono::duration_cast<core::Duration>(base * (1.0 + jitter / 2));
}

// 429: again after 1 s, 2 s, 4 s (+ jitter), at most max_retries times, unless the call would be
// older than its lifetime by then (§4.5 "max 3 — but a call push older than 30 s is dropped").
// Only the 429 answers count against the limit: a push that lived through an outage is not
// failed by the first throttling after it.
Decision retry_or_give_up(const AttemptResult& r, int attempts, core::TimePoint created_at,
                          core::TimePoint now, const RetryPolicy& policy, double jitter) {
  const std::string what = describe(r);
  const int throttled = std::max(r.throttled, 1);
  if (throttled > policy.max_retries)
    return terminal(MessageState::Failed, "gave up after " + std::to_string(throttled) +
                                              " throttled attempts (" + std::to_string(attempts) +
                                              " in all): " + what);
  const auto delay = back_off(throttled, policy, jitter);
  if (now + delay - created_at > policy.lifetime)
    return terminal(MessageState::Expired,
                    expired_reason(policy, "not retried (last: " + what + ")"));
  Decision d;
  d.reason = what;
  d.retry_after = delay;
  return d;
}

// No answer (refused, reset or closed — also mid-handshake —, timed out) and 5xx: transient.
// Retried with back-off for as long as the call push lives, the last try at its lifetime's
// edge so that a server back by then still rings the phone; then Expired, never Failed
// (§4.5 "until the call push is 30 s old, then expired"; for 5xx Apple's 15 minutes are useless
// for a call, so the same rule). A request the server never processed goes again at once on a
// new connection (§4.4 "follow GOAWAY, replay"), while the retries 429 would allow last: a
// server that keeps refusing gets back-off, not a busy loop.
Decision retry_until_too_old(const AttemptResult& r, int attempts, core::TimePoint created_at,
                             core::TimePoint now, const RetryPolicy& policy, double jitter) {
  const std::string what = describe(r);
  const core::TimePoint too_old = created_at + policy.lifetime;
  if (now >= too_old)
    return terminal(MessageState::Expired,
                    expired_reason(policy, "not retried after " + std::to_string(attempts) +
                                               " attempts (last: " + what + ")"));
  const auto delay = r.unsent && attempts <= policy.max_retries
                         ? core::Duration::zero()
                         : back_off(attempts, policy, jitter);
  Decision d;
  d.reason = what;
  d.retry_after = std::min<core::Duration>(delay, too_old - now);
  return d;
}

} // namespace

bool names_our_certificate(std::string_view apns_reason) {
  const auto reason = core::parse_reason(apns_reason);
  return reason == core::ApnsReason::BadCertificate ||
         reason == core::ApnsReason::BadCertificateEnvironment;
}

std::string expired_reason(const RetryPolicy& policy, const std::string& what) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(policy.lifetime).count();
  return "a call push older than " + std::to_string(seconds) + " s is dropped, " + what;
}

Decision decide(const AttemptResult& r, int attempts, core::TimePoint created_at,
                core::TimePoint now, core::TimePoint registered_at, const RetryPolicy& policy,
                double jitter) {
  if (r.status == 200) return terminal(MessageState::Accepted, {});
  if (r.permanent) return terminal(MessageState::Failed, r.reason);
  // Only a refusal that names the certificate flags it (§4.5: 403 BadCertificate, and
  // BadCertificateEnvironment as a GOAWAY or, with perStreamCertEnvErrors, a 403); any other
  // 403 (Forbidden, a provider token's) is an answer like other 4xx, rejected with its reason.
  if (r.certificate_refused || (r.status == 403 && names_our_certificate(r.reason))) {
    Decision d = terminal(MessageState::Failed, "FAILED_CERT: " + r.reason);
    d.certificate_health = CertificateHealth::BadCertificate;
    return d;
  }
  if (r.status == 410) {
    Decision d = terminal(MessageState::Rejected, r.reason);
    // Only a token retired after it was registered: a newer setVOIP wins (§4.5).
    if (!r.timestamp_ms || *r.timestamp_ms >= core::unix_millis(registered_at)) {
      d.registration = RegistrationState::Unregistered;
      d.registration_reason = r.reason;
    }
    return d;
  }
  using core::ApnsReason;
  const auto reason = r.status == 400 ? core::parse_reason(r.reason) : std::nullopt;
  if (reason == ApnsReason::BadDeviceToken) {
    Decision d = terminal(MessageState::Rejected, r.reason);
    d.registration = RegistrationState::BadToken;
    d.registration_reason = "ENV_OR_TOKEN_INVALID";
    return d;
  }
  if (reason == ApnsReason::DeviceTokenNotForTopic) {
    Decision d = terminal(MessageState::Rejected, r.reason);
    d.registration = RegistrationState::BadToken;
    d.registration_reason = "TOKEN_NOT_VOIP_OR_WRONG_APP";
    return d;
  }
  if (reason == ApnsReason::BadTopic || reason == ApnsReason::TopicDisallowed ||
      reason == ApnsReason::MissingTopic) {
    Decision d = terminal(MessageState::Rejected, r.reason);
    d.certificate_health = CertificateHealth::TopicMismatch;
    return d;
  }
  if (r.status == 413) return terminal(MessageState::PayloadTooLarge, r.reason);
  if (r.status == 429) return retry_or_give_up(r, attempts, created_at, now, policy, jitter);
  if (r.status >= 500 || r.status == 0)
    return retry_until_too_old(r, attempts, created_at, now, policy, jitter);
  return terminal(MessageState::Rejected, r.reason);
}

} // namespace pipeline
