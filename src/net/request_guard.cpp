#include "net/request_guard.hpp"

#include "core/encoding.hpp"
#include "core/parse_number.hpp"
#include "net/asio.hpp"
#include "net/json_api.hpp"

#include <algorithm>

namespace net {

namespace {

namespace ip = boost::asio::ip;

Http1Response refusal(int status, const char* code, const std::string& message) {
  return error_response({code, message, status});
}

std::optional<ip::address> ip_address_of(std::string_view text) {
  boost::system::error_code ec;
  const auto address = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  return address;
}

bool is_loopback(const ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return ip::make_address_v4(ip::v4_mapped, address.to_v6()).is_loopback();
  return address.is_loopback();
}

// "name", "name:port", "[v6]" or "[v6]:port" (RFC 9110 §7.2 uri-host [":" port]), the name in
// lower case without a trailing dot; nullopt when it is none of these.
struct Authority {
  std::string name;
  bool bracketed = false;         // an IPv6 literal
  std::optional<unsigned> port{}; // absent: the scheme's default
};

std::optional<Authority> authority_of(std::string_view text) {
  Authority a;
  std::string_view rest;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    a.name = text.substr(1, close - 1);
    a.bracketed = true;
    rest = text.substr(close + 1);
  } else {
    const auto colon = text.find(':');
    a.name = text.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view() : text.substr(colon);
  }
  if (!rest.empty()) {
    if (rest.front() != ':' || rest.size() == 1) return std::nullopt;
    const auto port = core::parse_whole<std::uint16_t>(rest.substr(1));
    if (!port) return std::nullopt;
    a.port = *port;
  }
  a.name = core::to_lower_ascii(a.name);
  if (a.name.ends_with('.')) a.name.pop_back();
  if (a.name.empty()) return std::nullopt;
  return a;
}

bool is_allowed_name(const RequestGuard& guard, const std::string& name) {
  return std::any_of(
      guard.allowed_hosts.begin(), guard.allowed_hosts.end(),
      [&](const std::string& allowed) { return core::to_lower_ascii(allowed) == name; });
}

// The host names this server: loopback, its own address (any address when it listens on all of
// them), or a name the user allowed. A port, when given, must be the server's own, except for
// allowed names (a proxy in front may listen elsewhere).
bool names_this_server(const RequestGuard& guard, const Authority& a, unsigned default_port) {
  if (!a.bracketed && is_allowed_name(guard, a.name)) return true;
  if (a.port.value_or(default_port) != guard.port) return false;
  if (a.name == "localhost" && !a.bracketed) return true;
  const auto address = ip_address_of(a.name);
  if (!address || address->is_v6() != a.bracketed) return false;
  if (is_loopback(*address)) return true;
  const auto listening = ip_address_of(guard.listen_host);
  return listening && (listening->is_unspecified() || *listening == *address);
}

bool is_state_changing(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

bool is_json_media_type(std::string_view content_type) {
  auto type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t'))
    type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t'))
    type.remove_prefix(1);
  return core::to_lower_ascii(type) == "application/json";
}

// "http://host[:port]" or "https://host[:port]" naming this server; "null" and anything else
// are foreign.
bool is_own_origin(const RequestGuard& guard, std::string_view origin) {
  const std::string lower = core::to_lower_ascii(origin);
  unsigned default_port = 0;
  std::string_view rest = lower;
  if (rest.starts_with("http://")) {
    default_port = 80;
    rest.remove_prefix(7);
  } else if (rest.starts_with("https://")) {
    default_port = 443;
    rest.remove_prefix(8);
  } else {
    return false;
  }
  const auto a = authority_of(rest);
  return a && names_this_server(guard, *a, default_port);
}

} // namespace

std::optional<Http1Response> check_request_guard(const RequestGuard& guard,
                                                 const Http1Request& request) {
  if (request.host.empty())
    return refusal(400, "BAD_REQUEST", "the request has no Host header (HTTP/1.1 needs one)");
  const auto host = authority_of(request.host);
  if (!host || !names_this_server(guard, *host, 80)) {
    return refusal(421, "MISDIRECTED_REQUEST",
                   "this server answers only requests addressed to localhost, a loopback or own "
                   "address with port " +
                       std::to_string(guard.port) + ", not to the Host \"" + request.host +
                       "\" (a web page could be reaching it through a name of its own); to use "
                       "this name, start the server with " +
                       guard.allow_flag + " " + (host ? host->name : "NAME"));
  }
  if (!request.origin.empty() && !is_own_origin(guard, request.origin)) {
    return refusal(403, "FOREIGN_ORIGIN",
                   "requests from a web page of another origin (" + request.origin +
                       ") are refused: only this server's own console may call it from a "
                       "browser; scripts and tools send no Origin header");
  }
  if (is_state_changing(request.method) && !is_json_media_type(request.content_type)) {
    return refusal(415, "UNSUPPORTED_MEDIA_TYPE",
                   request.method + " needs \"Content-Type: application/json\"" +
                       (request.content_type.empty()
                            ? std::string(" and the request has none")
                            : " and the request says \"" + request.content_type + "\"") +
                       " (with curl: -H 'Content-Type: application/json')");
  }
  return std::nullopt;
}

bool is_loopback_address(std::string_view host) {
  const auto address = ip_address_of(host);
  return address && is_loopback(*address);
}

} // namespace net
