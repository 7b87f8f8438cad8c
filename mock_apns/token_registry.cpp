#include "mock_apns/token_registry.hpp"

#include "core/encoding.hpp"
#include "core/error.hpp"
#include "core/names.hpp"

#include <array>
#include <cassert>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <utility>

namespace mock_apns {
namespace {

constexpr std::size_t kShardBits = 6;
constexpr std::size_t kShardCount = std::size_t{1} << kShardBits;
constexpr std::size_t kShortHex = 64; // 32-byte tokens (apns-provider-api.md §8), stored as bytes
constexpr std::size_t kMaxTopic = 255;
constexpr std::size_t kChunkEntries = 4096;

using ShortKey = std::array<std::uint8_t, kShortHex / 2>;

struct Value {
  std::int64_t timestamp_ms = 0;
  std::uint32_t topic = 0; // index into the shard's topic table
  Environment environment = Environment::Sandbox;
  TokenState state = TokenState::Active;
};

struct ShortEntry {
  ShortKey key;
  Value value;
};

bool decode_short(std::string_view hex, ShortKey& key) {
  if (hex.size() != kShortHex) {
    return false;
  }
  int invalid = 0; // any -1 digit makes it negative: one check at the end
  for (std::size_t i = 0; i < key.size(); ++i) {
    const int high = core::hex_value(hex[2 * i]);
    const int low = core::hex_value(hex[2 * i + 1]);
    invalid |= high | low;
    key[i] = static_cast<std::uint8_t>(high << 4 | (low & 0xF));
  }
  return invalid >= 0;
}

std::string encode_short(const ShortKey& key) {
  std::string hex(kShortHex, '0');
  for (std::size_t i = 0; i < key.size(); ++i) {
    hex[2 * i] = core::kHexDigitsLower[key[i] >> 4];
    hex[2 * i + 1] = core::kHexDigitsLower[key[i] & 0xF];
  }
  return hex;
}

std::size_t hash_bytes(std::string_view bytes) {
  return std::hash<std::string_view>{}(bytes);
}

std::size_t hash_key(const ShortKey& key) {
  return hash_bytes({reinterpret_cast<const char*>(key.data()), key.size()});
}

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const { return hash_bytes(text); }
};

// Topics are few and long; each shard stores each once and its entries refer to it by index.
struct TopicTable {
  std::vector<std::string> names;
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> ids;

  std::uint32_t intern(std::string_view topic) {
    if (auto found = ids.find(topic); found != ids.end()) {
      return found->second;
    }
    const auto id = static_cast<std::uint32_t>(names.size());
    names.emplace_back(topic);
    ids.emplace(names.back(), id);
    return id;
  }
};

// Entries in fixed chunks: growing never copies them and never leaves half a vector unused,
// which keeps 10 million tokens within the memory target.
class ChunkedEntries {
public:
  std::size_t size() const { return size_; }
  ShortEntry& operator[](std::size_t i) { return chunks_[i / kChunkEntries][i % kChunkEntries]; }
  const ShortEntry& operator[](std::size_t i) const {
    return chunks_[i / kChunkEntries][i % kChunkEntries];
  }
  void push_back(const ShortEntry& entry) {
    if (size_ == chunks_.size() * kChunkEntries) {
      chunks_.push_back(std::make_unique<ShortEntry[]>(kChunkEntries));
    }
    (*this)[size_++] = entry;
  }
  void pop_back() {
    --size_;
    if (size_ + kChunkEntries < chunks_.size() * kChunkEntries) {
      chunks_.pop_back(); // keep one spare chunk so a put/erase pair does not thrash
    }
  }
  void clear() {
    chunks_.clear();
    size_ = 0;
  }

private:
  std::vector<std::unique_ptr<ShortEntry[]>> chunks_;
  std::size_t size_ = 0;
};

// The admin API's words for a token's state.
constexpr core::Names<TokenState, 3> kTokenStateNames{{
    {TokenState::Active, "active"},
    {TokenState::Unregistered, "unregistered"},
    {TokenState::Expired, "expired"},
}};

} // namespace

std::string_view token_state_name(TokenState state) {
  return core::name_of(kTokenStateNames, state);
}

std::optional<TokenState> parse_token_state(std::string_view text) {
  return core::value_named(kTokenStateNames, text);
}

std::string token_state_words() {
  return core::words_of(kTokenStateNames);
}

bool is_well_formed_token(std::string_view token, const TokenSyntax& syntax) {
  return core::is_device_token(token, syntax.min_hex, syntax.max_hex);
}

namespace {

// Where a token lives: its shard and, for 64-digit tokens, its decoded key and hash.
struct Locator {
  bool is_short = false;
  ShortKey key{};
  std::string long_token; // lower case; set only for other lengths
  std::size_t hash = 0;
  std::size_t shard = 0;
};

} // namespace

