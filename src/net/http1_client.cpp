#include "net/http1_client.hpp"

#include "core/parse_number.hpp"
#include "net/asio.hpp"
#include "net/error.hpp"

// Beast reaches Asio through its own includes; net/asio.hpp above comes first.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

std::string HttpEndpoint::url() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

core::Result<HttpEndpoint> parse_http_endpoint(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return core::fail(core::Errc::InvalidArgument, "'" + std::string(text) + "' " +
                                                       std::string(why) +
                                                       "; expected http://HOST:PORT or HOST:PORT");
  };
  std::string_view rest = text;
  if (rest.starts_with("https://")) return bad("uses TLS, which this API does not");
  if (rest.starts_with("http://")) rest.remove_prefix(7);
  if (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.find('/') != std::string_view::npos) return bad("has a path");
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos) return bad("has no port");
  std::string_view host = rest.substr(0, colon);
  const std::string_view port_text = rest.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty()) return bad("has no host");
  const auto port = core::parse_whole<std::uint16_t>(port_text);
  if (!port || *port == 0) return bad("has no valid port (1-65535)");
  return HttpEndpoint{std::string(host), *port};
}

core::Result<HttpReply> http1_request(const HttpEndpoint& endpoint, std::string_view method,
                                      std::string_view target, std::string_view body,
                                      std::chrono::milliseconds timeout) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  http::request<http::string_body> request;
  request.method_string(beast::string_view(method.data(), method.size()));
  request.target(beast::string_view(target.data(), target.size()));
  request.version(11);
  const bool v6 = endpoint.host.find(':') != std::string::npos;
  request.set(http::field::host, (v6 ? "[" + endpoint.host + "]" : endpoint.host) + ":" +
                                     std::to_string(endpoint.port));
  request.set(http::field::connection, "close");
  if (!endpoint.bearer_secret.empty())
    request.set(http::field::authorization, "Bearer " + endpoint.bearer_secret);
  // Every request that changes something says JSON, body or not (request_guard.hpp).
  if (!body.empty() || (method != "GET" && method != "HEAD"))
    request.set(http::field::content_type, "application/json");
  request.body() = std::string(body);
  request.prepare_payload();
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  beast::error_code failure;
  Errc stage = Errc::ConnectFailed;

  // The whole exchange runs as one chain under one deadline (tcp_stream cancels on expiry).
  stream.expires_after(timeout);
  asio::ip::tcp::resolver resolver(io);
  resolver.async_resolve(
      endpoint.host, std::to_string(endpoint.port),
      [&](beast::error_code ec, const asio::ip::tcp::resolver::results_type& results) {
        if (ec) return void(failure = ec);
        stream.async_connect(results, [&](beast::error_code ec, const auto&) {
          if (ec) return void(failure = ec);
          stage = Errc::ConnectionClosed;
          http::async_write(stream, request, [&](beast::error_code ec, std::size_t) {
            if (ec) return void(failure = ec);
            http::async_read(stream, buffer, parser, [&](beast::error_code ec, std::size_t) {
              if (ec) failure = ec;
            });
          });
        });
      });
  io.run();

  if (failure) {
    const bool timed_out = failure == beast::error::timeout;
    return core::fail(timed_out ? Errc::Timeout : stage,
                      std::string(method) + " " + endpoint.url() + std::string(target) + ": " +
                          (timed_out ? "no answer within " + std::to_string(timeout.count()) + " ms"
                                     : failure.message()));
  }
  return HttpReply{static_cast<int>(parser.get().result_int()), std::move(parser.get().body())};
}

} // namespace net
