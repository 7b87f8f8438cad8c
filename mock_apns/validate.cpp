// What validation changes besides the verdict it returns, and where (everything else it reads,
// the settings, the token registry, the keys, is left as it was):
// - the connection's auth binding, `auth.binding`: a token connection's first valid provider
//   token binds it to a team and key, a valid new token replaces the current one (token_auth.cpp,
//   apns-provider-api.md §6.4);
// - the per-token rate limit windows, `ctx.rate`: each request that reaches the rate step counts
//   one in its token's window, unless the burst is 0 (rate(), §9);
// - the fault rules, `ctx.faults`, for a request that passed the rate step (faults(),
//   Faults::take): each matching rule still skipping uses up one of its `skip`, a rule with a
//   probability draws from the rules' random generator, and the rule that applies counts the
//   request and uses up one of its `count` (removed when none is left).
// A request refused by an earlier step changes neither; a refused token changes no binding.
#include "mock_apns/validate.hpp"

#include "core/device_token.hpp"
#include "core/json_syntax.hpp"
#include "core/parse_number.hpp"
#include "core/uuid.hpp"
#include "mock_apns/cause_text.hpp"
#include "mock_apns/faults.hpp"
#include "mock_apns/provider_keys.hpp"
#include "mock_apns/rate_limiter.hpp"
#include "mock_apns/settings.hpp"
#include "mock_apns/token_auth.hpp"
#include "mock_apns/token_registry.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace mock_apns {
namespace {

constexpr std::size_t kMaxCollapseIdBytes = 64;

// One step of the precedence chain: the verdict so far, rejected on the first failed check.
class Checker {
public:
  Checker(const PushRequest& request, ConnectionAuth& auth, const ValidationContext& ctx)
      : request_(request), auth_(auth), ctx_(ctx), settings_(*ctx.settings) {
    classify_fields();
  }

  Verdict run() {
    // Echoed on every answer, errors found before the apns-id step included
    // (apns-provider-api.md §5.2).
    const RequestField* id = field(ApnsId);
    apns_id_valid_ = id != nullptr && core::Uuid::parse(id->value).has_value();
    if (apns_id_valid_) {
      verdict_.apns_id = id->value;
    }
    if (certificate_environment_goaway()) {
      return std::move(verdict_);
    }
    (void)(method() && path() && duplicates() && apns_id() && authentication() && topic() &&
           push_type() && priority() && expiration() && collapse_id() && body() && device_token() &&
           rate() && faults());
    return std::move(verdict_);
  }

private:
  // Accepted requests keep their warnings for the journal.
  void warn(std::string_view warning) {
    verdict_.cause += verdict_.cause.empty() ? "" : "; ";
    verdict_.cause += warning;
  }

  bool reject(Reason reason, std::string cause) {
    verdict_.reason = reason;
    verdict_.status = reason_status(reason);
    verdict_.cause = std::move(cause);
    return false;
  }

  // The APNs fields, found in one pass (each validation step reads one); names in lower case,
  // as HTTP/2 delivers them.
  enum Known { Authorization, ApnsId, PushType_, Topic, Priority, Expiration, CollapseId, kKnown };

  static int known_index(std::string_view name) {
    switch (name.size()) {
    case 7:
      return name == "apns-id" ? ApnsId : -1;
    case 10:
      return name == "apns-topic" ? Topic : -1;
    case 13:
      return name == "authorization" ? Authorization : name == "apns-priority" ? Priority : -1;
    case 14:
      return name == "apns-push-type" ? PushType_ : -1;
    case 15:
      return name == "apns-expiration" ? Expiration : -1;
    case 16:
      return name == "apns-collapse-id" ? CollapseId : -1;
    default:
      return -1;
    }
  }

  void classify_fields() {
    for (const RequestField& f : request_.fields) {
      const int index = known_index(f.name);
      if (index < 0) {
        continue;
      }
      if (known_[index] == nullptr) {
        known_[index] = &f;
      } else if (repeated_known_ == nullptr) {
        repeated_known_ = &f;
      }
    }
  }

  const RequestField* field(Known which) const { return known_[which]; }

