#pragma once
// The admin API's transport: HTTP/1.1 on a loopback port (plain, so `curl` works without flags),
// one I/O thread, a body limit on every request. Routing is handle_admin_request(); this adds
// the waiting of GET /v1/deliveries?wait_ms= and the server-sent events of
// GET /v1/deliveries/stream.
#include "core/result.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mock_apns {

class Server;
struct PkiDir;

struct AdminServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                         // 0: pick a free port
  std::size_t body_limit = std::size_t{64} << 20; // larger bodies: 413
  // Not empty: every request but GET /v1/health needs "Authorization: Bearer <secret>", else 401
  // (net/bearer_auth.hpp). Health stays open for readiness probes; it shows no token or key.
  std::string bearer_secret{};
  // Host names besides loopback ones and IP addresses that requests may be addressed to
  // (net/request_guard.hpp): 'voipsim mock-apns --allow-host NAME'.
  std::vector<std::string> allowed_hosts{};
  // The mock's PKI folder, for the console's Send form (POST /v1/send); null: no Send.
  std::shared_ptr<const PkiDir> pki{};
};

// Where `voipsim mock-apns` and `voipsim device` read the secret when no file is given.
inline constexpr const char* kAdminSecretEnv = "VOIPSIM_ADMIN_SECRET";

// start() once; stop() (or the destructor) closes every session. `mock` must outlive it.
class AdminServer {
public:
  AdminServer(Server& mock, AdminServerOptions options);
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  core::Result<void> start();
  void stop();
  std::uint16_t port() const;

  struct Impl;

private:
  std::shared_ptr<Impl> impl_;
};

} // namespace mock_apns
