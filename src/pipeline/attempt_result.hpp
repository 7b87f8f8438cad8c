#pragma once
// What one push attempt's outcome — APNs' answer, or the transport's typed error — means for
// the response policy (im-voip-flow.md §4.5). Pure: decided from the status, the JSON body, the
// error's kind, TLS alert and GOAWAY, never from the text of a message.

#include "net/client.hpp"
#include "net/message.hpp"
#include "pipeline/response_policy.hpp"

namespace pipeline {

// The APNs reason and timestamp of an answer's JSON body.
AttemptResult attempt_result_of(const net::Response& response);

// A TLS alert refusing our certificate or a GOAWAY naming it: the certificate is the problem (the
// reason names the alert: "APNs refused our certificate with the TLS alert certificate_revoked").
// A server certificate we do not trust, or options we cannot use: no retry mends it. A request
// the server never processed: sent again at once. Anything else (refused, reset or closed —
// also mid-handshake —, timed out): no answer, retried with back-off.
AttemptResult attempt_result_of(const net::RequestError& error);

} // namespace pipeline
