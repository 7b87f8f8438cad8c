#include "fake_device/remote/delivery_follower.hpp"

#include "core/encoding.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace fake_device::remote {

namespace {

using nlohmann::json;

core::Unexpected<core::Error> bad(const std::string& why) {
  return core::fail(core::Errc::InvalidArgument, "delivery feed: " + why);
}

template <class T>
bool read(const json& j, const char* field, T& out) {
  if (!j.contains(field)) return false;
  try {
    out = j[field].get<T>();
    return true;
  } catch (const json::exception&) {
    return false;
  }
}

core::Result<Push> push_of(const json& d) {
  if (!d.is_object()) return bad("a delivery is not an object");
  Push push;
  std::string environment;
  std::int64_t received_ms = 0;
  if (!read(d, "apns_id", push.apns_id) || !read(d, "environment", environment) ||
      !read(d, "token", push.token) || !read(d, "topic", push.topic) ||
      !read(d, "push_type", push.push_type) || !read(d, "priority", push.priority) ||
      !read(d, "received_at_ms", received_ms)) {
    return bad("a delivery lacks apns_id, environment, token, topic, push_type, priority or "
               "received_at_ms: " +
               d.dump(-1, ' ', false, json::error_handler_t::replace));
  }
  if (environment != "sandbox" && environment != "production")
    return bad("unknown environment \"" + environment + "\"");
  push.environment =
      environment == "sandbox" ? ApsEnvironment::Development : ApsEnvironment::Production;
  push.accepted_at = core::TimePoint(std::chrono::milliseconds(received_ms));
  if (std::string unique; read(d, "unique_id", unique) && !unique.empty()) push.unique_id = unique;
  if (std::string collapse; read(d, "collapse_id", collapse) && !collapse.empty())
    push.collapse_id = collapse;
  if (std::int64_t expiration = 0; read(d, "expiration", expiration)) push.expiration = expiration;
  // A body that is not UTF-8 comes base64url-encoded beside a null "payload".
  if (std::string encoded; read(d, "payload_base64url", encoded)) {
    auto decoded = core::base64url_decode(encoded);
    if (!decoded) return bad("payload_base64url does not decode");
    push.payload = std::move(*decoded);
  } else if (!read(d, "payload", push.payload)) {
    return bad("a delivery has neither payload nor payload_base64url");
  }
  return push;
}

} // namespace

core::Result<DeliveryPage> parse_delivery_page(std::string_view body) {
  const json page = json::parse(body, nullptr, false);
  if (!page.is_object() || !page.contains("deliveries") || !page["deliveries"].is_array() ||
      !page.contains("next") || !page["next"].is_number_unsigned()) {
    return bad("expected {\"deliveries\":[...],\"next\":N}");
  }
  DeliveryPage out;
  out.next = page["next"].get<std::uint64_t>();
  for (const auto& d : page["deliveries"]) {
    if (std::uint64_t cursor = 0; !out.first_cursor && read(d, "cursor", cursor))
      out.first_cursor = cursor;
    auto push = push_of(d);
    if (!push) {
      out.skipped.push_back(push.error().detail);
      continue;
    }
    out.pushes.push_back(std::move(*push));
  }
  return out;
}

DeliveryFollower::DeliveryFollower(net::HttpEndpoint admin, std::uint64_t after, Handlers handlers)
    : admin_(std::move(admin)), after_(after), handlers_(std::move(handlers)), handed_(after),
      thread_([this] { run(); }) {}

DeliveryFollower::~DeliveryFollower() {
  stop();
}

void DeliveryFollower::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stopping_changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool DeliveryFollower::wait_handed(std::uint64_t next, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return handed_changed_.wait_for(lock, timeout, [&] { return handed_ >= next || stopping_; }) &&
         handed_ >= next;
}

bool DeliveryFollower::pause(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  return !stopping_changed_.wait_for(lock, delay, [this] { return stopping_; });
}

void DeliveryFollower::run() {
  constexpr std::chrono::milliseconds kFirstRetry{100}, kLongestRetry{2000};
  std::chrono::milliseconds retry = kFirstRetry;
  bool in_trouble = false;
  const auto trouble = [&](const std::string& message) {
    if (!in_trouble && handlers_.on_trouble) handlers_.on_trouble(message);
    in_trouble = true;
  };
  while (pause(std::chrono::milliseconds(0))) {
    const std::string target = "/v1/deliveries?after=" + std::to_string(after_) +
                               "&wait_ms=" + std::to_string(kWaitMs) + "&limit=1000";
    auto reply =
        net::http1_request(admin_, "GET", target, {}, std::chrono::milliseconds(kWaitMs + 5000));
    core::Result<DeliveryPage> page = core::fail(core::Errc::InvalidArgument);
    if (!reply) {
      page = core::Unexpected(reply.error());
    } else if (reply->status != 200) {
      page = bad(admin_.url() + target + " answered " + std::to_string(reply->status));
    } else {
      page = parse_delivery_page(reply->body);
    }
    if (!page) {
      trouble("cannot read the mock's delivery feed (retrying): " + page.error().message());
      if (!pause(retry)) return;
      retry = std::min(retry * 2, kLongestRetry);
      continue;
    }
    if (in_trouble && handlers_.on_trouble)
      handlers_.on_trouble("reading the mock's delivery feed again");
    in_trouble = false;
    retry = kFirstRetry;
    if (page->first_cursor && *page->first_cursor > after_ + 1 && handlers_.on_trouble)
      handlers_.on_trouble("missed deliveries " + std::to_string(after_ + 1) + " to " +
                           std::to_string(*page->first_cursor - 1) +
                           ": the mock's delivery feed no longer holds them");
    for (const auto& why : page->skipped)
      if (handlers_.on_trouble) handlers_.on_trouble("skipped a delivery: " + why);
    after_ = std::max(after_, page->next);
    for (auto& push : page->pushes) {
      if (handlers_.wanted(push.token)) handlers_.on_push(std::move(push));
    }
    {
      std::lock_guard lock(mutex_);
      handed_ = after_;
    }
    handed_changed_.notify_all();
  }
}

} // namespace fake_device::remote
