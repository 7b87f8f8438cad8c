#pragma once
// Text encodings of bytes used across voipsim: hex (device tokens, fingerprints) and base64url
// without padding (JWT parts, RFC 7515 §2). Bytes travel as std::string.

#include "core/result.hpp"

#include <string>
#include <string_view>

namespace core {

enum class LetterCase { Lower, Upper };

std::string hex_encode(std::string_view bytes, LetterCase letters = LetterCase::Lower);
// Accepts either letter case; fails on odd length or a non-hex character.
Result<std::string> hex_decode(std::string_view text);
bool is_hex(std::string_view text);

// RFC 4648 §5 alphabet, no '=' padding (JWT form).
std::string base64url_encode(std::string_view bytes);
// Rejects padding, characters outside the alphabet and impossible lengths (4n+1).
Result<std::string> base64url_decode(std::string_view text);

} // namespace core
