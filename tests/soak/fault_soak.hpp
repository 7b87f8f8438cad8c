#pragma once
// The fault soak of issue #8: the IM pipeline sends one VoIP message to each of N offline users
// through a mock APNs that answers a seeded random share of requests with 503 and 429, drops
// connections without answering and closes others with GOAWAY; optionally the mock is down for a
// while mid-run and comes back on the same ports (issue #26). At the end every message must
// be in one terminal state and none lost; duplicates at the device are counted and each must be
// explained by a retry. In one process, over loopback TLS, in real time; bounded in count and
// duration. Used by soak_test.cpp (short, in CTest) and voipsim-soak (long runs by hand).
#include "core/result.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace soak {

struct SoakOptions {
  std::uint64_t messages = 100'000; // one per offline user
  std::uint64_t senders = 8;        // threads calling sendMessage, as an IM backend has many
  std::uint64_t seed = 1;           // the mock's fault draws, ids and the retry jitter
  // The share of push requests each fault hits.
  double service_unavailable = 0.02;      // 503 ServiceUnavailable, retried by the pipeline
  double too_many_requests = 0.02;        // 429 TooManyRequests, retried
  double connection_drop = 0.002;         // no answer, the connection cut after the push was judged
  double goaway = 0.002;                  // answered, then GOAWAY {"reason":"Shutdown"}
  std::chrono::seconds max_duration{600}; // the soak gives up (and reports) after this long
  // An APNs outage: once half the messages are taken, the mock is stopped for this long and a
  // new one started on the same ports (the pipeline retries until each call is 30 s old,
  // im-voip-flow.md §4.5). 0: none.
  std::chrono::seconds outage{0};
  std::string database; // the pipeline's SQLite file; empty: a new one in a temporary folder
  // Progress lines ("sent 50000/100000", "settling: 12 in flight"), about every few seconds.
  std::function<void(const std::string&)> progress;
};

struct SoakReport {
  std::uint64_t messages = 0;   // taken by sendMessage
  std::uint64_t delivered = 0;  // distinct messages that reached a device
  std::uint64_t deliveries = 0; // every delivery, duplicates included
  std::uint64_t duplicates = 0; // deliveries beyond the first of a message
  // Duplicates not explained by a retry: a message delivered more often than it was attempted.
  std::uint64_t unexplained_duplicates = 0;
  std::map<std::string, std::uint64_t> states; // the pipeline's final state of each message
  // Messages missing from the outbox, still pending at the end, or accepted yet never
  // delivered.
  std::uint64_t lost = 0;
  std::string first_lost; // one of them, with why, for the failure message
  // Failed messages that had not used every retry the policy allows (a retry bug), and
  // accepted ones that needed a retry (the retries at work). How many fail in all depends on
  // the machine's speed: a dropped connection fails every push in flight on it, and a slower
  // build has more in flight.
  std::uint64_t gave_up_early = 0;
  std::uint64_t accepted_after_retry = 0;
  // What the mock did: requests answered, and how often each fault hit.
  std::uint64_t requests = 0;
  std::uint64_t faults_503 = 0, faults_429 = 0, answers_dropped = 0, goaways = 0;
  double seconds = 0;              // from the first sendMessage to the last message settled
  std::int64_t outage_seconds = 0; // how long the mock was down mid-run (0: no outage)
  double rss_mib_mid = 0;          // resident memory halfway through the sends and at the end
  double rss_mib_end = 0;
  bool settled = false; // every push settled within max_duration

  std::uint64_t state(const std::string& name) const;
  // "messages=N delivered=… rejected=… lost=0 duplicates=… failed=… …": key=value pairs, the
  // issue's five first.
  std::string line() const;
  std::string to_json() const;
};

// Runs the soak. An error means it could not be set up (PKI, ports, database).
core::Result<SoakReport> run_fault_soak(const SoakOptions& options);

} // namespace soak
