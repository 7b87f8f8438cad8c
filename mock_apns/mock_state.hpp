#pragma once
// What every connection of one mock shares: settings, registries, journal, bus, clock. Owned by
// mock_apns::Server; connections hold a shared_ptr, so a late timer never sees it destroyed.
#include "core/clock.hpp"
#include "mock_apns/delivery.hpp"
#include "mock_apns/delivery_feed.hpp"
#include "mock_apns/faults.hpp"
#include "mock_apns/held_pushes.hpp"
#include "mock_apns/journal.hpp"
#include "mock_apns/metrics.hpp"
#include "mock_apns/provider_keys.hpp"
#include "mock_apns/rate_limiter.hpp"
#include "mock_apns/refused_certificates.hpp"
#include "mock_apns/settings.hpp"
#include "mock_apns/token_registry.hpp"
#include "pki/classify.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace mock_apns {

struct MockState {
  MockState(Settings s, const JournalBounds& journal_bounds, std::size_t feed_capacity,
            std::uint64_t seed_)
      : settings(s), seed(seed_), tokens(s.token_syntax), faults(seed_), journal(journal_bounds),
        feed(feed_capacity) {}

  Settings settings;
  core::Clock* clock = nullptr; // outlives the state's users (owned by the Server or its user)
  std::optional<pki::TrustStore> trust; // for client certificates
  std::uint64_t seed = 0;               // ids, tokens and fault draws
  bool token_auth = true; // false: certificate auth only, every provider token refused
  TokenRegistry tokens;
  ProviderKeys keys;
  RateLimiter rate;
  Faults faults;
  RefusedCertificates refused; // read by the listeners' handshakes (server.cpp)
  Journal journal;
  DeliveryBus deliveries;
  HeldPushes held;   // store and forward for unreachable devices (apns-provider-api.md §9)
  DeliveryFeed feed; // what the admin API streams; subscribed to `deliveries`
  LatencyHistogram latency;
  std::function<void(const JournalEntry&)> on_request; // after each journal write; may be empty

  // Delayed answers (fault latency) run on the clock's thread; once the server stops they must
  // not touch a connection whose server is being destroyed.
  std::mutex delayed_mutex;
  bool accepting_delayed = true;
};

} // namespace mock_apns
