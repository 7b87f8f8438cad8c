#include "mock_apns/json_codec.hpp"

#include "core/encoding.hpp"
#include "core/error.hpp"
#include "core/json_fields.hpp"
#include "core/json_parse.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <initializer_list>

#include <nlohmann/json.hpp>

namespace mock_apns {
namespace {

using nlohmann::json;

core::Unexpected<core::Error> bad(std::string what) {
  return core::fail(core::Errc::InvalidArgument, std::move(what));
}

// The error of a failed step, for a function returning another Result type.
core::Unexpected<core::Error> error_of(const core::Result<void>& failed) {
  return core::Unexpected<core::Error>(failed.error());
}

json time_ms(core::TimePoint t) {
  return core::unix_millis(t);
}

// Milliseconds since the epoch as a time point; past the clock's range (the year 2262 for
// nanoseconds) it is the last one there is, so a filter bound that far out is simply no bound.
core::TimePoint time_point_of_ms(std::int64_t ms) {
  constexpr auto kLast = std::chrono::duration_cast<std::chrono::milliseconds>(
      core::TimePoint::max().time_since_epoch());
  return ms >= kLast.count() ? core::TimePoint::max()
                             : core::TimePoint(std::chrono::milliseconds(ms));
}

} // namespace

core::Result<TokenRecord> token_record_from_json(const json& j) {
  if (auto r = core::require_json_object(j, "a token record",
                                         {"token", "environment", "topic", "state", "timestamp"});
      !r)
    return error_of(r);
  TokenRecord record;
  std::string environment, state = "active";
  if (auto r = core::read_json_field(j, "token", record.token); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "environment", environment); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "topic", record.topic); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "state", state); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "timestamp", record.timestamp_ms); !r) return error_of(r);
  if (record.token.empty()) return bad("\"token\" is required (hex)");
  if (record.topic.empty()) return bad("\"topic\" is required, e.g. com.example.app.voip");
  const auto env = core::parse_apns_environment(environment);
  if (!env) return bad("\"environment\" must be \"sandbox\" or \"production\"");
  record.environment = *env;
  const auto parsed_state = parse_token_state(state);
  if (!parsed_state) return bad("\"state\" must be \"active\", \"unregistered\" or \"expired\"");
  record.state = *parsed_state;
  return record;
}

json to_json(const TokenRecord& r) {
  return {{"token", r.token},
          {"environment", core::to_string(r.environment)},
          {"topic", r.topic},
          {"state", token_state_name(r.state)},
          {"timestamp", r.timestamp_ms}};
}

core::Result<std::vector<TokenRecord>> parse_token_records(std::string_view text) {
  const auto parsed = core::parse_json(text);
  if (!parsed) return bad(parsed.error().detail);
  return token_records_from_json(*parsed);
}

core::Result<std::vector<TokenRecord>> token_records_from_json(const json& document) {
  const json* parsed = &document;
  std::vector<TokenRecord> records;
  if (!parsed->is_array()) { // one record
    auto record = token_record_from_json(*parsed);
    if (!record) return bad(record.error().detail);
    records.push_back(std::move(*record));
    return records;
  }
  // Read where it is: a copy of a parsed document recurses once per level of nesting.
  records.reserve(parsed->size());
  for (std::size_t i = 0; i < parsed->size(); ++i) {
    auto record = token_record_from_json((*parsed)[i]);
    if (!record) return bad("record " + std::to_string(i) + ": " + record.error().detail);
    records.push_back(std::move(*record));
  }
  return records;
}

