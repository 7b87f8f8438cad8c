#pragma once
// Device tokens for the benchmark drivers: the same N tokens in every driver and run.

#include "core/encoding.hpp"

#include <cstdint>
#include <string>

namespace bench {

// The i-th benchmark token: 64 hex digits, spread over the registry like real tokens.
inline std::string token_hex(std::uint64_t i) {
  std::string hex(64, '0');
  std::uint64_t x = i * 0x9E3779B97F4A7C15ULL + 1;
  for (std::size_t j = 0; j < hex.size(); ++j) {
    if (j % 16 == 0) { // splitmix64 step: a fresh 64-bit word per 16 digits
      x += 0x9E3779B97F4A7C15ULL;
      std::uint64_t z = x;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      x = z ^ (z >> 31);
    }
    hex[j] = core::kHexDigitsLower[(x >> ((j % 16) * 4)) & 0xF];
  }
  return hex;
}

} // namespace bench
