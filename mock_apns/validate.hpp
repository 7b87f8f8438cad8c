#pragma once
// The APNs decision: one request, the connection's auth state, the registries and the clock in;
// a verdict out (spec apns-provider-api.md §4–§9). No I/O, no net include: the server only wires
// it to HTTP/2, and tests and the fuzzer call it directly. Not pure: it binds a token connection
// (`auth`) and counts in the rate limiter and the fault rules (`ctx.rate`, `ctx.faults`); the top
// of validate.cpp says exactly what it changes.
#include "core/clock.hpp"
#include "mock_apns/connection_auth.hpp"
#include "mock_apns/push_type.hpp"
#include "mock_apns/reason.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mock_apns {

class Faults;
class ProviderKeys;
class RateLimiter;
class TokenRegistry;
struct Settings;

struct RequestField {
  std::string_view name; // lower case, as HTTP/2 delivers it
  std::string_view value;
};

// A request as validation sees it; views into the transport's request.
struct PushRequest {
  std::string_view method;
  std::string_view path;
  std::span<const RequestField> fields; // regular fields in arrival order, duplicates kept
  std::string_view body;
  bool body_too_large = false; // the transport stopped reading a body far over every limit
};

// Everything validation reads besides the request. `rate` and `faults` are consumed (one count
// per request that reaches them); either may be null to skip that step.
struct ValidationContext {
  Environment environment = Environment::Sandbox;
  const Settings* settings = nullptr;
  const TokenRegistry* tokens = nullptr;
  const ProviderKeys* keys = nullptr;
  RateLimiter* rate = nullptr;
  Faults* faults = nullptr;
  core::TimePoint now;
  // False on a mock serving certificate auth only: a connection without a certificate is still
  // a token connection (apns-provider-api.md §2), but no provider token is good on it.
  bool token_auth = true;
};

struct Verdict {
  std::optional<Reason> reason; // empty: accepted (200)
  int status = 200;
  std::optional<std::int64_t> timestamp_ms; // 410 only (apns-provider-api.md §5.3)
  // For the journal: on a rejection, the plain-language cause and fix; on an accepted request,
  // a warning or empty. Never sent to the client (the APNs response stays byte-faithful).
  std::string cause;

  // The request as far as validation read it (views into the request).
  std::string_view apns_id; // the request's apns-id when valid, to echo; empty: generate one
  std::string_view token;
  std::string_view topic;            // the effective topic (a certificate's default when absent)
  std::optional<PushType> push_type; // set once the push-type step ran
  bool push_type_inferred = false;   // apns-push-type absent (spec V28)
  int priority = 10;
  std::optional<std::int64_t> expiration; // apns-expiration, seconds; absent: store per policy
  std::string_view collapse_id;
  bool invalid_payload = false; // body not a JSON object, accepted (apns-provider-api.md §4.4)
  std::string_view team_id;     // token connections: the bound team
  // Accepted inside the unregister delay (§5.3): APNs still answers 200, no app takes the push.
  bool token_unregistered = false;

  // What the connection must do besides answering.
  bool raise_stream_limit = false;             // the first valid provider token (§3.2)
  bool goaway_instead_of_response = false;     // BadCertificateEnvironment as GOAWAY (§3.4)
  std::optional<Reason> goaway_after_response; // fault injection (spec V71)
  bool drop_connection = false;                // fault injection: no answer, connection cut
  std::chrono::milliseconds delay{0};          // fault injection
  std::uint64_t fault_rule = 0;                // the fault that answered, 0 if none

  bool accepted() const { return !reason.has_value(); }
};

// Checks in the spec's precedence order (§5.4 notes); binds a token connection to its team and
// key on its first valid provider token (§6.4, token_auth.hpp).
Verdict validate(const PushRequest& request, ConnectionAuth& auth, const ValidationContext& ctx);

} // namespace mock_apns
