#pragma once
// The APNs mock as a running server: a sandbox and a production listener (apns-provider-api.md §1),
// each HTTP/2 over TLS, answering as APNs does, publishing accepted pushes and journaling every
// request. Start it in-process on ephemeral ports from a test, or through `voipsim mock-apns`.
#include "core/clock.hpp"
#include "core/result.hpp"
#include "mock_apns/delivery.hpp"
#include "mock_apns/delivery_feed.hpp"
#include "mock_apns/faults.hpp"
#include "mock_apns/held_pushes.hpp"
#include "mock_apns/journal.hpp"
#include "mock_apns/metrics.hpp"
#include "mock_apns/provider_keys.hpp"
#include "mock_apns/refused_certificates.hpp"
#include "mock_apns/settings.hpp"
#include "mock_apns/token_registry.hpp"
#include "net/server.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mock_apns {

// A TLS handshake a listener refused: a client certificate from another CA, no protocol in
// common, a client that is not speaking TLS (apns-provider-api.md §5.4).
struct HandshakeRefusal {
  Environment environment = Environment::Sandbox;
  std::uint16_t port = 0; // the listener's
  std::string peer;       // the client, "ADDRESS:PORT"
  std::string reason;     // OpenSSL's, e.g. "tlsv1 alert unknown ca (SSL routines)"
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t sandbox_port = 0;     // 0: pick a free port
  std::uint16_t production_port = 0;  // 0: pick a free port
  std::string certificate_chain_file; // the mock's TLS certificate (PEM), e.g. server.pem
  std::string private_key_file;       // its key
  std::string client_ca_file;         // CAs provider certificates must chain to, e.g. ca-bundle.pem
  bool certificate_auth = true;       // ask for client certificates (apns-provider-api.md §7)
  bool token_auth = true; // accept provider tokens (§6); false: 403 InvalidProviderToken
  Settings settings;
  core::Clock* clock = nullptr; // null: the system clock; must outlive the server
  std::size_t threads = 1;      // I/O threads per listener
  std::uint64_t seed = 0;       // generated apns-ids repeat for the same seed; 0: random
  // Requests kept in the journal ring, and how much of each (counters are exact beyond it).
  // Both rings are written on every push: larger ones cost cache misses per request
  // (bench/README.md).
  JournalBounds journal;
  std::size_t delivery_feed_capacity = 4096; // recent deliveries for the admin API's consumers
  // Called on the I/O thread of each request after its journal entry was written (--verbose).
  // Optional; must not throw or block.
  std::function<void(const JournalEntry&)> on_request;
  // Called on the I/O thread of each refused handshake (counted in listener_stats() either way);
  // connections that complete their handshake never reach it. Optional; must not throw.
  std::function<void(const HandshakeRefusal&)> on_handshake_refused;
};

// What POST /v1/reset forgets. Default: the journal, faults and rate windows (tokens and keys
// stay); Tokens: the registry and its rate windows; Deliveries: the pushes kept for offline
// devices and who is offline; All: every one of those and the refused certificates (keys stay:
// they come from the PKI).
enum class ResetScope { Default, Journal, Faults, Tokens, Deliveries, All };
std::string_view reset_scope_name(ResetScope scope);
std::optional<ResetScope> parse_reset_scope(std::string_view text);
std::string reset_scope_words();

// Thread-safe. The registries may be changed while it runs.
class Server {
public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Checks the options, loads the certificates, binds both listeners.
  core::Result<void> start();
  // Graceful: GOAWAY {"reason":"Shutdown"}, in-flight requests finish. Idempotent.
  void stop();

  std::uint16_t port(Environment env) const;
  const Settings& settings() const;
  core::Clock& clock();

  TokenRegistry& tokens();
  ProviderKeys& keys();
  Faults& faults();
  // Client certificates the listeners refuse at the handshake from now on, with the
  // certificate_revoked alert (apns-provider-api.md §5.4); open connections are not closed.
  RefusedCertificates& refused_certificates();
  // Refuses `certificate` (PEM or DER; of a bundle, the first: the leaf); returns its SHA-256
  // fingerprint, as refused_certificates() lists it.
  core::Result<std::string> refuse_certificate(std::string_view certificate);
  Journal& journal();
  DeliveryBus& deliveries();
  DeliveryFeed& feed(); // recent deliveries, for consumers in other processes
  const LatencyHistogram& latency() const;
  net::ServerStats listener_stats(Environment env) const;
  // The device that owns `token` went offline or came back (apns-provider-api.md §9): while it is
  // offline, accepted pushes for it are kept instead of published; coming back publishes those
  // still valid. Returns how many were published.
  std::size_t set_reachable(std::string_view token, bool reachable);
  // Journals as expired the kept pushes whose time ran out, for devices that stay away.
  void expire_held();
  const HeldPushes& held() const;
  // The simulated device did something with the push answered with `apns_id` (woken, call
  // shown, app killed, ...): a Device step of its delivery status (issue #20). False when the
  // journal no longer holds that push.
  bool add_device_step(std::string_view apns_id, std::string detail);
  // Returns what it forgot, e.g. {"journal", "faults", "rate limits"}.
  std::vector<std::string> reset_state(ResetScope scope = ResetScope::Default);

  struct Impl;

private:
  std::unique_ptr<Impl> impl_;
};

} // namespace mock_apns
