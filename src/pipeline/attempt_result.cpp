#include "pipeline/attempt_result.hpp"

#include "core/json_fields.hpp"
#include "core/json_parse.hpp"
#include "net/error.hpp"

#include <nlohmann/json.hpp>

namespace pipeline {
namespace {

// The "reason" of an APNs JSON body (an error answer, a GOAWAY's debug data); empty if none.
// Read through core::parse_json, like every JSON from outside: a server's answer too. A field
// that is absent or of another type is not used.
std::string reason_in(std::string_view body) {
  return core::json_field_if_any<std::string>(core::parse_json_or_null(body), "reason")
      .value_or("");
}

} // namespace

AttemptResult attempt_result_of(const net::Response& response) {
  AttemptResult r;
  r.status = response.status;
  if (response.status == 200) return r;
  const auto body = core::parse_json_or_null(response.body);
  r.reason = core::json_field_if_any<std::string>(body, "reason").value_or("");
  if (auto timestamp = core::json_field_if_any<std::int64_t>(body, "timestamp"))
    r.timestamp_ms = *timestamp;
  if (r.reason.empty()) r.reason = "HTTP " + std::to_string(response.status);
  return r;
}

AttemptResult attempt_result_of(const net::RequestError& error) {
  AttemptResult r;
  r.reason = error.message;
  if (error.code == net::Errc::CertificateRefused) {
    r.certificate_refused = true;
    r.reason = "APNs refused our certificate: " + error.message;
    return r;
  }
  if (error.code == net::Errc::PeerCertificateUntrusted) {
    r.permanent = true;
    r.reason = "the APNs server's certificate is not trusted by the CA file (--ca, "
               "DispatcherOptions::ca_file): " +
               error.message;
    return r;
  }
  if (error.code == net::Errc::TlsFailed || error.code == net::Errc::NotHttp2 ||
      error.code == net::Errc::InvalidOptions) {
    // Our TLS settings and the server's do not meet (no common version or cipher, no h2 by
    // ALPN), or ours cannot be used: no retry mends that.
    r.permanent = true;
    return r;
  }
  if (error.goaway) {
    std::string reason = reason_in(error.goaway->debug_data);
    if (names_our_certificate(reason)) {
      r.certificate_refused = true;
      r.reason = std::move(reason);
      return r;
    }
  }
  // Refused by a live server (GOAWAY above its stream, REFUSED_STREAM): replay now. A server
  // that cannot be reached is retried with back-off like any lost connection.
  r.unsent =
      error.retryable && (error.code == net::Errc::GoAway || error.code == net::Errc::StreamReset);
  return r;
}

} // namespace pipeline