  bool environment_allowed(const pki::ProviderIdentity& id) const {
    return ctx_.environment == Environment::Sandbox ? id.development : id.production;
  }

  // APNs refuses a certificate of the wrong environment for the whole connection, before any
  // stream is processed (apns-provider-api.md §3.4, V61/V62); perStreamCertEnvErrors answers per
  // stream instead.
  bool certificate_environment_goaway() {
    const pki::ProviderIdentity* id = auth_.identity();
    if (settings_.per_stream_cert_env_errors || id == nullptr || environment_allowed(*id)) {
      return false;
    }
    verdict_.goaway_instead_of_response = true;
    return !reject(Reason::BadCertificateEnvironment, certificate_environment_cause(*id));
  }

  std::string certificate_environment_cause(const pki::ProviderIdentity& id) const {
    return "certificate \"" + id.common_name + "\" is valid only for " +
           (id.development ? "the sandbox" : "production") + ", but it connected to the " +
           host_of(ctx_.environment) + " listener; connect to the other host or use an " +
           "\"Apple Push Services\" (Sandbox & Production) certificate";
  }

  bool method() {
    if (request_.method == "POST") {
      return true;
    }
    return reject(Reason::MethodNotAllowed,
                  "method " + shown(request_.method) + ": APNs accepts only POST");
  }

  bool path() {
    if (!request_.path.starts_with(core::kDevicePathPrefix)) {
      return reject(Reason::BadPath, "path " + shown(request_.path) +
                                         " does not start with /3/device/; send POST "
                                         "/3/device/<device token>");
    }
    verdict_.token = request_.path.substr(core::kDevicePathPrefix.size());
    if (verdict_.token.empty()) {
      return reject(Reason::MissingDeviceToken,
                    "path /3/device/ has no device token after it; append the hex token");
    }
    return true;
  }

  bool duplicates() {
    if (repeated_known_ != nullptr) {
      return reject(Reason::DuplicateHeaders, "header " + shown(repeated_known_->name) +
                                                  " appears more than once; send it once");
    }
    // The other names (user-agent, content-type, ...) are few in practice; a hostile client may
    // send thousands (bounded only by the transport), so beyond a handful compare sorted names.
    constexpr std::size_t kPairwise = 32;
    std::array<std::string_view, kPairwise> few;
    std::vector<std::string_view> many;
    std::size_t count = 0;
    for (const RequestField& f : request_.fields) {
      if (known_index(f.name) >= 0) {
        continue;
      }
      if (count < kPairwise) {
        few[count] = f.name;
      } else {
        if (many.empty()) {
          many.assign(few.begin(), few.end());
        }
        many.push_back(f.name);
      }
      ++count;
    }
    std::string_view twice;
    if (many.empty()) {
      for (std::size_t i = 0; i < count && twice.empty(); ++i) {
        for (std::size_t j = i + 1; j < count; ++j) {
          if (few[i] == few[j]) {
            twice = few[i];
            break;
          }
        }
      }
    } else {
      std::sort(many.begin(), many.end());
      if (const auto it = std::adjacent_find(many.begin(), many.end()); it != many.end()) {
        twice = *it;
      }
    }
    if (!twice.empty()) {
      return reject(Reason::DuplicateHeaders,
                    "header " + shown(twice) + " appears more than once; send it once");
    }
    return true;
  }

  bool apns_id() {
    const RequestField* id = field(ApnsId);
    if (id == nullptr) {
      return true;
    }
    if (!apns_id_valid_) {
      return reject(Reason::BadMessageId,
                    "apns-id " + shown(id->value) +
                        " is not a UUID (8-4-4-4-12 hex digits); fix it or leave it out");
    }
    return true;
  }

  bool authentication() {
    if (!auth_.uses_certificate()) {
      return provider_token();
    }
    const pki::ProviderIdentity* id = auth_.identity();
    if (id == nullptr) {
      return reject(Reason::BadCertificate,
                    "client certificate not accepted: " + auth_.certificate_problem() +
                        "; use an APNs certificate issued for the app");
    }
    if (!environment_allowed(*id)) {
      return reject(Reason::BadCertificateEnvironment, certificate_environment_cause(*id));
    }
    return true;
  }

