#pragma once
// TLS alert names as RFC 8446 §6 spells them (certificate_revoked, unknown_ca, ...), for texts
// that name the alert in a RequestError's `tls_alert` the same way every time.

#include <string>

namespace net {

// "certificate_revoked" for 44; "alert 200" for a number the RFC does not name.
std::string tls_alert_name(int alert);

} // namespace net
