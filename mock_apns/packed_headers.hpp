#pragma once
// Request header fields as the journal keeps them: one buffer, each field its name and value with
// their lengths, in arrival order. One string to fill per request instead of two a field, and
// one size to bound (issue #20: the capture must not move the mock's CPU per push).
#include "net/message.hpp"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace mock_apns {

class PackedHeaders {
public:
  PackedHeaders() = default;
  PackedHeaders(std::initializer_list<net::Header> fields); // for tests and readers

  // Appends a field; names and values of 64 KiB or more do not fit and are not kept.
  void add(std::string_view name, std::string_view value);
  void clear();
  std::size_t size() const { return count_; } // fields
  bool empty() const { return count_ == 0; }
  // The bytes a field adds: what a caller checks against a bound before add().
  static std::size_t cost(std::string_view name, std::string_view value) {
    return name.size() + value.size() + 4;
  }
  std::size_t bytes() const { return bytes_.size(); }
  std::size_t capacity() const { return bytes_.capacity(); }
  void shrink_to_fit() { bytes_.shrink_to_fit(); }

  // Calls visit(name, value) for each field in order until it returns false.
  template <typename Visit>
  void for_each(Visit visit) const {
    std::size_t at = 0;
    while (at < bytes_.size()) {
      const std::string_view name = take(at);
      const std::string_view value = take(at);
      if (!visit(name, value)) return;
    }
  }
  // The first value of `name` (any letter case), as net::find_header for net::Headers.
  std::optional<std::string_view> find(std::string_view name) const;
  net::Headers unpack() const;
  // The buffer as it is, and back: how a journal record keeps the fields (journal_record.hpp).
  std::string_view packed() const { return bytes_; }
  void assign_packed(std::string_view bytes, std::size_t count) {
    bytes_.assign(bytes);
    count_ = count;
  }
  bool operator==(const PackedHeaders&) const = default;

private:
  std::string_view take(std::size_t& at) const {
    const std::size_t length =
        static_cast<unsigned char>(bytes_[at]) |
        (static_cast<std::size_t>(static_cast<unsigned char>(bytes_[at + 1])) << 8);
    const std::string_view text(bytes_.data() + at + 2, length);
    at += 2 + length;
    return text;
  }

  std::string bytes_;
  std::size_t count_ = 0;
};

} // namespace mock_apns
