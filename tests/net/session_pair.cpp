#include "net/session_pair.hpp"

#include <stdexcept>

namespace net_test {

SessionPair::SessionPair(const net::H2SessionOptions& client_options,
                         const net::H2SessionOptions& server_options) {
  auto c = net::H2Session::create(net::H2Session::Side::Client, client_options, client_events);
  auto s = net::H2Session::create(net::H2Session::Side::Server, server_options, server_events);
  if (!c || !s) throw std::runtime_error("cannot create sessions");
  client = std::move(*c);
  server = std::move(*s);
}

bool SessionPair::pump() {
  std::string bytes;
  for (bool moved = true; moved;) {
    moved = false;
    for (auto [from, to] :
         {std::pair{client.get(), server.get()}, std::pair{server.get(), client.get()}}) {
      bytes.clear();
      if (!from->pull(bytes, 1u << 20)) return false;
      if (bytes.empty()) continue;
      moved = true;
      if (!to->feed({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}))
        return false;
    }
  }
  return true;
}

net::Request SessionPair::request(std::string method, std::string path, net::Headers headers,
                                  std::string body) {
  net::Request r;
  r.method = std::move(method);
  r.scheme = "https";
  r.authority = "api.sandbox.push.apple.com";
  r.path = std::move(path);
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

} // namespace net_test
