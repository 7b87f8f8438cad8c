#pragma once
// The error value every voipsim API returns: a std::error_code in one of our categories (or a
// library's: asio, OpenSSL, nghttp2) plus the detail a person needs to act on it.

#include <string>
#include <system_error>

namespace core {

// Failures of the pure helpers in src/core.
enum class Errc {
  InvalidArgument = 1, // a value outside what the function accepts
  InvalidEncoding,     // hex, base64url or UUID text that does not decode
};

const std::error_category& core_category() noexcept;
std::error_code make_error_code(Errc e) noexcept;

struct Error {
  std::error_code code;
  std::string detail; // what was wrong, in the caller's terms; may be empty

  // "detail (category: code message)", or just the code's message when there is no detail.
  std::string message() const;
  // The same code with `context` before the detail ("context: detail"): how a caller says where
  // the failure happened without repeating the code's message, which message() adds once.
  Error in_context(const std::string& context) const;
};

} // namespace core

template <>
struct std::is_error_code_enum<core::Errc> : std::true_type {};
