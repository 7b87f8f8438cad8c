#include "mock_apns/packed_headers.hpp"

namespace mock_apns {
namespace {

constexpr std::size_t kMaxPart = 0xFFFF; // a two-byte length

void put(std::string& out, std::string_view text) {
  out.push_back(static_cast<char>(text.size() & 0xFF));
  out.push_back(static_cast<char>(text.size() >> 8));
  out.append(text);
}

} // namespace

PackedHeaders::PackedHeaders(std::initializer_list<net::Header> fields) {
  for (const net::Header& field : fields)
    add(field.name, field.value);
}

void PackedHeaders::add(std::string_view name, std::string_view value) {
  if (name.size() > kMaxPart || value.size() > kMaxPart) return;
  put(bytes_, name);
  put(bytes_, value);
  ++count_;
}

void PackedHeaders::clear() {
  bytes_.clear();
  count_ = 0;
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
