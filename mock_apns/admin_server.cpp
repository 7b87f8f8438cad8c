#include "mock_apns/admin_server.hpp"

#include "core/error.hpp"
#include "core/json_string.hpp"
#include "mock_apns/admin_api.hpp"
#include "mock_apns/console.hpp"
#include "mock_apns/json_codec.hpp"
#include "mock_apns/server.hpp"
#include "net/http1_server.hpp"
#include "net/http1_wait.hpp"
#include "net/json_api.hpp"

namespace mock_apns {
namespace {

constexpr auto kKeepAliveComment = std::chrono::seconds(15);
constexpr std::size_t kStreamBatch = 100;

using Exchange = std::shared_ptr<net::Http1Exchange>;

// The feed's "something newer than `after`" as the event of a net::wait_for_event.
net::Subscribe feed_after(Server& mock, std::uint64_t after) {
  return [&mock, after](std::function<void()> notify) -> net::Unsubscribe {
    const auto id = mock.feed().notify_after(after, std::move(notify));
    return [&mock, id] { mock.feed().cancel(id); };
  };
}

// Server-sent events: one "id: <cursor>\nevent: delivery\ndata: <JSON>\n\n" per delivery,
// forever; a comment line every 15 s of quiet finds out whether the client is still there.
void pump(Server& mock, const Exchange& exchange, std::uint64_t cursor) {
  auto batch = mock.feed().since(cursor, kStreamBatch);
  if (batch.empty()) {
    net::wait_for_event(exchange, kKeepAliveComment, feed_after(mock, cursor),
                        [&mock, exchange, cursor](bool delivered) {
                          if (delivered) return pump(mock, exchange, cursor);
                          exchange->write(": keep-alive\n\n", [&mock, exchange, cursor](bool sent) {
                            if (sent) pump(mock, exchange, cursor);
                          });
                        });
    return;
  }
  std::string text;
  for (const auto& [at, delivery] : batch) {
    text += "id: " + std::to_string(at) +
            "\nevent: delivery\ndata: " + core::json_text(feed_item_json(at, delivery)) + "\n\n";
    cursor = at;
  }
  exchange->write(std::move(text), [&mock, exchange, cursor](bool sent) {
    if (sent) pump(mock, exchange, cursor);
  });
}

} // namespace

struct AdminServer::Impl {
  Impl(Server& mock, const AdminServerOptions& options)
      : server(http_options(options), [&mock, pki = options.pki](const Exchange& exchange) {
          handle(mock, pki.get(), exchange);
        }) {}

  static net::Http1ServerOptions http_options(const AdminServerOptions& o) {
    net::Http1ServerOptions h;
    h.host = o.host;
    h.port = o.port;
    h.body_limit = o.body_limit;
    h.server_name = "voipsim mock-apns admin";
    h.allowed_hosts = o.allowed_hosts;
    h.too_large_message =
        "request body over the admin API's limit; load large token sets with --tokens FILE";
    // The console's files hold no secret; the page asks for it and sends it with each API call.
    std::vector<std::string> open_paths = console_paths();
    open_paths.emplace_back("/v1/health");
    h.auth = {o.bearer_secret, std::move(open_paths),
              "the mock's admin secret ('voipsim mock-apns --admin-secret-file FILE' or " +
                  std::string(kAdminSecretEnv) + ")"};
    return h;
  }

  static void handle(Server& mock, const PkiDir* pki, const Exchange& exchange) {
    const net::Http1Request& request = exchange->request();
    const net::Http1Target target = net::parse_target(request.target);
    const auto& segments = target.segments;
    const bool poll_or_stream = segments.size() >= 2 && segments.size() <= 3 &&
                                segments[0] == "v1" && segments[1] == "deliveries";
    const bool stream = segments.size() == 3 && segments[2] == "stream";
    if (request.method != "GET" || !poll_or_stream || (segments.size() == 3 && !stream))
      return exchange->respond(handle_admin_request(request, mock, pki));
    const auto poll = delivery_poll_of(target);
    if (!poll) return exchange->respond(net::error_response(poll.error()));
    if (stream) {
      exchange->start_stream("text/event-stream");
      return pump(mock, exchange, poll->after);
    }
    if (poll->wait_ms == 0 || mock.feed().last_cursor() > poll->after)
      return exchange->respond(handle_admin_request(request, mock, pki));
    // Long-poll: answer when a delivery arrives or when wait_ms passes, whichever is first.
    net::wait_for_event(exchange, std::chrono::milliseconds(poll->wait_ms),
                        feed_after(mock, poll->after), [&mock, pki, exchange](bool) {
                          exchange->respond(handle_admin_request(exchange->request(), mock, pki));
                        });
  }

  net::Http1Server server;
};

AdminServer::AdminServer(Server& mock, AdminServerOptions options)
    : impl_(std::make_shared<Impl>(mock, options)) {}

AdminServer::~AdminServer() {
  stop();
}

core::Result<void> AdminServer::start() {
  if (auto started = impl_->server.start(); !started)
    return core::fail(started.error().code, "admin API: " + started.error().detail);
  return {};
}

void AdminServer::stop() {
  impl_->server.stop();
}

std::uint16_t AdminServer::port() const {
  return impl_->server.port();
}

} // namespace mock_apns
