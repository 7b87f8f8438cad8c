#include "mock_apns/error_body.hpp"

#include <array>
#include <charconv>

namespace mock_apns {

void append_error_body(std::string& out, Reason reason, ReasonSpelling spelling,
                       std::optional<std::int64_t> timestamp_ms) {
  out += R"({"reason":")";
  out += reason_text(reason, spelling);
  out += '"';
  if (timestamp_ms) {
    std::array<char, 24> digits{};
    const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), *timestamp_ms).ptr;
    out += R"(,"timestamp":)";
    out.append(digits.data(), end);
  }
  out += '}';
}

std::string reason_json(Reason reason, ReasonSpelling spelling) {
  std::string json;
  append_error_body(json, reason, spelling);
  return json;
}

} // namespace mock_apns
