// Spec: docs/spec/im-voip-flow.md
#include "pipeline/dispatcher.hpp"

#include "net/client.hpp"
#include "net/io_threads.hpp"
#include "pipeline/attempt_result.hpp"
#include "pipeline/push_eligibility.hpp"
#include "pipeline/push_request.hpp"
#include "pipeline/store.hpp"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <vector>

namespace pipeline {

namespace {

// The installation a push goes to; a record that names none (a message of one push made by hand,
// as tests do) is the default installation's (im-voip-flow.md §3.4).
const std::string& installation_of(const MessageRecord& m) {
  return m.installation.empty() ? kDefaultInstallation : m.installation;
}

} // namespace

struct Dispatcher::Impl : std::enable_shared_from_this<Dispatcher::Impl> {
  Impl(Store& s, core::Clock& c, DispatcherOptions o)
      : store(s), clock(c), options(std::move(o)), io(options.io_threads), jitter(options.seed) {}

  net::Client& client_for(const MessageRecord& m);
  // One push less in flight; called with `mutex` held.
  void settle_one() {
    --in_flight;
    if (!held_back.empty() && in_flight < options.max_in_flight && !letting_in && !stopping) {
      // Told on an I/O thread, never under `mutex`, which their answers may need (a new send);
      // one task lets in all there is room for. A task that stop() drops leaves its callers in
      // held_back, for the destructor.
      letting_in = true;
      io.post(0, [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->let_in();
      });
    }
    tell_waiters();
  }
  void let_in() {
    std::vector<std::function<void()>> admitted;
    {
      std::lock_guard lock(mutex);
      letting_in = false;
      while (!held_back.empty() && in_flight + admitted.size() < options.max_in_flight) {
        admitted.push_back(std::move(held_back.front()));
        held_back.pop_front();
      }
    }
    for (auto& call : admitted)
      call();
  }
  // Called with `mutex` held whenever a push settles or starts waiting for its retry.
  void tell_waiters() {
    if (in_flight != retry_timers.size()) return;
    idle.notify_all(); // quiet, and idle too when no retry waits
    for (auto it = waiters.begin(); it != waiters.end();) {
      if (it->second.quiet || in_flight == 0) {
        auto waiter = std::move(it->second.call);
        it = waiters.erase(it);
        waiter();
      } else {
        ++it;
      }
    }
  }
  std::uint64_t add_waiter(bool quiet, std::function<void()> call) {
    if (stopping) return 0;
    if (in_flight == (quiet ? retry_timers.size() : 0)) {
      call();
      return 0;
    }
    const auto id = next_waiter++;
    waiters.emplace(id, Waiter{quiet, std::move(call)});
    return id;
  }
  // Counted in `in_flight` already (by send(), or since the first attempt for a retry). `due`:
  // when it was meant to go (now, or the retry's time: a timer that fires late must not
  // expire the last try at a call's lifetime).
  // `throttled`: the 429 answers it had so far, which §4.5's "max 3" limits (kept in memory: a
  // restart forgets them, and the call's lifetime still bounds the retries).
  void attempt(MessageRecord m, core::TimePoint due, int throttled = 0);
  void finish(MessageRecord m, AttemptResult result, int throttled);

  Store& store;
  core::Clock& clock;
  DispatcherOptions options;
  net::IoThreads io;

