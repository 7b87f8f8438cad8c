#include "mock_apns/server.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/names.hpp"
#include "mock_apns/apns_connection.hpp"
#include "mock_apns/mock_state.hpp"
#include "net/server.hpp"
#include "pki/fingerprint.hpp"

#include <random>

namespace mock_apns {
namespace {

std::uint64_t seed_of(const ServerOptions& options) {
  return options.seed != 0 ? options.seed : std::random_device{}() | 1ULL;
}

constexpr core::Names<ResetScope, 6> kResetScopeNames{{
    {ResetScope::Default, "default"},
    {ResetScope::Journal, "journal"},
    {ResetScope::Faults, "faults"},
    {ResetScope::Tokens, "tokens"},
    {ResetScope::Deliveries, "deliveries"},
    {ResetScope::All, "all"},
}};

} // namespace

struct Server::Impl {
  explicit Impl(ServerOptions o)
      : options(std::move(o)),
        state(std::make_shared<MockState>(options.settings, options.journal,
                                          options.delivery_feed_capacity, seed_of(options))) {
    if (options.clock == nullptr) {
      own_clock = std::make_unique<core::SystemClock>();
    }
    state->clock = options.clock != nullptr ? options.clock : own_clock.get();
    state->token_auth = options.token_auth;
    state->on_request = options.on_request;
    state->deliveries.subscribe([feed = &state->feed](const Delivery& d) { feed->push(d); });
  }

  net::ServerOptions listener_options(Environment env, std::uint16_t port) {
    net::ServerOptions o;
    o.host = options.host;
    o.port = port;
    o.threads = options.threads;
    const Settings& s = state->settings;
    o.settings.header_table_size = s.header_table_size;
    o.settings.max_concurrent_streams = s.max_concurrent_streams;
    o.settings.initial_window_size = s.initial_window_size;
    o.settings.max_frame_size = s.max_frame_size;
    o.settings.max_header_list_size = s.max_header_list_size;
    o.idle_timeout = s.connection_idle_timeout;
    o.stream_idle_timeout = s.stream_idle_timeout;
    // Bodies over the largest APNs limit still reach validation, which answers
    // PayloadTooLarge itself (apns-provider-api.md §4.4); far larger ones are cut off by the
    // transport.
    o.max_request_body = std::size_t{64} << 10;
    net::TlsServerConfig tls;
    tls.certificate_chain_file = options.certificate_chain_file;
    tls.private_key_file = options.private_key_file;
    tls.client_ca_file = options.client_ca_file;
    // Never Require: APNs completes the handshake of a client without a certificate and treats
    // it as a token connection (apns-provider-api.md §2), so a certificate-only mock answers its
    // requests 403 MissingProviderToken; a certificate from another CA fails the handshake
    // (apns-provider-api.md §5.4).
    tls.client_certificates =
        options.certificate_auth ? net::ClientCertMode::Request : net::ClientCertMode::None;
    // Asked only while handshaking: requests on open connections never wait for it.
    tls.refuse_client_certificate = [state = state](std::string_view sha256) {
      return state->refused.refuses(sha256);
    };
    o.tls = tls;
    o.handler = [state = state, env](const net::PeerInfo& peer, net::ConnectionHandle handle) {
      return std::make_shared<ApnsConnection>(state, env, peer, std::move(handle));
    };
    if (options.on_handshake_refused) {
      // The listeners are members of this Impl and stop before it goes.
      o.on_handshake_failure = [this, env](const net::PeerInfo& peer, const std::string& reason) {
        const bool sandbox = env == Environment::Sandbox;
        options.on_handshake_refused({env, (sandbox ? *this->sandbox : *production).port(),
                                      peer.remote_address + ":" + std::to_string(peer.remote_port),
                                      reason});
      };
    }
    return o;
  }

