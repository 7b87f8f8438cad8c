#include "core/uuid.hpp"

#include <algorithm>
#include <cstring>

namespace core {
namespace {
constexpr std::array<std::size_t, 4> kDashPositions = {8, 13, 18, 23};

// The version in the high nibble of byte 6 and the RFC 9562 variant (10xx) in byte 8.
void stamp(Uuid& uuid, int version) {
  uuid.bytes[6] = std::uint8_t((uuid.bytes[6] & 0x0f) | (version << 4));
  uuid.bytes[8] = std::uint8_t((uuid.bytes[8] & 0x3f) | 0x80);
}
} // namespace

std::string Uuid::to_string(LetterCase letters) const {
  std::string out;
  write_to(out, letters);
  return out;
}

void Uuid::write_to(std::string& out, LetterCase letters) const {
  // Through a local pointer, group by group: the mock writes two per request (apns-id,
  // apns-unique-id), and indexing the string re-reads its data pointer at every character.
  const char* digits = hex_digits(letters).data();
  out.resize(36);
  char* at = out.data();
  const auto group = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      *at++ = digits[bytes[i] >> 4];
      *at++ = digits[bytes[i] & 0xF];
    }
  };
  group(0, 4);
  *at++ = '-';
  group(4, 6);
  *at++ = '-';
  group(6, 8);
  *at++ = '-';
  group(8, 10);
  *at++ = '-';
  group(10, 16);
}

std::optional<Uuid> Uuid::parse(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  // Without allocating: APNs mocks parse one per request (apns-id).
  Uuid uuid;
  std::size_t nibble = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash_here = i == kDashPositions[0] || i == kDashPositions[1] ||
                           i == kDashPositions[2] || i == kDashPositions[3];
    if (dash_here != (text[i] == '-')) return std::nullopt;
    if (dash_here) continue;
    const int value = hex_value(text[i]);
    if (value < 0) return std::nullopt;
    auto& byte = uuid.bytes[nibble / 2];
    byte = static_cast<std::uint8_t>(nibble % 2 == 0 ? value << 4 : byte | value);
    ++nibble;
  }
  return uuid;
}

Uuid Uuid::version5(const std::array<std::uint8_t, 20>& sha1_of_namespace_and_name) {
  Uuid uuid;
  std::copy_n(sha1_of_namespace_and_name.begin(), uuid.bytes.size(), uuid.bytes.begin());
  stamp(uuid, 5);
  return uuid;
}

UuidGenerator UuidGenerator::from_entropy() {
  std::random_device device;
  const std::uint64_t seed = (std::uint64_t(device()) << 32) | device();
  return UuidGenerator(seed);
}

Uuid UuidGenerator::next() {
  Uuid uuid;
  for (std::size_t i = 0; i < uuid.bytes.size(); i += 8) {
    const std::uint64_t word = engine_();
    for (std::size_t b = 0; b < 8; ++b)
      uuid.bytes[i + b] = std::uint8_t(word >> (8 * b));
  }
  stamp(uuid, 4);
  return uuid;
}

} // namespace core
