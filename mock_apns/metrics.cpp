#include "mock_apns/metrics.hpp"

#include <sstream>

namespace mock_apns {

void LatencyHistogram::observe(std::chrono::nanoseconds latency) {
  const double seconds = std::chrono::duration<double>(latency).count();
  std::size_t bucket = 0;
  while (bucket < kBounds.size() && seconds > kBounds[bucket]) {
    ++bucket;
  }
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(latency.count()), std::memory_order_relaxed);
}

std::string LatencyHistogram::prometheus(const std::string& name) const {
  std::ostringstream out;
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= kBounds.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    out << name << "_bucket{le=\"";
    if (i < kBounds.size()) {
      out << kBounds[i];
    } else {
      out << "+Inf";
    }
    out << "\"} " << cumulative << "\n";
  }
  out << name << "_sum " << static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9
      << "\n";
  out << name << "_count " << count_.load(std::memory_order_relaxed) << "\n";
  return out.str();
}

} // namespace mock_apns
