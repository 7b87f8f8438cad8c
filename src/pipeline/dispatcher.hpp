#pragma once
// Sends queued VoIP pushes to APNs and records what came of them (im-voip-flow.md §4.4-§4.5):
// one HTTP/2 connection per (certificate, environment), the certificate from its record, the
// sandbox or production endpoint by the certificate ID's environment; answers applied through
// the response policy, retries scheduled on the shared clock.

#include "core/apns_environment.hpp"
#include "core/clock.hpp"
#include "pipeline/records.hpp"
#include "pipeline/response_policy.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace pipeline {

class Store;

struct ApnsEndpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 443;
  std::string server_name; // SNI, certificate check and :authority, e.g. api.push.apple.com
};

// An APNs listener of `environment` at `host`:`port` (a mock's, or Apple's at 443), named as
// Apple names it.
ApnsEndpoint apns_endpoint(core::ApnsEnvironment environment, std::string host, std::uint16_t port);

struct DispatcherOptions {
  ApnsEndpoint sandbox = apns_endpoint(core::ApnsEnvironment::Sandbox, "127.0.0.1", 443);
  ApnsEndpoint production = apns_endpoint(core::ApnsEnvironment::Production, "127.0.0.1", 443);
  std::string ca_file; // trust anchors for the APNs servers; empty: the system store
  RetryPolicy retry;
  std::uint64_t seed = 1; // retry jitter
  std::size_t io_threads = 1;
  // Pushes in flight beyond which send() holds back its caller's `admitted` (backpressure).
  std::size_t max_in_flight = 2048;
};

class Dispatcher {
public:
  // `store` and `clock` must outlive the dispatcher.
  Dispatcher(Store& store, core::Clock& clock, DispatcherOptions options);
  // Stops sending; what is in flight stays Pending in the store, for the next start to resume.
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Sends a Pending push (a push_view of its message, message_summary.hpp: one installation's,
  // im-voip-flow.md §3.4) whose target is set (token, certificate, environment). Its
  // `attempts` counts this attempt, as its stored row does already: a crash while the push is
  // on the wire still counts it (the pipeline stores a message with its first attempt counted,
  // and counts a resumed one again before it sends it). Any thread. `admitted`, when given, is
  // called once fewer than max_in_flight pushes are in flight: at once on this thread, or on the
  // dispatcher's I/O thread when an earlier push settles, or when the dispatcher stops. A caller
  // that answers its own callers from it cannot queue pushes in memory faster than APNs takes them
  // (the message is sent either way: it is only the answer that waits).
  void send(MessageRecord message, std::function<void()> admitted = {});

  // Pushes sent and not yet answered or waiting for a retry.
  std::size_t in_flight() const;
  // Waits until nothing is in flight; false when `timeout` passed first.
  bool wait_idle(std::chrono::milliseconds timeout) const;
  // Waits until no push is on the wire: each one in flight waits for its retry timer, which
  // only the clock can fire. With a VirtualClock this is where a runner may advance time;
  // false when `timeout` passed first.
  bool wait_quiet(std::chrono::milliseconds timeout) const;
  // Calls `idle` once nothing is in flight (now, if nothing is), on whichever thread settles
  // the last push, under the dispatcher's lock: it must only hand the news on (post it).
  // Returns an id for cancel_when_idle (0 when it was called at once). Never called after the
  // dispatcher began to stop.
  std::uint64_t when_idle(std::function<void()> idle);
  // The same, once quiet (see wait_quiet). Both are cancelled with cancel_when_idle.
  std::uint64_t when_quiet(std::function<void()> quiet);
  void cancel_when_idle(std::uint64_t id);

  struct Impl;

private:
  std::shared_ptr<Impl> impl_;
};

} // namespace pipeline