  bool provider_token() {
    const RequestField* header = field(Authorization);
    TokenAuthOutcome outcome =
        authenticate_token(header ? std::optional(header->value) : std::nullopt, auth_, ctx_);
    if (outcome.reason) {
      return reject(*outcome.reason, std::move(outcome.cause));
    }
    verdict_.team_id = outcome.team_id;
    verdict_.raise_stream_limit = outcome.first_token;
    return true;
  }

  bool topic() {
    const RequestField* header = field(Topic);
    if (auth_.uses_certificate()) {
      return certificate_topic(header);
    }
    if (header == nullptr || header->value.empty()) {
      return reject(Reason::MissingTopic,
                    "apns-topic is required with provider tokens; send \"<bundle id>.voip\" for "
                    "VoIP pushes");
    }
    verdict_.topic = header->value;
    const TopicParts parts = split_topic(verdict_.topic);
    const TokenBinding& bound = *auth_.binding;
    if (!bound.bundles->contains(parts.bundle_id)) {
      const bool added_later = ctx_.keys->bundles_of(bound.team_id)->contains(parts.bundle_id);
      std::string cause;
      if (added_later) {
        cause = "bundle " + shown(parts.bundle_id) + " joined team " + bound.team_id +
                " after this connection was bound; open a new connection";
      } else if (bound.bundles->empty()) {
        cause = "team " + bound.team_id + " has no bundle ids registered with the mock; add " +
                shown(parts.bundle_id) + " (admin API: POST /v1/teams/" + bound.team_id +
                "/bundles)";
      } else {
        cause = "topic " + shown(verdict_.topic) + " is not an app of team " + bound.team_id +
                " (the provider token's team)";
      }
      return reject(Reason::TopicDisallowed, cause);
    }
    if (!bound.current_key->serves_bundle(parts.bundle_id)) {
      return reject(Reason::TopicDisallowed,
                    "key " + bound.current_key->spec().key_id + " is restricted to other apps; " +
                        shown(parts.bundle_id) + " is not associated with it");
    }
    return true;
  }

  // apns-provider-api.md §7.4: exactly the topics the certificate lists; a single one is the
  // default.
  bool certificate_topic(const RequestField* header) {
    const auto& topics = auth_.identity()->topics;
    if (header == nullptr) {
      if (topics.size() != 1) {
        return reject(Reason::MissingTopic, "certificate allows " + std::to_string(topics.size()) +
                                                " topics, so apns-topic is required");
      }
      verdict_.topic = topics.front();
      return true;
    }
    verdict_.topic = header->value;
    if (std::find(topics.begin(), topics.end(), verdict_.topic) == topics.end()) {
      std::string allowed;
      for (const auto& t : topics) {
        allowed += (allowed.empty() ? "" : ", ") + t;
      }
      return reject(Reason::BadTopic, "topic " + shown(verdict_.topic) +
                                          " is not one the client certificate allows (" + allowed +
                                          ")");
    }
    return true;
  }

  bool push_type() {
    const RequestField* header = field(PushType_);
    const TopicParts parts = split_topic(verdict_.topic);
    if (header == nullptr) {
      verdict_.push_type = infer_push_type(verdict_.topic);
      verdict_.push_type_inferred = true;
      warn("apns-push-type missing; taken as " + std::string(push_type_name(*verdict_.push_type)) +
           " from the topic. Apple asks for it on every push");
      return true;
    }
    auto type = parse_push_type(header->value);
    if (!type) {
      return reject(Reason::InvalidPushType,
                    "apns-push-type " + shown(header->value) +
                        " is not a push type (alert, background, voip, ...)");
    }
    if (parts.suffix_type && *parts.suffix_type != *type) {
      return reject(Reason::InvalidPushType,
                    "apns-push-type " + std::string(header->value) + " cannot go to topic " +
                        shown(verdict_.topic) + ", which takes " +
                        std::string(push_type_name(*parts.suffix_type)) + " pushes");
    }
    verdict_.push_type = *type;
    // apns-provider-api.md §7.4 rule 4: types whose topics certificates never list need that topic
    // listed.
    const std::string_view suffix = topic_suffix(*type);
    if (auth_.uses_certificate() && !suffix.empty() && !parts.suffix_type) {
      const std::string needed = std::string(parts.bundle_id) + std::string(suffix);
      const auto& topics = auth_.identity()->topics;
      if (std::find(topics.begin(), topics.end(), needed) == topics.end()) {
        return reject(Reason::BadTopic, std::string(push_type_name(*type)) + " pushes need topic " +
                                            shown(needed) +
                                            ", which the client certificate does not allow");
      }
    }
    return true;
  }

