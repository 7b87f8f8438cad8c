#include "pipeline/user_cache.hpp"

#include <functional>

namespace pipeline {

std::size_t UserCache::shard_index(const std::string& user) {
  return std::hash<std::string>{}(user) % kShards;
}

std::optional<Presence> UserCache::presence(const std::string& user) const {
  const Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  const auto found = shard.presence.find(user);
  if (found == shard.presence.end()) return std::nullopt;
  return found->second;
}

std::optional<Registration> UserCache::registration(const std::string& user) const {
  const Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  const auto found = shard.registrations.find(user);
  if (found == shard.registrations.end()) return std::nullopt;
  return found->second;
}

ReceiveOptions UserCache::receive_options(const std::string& user) const {
  const Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  const auto found = shard.receive_options.find(user);
  return found == shard.receive_options.end() ? ReceiveOptions{} : found->second;
}

std::optional<std::string> UserCache::receive_option_blocks(const std::string& user,
                                                            std::string_view sender) const {
  const Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  const auto found = shard.receive_options.find(user);
  if (found == shard.receive_options.end()) return std::nullopt; // most users set none
  return pipeline::receive_option_blocks(found->second, sender);
}

void UserCache::set_receive_option(const std::string& user, ReceiveScope scope,
                                   const std::string& target, ReceiveOption option) {
  Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  shard.receive_options[user].set(scope, target, option);
}

void UserCache::set_presence(const std::string& user, Presence presence) {
  Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  shard.presence.insert_or_assign(user, presence);
}

void UserCache::put_registration(const Registration& registration) {
  Shard& shard = shards_[shard_index(registration.user)];
  std::lock_guard lock(shard.mutex);
  shard.registrations.insert_or_assign(registration.user, registration);
}

void UserCache::set_registration_state(const std::string& user, RegistrationState state,
                                       const std::string& reason,
                                       const std::string& only_for_token) {
  Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  const auto found = shard.registrations.find(user);
  if (found == shard.registrations.end()) return;
  if (!only_for_token.empty() && found->second.token_hex != only_for_token) return;
  found->second.state = state;
  found->second.reason = reason;
}

void UserCache::delete_registration(const std::string& user) {
  Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  shard.registrations.erase(user);
}

void UserCache::delete_registrations_of(std::int64_t cert_record_id) {
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    std::erase_if(shard.registrations,
                  [&](const auto& entry) { return entry.second.cert_record_id == cert_record_id; });
  }
}

} // namespace pipeline