// 64-digit tokens live in an open-addressing index over chunked entries; erase moves the last
// entry into the hole. Other lengths are rare and go to a plain map.
//
// A slot holds the entry index + 1 in its low 32 bits (0 = empty) and a tag of the key's hash
// in its high 32 bits: a probe compares tags and touches an entry (a likely cache miss) only
// when the tag matches.
using Slot = std::uint64_t;
constexpr std::uint32_t index_of(Slot slot) {
  return static_cast<std::uint32_t>(slot);
}
constexpr std::uint32_t tag_of(std::size_t hash) {
  return static_cast<std::uint32_t>(hash >> 16);
}
constexpr Slot make_slot(std::uint32_t index, std::size_t hash) {
  return (static_cast<Slot>(tag_of(hash)) << 32) | index;
}

struct TokenRegistry::Shard {
  mutable std::shared_mutex mutex;
  TopicTable topics;
  std::vector<Slot> slots;
  ChunkedEntries entries;
  std::unordered_map<std::string, Value, StringHash, std::equal_to<>> long_tokens;

  std::size_t mask() const { return slots.size() - 1; }

  // The slot holding `key`, or the empty slot where it would go. Requires slots non-empty.
  std::size_t probe(const ShortKey& key, std::size_t hash) const {
    const std::uint32_t tag = tag_of(hash);
    for (std::size_t pos = hash & mask();; pos = (pos + 1) & mask()) {
      const Slot slot = slots[pos];
      if (index_of(slot) == 0 || (static_cast<std::uint32_t>(slot >> 32) == tag &&
                                  entries[index_of(slot) - 1].key == key)) {
        return pos;
      }
    }
  }

  const Value* find_short(const ShortKey& key, std::size_t hash) const {
    if (slots.empty()) {
      return nullptr;
    }
    const std::uint32_t index = index_of(slots[probe(key, hash)]);
    return index == 0 ? nullptr : &entries[index - 1].value;
  }
  Value* find_short(const ShortKey& key, std::size_t hash) {
    return const_cast<Value*>(std::as_const(*this).find_short(key, hash));
  }

  void grow() {
    std::vector<Slot> old = std::move(slots);
    slots.assign(old.empty() ? 64 : old.size() * 2, 0);
    for (Slot slot : old) {
      if (index_of(slot) != 0) {
        const ShortKey& key = entries[index_of(slot) - 1].key;
        slots[probe(key, hash_key(key))] = slot;
      }
    }
  }

  void put_short(const ShortKey& key, std::size_t hash, const Value& value) {
    if ((entries.size() + 1) * 4 > slots.size() * 3) {
      grow();
    }
    const std::size_t pos = probe(key, hash);
    if (index_of(slots[pos]) != 0) {
      entries[index_of(slots[pos]) - 1].value = value;
      return;
    }
    entries.push_back({key, value});
    slots[pos] = make_slot(static_cast<std::uint32_t>(entries.size()), hash);
  }

  bool erase_short(const ShortKey& key, std::size_t hash) {
    if (slots.empty()) {
      return false;
    }
    std::size_t hole = probe(key, hash);
    const std::uint32_t removed = index_of(slots[hole]);
    if (removed == 0) {
      return false;
    }
    // Backward-shift deletion keeps every probe chain unbroken without tombstones.
    for (std::size_t next = (hole + 1) & mask(); index_of(slots[next]) != 0;
         next = (next + 1) & mask()) {
      const std::size_t home = hash_key(entries[index_of(slots[next]) - 1].key) & mask();
      if (((next - home) & mask()) >= ((next - hole) & mask())) {
        slots[hole] = slots[next];
        hole = next;
      }
    }
    slots[hole] = 0;
    const auto last = static_cast<std::uint32_t>(entries.size());
    if (removed != last) {
      entries[removed - 1] = entries[last - 1];
      const ShortKey& moved = entries[removed - 1].key;
      const std::size_t moved_hash = hash_key(moved);
      slots[probe(moved, moved_hash)] = make_slot(removed, moved_hash);
    }
    entries.pop_back();
    return true;
  }

  const Value* find(const Locator& where) const {
    if (where.is_short) {
      return find_short(where.key, where.hash);
    }
    auto found = long_tokens.find(where.long_token);
    return found == long_tokens.end() ? nullptr : &found->second;
  }
  Value* find(const Locator& where) { return const_cast<Value*>(std::as_const(*this).find(where)); }

  // Calls `visit(key text, value)` for every entry, in storage order.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (!visit(encode_short(entries[i].key), entries[i].value)) {
        return;
      }
    }
    for (const auto& [token, value] : long_tokens) {
      if (!visit(token, value)) {
        return;
      }
    }
  }

  std::size_t size() const { return entries.size() + long_tokens.size(); }

  TokenRecord record(std::string token, const Value& value) const {
    return {std::move(token), value.environment, topics.names[value.topic], value.state,
            value.timestamp_ms};
  }
};

