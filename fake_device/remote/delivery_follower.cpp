#include "fake_device/remote/delivery_follower.hpp"

#include "core/json_parse.hpp"
#include "mock_apns/json_codec.hpp"
#include "mock_apns/push_type.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace fake_device::remote {

namespace {

core::Unexpected<core::Error> bad(const std::string& why) {
  return core::fail(core::Errc::InvalidArgument, "delivery feed: " + why);
}

// A delivery of the mock's feed as the push the device receives.
Push push_of(mock_apns::Delivery delivery) {
  Push push;
  push.apns_id = std::move(delivery.apns_id);
  push.environment = delivery.environment;
  push.token = std::move(delivery.token);
  push.topic = std::move(delivery.topic);
  push.push_type = std::string(mock_apns::push_type_name(delivery.push_type));
  push.priority = delivery.priority;
  push.accepted_at = delivery.received_at;
  if (!delivery.unique_id.empty()) push.unique_id = std::move(delivery.unique_id);
  if (!delivery.collapse_id.empty()) push.collapse_id = std::move(delivery.collapse_id);
  push.expiration = delivery.expiration;
  push.payload = std::move(delivery.payload);
  return push;
}

} // namespace

core::Result<DeliveryPage> parse_delivery_page(std::string_view body) {
  const auto parsed = core::parse_json(body);
  if (!parsed) return bad("a delivery page: " + parsed.error().detail); // where it broke
  auto feed = mock_apns::feed_page_from_json(*parsed);                  // the mock's own reader
  if (!feed) return bad(feed.error().detail);
  DeliveryPage out;
  out.next = feed->next;
  out.first_cursor = feed->first_cursor;
  for (auto& skipped : feed->skipped)
    out.skipped.push_back("delivery feed: " + std::move(skipped));
  for (auto& [cursor, delivery] : feed->deliveries)
    out.pushes.push_back(push_of(std::move(delivery)));
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
