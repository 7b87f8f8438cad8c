#include "pipeline/user_cache.hpp"

#include <algorithm>
#include <functional>
#include <iterator>

namespace pipeline {

std::size_t UserCache::shard_index(const std::string& user) {
  return std::hash<std::string>{}(user) % kShards;
}

namespace {

// Where `name` is or would go in `installations` (ordered by name).
template <typename Installations>
auto position(Installations& installations, const std::string& name) {
  return std::lower_bound(installations.begin(), installations.end(), name,
                          [](const auto& entry, const std::string& n) { return entry.name < n; });
}

// The entry named `installation` in `installations`, or nullptr.
template <typename Installations>
auto* find_installation(Installations& installations, const std::string& installation) {
  const auto found = position(installations, installation);
  return found != installations.end() && found->name == installation ? &*found : nullptr;
}

// The entry of (user, installation) in `users`, or nullptr.
template <typename Users>
auto find_installation(Users& users, const std::string& user, const std::string& installation)
    -> decltype(find_installation(users.begin()->second, installation)) {
  const auto found = users.find(user);
  if (found == users.end()) return nullptr;
  return find_installation(found->second, installation);
}

// The entry of (user, installation) in `users`, made where its name sorts when there is none.
template <typename Users>
auto& installation_entry(Users& users, const std::string& user, const std::string& installation) {
  auto& installations = users[user];
  const auto at = position(installations, installation);
  if (at != installations.end() && at->name == installation) return *at;
  auto& made = *installations.emplace(at);
  made.name = installation;
  return made;
}

// Drops the user's installations that have neither a presence nor a registration, and the user
// when none is left.
template <typename Users>
void drop_empty(Users& users, typename Users::iterator user) {
  std::erase_if(user->second,
                [](const auto& entry) { return !entry.presence && !entry.registration; });
  if (user->second.empty()) users.erase(user);
}

} // namespace

std::optional<Presence> UserCache::presence(const std::string& user,
                                            const std::string& installation) const {
  const Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  const auto* one = find_installation(shard.users, user, installation);
  if (!one || !one->presence) return std::nullopt;
  return one->presence->presence;
}

std::vector<InstallationPresence> UserCache::installations(const std::string& user) const {
  const Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  std::vector<InstallationPresence> all;
  if (const auto found = shard.users.find(user); found != shard.users.end())
    for (const auto& one : found->second)
      if (one.presence) all.push_back(*one.presence);
  return all;
}

std::optional<Registration> UserCache::registration(const std::string& user,
                                                    const std::string& installation) const {
  const Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  const auto* one = find_installation(shard.users, user, installation);
  if (!one) return std::nullopt;
  return one->registration;
}

std::vector<Registration> UserCache::registrations(const std::string& user) const {
  const Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  std::vector<Registration> all;
  if (const auto found = shard.users.find(user); found != shard.users.end())
    for (const auto& one : found->second)
      if (one.registration) all.push_back(*one.registration);
  return all;
}

std::vector<PushTarget> UserCache::push_targets(const std::string& user) const {
  const Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  std::vector<PushTarget> targets;
  const auto found = shard.users.find(user);
  if (found == shard.users.end()) return targets;
  targets.reserve(found->second.size());
  for (const auto& one : found->second) {
    PushTarget& target = targets.emplace_back();
    target.installation = one.name;
    if (one.presence) target.presence = one.presence->presence;
    target.registration = one.registration;
  }
  return targets;
}

ReceiveOptions UserCache::receive_options(const std::string& user) const {
  const Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  const auto found = shard.receive_options.find(user);
  return found == shard.receive_options.end() ? ReceiveOptions{} : found->second;
}

std::optional<std::string> UserCache::receive_option_blocks(const std::string& user,
                                                            const MessageOrigin& origin) const {
  const Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  const auto found = shard.receive_options.find(user);
  if (found == shard.receive_options.end()) return std::nullopt; // most users set none
  return pipeline::receive_option_blocks(found->second, origin);
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
  installation_entry(shard.users, user, presence.installation).presence = presence;
}

void UserCache::put_registration(const Registration& registration) {
  Shard& shard = shards_[shard_index(registration.user)];
  std::lock_guard lock(shard.mutex);
  installation_entry(shard.users, registration.user, registration.installation).registration =
      registration;
}

void UserCache::set_registration_state(const std::string& user, const std::string& installation,
                                       RegistrationState state, const std::string& reason,
                                       const std::string& only_for_token) {
  Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  auto* one = find_installation(shard.users, user, installation);
  if (!one || !one->registration) return;
  if (!only_for_token.empty() && one->registration->token_hex != only_for_token) return;
  one->registration->state = state;
  one->registration->reason = reason;
}

void UserCache::delete_registration(const std::string& user, const std::string& installation) {
  Shard& shard = shards_[shard_index(user)];
  std::lock_guard lock(shard.mutex);
  const auto found = shard.users.find(user);
  if (found == shard.users.end()) return;
  if (auto* one = find_installation(found->second, installation)) one->registration.reset();
  drop_empty(shard.users, found);
}

void UserCache::delete_registrations_of(std::int64_t cert_record_id) {
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    for (auto user = shard.users.begin(); user != shard.users.end();) {
      const auto next = std::next(user); // drop_empty may erase `user`
      for (auto& one : user->second)
        if (one.registration && one.registration->cert_record_id == cert_record_id)
          one.registration.reset();
      drop_empty(shard.users, user);
      user = next;
    }
  }
}

} // namespace pipeline