core::Result<ProviderKeySpec> key_spec_from_json(const json& j) {
  if (auto r = core::require_json_object(j, "a key",
                                         {"key_id", "team_id", "kind", "environments", "bundle_ids",
                                          "related_key_id", "public_key_pem", "revoked"});
      !r)
    return error_of(r);
  ProviderKeySpec spec;
  std::string kind = "team";
  std::vector<std::string> environments = {"sandbox", "production"};
  if (auto r = core::read_json_field(j, "key_id", spec.key_id); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "team_id", spec.team_id); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "kind", kind); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "environments", environments); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "bundle_ids", spec.bundle_ids); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "related_key_id", spec.related_key_id); !r)
    return error_of(r);
  if (auto r = core::read_json_field(j, "public_key_pem", spec.public_key_pem); !r)
    return error_of(r);
  if (auto r = core::read_json_field(j, "revoked", spec.revoked); !r) return error_of(r);
  if (kind != "team" && kind != "topic") return bad("\"kind\" must be \"team\" or \"topic\"");
  spec.kind = kind == "team" ? KeyKind::TeamScoped : KeyKind::TopicSpecific;
  spec.sandbox = spec.production = false;
  for (const auto& env : environments) {
    const auto parsed = core::parse_apns_environment(env);
    if (!parsed)
      return bad("\"environments\" holds \"" + env + "\"; use sandbox and/or production");
    (*parsed == Environment::Sandbox ? spec.sandbox : spec.production) = true;
  }
  if (spec.public_key_pem.empty())
    return bad("\"public_key_pem\" is required (the .p8 or its public key)");
  return spec;
}

json to_json(const ProviderKey& key) {
  const auto& s = key.spec();
  json environments = json::array();
  if (s.sandbox) environments.push_back("sandbox");
  if (s.production) environments.push_back("production");
  return {{"key_id", s.key_id},
          {"team_id", s.team_id},
          {"kind", key_kind_name(s.kind)},
          {"environments", environments},
          {"bundle_ids", s.bundle_ids},
          {"related_key_id", s.related_key_id},
          {"revoked", key.revoked()}};
}

core::Result<FaultRule> fault_rule_from_json(const json& j) {
  if (auto r = core::require_json_object(j, "a fault",
                                         {"scope", "match", "skip", "count", "reason", "latency_ms",
                                          "goaway", "drop", "probability"});
      !r)
    return error_of(r);
  FaultRule rule;
  std::string scope = "any", reason, goaway;
  std::int64_t latency_ms = 0;
  if (auto r = core::read_json_field(j, "scope", scope); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "match", rule.match); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "skip", rule.skip); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "count", rule.count); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "reason", reason); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "latency_ms", latency_ms); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "goaway", goaway); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "drop", rule.drop); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "probability", rule.probability); !r) return error_of(r);
  const auto parsed_scope = parse_fault_scope(scope);
  if (!parsed_scope) return bad("\"scope\" must be any, token, topic or team");
  rule.scope = *parsed_scope;
  if (rule.scope == FaultScope::Any && !rule.match.empty()) {
    return bad("\"match\" needs a \"scope\" (token, topic or team); without one the fault hits "
               "every request");
  }
  if (!reason.empty()) {
    rule.reason = parse_reason(reason);
    if (!rule.reason) return bad("\"reason\" \"" + reason + "\" is not an APNs reason");
  }
  if (!goaway.empty()) {
    rule.goaway = parse_reason(goaway);
    if (!rule.goaway) return bad("\"goaway\" \"" + goaway + "\" is not an APNs reason");
  }
  if (latency_ms < 0) return bad("\"latency_ms\" must not be negative");
  rule.latency = std::chrono::milliseconds(latency_ms);
  return rule;
}

json to_json(const ListedFault& f) {
  json j = {{"id", f.id},
            {"scope", fault_scope_name(f.rule.scope)},
            {"match", f.rule.match},
            {"skip", f.rule.skip},
            {"count", f.rule.count},
            {"latency_ms", f.rule.latency.count()},
            {"drop", f.rule.drop},
            {"probability", f.rule.probability},
            {"applied", f.applied}};
  if (f.rule.reason) j["reason"] = reason_text(*f.rule.reason);
  if (f.rule.goaway) j["goaway"] = reason_text(*f.rule.goaway);
  return j;
}

