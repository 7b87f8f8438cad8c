#include "fake_device/remote/mock_link.hpp"

#include "core/encoding.hpp"
#include "core/json_parse.hpp"
#include "fake_device/token_draw.hpp"
#include "mock_apns/json_codec.hpp"
#include "net/json_api.hpp"

#include <nlohmann/json.hpp>

namespace fake_device::remote {

namespace {

using nlohmann::json;
constexpr std::chrono::milliseconds kTimeout{5000};

std::uint64_t seed_of(std::uint64_t seed) {
  if (seed != 0) return seed;
  std::random_device entropy;
  return (std::uint64_t{entropy()} << 32) ^ entropy();
}

} // namespace

MockLink::MockLink(net::HttpEndpoint admin, std::uint64_t seed)
    : admin_(std::move(admin)), engine_(seed_of(seed)) {}

core::Result<std::string> MockLink::post(const std::string& target, const std::string& body) const {
  auto reply = net::http1_request(admin_, "POST", target, body, kTimeout);
  if (!reply) return core::Unexpected(reply.error());
  if (reply->status != 200) {
    return core::fail(core::Errc::InvalidArgument,
                      "POST " + admin_.url() + target + " answered " +
                          std::to_string(reply->status) + ": " +
                          net::api_error_of(reply->status, reply->body).message);
  }
  return std::move(reply->body);
}

void MockLink::report(const std::string& message) const {
  if (on_error_) on_error_(message);
}

core::Result<void> MockLink::check(std::uint64_t& next_cursor) const {
  auto reply = net::http1_request(admin_, "GET", "/v1/health", {}, kTimeout);
  if (!reply) {
    return core::Unexpected(
        reply.error().in_context("the mock's admin API at " + admin_.url() + " does not answer"));
  }
  // The caller's cursor changes only for a healthy mock.
  const auto health = mock_apns::admin_health_from_json(core::parse_json_or_null(reply->body));
  if (reply->status != 200 || !health) {
    return core::fail(core::Errc::InvalidArgument,
                      admin_.url() + "/v1/health is not a voipsim mock's (status " +
                          std::to_string(reply->status) +
                          (health ? "" : ": " + health.error().detail) + ")");
  }
  next_cursor = health->deliveries;
  // Health needs no secret: ask once more where one is needed, so a missing or wrong secret
  // stops the start here rather than at the first token.
  auto listing = net::http1_request(admin_, "GET", "/v1", {}, kTimeout);
  if (!listing) return core::Unexpected(listing.error());
  if (listing->status == 401) {
    return core::fail(std::make_error_code(std::errc::permission_denied),
                      "the mock's admin API at " + admin_.url() + " refused the request: " +
                          net::api_error_of(listing->status, listing->body).message);
  }
  return {};
}

core::Result<std::string> MockLink::issue(const TokenRequest& request) {
  const std::string token = draw_token_hex(engine_);
  mock_apns::TokenRecord record;
  record.token = token;
  record.environment = request.environment;
  record.topic = topic_for(request.bundle_id, request.kind);
  if (auto posted = post("/v1/tokens", mock_apns::to_json(record).dump()); !posted)
    return core::Unexpected(posted.error());
  // A token issued while the device is offline is as unreachable as the others.
  if (!reachable_) {
    if (auto held = post("/v1/tokens/" + token + "/reachability",
                         mock_apns::reachability_body(false).dump());
        !held)
      report("could not mark token " + token + " unreachable: " + held.error().message());
  }
  tokens_.add(token);
  return token;
}

void MockLink::invalidate(std::string_view token_hex, core::TimePoint at) {
  const json body = mock_apns::unregister_body(core::unix_millis(at));
  if (auto posted = post("/v1/tokens/" + std::string(token_hex) + "/unregister", body.dump());
      !posted) {
    report("could not retire token " + std::string(token_hex) + ": " + posted.error().message());
  }
  tokens_.retire(token_hex);
}

void MockLink::on_reachability_changed(std::string_view, Reachability, Reachability to) {
  reachable_ = to == Reachability::Online;
  const json body = mock_apns::reachability_body(to == Reachability::Online);
  for (const auto& token : tokens_.live()) {
    if (auto posted = post("/v1/tokens/" + token + "/reachability", body.dump()); !posted) {
      report("could not tell the mock that token " + token + " is " + std::string(to_string(to)) +
             ": " + posted.error().message());
    }
  }
}

bool MockLink::issued(std::string_view token_hex) const {
  return tokens_.contains(token_hex);
}

} // namespace fake_device::remote
