#include "fake_device/token_draw.hpp"

#include "core/encoding.hpp"

namespace fake_device {

std::string draw_token_hex(std::mt19937_64& engine) {
  std::string bytes(32, '\0');
  for (std::size_t i = 0; i < bytes.size(); i += 8) {
    auto word = engine();
    for (std::size_t j = 0; j < 8; ++j, word >>= 8)
      bytes[i + j] = static_cast<char>(word & 0xff);
  }
  return core::hex_encode(bytes);
}

} // namespace fake_device
