#include "pipeline/attempt_result.hpp"

#include "core/json_parse.hpp"
#include "net/error.hpp"

#include <nlohmann/json.hpp>

namespace pipeline {
namespace {

// An APNs JSON body (an error answer, a GOAWAY's debug data) as an object; empty when it is not
// one. Read through core::parse_json, like every JSON from outside: a server's answer too.
nlohmann::json object_of(std::string_view text) {
  auto parsed = core::parse_json(text);
  return parsed && parsed->is_object() ? std::move(*parsed) : nlohmann::json::object();
}

// The "reason" of such a body; empty if none.
std::string reason_in(const nlohmann::json& body) {
  const auto reason = body.find("reason");
  return reason != body.end() && reason->is_string() ? reason->get<std::string>() : std::string();
}

} // namespace

AttemptResult attempt_result_of(const net::Response& response) {
  AttemptResult r;
  r.status = response.status;
  if (response.status == 200) return r;
  const auto body = object_of(response.body);
  r.reason = reason_in(body);
  if (const auto timestamp = body.find("timestamp");
      timestamp != body.end() && timestamp->is_number_integer())
    r.timestamp_ms = timestamp->get<std::int64_t>();
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
  if (error.code == net::Errc::TlsFailed || error.code == net::Errc::InvalidOptions) {
    r.permanent = true; // our TLS settings and the server's do not meet: no retry mends that
    return r;
  }
  if (error.goaway) {
    const std::string reason = reason_in(object_of(error.goaway->debug_data));
    if (reason == "BadCertificateEnvironment" || reason == "BadCertificate") {
      r.certificate_refused = true;
      r.reason = reason;
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