  ServerOptions options;
  // The system clock when none was given. Declared first, destroyed last: its timer thread
  // is joined only after everything that schedules on it is gone.
  std::unique_ptr<core::Clock> own_clock;
  std::shared_ptr<MockState> state;
  std::unique_ptr<net::Server> sandbox;
  std::unique_ptr<net::Server> production;
  bool stopped = false;
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Server::~Server() {
  stop();
}

core::Result<void> Server::start() {
  const ServerOptions& o = impl_->options;
  if (!o.certificate_auth && !o.token_auth) {
    return core::fail(core::Errc::InvalidArgument,
                      "at least one of certificate and token authentication must be on");
  }
  if (o.certificate_chain_file.empty() || o.private_key_file.empty()) {
    return core::fail(core::Errc::InvalidArgument,
                      "the mock needs its TLS certificate and key (server.pem, server.key)");
  }
  if (o.certificate_auth) {
    if (o.client_ca_file.empty()) {
      return core::fail(core::Errc::InvalidArgument,
                        "certificate auth needs the CA bundle provider certificates chain to "
                        "(ca-bundle.pem)");
    }
    auto pem = core::read_file(o.client_ca_file);
    if (!pem) {
      return core::fail(pem.error().code, "client CA: " + pem.error().detail);
    }
    auto trust = pki::TrustStore::from_pem(*pem);
    if (!trust) {
      return core::Unexpected(trust.error().in_context(o.client_ca_file));
    }
    impl_->state->trust = std::move(*trust);
  }
  impl_->sandbox =
      std::make_unique<net::Server>(impl_->listener_options(Environment::Sandbox, o.sandbox_port));
  impl_->production = std::make_unique<net::Server>(
      impl_->listener_options(Environment::Production, o.production_port));
  if (auto started = impl_->sandbox->start(); !started) {
    return core::Unexpected(started.error().in_context("sandbox listener"));
  }
  if (auto started = impl_->production->start(); !started) {
    impl_->sandbox->stop();
    return core::Unexpected(started.error().in_context("production listener"));
  }
  return {};
}

void Server::stop() {
  if (impl_->stopped) {
    return;
  }
  impl_->stopped = true;
  for (auto* listener : {impl_->sandbox.get(), impl_->production.get()}) {
    if (listener != nullptr) {
      listener->shutdown();
    }
  }
  // Delayed answers (fault latency) may still finish their streams until the listeners are
  // stopped; after that they must not touch them.
  for (auto* listener : {impl_->sandbox.get(), impl_->production.get()}) {
    if (listener != nullptr) {
      listener->stop();
    }
  }
  std::lock_guard lock(impl_->state->delayed_mutex);
  impl_->state->accepting_delayed = false;
}

std::uint16_t Server::port(Environment env) const {
  const auto& listener = env == Environment::Sandbox ? impl_->sandbox : impl_->production;
  return listener ? listener->port() : 0;
}

const Settings& Server::settings() const {
  return impl_->state->settings;
}
core::Clock& Server::clock() {
  return *impl_->state->clock;
}
TokenRegistry& Server::tokens() {
  return impl_->state->tokens;
}
ProviderKeys& Server::keys() {
  return impl_->state->keys;
}
Faults& Server::faults() {
  return impl_->state->faults;
}
RefusedCertificates& Server::refused_certificates() {
  return impl_->state->refused;
}
core::Result<std::string> Server::refuse_certificate(std::string_view certificate) {
  auto sha256 = pki::certificate_sha256(certificate);
  if (!sha256) return core::Unexpected(sha256.error());
  if (auto refused = impl_->state->refused.refuse(*sha256); !refused)
    return core::Unexpected(refused.error());
  return sha256;
}
Journal& Server::journal() {
  return impl_->state->journal;
}
DeliveryBus& Server::deliveries() {
  return impl_->state->deliveries;
}
DeliveryFeed& Server::feed() {
  return impl_->state->feed;
}
const LatencyHistogram& Server::latency() const {
  return impl_->state->latency;
}

net::ServerStats Server::listener_stats(Environment env) const {
  const auto& listener = env == Environment::Sandbox ? impl_->sandbox : impl_->production;
  return listener ? listener->stats() : net::ServerStats{};
}

std::size_t Server::set_reachable(std::string_view token, bool reachable) {
  MockState& state = *impl_->state;
  const core::TimePoint now = clock().now();
  const auto back = state.held.set_reachable(token, reachable, now);
  for (const std::uint64_t sequence : back.expired) {
    state.journal.add_step(sequence, {now, DeliveryStatus::DiscardedExpired, {}});
  }
  for (const Delivery& delivery : back.released) {
    // Journaled first: whoever reads the delivery finds its entry's step.
    state.journal.add_step(delivery.sequence, {now, DeliveryStatus::DeliveredFromStorage, {}});
    state.deliveries.publish(delivery);
  }
  return back.released.size();
}

void Server::expire_held() {
  MockState& state = *impl_->state;
  const core::TimePoint now = clock().now();
  for (const std::uint64_t sequence : state.held.expire(now)) {
    state.journal.add_step(sequence, {now, DeliveryStatus::DiscardedExpired, {}});
  }
}

bool Server::add_device_step(std::string_view apns_id, std::string detail) {
  return impl_->state->journal.add_step_by_apns_id(
      apns_id, {clock().now(), DeliveryStatus::Device, std::move(detail)});
}

const HeldPushes& Server::held() const {
  return impl_->state->held;
}

std::vector<std::string> Server::reset_state(ResetScope scope) {
  MockState& state = *impl_->state;
  const auto in = [scope](ResetScope part) { return scope == ResetScope::All || scope == part; };
  std::vector<std::string> forgot;
  const auto forget = [&](bool when, const char* what, auto clear) {
    if (!when) return;
    clear();
    forgot.emplace_back(what);
  };
  const bool by_default = in(ResetScope::Default);
  forget(by_default || in(ResetScope::Journal), "journal", [&] { state.journal.clear(); });
  forget(by_default || in(ResetScope::Faults), "faults", [&] { state.faults.clear(); });
  // A token's rate window goes with the journal that counted its requests, and with the token.
  forget(by_default || in(ResetScope::Tokens), "rate limits", [&] { state.rate.clear(); });
  forget(in(ResetScope::Tokens), "tokens", [&] { state.tokens.clear(); });
  forget(in(ResetScope::Deliveries), "held deliveries", [&] { state.held.clear(); });
  forget(scope == ResetScope::All, "refused certificates", [&] { state.refused.clear(); });
  return forgot;
}

std::string_view reset_scope_name(ResetScope scope) {
  return core::name_of(kResetScopeNames, scope);
}

std::optional<ResetScope> parse_reset_scope(std::string_view text) {
  return core::value_named(kResetScopeNames, text);
}

std::string reset_scope_words() {
  return core::words_of(kResetScopeNames);
}

} // namespace mock_apns
