#pragma once
// UUIDs as APNs uses them for apns-id: 8-4-4-4-12 hex groups. Generated ones are version 4
// from a seedable generator so a replay with the same seed produces the same ids.

#include "core/encoding.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace core {

struct Uuid {
  std::array<std::uint8_t, 16> bytes{};

  std::string to_string(LetterCase letters = LetterCase::Lower) const;
  // The same 36 characters into `out`, reusing its buffer (no allocation once it has room).
  void write_to(std::string& out, LetterCase letters = LetterCase::Lower) const;
  // Canonical 36-character form, either letter case; nullopt for anything else.
  static std::optional<Uuid> parse(std::string_view text);
  // Name-based, version 5 (RFC 9562 §5.5), from SHA-1(namespace bytes ‖ name): its first 16
  // bytes with the version and variant bits set. The caller hashes (core links no crypto).
  static Uuid version5(const std::array<std::uint8_t, 20>& sha1_of_namespace_and_name);

  friend bool operator==(const Uuid&, const Uuid&) = default;
};

// Deterministic for a given seed (std::mt19937_64's output is fixed by the standard).
// Not thread-safe: give each thread its own generator, or guard one.
class UuidGenerator {
public:
  explicit UuidGenerator(std::uint64_t seed) : engine_(seed) {}
  // Seeded from std::random_device, for live runs where nothing needs to repeat.
  static UuidGenerator from_entropy();

  Uuid next();

private:
  std::mt19937_64 engine_;
};

} // namespace core
