#include "mock_apns/admin_server.hpp"

#include "core/error.hpp"
#include "mock_apns/admin_api.hpp"
#include "mock_apns/json_codec.hpp"
#include "mock_apns/server.hpp"
#include "net/http1_server.hpp"

#include <mutex>

#include <nlohmann/json.hpp>

namespace mock_apns {
namespace {

constexpr auto kKeepAliveComment = std::chrono::seconds(15);
constexpr std::size_t kStreamBatch = 100;

using Exchange = std::shared_ptr<net::Http1Exchange>;

net::Http1Response answer(const net::Http1Request& request, Server& mock) {
  AdminResponse r;
  try {
    r = handle_admin_request({request.method, request.target, request.body}, mock);
  } catch (const std::exception& e) { // a bug, not the client's fault: say so, keep serving
    r = {500, "application/json",
         json_text({{"error", std::string("internal error: ") + e.what()}}) + "\n"};
  }
  return {r.status, std::move(r.content_type), std::move(r.body)};
}

// A wait on the delivery feed that at most one of "a delivery arrived", "time is up" and "the
// client left" ends; the feed's callback comes from an I/O thread of the mock.
class FeedWait : public std::enable_shared_from_this<FeedWait> {
public:
  FeedWait(Server& mock, Exchange exchange) : mock_(mock), exchange_(std::move(exchange)) {}

  // Calls `done` on the exchange's thread once something newer than `after` is in the feed, or
  // after `timeout`.
  void start(std::uint64_t after, std::chrono::milliseconds timeout, std::function<void()> done) {
    done_ = std::move(done);
    exchange_->on_close([self = shared_from_this()] { self->end(false); });
    exchange_->start_timer(timeout, [self = shared_from_this()] { self->end(true); });
    const auto id = mock_.feed().notify_after(
        after, [self = shared_from_this()] { self->exchange_->post([self] { self->end(true); }); });
    std::lock_guard lock(mutex_);
    waiter_ = id;
  }

private:
  void end(bool call) {
    std::uint64_t waiter = 0;
    {
      std::lock_guard lock(mutex_);
      if (ended_) return;
      ended_ = true;
      waiter = waiter_;
    }
    if (waiter != 0) mock_.feed().cancel(waiter);
    exchange_->cancel_timer();
    if (call) done_();
    done_ = nullptr; // it holds the exchange
  }

  Server& mock_;
  Exchange exchange_;
  std::function<void()> done_;
  std::mutex mutex_;
  std::uint64_t waiter_ = 0;
  bool ended_ = false;
};

// Long-poll: answer when a delivery arrives or when wait_ms passes, whichever is first.
void answer_when_delivered(Server& mock, const Exchange& exchange, DeliveryPoll poll) {
  std::make_shared<FeedWait>(mock, exchange)
      ->start(poll.after, std::chrono::milliseconds(poll.wait_ms),
              [&mock, exchange] { exchange->respond(answer(exchange->request(), mock)); });
}

// Server-sent events: one "id: <cursor>\nevent: delivery\ndata: <JSON>\n\n" per delivery,
// forever; a comment line every 15 s of quiet finds out whether the client is still there.
void pump(Server& mock, const Exchange& exchange, std::uint64_t cursor) {
  auto batch = mock.feed().since(cursor, kStreamBatch);
  if (batch.empty()) {
    std::make_shared<FeedWait>(mock, exchange)
        ->start(cursor, kKeepAliveComment, [&mock, exchange, cursor] {
          if (mock.feed().last_cursor() > cursor) return pump(mock, exchange, cursor);
          exchange->write(": keep-alive\n\n", [&mock, exchange, cursor](bool sent) {
            if (sent) pump(mock, exchange, cursor);
          });
        });
    return;
  }
  std::string text;
  for (const auto& [at, delivery] : batch) {
    nlohmann::json j = to_json(delivery);
    j["cursor"] = at;
    text += "id: " + std::to_string(at) + "\nevent: delivery\ndata: " + json_text(j) + "\n\n";
    cursor = at;
  }
  exchange->write(std::move(text), [&mock, exchange, cursor](bool sent) {
    if (sent) pump(mock, exchange, cursor);
  });
}

} // namespace

struct AdminServer::Impl {
  Impl(Server& mock, const AdminServerOptions& options)
      : server(http_options(options),
               [&mock](const Exchange& exchange) { handle(mock, exchange); }) {}

  static net::Http1ServerOptions http_options(const AdminServerOptions& o) {
    net::Http1ServerOptions h;
    h.host = o.host;
    h.port = o.port;
    h.body_limit = o.body_limit;
    h.server_name = "voipsim mock-apns admin";
    h.allowed_hosts = o.allowed_hosts;
    h.too_large_body =
        R"({"error":"BODY_TOO_LARGE","message":"request body over the admin API's limit; load large token sets with --tokens FILE"})";
    h.auth = {o.bearer_secret,
              {"/v1/health"},
              "the mock's admin secret ('voipsim mock-apns --admin-secret-file FILE' or " +
                  std::string(kAdminSecretEnv) + ")"};
    return h;
  }

  static void handle(Server& mock, const Exchange& exchange) {
    const net::Http1Request& request = exchange->request();
    const AdminTarget target = parse_admin_target(request.target);
    if (request.method == "GET" && target.path == "/v1/deliveries/stream") {
      exchange->start_stream("text/event-stream");
      return pump(mock, exchange, delivery_poll_of(target).after);
    }
    if (request.method == "GET" && target.path == "/v1/deliveries") {
      const DeliveryPoll poll = delivery_poll_of(target);
      if (poll.wait_ms > 0 && mock.feed().last_cursor() <= poll.after)
        return answer_when_delivered(mock, exchange, poll);
    }
    exchange->respond(answer(request, mock));
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
