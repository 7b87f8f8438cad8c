#include "core/apns_error_body.hpp"

#include "core/json_fields.hpp"
#include "core/json_parse.hpp"

#include <nlohmann/json.hpp>

namespace core {

ApnsErrorBody apns_error_body_of(std::string_view body) {
  const auto parsed = parse_json_or_null(body);
  ApnsErrorBody out;
  out.reason = json_field_if_any<std::string>(parsed, "reason").value_or("");
  out.timestamp_ms = json_field_if_any<std::int64_t>(parsed, "timestamp");
  return out;
}

} // namespace core
