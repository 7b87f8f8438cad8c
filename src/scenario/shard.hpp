#pragma once
// A stable share of a suite (`voipsim run --shard I/N`, issue #21): a CI matrix of N jobs each runs
// one shard, and together they run every scenario exactly once. A scenario's shard depends on its
// name only, so it is the same on every machine and whatever else the suite holds. Pure.

#include "core/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace scenario {

struct Shard {
  std::uint32_t index = 1; // 1-based, as CI matrices count
  std::uint32_t count = 1;
  std::string text() const; // "2/3"
};

// "I/N" with 1 <= I <= N; an error that says what is wrong and what is meant otherwise.
core::Result<Shard> parse_shard(std::string_view text);

// Whether the scenario named `name` is in `shard`: FNV-1a of the name, modulo the count.
bool in_shard(std::string_view name, const Shard& shard);

} // namespace scenario