  mutable std::mutex mutex;             // guards everything below
  mutable std::condition_variable idle; // in_flight reached 0, or only retries wait (quiet)
  bool stopping = false;
  std::map<std::pair<std::int64_t, Environment>, std::unique_ptr<net::Client>> clients;
  std::set<core::Clock::TimerId> retry_timers;
  std::size_t in_flight = 0;
  struct Waiter {
    bool quiet = false; // told when quiet, not only when idle
    std::function<void()> call;
  };
  std::map<std::uint64_t, Waiter> waiters;
  std::deque<std::function<void()>> held_back; // send()'s `admitted`, oldest first
  bool letting_in = false;                     // a let_in() task is on its way
  std::uint64_t next_waiter = 1;
  std::mt19937_64 jitter;
};

net::Client& Dispatcher::Impl::client_for(const MessageRecord& m) {
  // Called with `mutex` held.
  auto& slot = clients[{m.cert_record_id, m.environment}];
  if (slot) return *slot;
  const ApnsEndpoint& endpoint =
      m.environment == Environment::Sandbox ? options.sandbox : options.production;
  net::ClientOptions client;
  client.host = endpoint.host;
  client.port = endpoint.port;
  client.authority = endpoint.server_name;
  net::TlsClientConfig tls;
  tls.ca_file = options.ca_file;
  tls.server_name = endpoint.server_name;
  if (auto record = store.certificate(m.cert_record_id)) {
    tls.certificate_pem = record->certificate_pem;
    tls.private_key_pem = record->private_key_pem;
  }
  client.tls = std::move(tls);
  slot = std::make_unique<net::Client>(io, std::move(client));
  return *slot;
}

void Dispatcher::Impl::attempt(MessageRecord m, core::TimePoint due, int throttled) {
  // Built before the lock: the body and the apns-id are the costly part.
  auto request = voip_request(m);
  // A retry (or a resumed message) is a new attempt: §4.3 is checked again, so that a phone
  // logged out, kicked, given a new token or back online since does not ring (§4.5). The
  // first attempt follows Pipeline::decide's check at once.
  const auto blocked = m.attempts > 1
                           ? push_blocked(store.presence(m.receiver, installation_of(m)),
                                          store.registration(m.receiver, installation_of(m)), &m)
                           : std::nullopt;
  std::lock_guard lock(mutex);
  if (stopping) return settle_one(); // a retry timer that fired during shutdown
  // Ends the message without sending it: its attempt was counted before it was made.
  auto end_unsent = [&](MessageState state, std::string reason) {
    m.state = state;
    m.reason = std::move(reason);
    m.attempts -= 1;
    if (m.attempts == 0) m.apns_id.clear(); // never on the wire: no apns-id to show
    m.next_attempt_at.reset();
    store.update_message_later(m);
    settle_one();
  };
  // The words of a first attempt's skip: "logged_out", ...
  if (blocked) return end_unsent(blocked->state, blocked->reason);
  // A call push resumed after a long stop, or a retry that waited too long: ringing now would
  // announce a call that is over (§4.5: call pushes older than 30 s are dropped).
  if (due - m.created_at > options.retry.lifetime)
    return end_unsent(MessageState::Expired, expired_reason(options.retry, "not sent"));
  if (!request) // the body carries the message id, so this is the first place to know
    return end_unsent(MessageState::PayloadTooLarge, "the VoIP body would exceed " +
                                                         std::to_string(kVoipPayloadLimit) +
                                                         " bytes; APNs was not called");
  // `attempts` counts this attempt in the store already (see send()); its answer is recorded
  // with the apns-id.
  m.apns_id = *net::find_header(request->headers, "apns-id");
  m.next_attempt_at.reset();
  // (The client is chosen before `m` moves into the callback: C++17 sequences the callee first.)
  client_for(m).submit(std::move(*request), [self = shared_from_this(), m = std::move(m),
                                             throttled](net::ResponseResult result) mutable {
    self->finish(std::move(m),
                 result ? attempt_result_of(*result) : attempt_result_of(result.error()),
                 throttled);
  });
}

void Dispatcher::Impl::finish(MessageRecord m, AttemptResult result, int throttled) {
  double draw = 0;
  {
    std::lock_guard lock(mutex);
    // Cancelled by shutdown: leave the message Pending for the next start.
    if (stopping) return settle_one();
    draw = std::uniform_real_distribution<double>(0, 1)(jitter);
  }
  // Only a 400 or 410 can change the registration: read it for those alone (hot path).
  const auto registration = result.status == 400 || result.status == 410
                                ? store.registration(m.receiver, installation_of(m))
                                : std::nullopt;
  const core::TimePoint registered_at = registration ? registration->updated_at : core::TimePoint{};
  const core::TimePoint now = clock.now();
  if (result.status == 429) result.throttled = ++throttled;
  const Decision d =
      decide(result, m.attempts, m.created_at, now, registered_at, options.retry, draw);

  if (d.registration)
    store.set_registration_state(m.receiver, installation_of(m), *d.registration,
                                 d.registration_reason, m.token_hex);
  if (d.certificate_health) store.set_certificate_health(m.cert_record_id, *d.certificate_health);
  m.state = d.state;
  m.reason = d.reason;
  if (!d.retry_after) {
    store.update_message_later(std::move(m));
    std::lock_guard lock(mutex);
    return settle_one();
  }
  m.next_attempt_at = now + *d.retry_after;
  store.update_message_later(m);
  std::lock_guard lock(mutex);
  if (stopping) return settle_one();
  // Still in flight while it waits for its retry.
  auto timer = std::make_shared<core::Clock::TimerId>(0);
  *timer = clock.schedule_after(*d.retry_after,
                                [weak = weak_from_this(), m, timer, throttled]() mutable {
                                  auto self = weak.lock();
                                  if (!self) return;
                                  {
                                    std::lock_guard lock(self->mutex);
                                    self->retry_timers.erase(*timer);
                                  }
                                  // Counted before it goes: a crash while it is on the wire still
                                  // counts it.
                                  m.attempts += 1;
                                  const core::TimePoint due = *m.next_attempt_at;
                                  m.next_attempt_at.reset();
                                  self->store.update_message_later(m);
                                  self->attempt(std::move(m), due, throttled);
                                });
  retry_timers.insert(*timer);
  tell_waiters(); // may be quiet now
}

ApnsEndpoint apns_endpoint(core::ApnsEnvironment environment, std::string host,
                           std::uint16_t port) {
  ApnsEndpoint endpoint;
  endpoint.host = std::move(host);
  endpoint.port = port;
  endpoint.server_name = std::string(core::apns_host(environment));
  return endpoint;
}

Dispatcher::Dispatcher(Store& store, core::Clock& clock, DispatcherOptions options)
    : impl_(std::make_shared<Impl>(store, clock, std::move(options))) {}

Dispatcher::~Dispatcher() {
  std::map<std::pair<std::int64_t, Environment>, std::unique_ptr<net::Client>> clients;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
    impl_->waiters.clear(); // their holders may be gone by now
    for (const auto id : impl_->retry_timers)
      impl_->clock.cancel(id);
    impl_->retry_timers.clear();
    clients.swap(impl_->clients);
  }
  clients.clear(); // fails what is in flight with Cancelled; finish() leaves them Pending
  impl_->io.stop();
  std::deque<std::function<void()>> held_back; // no I/O thread is left to let them in
  {
    std::lock_guard lock(impl_->mutex);
    held_back.swap(impl_->held_back);
  }
  for (auto& admitted : held_back) // their messages are stored: the callers may go on
    admitted();
}