core::Result<JournalFilter> journal_filter_from_json(const json& j) {
  if (auto r = core::require_json_object(j, "a journal filter",
                                         {"environment", "token", "topic", "push_type", "status",
                                          "reason", "accepted", "since_ms", "until_ms"});
      !r)
    return error_of(r);
  JournalFilter f;
  std::string environment, push_type, reason, token, topic;
  std::int64_t since = -1, until = -1, status = -1;
  if (auto r = core::read_json_field(j, "environment", environment); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "token", token); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "topic", topic); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "push_type", push_type); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "status", status); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "reason", reason); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "accepted", f.accepted_only); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "since_ms", since); !r) return error_of(r);
  if (auto r = core::read_json_field(j, "until_ms", until); !r) return error_of(r);
  if (!environment.empty()) {
    f.environment = core::parse_apns_environment(environment);
    if (!f.environment) return bad("\"environment\" must be sandbox or production");
  }
  if (!push_type.empty()) {
    f.push_type = parse_push_type(push_type);
    if (!f.push_type) return bad("\"push_type\" \"" + push_type + "\" is not a push type");
  }
  if (!reason.empty()) {
    f.reason = parse_reason(reason);
    if (!f.reason) return bad("\"reason\" \"" + reason + "\" is not an APNs reason");
  }
  if (!token.empty()) f.token = token;
  if (!topic.empty()) f.topic = topic;
  if (status >= 0) f.status = static_cast<int>(status);
  if (since >= 0) f.since = time_point_of_ms(since);
  if (until >= 0) f.until = time_point_of_ms(until);
  return f;
}

json to_json(const JournalEntry& e) {
  json j = {{"sequence", e.sequence},
            {"time_ms", time_ms(e.time)},
            {"environment", core::to_string(e.environment)},
            {"connection", e.connection_id},
            {"auth", e.auth},
            {"method", e.method},
            {"path", e.path},
            {"apns_id", e.apns_id},
            {"token", e.token},
            {"topic", e.topic},
            {"status", e.status},
            {"payload_bytes", e.payload_bytes},
            {"cause", e.cause}};
  j["push_type"] = e.push_type ? json(push_type_name(*e.push_type)) : json(nullptr);
  j["reason"] = e.reason ? json(reason_text(*e.reason)) : json(nullptr);
  if (e.timestamp_ms) j["timestamp"] = *e.timestamp_ms;
  if (e.goaway) j["goaway"] = true;
  if (e.answer_dropped) j["answer_dropped"] = true;
  return j;
}

core::Result<JournalEntry> journal_entry_from_json(const json& j) {
  if (auto r = core::require_json_object(j, "a journal entry",
                                         {"sequence", "time_ms", "environment", "connection",
                                          "auth", "method", "path", "apns_id", "token", "topic",
                                          "status", "payload_bytes", "cause", "push_type", "reason",
                                          "timestamp", "goaway", "answer_dropped"});
      !r)
    return error_of(r);
  JournalEntry e;
  std::int64_t time = 0;
  std::string environment;
  std::optional<std::string> push_type, reason;
  core::JsonFields f(j);
  f.require("sequence", e.sequence)
      .require("time_ms", time)
      .require("environment", environment)
      .require("connection", e.connection_id)
      .require("auth", e.auth)
      .require("method", e.method)
      .require("path", e.path)
      .require("apns_id", e.apns_id)
      .require("token", e.token)
      .require("topic", e.topic)
      .require("status", e.status)
      .require("payload_bytes", e.payload_bytes)
      .require("cause", e.cause)
      .read("goaway", e.goaway)
      .read("answer_dropped", e.answer_dropped)
      .read("timestamp", e.timestamp_ms)
      .require_nullable("push_type", push_type)
      .require_nullable("reason", reason);
  if (f.problem()) return core::Unexpected(*f.problem());
  const auto env = core::parse_apns_environment(environment);
  if (!env) return bad("\"environment\" must be sandbox or production");
  e.environment = *env;
  e.time = time_point_of_ms(time);
  if (push_type) {
    e.push_type = parse_push_type(*push_type);
    if (!e.push_type) return bad("\"push_type\" \"" + *push_type + "\" is not a push type");
  }
  if (reason) {
    e.reason = parse_reason(*reason);
    if (!e.reason) return bad("\"reason\" \"" + *reason + "\" is not an APNs reason");
  }
  return e;
}

json to_json(const JournalCounters& c) {
  return {{"requests", c.requests},
          {"accepted", c.accepted},
          {"by_reason", c.by_reason},
          {"dropped_from_ring", c.dropped},
          {"answers_dropped", c.answers_dropped}};
}