  bool priority() {
    const RequestField* header = field(Priority);
    if (header != nullptr) {
      const std::string_view v = header->value;
      if (v == "10") {
        verdict_.priority = 10;
      } else if (v == "5") {
        verdict_.priority = 5;
      } else if (v == "1") {
        verdict_.priority = 1;
      } else {
        return reject(Reason::BadPriority, "apns-priority " + shown(v) + " is not 10, 5 or 1");
      }
    }
    if (verdict_.push_type == PushType::Background && verdict_.priority == 10) {
      return reject(Reason::BadPriority,
                    "background pushes must use apns-priority 5 (an absent header means 10)");
    }
    return true;
  }

  bool expiration() {
    const RequestField* header = field(Expiration);
    if (header == nullptr) {
      return true;
    }
    const std::string_view v = header->value;
    const auto parsed = v.starts_with('-') ? std::nullopt : core::parse_whole<std::int64_t>(v);
    if (!parsed) {
      return reject(Reason::BadExpirationDate,
                    "apns-expiration " + shown(v) +
                        " is not a UNIX time in seconds (0: deliver once, do not store)");
    }
    verdict_.expiration = *parsed;
    return true;
  }

  bool collapse_id() {
    const RequestField* header = field(CollapseId);
    if (header == nullptr) {
      return true;
    }
    if (header->value.size() > kMaxCollapseIdBytes) {
      return reject(Reason::BadCollapseId, "apns-collapse-id is " +
                                               std::to_string(header->value.size()) +
                                               " bytes; at most 64 are allowed");
    }
    verdict_.collapse_id = header->value;
    return true;
  }

  bool body() {
    const std::string_view body = request_.body;
    if (body.empty() && !request_.body_too_large) {
      return reject(Reason::PayloadEmpty, "the request has no body; send the JSON payload");
    }
    const std::size_t limit = payload_limit(*verdict_.push_type);
    if (request_.body_too_large) {
      return reject(Reason::PayloadTooLarge, std::string(push_type_name(*verdict_.push_type)) +
                                                 " payload is far over the limit of " +
                                                 std::to_string(limit) +
                                                 " bytes (the mock stopped reading it)");
    }
    if (body.size() > limit) {
      return reject(Reason::PayloadTooLarge, std::string(push_type_name(*verdict_.push_type)) +
                                                 " payload is " + std::to_string(body.size()) +
                                                 " bytes; at most " + std::to_string(limit) +
                                                 " are allowed");
    }
    if (!core::is_json_object(body)) {
      if (settings_.strict_json) {
        return reject(Reason::BadPayload,
                      "body is not a JSON object (mock-only reason: strictJson is on)");
      }
      verdict_.invalid_payload = true;
      warn("body is not a JSON object; accepted, but the device drops it");
    }
    return true;
  }