void Dispatcher::send(MessageRecord message, std::function<void()> admitted) {
  // The attempt runs on the connection's I/O thread, where the request is sent, answered and
  // freed: built on the caller's thread, its memory would go back to that thread's malloc
  // arena from this one, and the two would queue on the arena's lock (most of the pipeline's
  // futex calls before this).
  net::Client* client = nullptr;
  bool admit_now = true;
  {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->stopping) {
      ++impl_->in_flight;
      client = &impl_->client_for(message);
      if (admitted && impl_->in_flight > impl_->options.max_in_flight) {
        impl_->held_back.push_back(std::move(admitted));
        admit_now = false;
      }
    }
  }
  if (client) {
    client->post([weak = impl_->weak_from_this(), m = std::move(message)]() mutable {
      if (auto self = weak.lock()) {
        const core::TimePoint now = self->clock.now();
        self->attempt(std::move(m), now);
      }
    });
  }
  if (admit_now && admitted) admitted();
}

std::size_t Dispatcher::in_flight() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->in_flight;
}

std::uint64_t Dispatcher::when_idle(std::function<void()> idle) {
  std::lock_guard lock(impl_->mutex);
  return impl_->add_waiter(false, std::move(idle));
}

std::uint64_t Dispatcher::when_quiet(std::function<void()> quiet) {
  std::lock_guard lock(impl_->mutex);
  return impl_->add_waiter(true, std::move(quiet));
}

void Dispatcher::cancel_when_idle(std::uint64_t id) {
  std::lock_guard lock(impl_->mutex);
  impl_->waiters.erase(id);
}

bool Dispatcher::wait_idle(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->idle.wait_for(lock, timeout, [this] { return impl_->in_flight == 0; });
}

bool Dispatcher::wait_quiet(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->idle.wait_for(lock, timeout,
                              [this] { return impl_->in_flight == impl_->retry_timers.size(); });
}

} // namespace pipeline
