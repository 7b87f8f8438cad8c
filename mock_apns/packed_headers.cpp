#include "mock_apns/packed_headers.hpp"

#include "core/encoding.hpp"

#include <cstring>

namespace mock_apns {
namespace {

constexpr std::size_t kMaxPart = 0xFFFF; // a two-byte length

// Writes `text` with its two-byte length at `out`; returns where the next part goes.
char* put(char* out, std::string_view text) {
  out[0] = static_cast<char>(text.size() & 0xFF);
  out[1] = static_cast<char>(text.size() >> 8);
  if (!text.empty()) std::memcpy(out + 2, text.data(), text.size());
  return out + 2 + text.size();
}

} // namespace

PackedHeaders::PackedHeaders(std::initializer_list<net::Header> fields) {
  for (const net::Header& field : fields)
    add(field.name, field.value);
}

void PackedHeaders::add(std::string_view name, std::string_view value) {
  if (name.size() > kMaxPart || value.size() > kMaxPart) return;
  // One resize and two copies per field (on every request: four appends cost twice as much).
  const std::size_t at = bytes_.size();
  bytes_.resize(at + cost(name, value));
  put(put(bytes_.data() + at, name), value);
  ++count_;
}

void PackedHeaders::clear() {
  bytes_.clear();
  count_ = 0;
}

std::optional<std::string_view> PackedHeaders::find(std::string_view name) const {
  std::optional<std::string_view> found;
  for_each([&](std::string_view n, std::string_view value) {
    if (core::equal_ignoring_case(n, name)) found = value;
    return !found;
  });
  return found;
}

net::Headers PackedHeaders::unpack() const {
  net::Headers out;
  out.reserve(count_);
  for_each([&](std::string_view name, std::string_view value) {
    out.push_back({std::string(name), std::string(value)});
    return true;
  });
  return out;
}

} // namespace mock_apns
