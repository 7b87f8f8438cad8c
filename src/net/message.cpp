#include "net/message.hpp"

namespace net {

const std::string* find_header(const Headers& headers, std::string_view name) {
  for (const auto& h : headers)
    if (h.name == name) return &h.value;
  return nullptr;
}

std::size_t count_header(const Headers& headers, std::string_view name) {
  std::size_t n = 0;
  for (const auto& h : headers)
    n += h.name == name ? 1 : 0;
  return n;
}

} // namespace net