json to_json(const Delivery& d) {
  json j = {{"sequence", d.sequence},
            {"apns_id", d.apns_id},
            {"environment", core::to_string(d.environment)},
            {"token", d.token},
            {"topic", d.topic},
            {"push_type", push_type_name(d.push_type)},
            {"priority", d.priority},
            {"collapse_id", d.collapse_id},
            {"payload", core::is_valid_utf8(d.payload) ? json(d.payload) : json(nullptr)},
            {"invalid_payload", d.invalid_payload},
            {"received_at_ms", time_ms(d.received_at)}};
  if (!d.unique_id.empty()) j["unique_id"] = d.unique_id;
  // A body that is not UTF-8 (gzip, say, which Apple forbids) cannot be a JSON string.
  if (!core::is_valid_utf8(d.payload)) j["payload_base64url"] = core::base64url_encode(d.payload);
  j["expiration"] = d.expiration ? json(*d.expiration) : json(nullptr);
  return j;
}

core::Result<Delivery> delivery_from_json(const json& j) {
  if (auto r = core::require_json_object(j, "a delivery",
                                         {"sequence", "apns_id", "unique_id", "environment",
                                          "token", "topic", "push_type", "priority", "expiration",
                                          "collapse_id", "payload", "payload_base64url",
                                          "invalid_payload", "received_at_ms", "cursor"});
      !r)
    return error_of(r);
  Delivery d;
  std::string environment, push_type;
  std::optional<std::string> payload, payload_base64url;
  std::int64_t received = 0;
  core::JsonFields f(j);
  f.require("sequence", d.sequence)
      .require("apns_id", d.apns_id)
      .read("unique_id", d.unique_id)
      .require("environment", environment)
      .require("token", d.token)
      .require("topic", d.topic)
      .require("push_type", push_type)
      .require("priority", d.priority)
      .require("collapse_id", d.collapse_id)
      .require("invalid_payload", d.invalid_payload)
      .require("received_at_ms", received)
      .read("payload_base64url", payload_base64url)
      .read("payload", payload)
      .require_nullable("expiration", d.expiration);
  if (f.problem()) return core::Unexpected(*f.problem());
  // A body that is not UTF-8 comes base64url-encoded beside a null "payload".
  if (payload_base64url) {
    auto decoded = core::base64url_decode(*payload_base64url);
    if (!decoded) return bad("\"payload_base64url\" is not base64url");
    d.payload = std::move(*decoded);
  } else if (payload) {
    d.payload = std::move(*payload);
  } else {
    return bad("a delivery has neither \"payload\" nor \"payload_base64url\"");
  }
  const auto env = core::parse_apns_environment(environment);
  if (!env) return bad("\"environment\" must be sandbox or production");
  const auto type = parse_push_type(push_type);
  if (!type) return bad("\"push_type\" \"" + push_type + "\" is not a push type");
  d.environment = *env;
  d.push_type = *type;
  d.received_at = time_point_of_ms(received);
  return d;
}

