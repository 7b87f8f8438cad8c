#pragma once
// How every TokenAuthority here makes a device token: 32 bytes from a seeded generator as 64
// lower-case hex digits (pushkit-callkit.md §2.2 "Encoding"), so the same seed gives the same
// tokens every run.

#include <random>
#include <string>

namespace fake_device {

std::string draw_token_hex(std::mt19937_64& engine);

} // namespace fake_device
