#include "scenario/shard.hpp"

#include "core/parse_number.hpp"

namespace scenario {

std::string Shard::text() const {
  return std::to_string(index) + "/" + std::to_string(count);
}

core::Result<Shard> parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  const auto index = core::parse_whole<std::uint32_t>(text.substr(0, slash));
  const auto count = slash == std::string_view::npos
                         ? std::nullopt
                         : core::parse_whole<std::uint32_t>(text.substr(slash + 1));
  if (!index || !count || *count == 0 || *count > 100000 || *index == 0 || *index > *count)
    return core::fail(core::Errc::InvalidArgument,
                      "--shard '" + std::string(text) +
                          "': give I/N, this job's share I of N (1 <= I <= N), e.g. 2/3");
  return Shard{*index, *count};
}

bool in_shard(std::string_view name, const Shard& shard) {
  // FNV-1a (64 bits): stable across machines and builds, unlike std::hash.
  std::uint64_t hash = 14695981039346656037ull;
  for (const unsigned char c : name) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash % shard.count == shard.index - 1;
}

} // namespace scenario
