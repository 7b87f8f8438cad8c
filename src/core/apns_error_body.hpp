#pragma once
// What an APNs error answer's body or a GOAWAY's debug data says (apns-provider-api.md §5.3,
// §3.4): {"reason":"..."}, and for a 410 also "timestamp" (ms). The one reader of it, for every
// client of APNs in voipsim (the pipeline, the scenario's provider). Lenient, as for any document
// from outside voipsim: a field that is absent or of another type is simply not there.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace core {

struct ApnsErrorBody {
  std::string reason; // empty when there is none
  std::optional<std::int64_t> timestamp_ms;
};

ApnsErrorBody apns_error_body_of(std::string_view body);

} // namespace core
