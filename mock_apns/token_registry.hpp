#pragma once
// The device tokens APNs knows, per environment and topic, with their state
// (apns-provider-api.md §8). Sized for millions of tokens: a 64-hex-digit token costs about 50
// bytes. Sharded, so concurrent pushes to different tokens never wait for each other. All members
// are thread-safe.
#include "core/device_token.hpp"
#include "core/result.hpp"
#include "mock_apns/push_type.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mock_apns {

enum class TokenState : std::uint8_t { Active, Unregistered, Expired };
std::string_view token_state_name(TokenState state); // "active" / "unregistered" / "expired"
std::optional<TokenState> parse_token_state(std::string_view text);
std::string token_state_words(); // "active, unregistered or expired"

struct TokenRecord {
  std::string token; // hex, stored and listed in lower case
  Environment environment = Environment::Sandbox;
  std::string topic; // "<bundle>" for alert tokens, "<bundle>.voip" for PushKit tokens
  TokenState state = TokenState::Active;
  std::int64_t timestamp_ms = 0; // when the state was set: the 410 `timestamp` (§5.3)

  bool operator==(const TokenRecord&) const = default;
};

// Accepted device-token text (apns-provider-api.md §8): even-length hex, `min_hex` to `max_hex`
// digits (the settings tokenMinHex and tokenMaxHex).
struct TokenSyntax {
  std::size_t min_hex = core::kDeviceTokenMinHex;
  std::size_t max_hex = core::kDeviceTokenMaxHex;

  bool operator==(const TokenSyntax&) const = default;
};
bool is_well_formed_token(std::string_view token, const TokenSyntax& syntax);

// What the hot path needs to know about a token, without copying strings.
struct TokenMatch {
  bool found = false;
  Environment environment = Environment::Sandbox;
  bool topic_matches = false;
  TokenState state = TokenState::Active;
  std::int64_t timestamp_ms = 0;
};

class TokenRegistry {
public:
  // Takes only tokens of `syntax`, the one pushes are checked against: a token the admin API
  // registered is one a push can reach.
  explicit TokenRegistry(TokenSyntax syntax = {});
  ~TokenRegistry();
  TokenRegistry(const TokenRegistry&) = delete;
  TokenRegistry& operator=(const TokenRegistry&) = delete;

  // Adds or replaces the record of `record.token` (any letter case; a token of the registry's
  // syntax, topic 1..255 bytes). InvalidArgument names what is wrong.
  core::Result<void> put(const TokenRecord& record);
  // Changes the state of a known token; false when the token is unknown.
  bool set_state(std::string_view token, TokenState state, std::int64_t timestamp_ms);
  bool erase(std::string_view token);
  void clear();

  TokenMatch match(std::string_view token, std::string_view topic) const;
  std::optional<TokenRecord> find(std::string_view token) const;
  // Up to `limit` records, skipping `offset`, in a stable order while nothing changes.
  std::vector<TokenRecord> list(std::size_t offset, std::size_t limit) const;
  std::size_t size() const;

private:
  struct Shard;
  TokenSyntax syntax_;
  std::unique_ptr<Shard[]> shards_;
};

} // namespace mock_apns
