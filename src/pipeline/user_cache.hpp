#pragma once
// Presence, registrations and receive options, kept in memory beside the store's tables.
// sendMessage reads both for every message (§4.3); read from SQLite they queued behind the outbox's
// commits for the one database connection. The store loads them at open and writes through: each
// change is made here after its row changed, under the store's lock, so the two never disagree.
// Readers take one shard's lock, never the store's.
// Spec: docs/spec/im-voip-flow.md

#include "pipeline/login_policy.hpp"
#include "pipeline/receive_options.hpp"
#include "pipeline/records.hpp"

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace pipeline {

// One installation's presence (im-voip-flow.md §3.4: presence per installation) and when it
// last logged in.
struct InstallationPresence {
  std::string installation;
  Presence presence = Presence::LoggedOut;
  std::uint64_t login_seq = 0; // the store's count of logins when it logged in
};

// What sendMessage needs of one installation of the receiver (im-voip-flow.md §3.4, §4.3): its
// presence and registration, either of which may be missing.
struct PushTarget {
  std::string installation;
  std::optional<Presence> presence;
  std::optional<Registration> registration;
};

class UserCache {
public:
  std::optional<Presence> presence(const std::string& user, const std::string& installation) const;
  // Every installation of the user with a presence, ordered by installation.
  std::vector<InstallationPresence> installations(const std::string& user) const;
  std::optional<Registration> registration(const std::string& user,
                                           const std::string& installation) const;
  // Every registration of the user, ordered by installation.
  std::vector<Registration> registrations(const std::string& user) const;
  // Every installation of the user with a presence or a registration, ordered by installation:
  // sendMessage's one read of the user (a single lock and lookup, as before installations).
  std::vector<PushTarget> push_targets(const std::string& user) const;
  ReceiveOptions receive_options(const std::string& user) const;
  std::optional<std::string> receive_option_blocks(const std::string& user,
                                                   const MessageOrigin& origin) const;

  void set_presence(const std::string& user, const InstallationPresence& presence);
  void set_receive_option(const std::string& user, ReceiveScope scope, const std::string& target,
                          ReceiveOption option);
  void put_registration(const Registration& registration);
  // The same rule as the table's update: nothing changes unless the registration exists and,
  // with `only_for_token`, still has that token.
  void set_registration_state(const std::string& user, const std::string& installation,
                              RegistrationState state, const std::string& reason,
                              const std::string& only_for_token);
  void delete_registration(const std::string& user, const std::string& installation);
  // A deleted certificate takes its registrations with it (the table's ON DELETE CASCADE).
  void delete_registrations_of(std::int64_t cert_record_id);

private:
  // One installation's entry; it goes when it has neither.
  struct Installation {
    std::string name;
    std::optional<InstallationPresence> presence;
    std::optional<Registration> registration;
  };
  // Ordered by name, so reads list them in a stable order. A flat vector in one map entry per
  // user: most users have one installation, and sendMessage's read then costs one lookup, as it
  // did when presence and registration were one per user.
  using Installations = std::vector<Installation>;
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Installations> users;
    std::unordered_map<std::string, ReceiveOptions> receive_options;
  };
  static std::size_t shard_index(const std::string& user);

  static constexpr std::size_t kShards = 64; // 16 sender threads rarely meet on one
  std::array<Shard, kShards> shards_;
};

} // namespace pipeline
