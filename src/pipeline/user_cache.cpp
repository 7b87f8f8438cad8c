#include "pipeline/user_cache.hpp"

#include <functional>

namespace pipeline {

std::size_t UserCache::shard_index(const std::string& user) {
  return std::hash<std::string>{}(user) % kShards;
}

namespace {

// The entry of `installation` under `user` in a map of maps, if any.
template <typename ByUser>
auto one_of(const ByUser& by_user, const std::string& user, const std::string& installation)
    -> std::optional<typename ByUser::mapped_type::mapped_type> {
  const auto found = by_user.find(user);
  if (found == by_user.end()) return std::nullopt;
  const auto one = found->second.find(installation);
  if (one == found->second.end()) return std::nullopt;
  return one->second;
}

// Every entry under `user`, ordered by installation.
template <typename ByUser>
auto all_of(const ByUser& by_user, const std::string& user)
    -> std::vector<typename ByUser::mapped_type::mapped_type> {
  std::vector<typename ByUser::mapped_type::mapped_type> all;
  const auto found = by_user.find(user);
  if (found == by_user.end()) return all;
  for (const auto& [installation, value] : found->second)
    all.push_back(value);
  return all;
}

} // namespace

std::optional<Presence> UserCache::presence(const std::string& user,
                                            const std::string& installation) const {
  const Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  const auto one = one_of(shard.presence, user, installation);
  if (!one) return std::nullopt;
  return one->presence;
}

std::vector<InstallationPresence> UserCache::installations(const std::string& user) const {
  const Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  return all_of(shard.presence, user);
}

std::optional<Registration> UserCache::registration(const std::string& user,
                                                    const std::string& installation) const {
  const Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  return one_of(shard.registrations, user, installation);
}

std::vector<Registration> UserCache::registrations(const std::string& user) const {
  const Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  return all_of(shard.registrations, user);
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

void UserCache::set_presence(const std::string& user, const InstallationPresence& presence) {
  Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  shard.presence[user].insert_or_assign(presence.installation, presence);
}

void UserCache::put_registration(const Registration& registration) {
  Shard& shard = shards_[shard_index(registration.user)];
  std::lock_guard lock(shard.mutex);
  shard.registrations[registration.user].insert_or_assign(registration.installation, registration);
}

void UserCache::set_registration_state(const std::string& user, const std::string& installation,
                                       RegistrationState state, const std::string& reason,
                                       const std::string& only_for_token) {
  Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  const auto found = shard.registrations.find(user);
  if (found == shard.registrations.end()) return;
  const auto one = found->second.find(installation);
  if (one == found->second.end()) return;
  if (!only_for_token.empty() && one->second.token_hex != only_for_token) return;
  one->second.state = state;
  one->second.reason = reason;
}

void UserCache::delete_registration(const std::string& user, const std::string& installation) {
  Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  const auto found = shard.registrations.find(user);
  if (found == shard.registrations.end()) return;
  found->second.erase(installation);
  if (found->second.empty()) shard.registrations.erase(found);
}

void UserCache::delete_registrations_of(std::int64_t cert_record_id) {
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    for (auto user = shard.registrations.begin(); user != shard.registrations.end();) {
      std::erase_if(user->second, [&](const auto& entry) {
        return entry.second.cert_record_id == cert_record_id;
      });
      user = user->second.empty() ? shard.registrations.erase(user) : std::next(user);
    }
  }
}

} // namespace pipeline
