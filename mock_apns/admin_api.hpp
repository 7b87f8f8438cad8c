#pragma once
// The admin API's routing: a pure function from an HTTP request to a response, over one mock
// (issue #4, "Admin API"). The transport (admin_server.cpp) adds only the waiting of long-polls
// and the event stream. Endpoints and curl examples: mock_apns/README.md. Errors are the house
// shape of net/json_api.hpp: {"error":"CODE","message":"..."}.
#include "core/result.hpp"
#include "net/http1_message.hpp"
#include "net/json_api.hpp"

#include <cstdint>
#include <string_view>

namespace mock_apns {

class Server;
struct PkiDir;

// Runs on an admin I/O thread; `mock` is thread-safe.
// `pki`, when given, lets POST /v1/send push through the mock's own listener.
net::Http1Response handle_admin_request(const net::Http1Request& request, Server& mock,
                                        const PkiDir* pki = nullptr);

// GET /v1/deliveries and GET /v1/deliveries/stream: the cursor after which to answer and how
// long to wait when there is nothing newer (the transport's job; 0: answer at once), or the
// 400 that says what is wrong with the query.
struct DeliveryPoll {
  std::uint64_t after = 0;
  std::uint64_t wait_ms = 0;
};
inline constexpr std::uint64_t kMaxDeliveryWaitMs = 60'000; // a longer wait_ms waits this long
core::Result<DeliveryPoll, net::ApiError> delivery_poll_of(const net::Http1Target& target);

} // namespace mock_apns
