#include "net/tls_alert.hpp"

#include <array>
#include <utility>

namespace net {
namespace {

// RFC 8446 §6 (AlertDescription), with TLS 1.2's names of the same numbers.
constexpr std::array<std::pair<int, const char*>, 27> kAlerts{{
    {0, "close_notify"},
    {10, "unexpected_message"},
    {20, "bad_record_mac"},
    {22, "record_overflow"},
    {40, "handshake_failure"},
    {42, "bad_certificate"},
    {43, "unsupported_certificate"},
    {44, "certificate_revoked"},
    {45, "certificate_expired"},
    {46, "certificate_unknown"},
    {47, "illegal_parameter"},
    {48, "unknown_ca"},
    {49, "access_denied"},
    {50, "decode_error"},
    {51, "decrypt_error"},
    {70, "protocol_version"},
    {71, "insufficient_security"},
    {80, "internal_error"},
    {86, "inappropriate_fallback"},
    {90, "user_canceled"},
    {109, "missing_extension"},
    {110, "unsupported_extension"},
    {112, "unrecognized_name"},
    {113, "bad_certificate_status_response"},
    {115, "unknown_psk_identity"},
    {116, "certificate_required"},
    {120, "no_application_protocol"},
}};

} // namespace

std::string tls_alert_name(int alert) {
  for (const auto& [number, name] : kAlerts)
    if (number == alert) return name;
  return "alert " + std::to_string(alert);
}

} // namespace net
