#pragma once
// What the pipeline does with APNs' answer to a push attempt (im-voip-flow.md §4.5): the
// message's terminal state or a retry, and what to change about the registration and the
// certificate. Pure: the dispatcher applies the decision.

#include "core/clock.hpp"
#include "pipeline/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pipeline {

// One attempt's result: an HTTP answer, or a transport failure.
struct AttemptResult {
  int status = 0;     // 0: no answer (connection, TLS or stream failure)
  std::string reason; // APNs reason from the body, or the transport error's description
  std::optional<std::int64_t> timestamp_ms; // the 410 answer's timestamp
  bool certificate_refused = false;         // TLS handshake refused, or GOAWAY BadCertificate*
  bool unsent = false;    // never processed (GOAWAY above its stream, refused): send again now
  bool permanent = false; // a failure no retry can mend (our own TLS settings, say)
  int throttled = 0;      // a 429: how many the message has had, this one included
};

struct RetryPolicy {
  int max_retries = 3;                         // §4.5: 429 "max 3" (429 answers only)
  std::chrono::milliseconds first_delay{1000}; // §4.5: "≥ 1 s, exponential"
  // Back-off never waits longer than this (plus jitter) between two attempts: 1 s, 2 s, 4 s,
  // 4 s, ... A server that is back is tried again within 6 s, well inside a call's 30 s.
  std::chrono::milliseconds max_delay{4000};
  core::Duration lifetime = std::chrono::seconds(30); // a call push older than this is dropped
};

struct Decision {
  MessageState state = MessageState::Pending; // Pending: retry after `retry_after`
  std::string reason;                         // for the message record
  std::optional<core::Duration> retry_after;
  std::optional<RegistrationState> registration; // new state of the receiver's registration
  std::string registration_reason;
  std::optional<CertificateHealth> certificate_health; // flag for the certificate record
};

// BadCertificate or BadCertificateEnvironment (as a 403's reason or a GOAWAY's): APNs refused
// our certificate (§4.5), the one place the pipeline decides so.
bool names_our_certificate(std::string_view apns_reason);

// "a call push older than 30 s is dropped" and `what` happened to it: why a push ended Expired.
std::string expired_reason(const RetryPolicy& policy, const std::string& what);

// `attempts` counts this one; `jitter` in [0, 1) spreads retries (the dispatcher draws it from
// a seeded generator); `registered_at` is the registration's updated_at (410 rule).
Decision decide(const AttemptResult& result, int attempts, core::TimePoint created_at,
                core::TimePoint now, core::TimePoint registered_at, const RetryPolicy& policy,
                double jitter);

} // namespace pipeline