namespace {

// One row per switch: its spec name, how to read it and how to show it.
struct SettingField {
  const char* name;
  std::function<core::Result<void>(const json&, Settings&)> read;
  std::function<json(const Settings&)> show;
};

template <typename T>
SettingField plain(const char* name, T Settings::*member) {
  return {name,
          [name, member](const json& j, Settings& s) {
            return core::read_json_field(j, name, s.*member);
          },
          [member](const Settings& s) { return json(s.*member); }};
}

// The longest duration a setting takes: added to the clock's now (nanoseconds since 1970 in an
// int64) it still fits, with room to spare, and converting it never overflows.
constexpr double kMaxSettingSeconds = 100 * 365.25 * 24 * 3600;

template <typename Rep, typename Period>
SettingField seconds(const char* name, std::chrono::duration<Rep, Period> Settings::*member) {
  return {name,
          [name, member](const json& j, Settings& s) -> core::Result<void> {
            const auto& v = j.at(name);
            if (!v.is_number() || !(v.get<double>() >= 0 && v.get<double>() <= kMaxSettingSeconds))
              return bad(std::string("\"") + name +
                         "\" must be a number of seconds from 0 to 3155760000 (100 years)");
            s.*member = std::chrono::duration_cast<std::chrono::duration<Rep, Period>>(
                std::chrono::duration<double>(v.get<double>()));
            return {};
          },
          [member](const Settings& s) {
            return json(std::chrono::duration<double>(s.*member).count());
          }};
}

const std::vector<SettingField>& setting_fields() {
  static const std::vector<SettingField> fields = {
      plain("strictTokens", &Settings::strict_tokens),
      {"tokenMinHex",
       [](const json& j, Settings& s) {
         return core::read_json_field(j, "tokenMinHex", s.token_syntax.min_hex);
       },
       [](const Settings& s) { return json(s.token_syntax.min_hex); }},
      {"tokenMaxHex",
       [](const json& j, Settings& s) {
         return core::read_json_field(j, "tokenMaxHex", s.token_syntax.max_hex);
       },
       [](const Settings& s) { return json(s.token_syntax.max_hex); }},
      seconds("unregisterDelay", &Settings::unregister_delay),
      {"envKeyReasonSpelling",
       [](const json& j, Settings& s) -> core::Result<void> {
         const auto& v = j.at("envKeyReasonSpelling");
         if (v == "observed")
           s.env_key_reason_spelling = ReasonSpelling::Observed;
         else if (v == "documented")
           s.env_key_reason_spelling = ReasonSpelling::Documented;
         else
           return bad("\"envKeyReasonSpelling\" must be \"observed\" or \"documented\"");
         return {};
       },
       [](const Settings& s) {
         return json(s.env_key_reason_spelling == ReasonSpelling::Observed ? "observed"
                                                                           : "documented");
       }},
      plain("perStreamCertEnvErrors", &Settings::per_stream_cert_env_errors),
      plain("strictJson", &Settings::strict_json),
      seconds("tokenMaxAge", &Settings::token_max_age),
      seconds("tokenMaxFutureSkew", &Settings::token_max_future_skew),
      seconds("tokenRefreshInterval", &Settings::token_refresh_interval),
      plain("perTokenBurst", &Settings::per_token_burst),
      seconds("perTokenWindow", &Settings::per_token_window),
      plain("maxConcurrentStreams", &Settings::max_concurrent_streams),
      plain("headerTableSize", &Settings::header_table_size),
      plain("initialWindowSize", &Settings::initial_window_size),
      plain("maxFrameSize", &Settings::max_frame_size),
      plain("maxHeaderListSize", &Settings::max_header_list_size),
      plain("errorThrottling", &Settings::error_throttling),
      plain("errorBudget", &Settings::error_budget),
      plain("badDeviceTokenBudget", &Settings::bad_device_token_budget),
      seconds("streamIdleTimeout", &Settings::stream_idle_timeout),
      seconds("connectionIdleTimeout", &Settings::connection_idle_timeout),
      seconds("zeroExpiryGrace", &Settings::zero_expiry_grace),
  };
  return fields;
}

} // namespace

core::Result<void> apply_settings_json(const json& j, Settings& settings) {
  if (!j.is_object()) return bad("the settings must be a JSON object");
  Settings updated = settings;
  for (const auto& item : j.items()) {
    const std::string& name = item.key(); // not a structured binding: lambdas capture it
    const auto& fields = setting_fields();
    const auto field = std::find_if(fields.begin(), fields.end(),
                                    [&](const SettingField& f) { return name == f.name; });
    if (field == fields.end()) {
      std::string known;
      for (const auto& f : fields)
        known += (known.empty() ? "" : ", ") + std::string(f.name);
      return bad("unknown setting \"" + name + "\"; known: " + known);
    }
    if (auto r = field->read(j, updated); !r) return r;
  }
  if (updated.token_syntax.min_hex > updated.token_syntax.max_hex) {
    return bad("\"tokenMinHex\" is larger than \"tokenMaxHex\"");
  }
  if (updated.max_concurrent_streams == 0)
    return bad("\"maxConcurrentStreams\" must be at least 1");
  settings = updated;
  return {};
}

json to_json(const Settings& settings) {
  json j = json::object();
  for (const auto& field : setting_fields()) {
    j[field.name] = field.show(settings);
  }
  return j;
}

} // namespace mock_apns
