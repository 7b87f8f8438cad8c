#include "scenario/mock_device_link.hpp"

#include "core/encoding.hpp"
#include "fake_device/token_draw.hpp"

namespace scenario {

MockDeviceLink::MockDeviceLink(mock_apns::Server& server, std::uint64_t seed)
    : server_(server), engine_(seed) {}

core::Result<std::string> MockDeviceLink::issue(const fake_device::TokenRequest& request) {
  std::string token;
  do {
    token = fake_device::draw_token_hex(engine_);
  } while (!tokens_.add(token));
  mock_apns::TokenRecord record;
  record.token = token;
  record.environment = request.environment;
  record.topic = fake_device::topic_for(request.bundle_id, request.kind);
  if (auto put = server_.tokens().put(record); !put) return core::Unexpected(put.error());
  // A token issued while the device is offline is as unreachable as the others.
  if (!reachable_) server_.set_reachable(token, false);
  return token;
}

void MockDeviceLink::invalidate(std::string_view token_hex, core::TimePoint at) {
  server_.tokens().set_state(token_hex, mock_apns::TokenState::Unregistered, core::unix_millis(at));
  tokens_.retire(token_hex);
}

void MockDeviceLink::on_reachability_changed(std::string_view, fake_device::Reachability,
                                             fake_device::Reachability to) {
  reachable_ = to == fake_device::Reachability::Online;
  for (const auto& token : tokens_.live())
    server_.set_reachable(token, reachable_);
}

bool MockDeviceLink::issued(std::string_view token_hex) const {
  return tokens_.contains(token_hex);
}

fake_device::Push push_of(const mock_apns::Delivery& d) {
  fake_device::Push push;
  push.apns_id = d.apns_id;
  if (!d.unique_id.empty()) push.unique_id = d.unique_id;
  push.environment = d.environment;
  push.token = d.token;
  push.topic = d.topic;
  push.push_type = std::string(mock_apns::push_type_name(d.push_type));
  push.priority = d.priority;
  push.expiration = d.expiration;
  if (!d.collapse_id.empty()) push.collapse_id = d.collapse_id;
  push.payload = d.payload;
  push.accepted_at = d.received_at;
  return push;
}

} // namespace scenario
