#include "mock_apns/apns_connection.hpp"

#include "core/device_token.hpp"
#include "core/encoding.hpp"
#include "core/parse_number.hpp"
#include "mock_apns/error_body.hpp"

#include <vector>

namespace mock_apns {
namespace {

constexpr std::uint32_t kNoError = 0; // NO_ERROR for policy closes (apns-provider-api.md §3.4)

// Per-connection generators from one seed: the same seed and connection order give the same
// ids. Both listeners number their connections from 1, so the environment is mixed in too.
core::UuidGenerator id_generator(std::uint64_t seed, Environment environment,
                                 std::uint64_t connection_id) {
  const std::uint64_t listener = environment == Environment::Sandbox ? 0 : 1;
  return core::UuidGenerator((seed * 2 + listener) * 0x9E3779B97F4A7C15ULL + connection_id);
}

ConnectionAuth classify(const MockState& state, const net::PeerInfo& peer) {
  if (!peer.has_client_certificate) {
    return ConnectionAuth::token_based();
  }
  if (!state.trust) {
    return ConnectionAuth::certificate_based(
        core::fail(core::Errc::InvalidArgument, "the mock has no client CA configured"));
  }
  return ConnectionAuth::certificate_based(
      pki::classify_certificate(peer.client_certificate_der, *state.trust, state.clock->now()));
}

} // namespace

ApnsConnection::ApnsConnection(std::shared_ptr<MockState> state, Environment environment,
                               const net::PeerInfo& peer, net::ConnectionHandle connection)
    : state_(std::move(state)), environment_(environment), connection_id_(peer.connection_id),
      connection_(std::move(connection)), auth_(classify(*state_, peer)),
      ids_(id_generator(state_->seed, environment, peer.connection_id)) {
  // Token connections may open one stream until a provider token is accepted
  // (apns-provider-api.md §3.2).
  connection_.set_max_concurrent_streams(
      auth_.uses_certificate() ? state_->settings.max_concurrent_streams : 1);
}

void ApnsConnection::on_request(net::Request&& request, net::Responder responder) {
  answer(std::move(request), std::move(responder), false);
}

void ApnsConnection::on_request_too_large(net::Request&& head, net::Responder responder) {
  answer(std::move(head), std::move(responder), true);
}

// apns-provider-api.md §3.5 (mock rule): HEADERS without the body's END_STREAM for
// streamIdleTimeout → 400 IdleTimeout on that stream.
// The request's own apns-id is echoed when it is a valid one, as for any other answer.
void ApnsConnection::on_request_idle(const net::Request& head, net::Responder responder) {
  const std::string* id = net::find_header(head.headers, "apns-id");
  assign_ids(id != nullptr && core::Uuid::parse(*id) ? std::string_view(*id) : std::string_view());
  Verdict verdict;
  verdict.reason = Reason::IdleTimeout;
  verdict.status = reason_status(Reason::IdleTimeout);
  verdict.cause = "the request body did not end within streamIdleTimeout (" +
                  std::to_string(state_->settings.stream_idle_timeout.count()) +
                  " ms) after its HEADERS; send HEADERS and DATA without pausing";
  make_response(verdict);
  write_journal(head, verdict);
  responder.respond_copy(response_);
}

void ApnsConnection::answer(net::Request&& request, net::Responder responder, bool body_too_large) {
  const auto started = std::chrono::steady_clock::now();
  // Reused per thread: the field views cost no allocation per request.
  thread_local std::vector<RequestField> fields;
  fields.clear();
  for (const net::Header& header : request.headers) {
    fields.push_back({header.name, header.value});
  }
  const MockState& state = *state_;
  const ValidationContext ctx{environment_,  &state.settings, &state.tokens,      &state.keys,
                              &state_->rate, &state_->faults, state.clock->now(), state.token_auth};
  const Verdict verdict =
      validate({request.method, request.path, fields, request.body, body_too_large}, auth_, ctx);
  const ReasonSpelling spelling = state.settings.env_key_reason_spelling;

  if (verdict.goaway_instead_of_response) {
    // None of the client's streams is processed: last-stream-id 0 (apns-provider-api.md §3.4, V61).
    apns_id_.clear();
    unique_id_.clear();
    write_journal(request, verdict, /*answered=*/false);
    connection_.close_with_goaway(kNoError, reason_json(*verdict.reason, spelling), 0);
    return;
  }
  assign_ids(verdict.apns_id);
  throttle_after(verdict);
  make_response(verdict);
  if (verdict.accepted()) {
    deliver(request, verdict);
  } else {
    write_journal(request, verdict, /*answered=*/!verdict.drop_connection);
  }

  std::optional<std::string> goaway;
  if (verdict.goaway_after_response) {
    goaway = reason_json(*verdict.goaway_after_response, spelling);
  }
  // After the answer: the limit is raised once the first valid token was answered (spec V72).
  const std::uint32_t raise_to =
      verdict.raise_stream_limit ? state.settings.max_concurrent_streams : 0;
  // Holds no reference to the state: run now, or by the delay timer while it holds one.
  auto answer = [responder, connection = connection_, goaway, started, raise_to,
                 drop = verdict.drop_connection,
                 latency = &state_->latency](const net::Response& response) {
    if (drop) { // the push was judged (and delivered when accepted); the client never learns it
      connection.drop();
      return;
    }
    responder.respond_copy(response);
    latency->observe(std::chrono::steady_clock::now() - started);
    if (raise_to != 0) {
      connection.set_max_concurrent_streams(raise_to);
    }
    if (goaway) {
      connection.close_with_goaway(kNoError, *goaway);
    }
  };
  if (verdict.delay.count() <= 0) {
    answer(response_);
    return;
  }
  // The timer holds the state weakly: a pending delay must not keep a stopped mock alive. It
  // keeps its own copy of the response: response_ serves the next request meanwhile.
  state.clock->schedule_after(verdict.delay, [weak = std::weak_ptr<MockState>(state_),
                                              answer = std::move(answer), response = response_] {
    const auto state = weak.lock();
    if (!state) {
      return;
    }
    std::lock_guard lock(state->delayed_mutex);
    if (state->accepting_delayed) {
      answer(response);
    }
  });
}

// apns-provider-api.md §5.2: every answer carries an apns-id, the request's own when it sent a
// valid one, and on the sandbox an apns-unique-id. The apns-id is drawn first: the same seed
// gives the same ids.
void ApnsConnection::assign_ids(std::string_view request_id) {
  if (request_id.empty()) {
    ids_.next().write_to(apns_id_, core::LetterCase::Upper);
  } else {
    apns_id_.assign(request_id);
  }
  if (environment_ == Environment::Sandbox) {
    ids_.next().write_to(unique_id_);
  } else {
    unique_id_.clear();
  }
}

// Assigned field by field into response_, whose strings keep their buffers.
void ApnsConnection::make_response(const Verdict& verdict) {
  net::Response& response = response_;
  response.status = verdict.status;
  std::size_t count = 0;
  const auto add = [&](std::string_view name, std::string_view value) {
    if (count == response.headers.size()) response.headers.emplace_back();
    response.headers[count].name.assign(name);
    response.headers[count].value.assign(value);
    ++count;
  };
  response.body.clear();
  if (!verdict.accepted()) {
    // apns-provider-api.md §5.3: HEADERS (:status, content-type, apns-id), then the JSON body.
    add("content-type", "application/json");
    append_error_body(response.body, *verdict.reason, state_->settings.env_key_reason_spelling,
                      verdict.timestamp_ms);
  }
  add("apns-id", apns_id_);
  if (!unique_id_.empty()) {
    add("apns-unique-id", unique_id_);
  }
  response.headers.resize(count);
}

// Into the connection's own entry, hot in cache: assigning into its strings keeps their buffers,
// so a steady load allocates nothing here; Journal::write then copies it in one pass.
void ApnsConnection::fill_journal_entry(JournalEntry& entry, const net::Request& request,
                                        const Verdict& verdict, core::TimePoint now,
                                        bool answered) {
  entry.time = now;
  entry.environment = environment_;
  entry.connection_id = connection_id_;
  entry.auth.assign(auth_description());
  entry.auth_kind = auth_.uses_certificate() ? AuthKind::Certificate : AuthKind::Token;
  entry.certificate_kind.reset();
  if (auth_.identity()) entry.certificate_kind = auth_.identity()->kind;
  entry.apns_id.assign(apns_id_);
  capture_request(entry, request, verdict);
  entry.status = verdict.status;
  entry.reason = verdict.reason;
  entry.timestamp_ms = verdict.timestamp_ms;
  entry.cause.assign(verdict.cause);
  entry.payload_bytes = request.body.size();
  entry.goaway = verdict.goaway_instead_of_response;
  entry.answer_dropped = verdict.drop_connection;
  if (answered) {
    entry.answer_headers = response_.headers;
    entry.answer_body.assign(response_.body);
  } else {
    entry.answer_headers.clear();
    entry.answer_body.clear();
  }
  entry.delivery.clear();
}

// What the client sent: its headers (the JWT without its signature), the body up to the
// journal's limit, and the token, topic, push type and priority it carried even when validation
// stopped before reading them (a refused credential, a wrong method or path; issue #20).
void ApnsConnection::capture_request(JournalEntry& entry, const net::Request& request,
                                     const Verdict& verdict) {
  keep_request(request, state_->journal.bounds(), entry);
  const auto header = [&](std::string_view name) {
    const std::string* value = net::find_header(request.headers, name);
    return value != nullptr ? std::string_view(*value) : std::string_view();
  };
  std::string_view token = verdict.token;
  if (token.empty() && request.path.starts_with(core::kDevicePathPrefix)) {
    token = std::string_view(request.path).substr(core::kDevicePathPrefix.size());
  }
  keep_text(token, entry.token);
  keep_text(verdict.topic.empty() ? header("apns-topic") : verdict.topic, entry.topic);
  entry.push_type =
      verdict.push_type ? verdict.push_type : parse_push_type(header("apns-push-type"));
  entry.priority = verdict.accepted() ? std::optional<int>(verdict.priority)
                                      : core::parse_whole<int>(header("apns-priority"));
}

void ApnsConnection::write_journal(std::uint64_t sequence, const net::Request& request,
                                   const Verdict& verdict, core::TimePoint now, bool answered,
                                   std::optional<DeliveryStatus> delivered) {
  MockState& state = *state_;
  JournalEntry& entry = journal_entry_;
  fill_journal_entry(entry, request, verdict, now, answered);
  entry.sequence = sequence; // for --verbose; the journal keeps it in the slot
  if (delivered) entry.delivery.push_back({now, *delivered, {}});
  state.journal.write(sequence, entry);
  // --verbose logs after the slot's lock is released: I/O threads never wait on stderr while
  // holding a stripe.
  if (state.on_request) state.on_request(entry);
}

void ApnsConnection::write_journal(const net::Request& request, const Verdict& verdict,
                                   bool answered) {
  write_journal(state_->journal.reserve(), request, verdict, state_->clock->now(), answered,
                std::nullopt);
}

// An accepted push goes on the delivery bus, or is kept while its device is unreachable (store
// and forward, apns-provider-api.md §9). Its journal entry is written first, with where the push
// went, so whoever reads the delivery finds the entry it names.
void ApnsConnection::deliver(const net::Request& request, const Verdict& verdict) {
  MockState& state = *state_;
  const std::uint64_t sequence = state.journal.reserve();
  const core::TimePoint now = state.clock->now();
  Delivery& delivery = delivery_;
  delivery.sequence = sequence;
  delivery.apns_id.assign(apns_id_);
  delivery.unique_id.assign(unique_id_);
  delivery.environment = environment_;
  delivery.token.assign(verdict.token);
  for (char& c : delivery.token) { // stored and delivered in lower case (apns-provider-api.md §8)
    c = core::to_lower_ascii(c);
  }
  delivery.topic.assign(verdict.topic);
  delivery.push_type = *verdict.push_type;
  delivery.priority = verdict.priority;
  delivery.expiration = verdict.expiration;
  delivery.collapse_id.assign(verdict.collapse_id);
  delivery.payload.assign(request.body);
  delivery.invalid_payload = verdict.invalid_payload;
  delivery.received_at = now;
  // Inside the unregister delay APNs still answers 200, but no app takes the push: it is neither
  // delivered nor kept (apns-provider-api.md §5.3).
  if (verdict.token_unregistered) {
    write_journal(sequence, request, verdict, now, !verdict.drop_connection,
                  DeliveryStatus::DiscardedUnregistered);
    return;
  }
  // Journaled as the hold decides, before another thread can release, expire or replace it.
  const HeldPushes::Offer offer = state.held.offer(
      delivery, state.settings.zero_expiry_grace, [&](const HeldPushes::Offer& decided) {
        write_journal(sequence, request, verdict, now, !verdict.drop_connection,
                      decided.deliver_now ? DeliveryStatus::Delivered : DeliveryStatus::Stored);
      });
  if (offer.replaced != 0) {
    state.journal.add_step(offer.replaced, {now, DeliveryStatus::DiscardedReplaced, {}});
  }
  if (offer.deliver_now) {
    state.deliveries.publish(delivery);
  }
}

// apns-provider-api.md §3.2, optional: one stream after a non-410 4xx, back to normal after a 200;
// GOAWAY after too many consecutive errors.
void ApnsConnection::throttle_after(const Verdict& verdict) {
  const Settings& settings = state_->settings;
  if (!settings.error_throttling) {
    return;
  }
  if (verdict.accepted()) {
    consecutive_errors_ = consecutive_bad_tokens_ = 0;
    if (throttled_) {
      throttled_ = false;
      connection_.set_max_concurrent_streams(settings.max_concurrent_streams);
    }
    return;
  }
  if (verdict.status < 400 || verdict.status >= 500 || verdict.status == 410) {
    return;
  }
  ++consecutive_errors_;
  consecutive_bad_tokens_ =
      verdict.reason == Reason::BadDeviceToken ? consecutive_bad_tokens_ + 1 : 0;
  if (!throttled_) {
    throttled_ = true;
    connection_.set_max_concurrent_streams(1);
  }
  if (consecutive_errors_ >= settings.error_budget ||
      consecutive_bad_tokens_ >= settings.bad_device_token_budget) {
    connection_.close_with_goaway(kNoError,
                                  reason_json(*verdict.reason, settings.env_key_reason_spelling));
  }
}

// Rebuilt only when the connection's key changes.
const std::string& ApnsConnection::auth_description() {
  const ProviderKey* key = auth_.binding ? auth_.binding->current_key.get() : nullptr;
  if (!auth_text_.empty() && key == described_key_) {
    return auth_text_;
  }
  described_key_ = key;
  if (auth_.uses_certificate()) {
    auth_text_ = auth_.identity() ? "certificate \"" + auth_.identity()->common_name + "\""
                                  : "refused certificate: " + auth_.certificate_problem();
  } else if (key != nullptr) {
    auth_text_ = "token " + key->spec().key_id + " (team " + auth_.binding->team_id + ")";
  } else {
    auth_text_ = "token (none accepted yet)";
  }
  return auth_text_;
}

std::string ApnsConnection::goaway_debug_data(net::GoawayCause cause) {
  // Plain text, as APNs was seen sending it (apns-provider-api.md §3.2).
  if (cause == net::GoawayCause::TooManyStreams)
    return "Maximum active streams violated for this endpoint.";
  return reason_json(cause == net::GoawayCause::IdleTimeout ? Reason::IdleTimeout
                                                            : Reason::Shutdown,
                     state_->settings.env_key_reason_spelling);
}

} // namespace mock_apns
