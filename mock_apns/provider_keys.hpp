#pragma once
// Provider token keys and the teams that own bundle ids, as Apple's developer account holds them
// (apns-provider-api.md §6.1, §6.4). Thread-safe; changes at run time (admin API) are seen by new
// provider tokens, and a revocation also by connections already using the key.
#include "core/clock.hpp"
#include "core/result.hpp"
#include "mock_apns/push_type.hpp"
#include "pki/keys.hpp"

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace mock_apns {

enum class KeyKind { TeamScoped, TopicSpecific };
std::string_view key_kind_name(KeyKind kind); // "team" / "topic"
std::optional<KeyKind> parse_key_kind(std::string_view text);
std::string key_kind_words(); // "team or topic"

struct ProviderKeySpec {
  std::string key_id;  // 10 characters
  std::string team_id; // 10 characters
  KeyKind kind = KeyKind::TeamScoped;
  bool sandbox = true;                 // may sign tokens for the sandbox
  bool production = true;              // may sign tokens for production; legacy team keys have both
  std::vector<std::string> bundle_ids; // topic-specific keys: the bundle ids it serves
  std::string related_key_id;          // topic-specific keys: at most one related key
  std::string public_key_pem;          // or the .p8 itself; only the public half is kept
  bool revoked = false;

  bool operator==(const ProviderKeySpec&) const = default;
};

// A registered key. Immutable but for `revoked`, which may flip while connections use it. The
// flag belongs to the key id: a key re-added under the same id shares it, and removing a key
// sets it, so connections bound to an older copy see revocations too.
class ProviderKey {
public:
  ProviderKey(ProviderKeySpec spec, pki::PublicKey public_key,
              std::shared_ptr<std::atomic<bool>> revoked)
      : spec_(std::move(spec)), public_key_(std::move(public_key)), revoked_(std::move(revoked)) {}

  const ProviderKeySpec& spec() const { return spec_; }
  const pki::PublicKey& public_key() const { return public_key_; }
  bool revoked() const { return revoked_->load(std::memory_order_relaxed); }
  void revoke() { revoked_->store(true, std::memory_order_relaxed); }
  const std::shared_ptr<std::atomic<bool>>& revocation_flag() const { return revoked_; }
  bool allows(Environment env) const {
    return env == Environment::Sandbox ? spec_.sandbox : spec_.production;
  }
  // Topic-specific keys serve their bundle ids and every suffix topic of them
  // (apns-provider-api.md §6.1 mock).
  bool serves_bundle(std::string_view bundle_id) const;

private:
  ProviderKeySpec spec_;
  pki::PublicKey public_key_;
  std::shared_ptr<std::atomic<bool>> revoked_;
};

// The bundle ids of one team at one moment: what a connection binds to (apns-provider-api.md §6.4).
using TeamBundles = std::set<std::string, std::less<>>;

class ProviderKeys {
public:
  // Adds or replaces a key. InvalidArgument says which field is wrong.
  core::Result<void> add(ProviderKeySpec spec);
  bool revoke(std::string_view key_id);
  // Forgets the key; connections that used it get InvalidProviderToken from then on.
  bool remove(std::string_view key_id);
  std::shared_ptr<ProviderKey> find(std::string_view key_id) const;
  std::vector<std::shared_ptr<ProviderKey>> list() const;

  // Records that `team_id` owns `bundle_id`; connections bound earlier do not see it.
  core::Result<void> add_bundle(std::string_view team_id, std::string_view bundle_id);
  // The team's bundle ids now; never null (empty for an unknown team).
  std::shared_ptr<const TeamBundles> bundles_of(std::string_view team_id) const;
  std::map<std::string, TeamBundles> teams() const;

  void clear();

private:
  mutable std::shared_mutex mutex_;
  std::map<std::string, std::shared_ptr<ProviderKey>, std::less<>> keys_;
  // Copy-on-write: a bound connection keeps the set it bound to.
  std::map<std::string, std::shared_ptr<const TeamBundles>, std::less<>> teams_;
};

} // namespace mock_apns
