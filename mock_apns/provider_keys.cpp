#include "mock_apns/provider_keys.hpp"

#include "core/error.hpp"
#include "core/names.hpp"
#include "pki/certificate.hpp"

#include <mutex>

namespace mock_apns {

namespace {
constexpr core::Names<KeyKind, 2> kKeyKindNames{{
    {KeyKind::TeamScoped, "team"},
    {KeyKind::TopicSpecific, "topic"},
}};
} // namespace

std::string_view key_kind_name(KeyKind kind) {
  return core::name_of(kKeyKindNames, kind);
}

std::optional<KeyKind> parse_key_kind(std::string_view text) {
  return core::value_named(kKeyKindNames, text);
}

std::string key_kind_words() {
  return core::words_of(kKeyKindNames);
}

bool ProviderKey::serves_bundle(std::string_view bundle_id) const {
  if (spec_.kind == KeyKind::TeamScoped) {
    return true;
  }
  for (const std::string& bundle : spec_.bundle_ids) {
    if (bundle == bundle_id) {
      return true;
    }
  }
  return false;
}

core::Result<void> ProviderKeys::add(ProviderKeySpec spec) {
  if (!pki::is_apple_id(spec.key_id)) {
    return core::fail(core::Errc::InvalidArgument,
                      "key id must be 10 upper-case letters or digits, got \"" +
                          spec.key_id.substr(0, 40) + "\"");
  }
  if (!pki::is_apple_id(spec.team_id)) {
    return core::fail(core::Errc::InvalidArgument,
                      "team id must be 10 upper-case letters or digits, got \"" +
                          spec.team_id.substr(0, 40) + "\"");
  }
  if (!spec.sandbox && !spec.production) {
    return core::fail(core::Errc::InvalidArgument,
                      "key " + spec.key_id + " must allow sandbox, production or both");
  }
  if (spec.kind == KeyKind::TopicSpecific && spec.bundle_ids.empty()) {
    return core::fail(core::Errc::InvalidArgument,
                      "topic-specific key " + spec.key_id + " needs at least one bundle id");
  }
  for (const std::string& bundle : spec.bundle_ids) {
    if (!pki::is_bundle_id(bundle)) {
      return core::fail(core::Errc::InvalidArgument,
                        "\"" + bundle.substr(0, 160) + "\" is not a bundle id");
    }
  }
  auto public_key = pki::PublicKey::from_pem(spec.public_key_pem);
  if (!public_key) {
    return core::fail(core::Errc::InvalidArgument,
                      "key " + spec.key_id + ": " + public_key.error().message());
  }
  if (!public_key->is_ec_p256()) {
    return core::fail(core::Errc::InvalidArgument,
                      "key " + spec.key_id + " is not an EC P-256 key (APNs signs with ES256)");
  }
  std::unique_lock lock(mutex_);
  auto existing = keys_.find(spec.key_id);
  auto flag = existing != keys_.end() ? existing->second->revocation_flag()
                                      : std::make_shared<std::atomic<bool>>(false);
  flag->store(spec.revoked, std::memory_order_relaxed);
  std::string id = spec.key_id;
  keys_.insert_or_assign(
      std::move(id), std::make_shared<ProviderKey>(std::move(spec), std::move(*public_key), flag));
  return {};
}

bool ProviderKeys::revoke(std::string_view key_id) {
  std::shared_lock lock(mutex_);
  auto found = keys_.find(key_id);
  if (found == keys_.end()) {
    return false;
  }
  found->second->revoke();
  return true;
}

bool ProviderKeys::remove(std::string_view key_id) {
  std::unique_lock lock(mutex_);
  auto found = keys_.find(key_id);
  if (found == keys_.end()) {
    return false;
  }
  found->second->revoke();
  keys_.erase(found);
  return true;
}

std::shared_ptr<ProviderKey> ProviderKeys::find(std::string_view key_id) const {
  std::shared_lock lock(mutex_);
  auto found = keys_.find(key_id);
  return found == keys_.end() ? nullptr : found->second;
}

std::vector<std::shared_ptr<ProviderKey>> ProviderKeys::list() const {
  std::shared_lock lock(mutex_);
  std::vector<std::shared_ptr<ProviderKey>> out;
  for (const auto& [id, key] : keys_) {
    out.push_back(key);
  }
  return out;
}

core::Result<void> ProviderKeys::add_bundle(std::string_view team_id, std::string_view bundle_id) {
  if (!pki::is_apple_id(team_id)) {
    return core::fail(core::Errc::InvalidArgument,
                      "team id must be 10 upper-case letters or digits, got \"" +
                          std::string(team_id.substr(0, 40)) + "\"");
  }
  if (!pki::is_bundle_id(bundle_id)) {
    return core::fail(core::Errc::InvalidArgument,
                      "\"" + std::string(bundle_id.substr(0, 160)) + "\" is not a bundle id");
  }
  std::unique_lock lock(mutex_);
  auto& bundles = teams_[std::string(team_id)];
  auto next = bundles ? std::make_shared<TeamBundles>(*bundles) : std::make_shared<TeamBundles>();
  next->emplace(bundle_id);
  bundles = std::move(next);
  return {};
}

std::shared_ptr<const TeamBundles> ProviderKeys::bundles_of(std::string_view team_id) const {
  static const auto kNone = std::make_shared<const TeamBundles>();
  std::shared_lock lock(mutex_);
  auto found = teams_.find(team_id);
  return found == teams_.end() ? kNone : found->second;
}

std::map<std::string, TeamBundles> ProviderKeys::teams() const {
  std::shared_lock lock(mutex_);
  std::map<std::string, TeamBundles> out;
  for (const auto& [team, bundles] : teams_) {
    out.emplace(team, *bundles);
  }
  return out;
}

void ProviderKeys::clear() {
  std::unique_lock lock(mutex_);
  for (auto& [id, key] : keys_) {
    key->revoke(); // connections bound to them must not go on using them
  }
  keys_.clear();
  teams_.clear();
}

} // namespace mock_apns