  bool device_token() {
    const std::string_view token = verdict_.token;
    if (!is_well_formed_token(token, settings_.token_syntax)) {
      return reject(Reason::BadDeviceToken,
                    "device token " + shown(token) + " is not " +
                        core::device_token_rule(settings_.token_syntax.min_hex,
                                                settings_.token_syntax.max_hex) +
                        " (settings tokenMinHex, tokenMaxHex); send the token the app received, "
                        "hex-encoded");
    }
    const TokenMatch match = ctx_.tokens->match(token, verdict_.topic);
    if (!match.found) {
      if (!settings_.strict_tokens) {
        return true;
      }
      return reject(Reason::BadDeviceToken,
                    "device token is unknown to the " + host_of(ctx_.environment) +
                        " listener (strict registry); register it, or check the environment");
    }
    if (match.environment != ctx_.environment) {
      return reject(Reason::BadDeviceToken,
                    "token was issued in the " + std::string(core::to_string(match.environment)) +
                        ", request came to the " + host_of(ctx_.environment) +
                        " listener; send it to the host of the app's aps-environment");
    }
    if (!match.topic_matches) {
      const auto record = ctx_.tokens->find(token);
      return reject(Reason::DeviceTokenNotForTopic,
                    "token belongs to topic " + shown(record ? record->topic : "?") +
                        ", request was for " + shown(verdict_.topic) +
                        " (VoIP tokens need <bundle>.voip, alert tokens the bare bundle id)");
    }
    // docs/spec/apns-provider-api.md §5.3: APNs confirms an uninstall at the end of the
    // unregister delay, so that moment is the 410's timestamp, never before a 200 given inside
    // the delay. 128 bits: an admin may set any timestamp.
    const __int128 confirmed_at =
        static_cast<__int128>(match.timestamp_ms) + settings_.unregister_delay.count();
    const bool unregistered = match.state == TokenState::Unregistered &&
                              static_cast<__int128>(core::unix_millis(ctx_.now)) >= confirmed_at;
    if (unregistered || match.state == TokenState::Expired) {
      // confirmed_at <= now when unregistered, so it fits in 64 bits.
      verdict_.timestamp_ms =
          unregistered ? static_cast<std::int64_t>(confirmed_at) : match.timestamp_ms;
      return reject(unregistered ? Reason::Unregistered : Reason::ExpiredToken,
                    unregistered ? "token is no longer registered (app uninstalled or token "
                                   "replaced); stop sending to it"
                                 : "token has expired; wait for the app to report a new one");
    }
    verdict_.token_unregistered = match.state == TokenState::Unregistered;
    return true;
  }

  bool rate() {
    if (ctx_.rate == nullptr ||
        ctx_.rate->allow(verdict_.token, ctx_.now, settings_.per_token_burst,
                         settings_.per_token_window)) {
      return true;
    }
    return reject(Reason::TooManyRequests,
                  "more than " + std::to_string(settings_.per_token_burst) +
                      " requests to this token within " +
                      std::to_string(settings_.per_token_window.count()) +
                      " s; slow down, or raise the mock's limit: the setting perTokenBurst "
                      "(--per-token-burst N; 0 turns it off) or perTokenWindow");
  }

  bool faults() {
    if (ctx_.faults == nullptr) {
      return true;
    }
    const std::string_view team = auth_.uses_certificate() && auth_.identity()
                                      ? std::string_view(auth_.identity()->team_id)
                                      : verdict_.team_id;
    auto hit = ctx_.faults->take(verdict_.token, verdict_.topic, team);
    if (!hit) {
      return true;
    }
    verdict_.fault_rule = hit->rule_id;
    verdict_.delay = hit->latency;
    verdict_.goaway_after_response = hit->goaway;
    verdict_.drop_connection = hit->drop;
    if (hit->reason) {
      if (reason_status(*hit->reason) == 410) { // a 410 always carries its timestamp (§5.3)
        verdict_.timestamp_ms = core::unix_millis(ctx_.now);
      }
      return reject(*hit->reason, "injected fault #" + std::to_string(hit->rule_id));
    }
    return true;
  }

  std::array<const RequestField*, kKnown> known_{};
  const RequestField* repeated_known_ = nullptr; // the second occurrence of an APNs field
  bool apns_id_valid_ = false;
  const PushRequest& request_;
  ConnectionAuth& auth_;
  const ValidationContext& ctx_;
  const Settings& settings_;
  Verdict verdict_;
};

} // namespace

Verdict validate(const PushRequest& request, ConnectionAuth& auth, const ValidationContext& ctx) {
  return Checker(request, auth, ctx).run();
}

} // namespace mock_apns
