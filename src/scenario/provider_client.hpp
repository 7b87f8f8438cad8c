#pragma once
// A provider's own requests to the mock (the `push` step), over HTTP/2 and TLS like any APNs
// client: one connection per (auth, credential, environment), a provider token signed with the
// PKI's key and reused until a step asks for a new one (so it can expire), or a client
// certificate of the PKI.

#include "core/clock.hpp"
#include "core/result.hpp"
#include "mock_apns/pki_dir.hpp"
#include "mock_apns/provider_keys.hpp"
#include "scenario/model.hpp"
#include "scenario/timeline.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace net {
class Client;
class IoThreads;
} // namespace net

namespace scenario {

struct ProviderAnswer;

class ProviderClients {
public:
  // `pki` must outlive this.
  ProviderClients(const mock_apns::PkiDir& pki, std::uint16_t sandbox_port,
                  std::uint16_t production_port);
  ~ProviderClients();
  ProviderClients(const ProviderClients&) = delete;
  ProviderClients& operator=(const ProviderClients&) = delete;

  // A new provider key, as a developer makes one in Apple's portal: generated here, used for
  // the tokens signed from now on (the current one stays until a push asks for a new token),
  // on new connections. The caller registers the returned spec at the mock; `old_key_id` is
  // the key it replaces.
  struct NewKey {
    mock_apns::ProviderKeySpec spec;
    std::string old_key_id;
  };
  core::Result<NewKey> rotate_key();

  // Sends one request and waits (bounded) for its answer; `note` tells the timeline.
  ProviderAnswer push(const PushSpec& spec, const std::string& token,
                      core::ApnsEnvironment environment, const std::string& topic,
                      core::TimePoint now, const std::function<void(TimelineEntry)>& note);

private:
  const mock_apns::PkiDir& pki_;
  std::uint16_t sandbox_port_;
  std::uint16_t production_port_;
  std::unique_ptr<net::IoThreads> io_;
  std::map<std::string, std::unique_ptr<net::Client>> clients_;
  std::string jwt_;
  std::string jwt_key_id_; // the key jwt_ was signed with: the token connections' binding
  std::string key_id_;     // empty: the PKI's .p8
  std::string key_pem_;    // its private key
  int rotations_ = 0;
};

} // namespace scenario