namespace {

Locator locate(std::string_view token) {
  Locator where;
  where.is_short = decode_short(token, where.key);
  if (where.is_short) {
    where.hash = hash_key(where.key);
  } else {
    where.long_token = core::to_lower_ascii(token);
    where.hash = hash_bytes(where.long_token);
  }
  where.shard = where.hash >> (sizeof(std::size_t) * 8 - kShardBits);
  return where;
}

} // namespace

TokenRegistry::TokenRegistry(TokenSyntax syntax)
    : syntax_(syntax), shards_(std::make_unique<Shard[]>(kShardCount)) {}
TokenRegistry::~TokenRegistry() = default;

core::Result<void> TokenRegistry::put(const TokenRecord& record) {
  if (!is_well_formed_token(record.token, syntax_)) {
    return core::fail(core::Errc::InvalidArgument,
                      "token must be " + core::device_token_rule(syntax_.min_hex, syntax_.max_hex) +
                          " (the settings tokenMinHex and tokenMaxHex), got \"" +
                          record.token.substr(0, 80) + "\" (" +
                          std::to_string(record.token.size()) + " characters)");
  }
  if (record.topic.empty() || record.topic.size() > kMaxTopic) {
    return core::fail(core::Errc::InvalidArgument,
                      "topic must be 1 to 255 bytes, e.g. com.example.app.voip");
  }
  const Locator where = locate(record.token);
  Shard& shard = shards_[where.shard];
  std::unique_lock lock(shard.mutex);
  const Value value{record.timestamp_ms, shard.topics.intern(record.topic), record.environment,
                    record.state};
  if (where.is_short) {
    shard.put_short(where.key, where.hash, value);
  } else {
    shard.long_tokens.insert_or_assign(where.long_token, value);
  }
  return {};
}

bool TokenRegistry::set_state(std::string_view token, TokenState state, std::int64_t timestamp_ms) {
  const Locator where = locate(token);
  Shard& shard = shards_[where.shard];
  std::unique_lock lock(shard.mutex);
  Value* value = shard.find(where);
  if (value == nullptr) {
    return false;
  }
  value->state = state;
  value->timestamp_ms = timestamp_ms;
  return true;
}

bool TokenRegistry::erase(std::string_view token) {
  const Locator where = locate(token);
  Shard& shard = shards_[where.shard];
  std::unique_lock lock(shard.mutex);
  return where.is_short ? shard.erase_short(where.key, where.hash)
                        : shard.long_tokens.erase(where.long_token) > 0;
}

void TokenRegistry::clear() {
  for (std::size_t i = 0; i < kShardCount; ++i) {
    std::unique_lock lock(shards_[i].mutex);
    shards_[i].slots.clear();
    shards_[i].entries.clear();
    shards_[i].long_tokens.clear();
    shards_[i].topics = {};
  }
}

TokenMatch TokenRegistry::match(std::string_view token, std::string_view topic) const {
  const Locator where = locate(token);
  const Shard& shard = shards_[where.shard];
  std::shared_lock lock(shard.mutex);
  const Value* value = shard.find(where);
  if (value == nullptr) {
    return {};
  }
  return {true, value->environment, shard.topics.names[value->topic] == topic, value->state,
          value->timestamp_ms};
}

std::optional<TokenRecord> TokenRegistry::find(std::string_view token) const {
  const Locator where = locate(token);
  const Shard& shard = shards_[where.shard];
  std::shared_lock lock(shard.mutex);
  if (where.is_short) {
    if (const Value* value = shard.find_short(where.key, where.hash)) {
      return shard.record(encode_short(where.key), *value);
    }
  } else if (auto found = shard.long_tokens.find(where.long_token);
             found != shard.long_tokens.end()) {
    return shard.record(found->first, found->second);
  }
  return std::nullopt;
}

std::vector<TokenRecord> TokenRegistry::list(std::size_t offset, std::size_t limit) const {
  std::vector<TokenRecord> out;
  for (std::size_t i = 0; i < kShardCount && out.size() < limit; ++i) {
    const Shard& shard = shards_[i];
    std::shared_lock lock(shard.mutex);
    if (offset >= shard.size()) {
      offset -= shard.size();
      continue;
    }
    shard.for_each([&](std::string token, const Value& value) {
      if (offset > 0) {
        --offset;
        return true;
      }
      out.push_back(shard.record(std::move(token), value));
      return out.size() < limit;
    });
  }
  return out;
}

std::size_t TokenRegistry::size() const {
  std::size_t total = 0;
  for (std::size_t i = 0; i < kShardCount; ++i) {
    std::shared_lock lock(shards_[i].mutex);
    total += shards_[i].size();
  }
  return total;
}

} // namespace mock_apns
