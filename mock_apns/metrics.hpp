#pragma once
// Counters for GET /metrics (Prometheus text format 0.0.4): request latency as the mock adds it,
// and connection churn (apns-provider-api.md §1: counted, never punished). Lock-free; any thread.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace mock_apns {

class LatencyHistogram {
public:
  // Upper bounds in seconds, as Prometheus buckets.
  static constexpr std::array<double, 12> kBounds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                     0.01,   0.05,    0.1,    0.5,   1.0,    5.0};
  void observe(std::chrono::nanoseconds latency);
  // "<name>_bucket{le=...} n" lines, _sum and _count.
  std::string prometheus(const std::string& name) const;

private:
  std::array<std::atomic<std::uint64_t>, kBounds.size() + 1> buckets_{}; // last: +Inf
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_ns_{0};
};

} // namespace mock_apns
