#pragma once
// The admin API's routing: a pure function from an HTTP request to a response, over one mock
// (issue #4, "Admin API"). The transport (admin_server.cpp) adds only the waiting of long-polls
// and the event stream. Endpoints and curl examples: mock_apns/README.md.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace mock_apns {

class Server;

struct AdminRequest {
  std::string method;
  std::string target; // path and query, e.g. /v1/journal?token=ab&limit=10
  std::string body;
};

struct AdminResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

// A target split into its decoded path and query parameters (%XX and '+' decoded).
struct AdminTarget {
  std::string path;
  std::map<std::string, std::string, std::less<>> query;
};
AdminTarget parse_admin_target(std::string_view target);

// Runs on an admin I/O thread; `mock` is thread-safe.
AdminResponse handle_admin_request(const AdminRequest& request, Server& mock);

// GET /v1/deliveries: the cursor after which to answer and how long to wait when there is
// nothing newer (the transport's job); nullopt-like 0/0 when the query asks for no waiting.
struct DeliveryPoll {
  std::uint64_t after = 0;
  std::uint64_t wait_ms = 0;
};
DeliveryPoll delivery_poll_of(const AdminTarget& target);

} // namespace mock_apns
