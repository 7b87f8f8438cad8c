#pragma once
// The JSON APNs sends with a reason: the body of an error answer (apns-provider-api.md §5.3)
// and the debug data of its GOAWAY frames (§3.4). Byte for byte what Apple writes, no spaces:
// {"reason":"..."}, and for a 410 {"reason":"...","timestamp":<ms>}.
#include "mock_apns/reason.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace mock_apns {

// Appends to `out`, so a reused buffer keeps its capacity (the connection's response body).
void append_error_body(std::string& out, Reason reason, ReasonSpelling spelling,
                       std::optional<std::int64_t> timestamp_ms = std::nullopt);

// {"reason":"..."} on its own: GOAWAY debug data.
std::string reason_json(Reason reason, ReasonSpelling spelling);

} // namespace mock_apns
