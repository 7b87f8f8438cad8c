#pragma once
// What keeps a web page in the user's browser from driving voipsim's local JSON APIs (the mock's
// admin API and console, the pipeline's API). A browser lets any page send requests to
// 127.0.0.1; three checks, run by net::Http1Server before the bearer secret and the handler:
//
// - Host (DNS rebinding: a page whose own name now resolves to 127.0.0.1 sends its name as Host):
//   only a loopback name or address, an IP address (no page can rebind one), or a name the user
//   allowed; with a port, the server's own. Otherwise 421.
// - Origin (a page's cross-site fetch or form): a request that carries one is refused with 403
//   unless it is the server's own, i.e. the console's.
// - Content type: POST, PUT, PATCH and DELETE must say `application/json`, which a page can only
//   send after a CORS preflight that no voipsim server approves (it sends no
//   Access-Control-Allow-* header). Otherwise 415. A form or a no-cors fetch cannot say it.
//
// Pure functions, callable from any thread.

#include "net/http1_message.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace net {

struct RequestGuard {
  std::string listen_host; // the address the server listens on ("127.0.0.1", "::", ...)
  std::uint16_t port = 0;  // and its port
  // Host names the user allowed ("--allow-host NAME": a proxy's or container's name), with any
  // port. Loopback names and IP addresses need no entry.
  std::vector<std::string> allowed_hosts;
  // The command-line flag that adds one, for the 421's message.
  std::string allow_flag = "--allow-host";
};

// nullopt when `request` may go on; otherwise the 400 (no Host), 403, 415 or 421 to send instead.
std::optional<Http1Response> check_request_guard(const RequestGuard& guard,
                                                 const Http1Request& request);

// True for 127.0.0.0/8, ::1 and ::ffff:127.x: only this machine can connect. False for anything
// else, names and unparsable text included.
bool is_loopback_address(std::string_view host);

} // namespace net
