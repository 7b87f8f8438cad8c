#include "mock_apns/json_codec.hpp"

#include "core/apns_environment.hpp"
#include "core/clock.hpp"
#include "core/encoding.hpp"
#include "core/error.hpp"
#include "core/json_fields.hpp"
#include "core/json_parse.hpp"
#include "core/json_string.hpp"
#include "core/names.hpp"
#include "mock_apns/refused_certificates.hpp"
#include "pki/certificate.hpp"
#include "pki/fingerprint.hpp"

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

// envKeyReasonSpelling's words.
constexpr core::Names<ReasonSpelling, 2> kReasonSpellingNames{{
    {ReasonSpelling::Observed, "observed"},
    {ReasonSpelling::Documented, "documented"},
}};

json time_ms(core::TimePoint t) {
  return core::unix_millis(t);
}

// {"200": n, "400": m, ...}: JSON keys are strings.
json by_status_json(const std::map<int, std::uint64_t>& by_status) {
  json j = json::object();
  for (const auto& [status, n] : by_status)
    j[std::to_string(status)] = n;
  return j;
}

json headers_json(const net::Headers& headers) {
  json list = json::array();
  for (const net::Header& h : headers)
    list.push_back({{"name", h.name}, {"value", h.value}});
  return list;
}

core::Result<net::Headers> headers_from_json(const std::vector<json>& items) {
  return core::read_json_items(items, "header", [](const json& item) -> core::Result<net::Header> {
    net::Header h;
    core::JsonFields f(item, "a header", {"name", "value"});
    if (f.require("name", h.name).require("value", h.value).problem())
      return core::Unexpected(*f.problem());
    return h;
  });
}

// A text the client sent, as a JSON string; when it is not UTF-8 also its bytes, so that
// nothing is lost to the replacement characters.
void put_bytes(json& j, const char* name, const std::string& bytes) {
  j[name] = bytes;
  if (!core::is_valid_utf8(bytes))
    j[std::string(name) + "_base64url"] = core::base64url_encode(bytes);
}

// The kept authorization header decoded for people: the JWT's header and claims as JSON, and
// the size of the signature it had (redact_authorization wrote "bearer H.C; signature: N bytes").
std::optional<json> jwt_json(const net::Headers& headers) {
  const auto it = std::find_if(headers.begin(), headers.end(),
                               [](const net::Header& h) { return h.name == "authorization"; });
  if (it == headers.end()) return std::nullopt;
  const std::string& value = it->value;
  const auto space = value.find(' ');
  const auto dot = value.find('.');
  const auto semicolon = value.find("; signature: ");
  if (space == std::string::npos || dot == std::string::npos || semicolon == std::string::npos ||
      !(space < dot && dot < semicolon))
    return std::nullopt;
  const auto part = [](std::string_view text) -> json {
    auto decoded = core::base64url_decode(text);
    if (!decoded) return "(not base64url)";
    auto parsed = core::parse_json(*decoded);
    return parsed ? *parsed : json(*decoded);
  };
  return json{{"header", part(std::string_view(value).substr(space + 1, dot - space - 1))},
              {"claims", part(std::string_view(value).substr(dot + 1, semicolon - dot - 1))},
              {"signature", value.substr(semicolon + 13)}};
}

} // namespace

core::Result<TokenRecord> token_record_from_json(const json& j) {
  TokenRecord record; // active, timestamp 0, unless the record says otherwise
  core::JsonFields f(j, "a token record", {"token", "environment", "topic", "state", "timestamp"});
  f.read("token", record.token)
      .read("topic", record.topic)
      .require_named("environment", record.environment, core::parse_apns_environment,
                     core::apns_environment_words())
      .read_named("state", record.state, parse_token_state, token_state_words())
      .read("timestamp", record.timestamp_ms);
  if (f.problem()) return core::Unexpected(*f.problem());
  if (record.token.empty()) return bad("\"token\" is required (hex)");
  if (record.topic.empty()) return bad("\"topic\" is required, e.g. com.example.app.voip");
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
  ProviderKeySpec spec; // a team key for both environments unless the body says otherwise
  std::optional<std::vector<std::string>> environments;
  core::JsonFields f(j, "a key",
                     {"key_id", "team_id", "kind", "environments", "bundle_ids", "related_key_id",
                      "public_key_pem", "revoked"});
  f.read("key_id", spec.key_id)
      .read("team_id", spec.team_id)
      .read_named("kind", spec.kind, parse_key_kind, key_kind_words())
      .read("environments", environments)
      .read("bundle_ids", spec.bundle_ids)
      .read("related_key_id", spec.related_key_id)
      .read("public_key_pem", spec.public_key_pem)
      .read("revoked", spec.revoked);
  if (f.problem()) return core::Unexpected(*f.problem());
  if (environments) {
    const auto parsed = core::parse_apns_environments(*environments);
    if (!parsed) return core::Unexpected(parsed.error());
    spec.sandbox = std::ranges::count(*parsed, Environment::Sandbox) > 0;
    spec.production = std::ranges::count(*parsed, Environment::Production) > 0;
  }
  if (spec.public_key_pem.empty())
    return bad("\"public_key_pem\" is required (the .p8 or its public key)");
  return spec;
}

json to_json(const ProviderKeySpec& s) {
  json environments = json::array();
  if (s.sandbox) environments.push_back(core::to_string(Environment::Sandbox));
  if (s.production) environments.push_back(core::to_string(Environment::Production));
  return {{"key_id", s.key_id},
          {"team_id", s.team_id},
          {"kind", key_kind_name(s.kind)},
          {"environments", environments},
          {"bundle_ids", s.bundle_ids},
          {"related_key_id", s.related_key_id},
          {"public_key_pem", s.public_key_pem},
          {"revoked", s.revoked}};
}

json to_json(const ProviderKey& key) {
  json j = to_json(key.spec());
  j.erase("public_key_pem"); // a listing shows what the key allows, not the key
  j["revoked"] = key.revoked();
  return j;
}

core::Result<FaultRule> fault_rule_from_json(const json& j) {
  FaultRule rule;
  std::int64_t latency_ms = 0;
  core::JsonFields f(
      j, "a fault",
      {"scope", "match", "skip", "count", "reason", "latency_ms", "goaway", "drop", "probability"});
  f.read_named("scope", rule.scope, parse_fault_scope, fault_scope_words())
      .read("match", rule.match)
      .read("skip", rule.skip)
      .read("count", rule.count)
      .read_named("reason", rule.reason, parse_reason, "an APNs reason")
      .read("latency_ms", latency_ms)
      .read_named("goaway", rule.goaway, parse_reason, "an APNs reason")
      .read("drop", rule.drop)
      .read("probability", rule.probability);
  if (f.problem()) return core::Unexpected(*f.problem());
  if (rule.scope == FaultScope::Any && !rule.match.empty()) {
    return bad("\"match\" needs a \"scope\" (token, topic or team); without one the fault hits "
               "every request");
  }
  if (latency_ms < 0) return bad("\"latency_ms\" must not be negative");
  rule.latency = std::chrono::milliseconds(latency_ms);
  return rule;
}

json to_json(const FaultRule& rule) {
  json j = {{"scope", fault_scope_name(rule.scope)},
            {"match", rule.match},
            {"skip", rule.skip},
            {"count", rule.count},
            {"latency_ms", rule.latency.count()},
            {"drop", rule.drop},
            {"probability", rule.probability}};
  if (rule.reason) j["reason"] = reason_text(*rule.reason);
  if (rule.goaway) j["goaway"] = reason_text(*rule.goaway);
  return j;
}

json to_json(const ListedFault& f) {
  json j = to_json(f.rule);
  j["id"] = f.id;
  j["applied"] = f.applied;
  return j;
}

core::Result<ListedFault> listed_fault_from_json(const json& j) {
  ListedFault listed;
  core::JsonFields f(j);
  if (f.require("id", listed.id).require("applied", listed.applied).problem())
    return core::Unexpected(*f.problem());
  json rule = j; // the rest is the rule as POST /v1/faults takes it
  rule.erase("id");
  rule.erase("applied");
  auto parsed = fault_rule_from_json(rule);
  if (!parsed) return core::Unexpected(parsed.error());
  listed.rule = std::move(*parsed);
  return listed;
}

core::Result<JournalFilter> journal_filter_from_json(const json& j) {
  JournalFilter filter;
  std::optional<std::int64_t> since, until;
  core::JsonFields f(j, "a journal filter",
                     {"environment", "token", "topic", "push_type", "status", "reason", "accepted",
                      "since_ms", "until_ms", "header", "text"});
  std::optional<std::string> header;
  f.read_named("environment", filter.environment, core::parse_apns_environment,
               core::apns_environment_words())
      .read("token", filter.token)
      .read("topic", filter.topic)
      .read_named("push_type", filter.push_type, parse_push_type, "a push type")
      .read("status", filter.status)
      .read_named("reason", filter.reason, parse_reason, "an APNs reason")
      .read("accepted", filter.accepted_only)
      .read("since_ms", since)
      .read("until_ms", until)
      .read("header", header)
      .read("text", filter.text);
  if (f.problem()) return core::Unexpected(*f.problem());
  if (header) {
    const auto colon = header->find(':');
    if (colon == std::string::npos || colon == 0)
      return bad("\"header\" is NAME:VALUE, e.g. apns-collapse-id:abc; got " +
                 core::printable(*header));
    // "name: value" as curl writes it matches too.
    const auto value = header->find_first_not_of(' ', colon + 1);
    filter.header = net::Header{header->substr(0, colon),
                                value == std::string::npos ? "" : header->substr(value)};
  }
  if (since) filter.since = core::from_unix_millis(*since);
  if (until) filter.until = core::from_unix_millis(*until);
  return filter;
}

namespace {

// An entry without what the client sent and the answer: the summary page's entries, and the
// start of a whole one.
json summary_json(const JournalEntry& e) {
  json j = {{"sequence", e.sequence},
            {"time_ms", time_ms(e.time)},
            {"environment", core::to_string(e.environment)},
            {"connection", e.connection_id},
            {"auth", e.auth},
            {"auth_kind", auth_kind_name(e.auth_kind)},
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
  j["certificate_kind"] =
      e.certificate_kind ? json(pki::kind_name(*e.certificate_kind)) : json(nullptr);
  if (e.timestamp_ms) j["timestamp"] = *e.timestamp_ms;
  if (e.goaway) j["goaway"] = true;
  if (e.answer_dropped) j["answer_dropped"] = true;
  j["priority"] = e.priority ? json(*e.priority) : json(nullptr);
  json steps = json::array();
  for (const DeliveryStep& step : e.delivery) {
    json s = {{"time_ms", time_ms(step.time)}, {"status", delivery_status_name(step.status)}};
    if (!step.detail.empty()) s["detail"] = step.detail;
    steps.push_back(std::move(s));
  }
  j["delivery"] = std::move(steps);
  // The latest step the mock itself took, the console's "delivery status" column.
  const auto mock_step = std::find_if(e.delivery.rbegin(), e.delivery.rend(), [](const auto& s) {
    return s.status != DeliveryStatus::Device;
  });
  j["delivery_status"] = mock_step != e.delivery.rend()
                             ? json(delivery_status_name(mock_step->status))
                             : json(nullptr);
  return j;
}

} // namespace

json to_json(const JournalEntry& e) {
  json j = summary_json(e);
  const net::Headers sent = e.request_headers.unpack();
  j["request_headers"] = headers_json(sent);
  if (auto jwt = jwt_json(sent)) j["jwt"] = std::move(*jwt);
  put_bytes(j, "body", e.body);
  j["body_truncated"] = e.body.size() < e.payload_bytes;
  j["answer_headers"] = headers_json(e.answer_headers);
  j["answer_body"] = e.answer_body;
  return j;
}

core::Result<JournalEntry> journal_entry_from_json(const json& j) {
  JournalEntry e;
  std::int64_t time = 0;
  core::JsonFields f(j, "a journal entry",
                     {"sequence",
                      "time_ms",
                      "environment",
                      "connection",
                      "auth",
                      "auth_kind",
                      "certificate_kind",
                      "method",
                      "path",
                      "apns_id",
                      "token",
                      "topic",
                      "status",
                      "payload_bytes",
                      "cause",
                      "push_type",
                      "reason",
                      "timestamp",
                      "goaway",
                      "answer_dropped",
                      "priority",
                      "request_headers",
                      "jwt",
                      "body",
                      "body_base64url",
                      "body_truncated",
                      "answer_headers",
                      "answer_body",
                      "delivery",
                      "delivery_status"});
  std::vector<json> request_headers, answer_headers, steps;
  std::optional<std::string> body_base64url;
  f.require("sequence", e.sequence)
      .require("time_ms", time)
      .require_named("environment", e.environment, core::parse_apns_environment,
                     core::apns_environment_words())
      .require("connection", e.connection_id)
      .require("auth", e.auth)
      .require_named("auth_kind", e.auth_kind, parse_auth_kind, auth_kind_words())
      .require_nullable_named("certificate_kind", e.certificate_kind, pki::parse_certificate_kind,
                              pki::certificate_kind_words())
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
      .require_nullable_named("push_type", e.push_type, parse_push_type, "a push type")
      .require_nullable_named("reason", e.reason, parse_reason, "an APNs reason")
      .read("priority", e.priority)
      .read("request_headers", request_headers)
      .read("body", e.body)
      .read("body_base64url", body_base64url)
      .read("answer_headers", answer_headers)
      .read("answer_body", e.answer_body)
      .read("delivery", steps);
  if (f.problem()) return core::Unexpected(*f.problem());
  e.time = core::from_unix_millis(time);
  if (body_base64url) {
    auto bytes = core::base64url_decode(*body_base64url);
    if (!bytes) return bad("\"body_base64url\" is not base64url");
    e.body = std::move(*bytes);
  }
  auto sent = headers_from_json(request_headers);
  if (!sent) return core::Unexpected(sent.error());
  e.request_headers.clear();
  for (const net::Header& h : *sent)
    e.request_headers.add(h.name, h.value);
  auto answered = headers_from_json(answer_headers);
  if (!answered) return core::Unexpected(answered.error());
  e.answer_headers = std::move(*answered);
  auto delivery =
      core::read_json_items(steps, "step", [](const json& item) -> core::Result<DeliveryStep> {
        DeliveryStep step;
        std::int64_t at = 0;
        core::JsonFields s(item, "a delivery step", {"time_ms", "status", "detail"});
        s.require("time_ms", at)
            .require_named("status", step.status, parse_delivery_status, delivery_status_words())
            .read("detail", step.detail);
        if (s.problem()) return core::Unexpected(*s.problem());
        step.time = core::from_unix_millis(at);
        return step;
      });
  if (!delivery) return core::Unexpected(delivery.error());
  e.delivery = std::move(*delivery);
  return e;
}

// Written for people and CI scripts (GET /v1/journal, /v1/health); voipsim reads no counters back.
json to_json(const JournalCounters& c) {
  return {{"requests", c.requests},         {"accepted", c.accepted},
          {"by_reason", c.by_reason},       {"by_status", by_status_json(c.by_status)},
          {"dropped_from_ring", c.dropped}, {"answers_dropped", c.answers_dropped}};
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
  Delivery d;
  std::optional<std::string> payload, payload_base64url;
  std::int64_t received = 0;
  core::JsonFields f(j, "a delivery",
                     {"sequence", "apns_id", "unique_id", "environment", "token", "topic",
                      "push_type", "priority", "expiration", "collapse_id", "payload",
                      "payload_base64url", "invalid_payload", "received_at_ms", "cursor"});
  f.require("sequence", d.sequence)
      .require("apns_id", d.apns_id)
      .read("unique_id", d.unique_id)
      .require_named("environment", d.environment, core::parse_apns_environment,
                     core::apns_environment_words())
      .require("token", d.token)
      .require("topic", d.topic)
      .require_named("push_type", d.push_type, parse_push_type, "a push type")
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
  d.received_at = core::from_unix_millis(received);
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
            double value = 0;
            if (core::JsonFields(j).require(name, value).problem() ||
                !(value >= 0 && value <= kMaxSettingSeconds))
              return bad(std::string("\"") + name +
                         "\" must be a number of seconds from 0 to 3155760000 (100 years)");
            s.*member = std::chrono::duration_cast<std::chrono::duration<Rep, Period>>(
                std::chrono::duration<double>(value));
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
         core::JsonFields f(j);
         f.require_named(
             "envKeyReasonSpelling", s.env_key_reason_spelling,
             [](std::string_view text) { return core::value_named(kReasonSpellingNames, text); },
             core::words_of(kReasonSpellingNames));
         if (f.problem()) return core::Unexpected(*f.problem());
         return {};
       },
       [](const Settings& s) {
         return json(core::name_of(kReasonSpellingNames, s.env_key_reason_spelling));
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

namespace {

// A page of `entries`, each written by `each`, with the counters.
template <class Each>
json page_json(const std::vector<JournalEntry>& entries, const JournalCounters& counters,
               Each each) {
  json list = json::array();
  for (const auto& e : entries)
    list.push_back(each(e));
  return {{"entries", std::move(list)}, {"counters", to_json(counters)}};
}

} // namespace

json journal_page_json(const std::vector<JournalEntry>& entries, const JournalCounters& counters) {
  return page_json(entries, counters, [](const JournalEntry& e) { return to_json(e); });
}

json journal_summary_page_json(const std::vector<JournalEntry>& entries,
                               const JournalCounters& counters) {
  json page = page_json(entries, counters, summary_json);
  page["summary"] = true;
  return page;
}

core::Result<std::vector<JournalEntry>> journal_page_entries_from_json(const json& j) {
  std::vector<json> listed;
  core::JsonFields f(j, "a journal page", {"entries", "counters"});
  if (f.require("entries", listed).problem()) return core::Unexpected(*f.problem());
  return core::read_json_items(listed, "entry", journal_entry_from_json);
}

json feed_item_json(std::uint64_t cursor, const Delivery& delivery) {
  json j = to_json(delivery);
  j["cursor"] = cursor;
  return j;
}

json to_json(const FeedPage& page) {
  json list = json::array();
  for (const auto& [cursor, delivery] : page.deliveries)
    list.push_back(feed_item_json(cursor, delivery));
  return {{"deliveries", std::move(list)}, {"next", page.next}};
}

core::Result<FeedPage> feed_page_from_json(const json& j) {
  constexpr const char* kShape = "a delivery page {\"deliveries\":[...],\"next\":N}";
  FeedPage page;
  std::vector<json> items;
  core::JsonFields f(j, kShape, {"deliveries", "next"});
  if (f.require("deliveries", items).require("next", page.next).problem())
    return core::fail(core::Errc::InvalidArgument,
                      std::string(kShape) + ": " + f.problem()->detail);
  for (const auto& item : items) {
    std::uint64_t cursor = 0;
    const auto cursor_problem = core::JsonFields(item).require("cursor", cursor).problem();
    if (!cursor_problem && !page.first_cursor) page.first_cursor = cursor;
    auto delivery = delivery_from_json(item);
    if (!delivery) {
      page.skipped.push_back(delivery.error().detail + ": " + core::json_text(item));
    } else if (cursor_problem) {
      page.skipped.push_back(cursor_problem->detail + ": " + core::json_text(item));
    } else {
      page.deliveries.emplace_back(cursor, std::move(*delivery));
    }
  }
  return page;
}

json reachability_body(bool reachable) {
  return {{"reachable", reachable}};
}

core::Result<bool> reachable_from_body(const json& j) {
  bool reachable = true;
  core::JsonFields f(j, "a reachability change", {"reachable"});
  if (f.require("reachable", reachable).problem())
    return core::fail(
        core::Errc::InvalidArgument,
        f.problem()->detail +
            ": send {\"reachable\": true|false} (false: airplane mode or powered off)");
  return reachable;
}

json unregister_body(std::optional<std::int64_t> timestamp_ms) {
  return timestamp_ms ? json{{"timestamp", *timestamp_ms}} : json::object();
}

core::Result<std::optional<std::int64_t>> unregister_timestamp_from_body(const json& j) {
  std::optional<std::int64_t> timestamp;
  core::JsonFields f(j, "an uninstall", {"timestamp"});
  if (f.read("timestamp", timestamp).problem())
    return core::fail(core::Errc::InvalidArgument,
                      f.problem()->detail + " (milliseconds since the UNIX epoch)");
  return timestamp;
}

json refused_certificate_body(std::string_view sha256) {
  return {{"sha256", sha256}};
}

core::Result<std::string> refused_fingerprint_from_body(const json& j) {
  std::optional<std::string> certificate, sha256;
  core::JsonFields f(j, "a certificate to refuse", {"certificate", "sha256"});
  f.read("certificate", certificate).read("sha256", sha256);
  if (f.problem()) return core::Unexpected(*f.problem());
  if (certificate.has_value() == sha256.has_value())
    return core::fail(core::Errc::InvalidArgument,
                      "send {\"certificate\": \"<PEM>\"} or {\"sha256\": \"<fingerprint>\"}");
  if (sha256) return parse_certificate_fingerprint(*sha256);
  auto fingerprint = pki::certificate_sha256(*certificate);
  if (!fingerprint)
    return core::fail(core::Errc::InvalidArgument,
                      "\"certificate\" is not a PEM certificate: " + fingerprint.error().detail);
  return fingerprint;
}

json to_json(const AdminHealth& h) {
  return {{"status", "ok"},
          {"sandbox_port", h.sandbox_port},
          {"production_port", h.production_port},
          {"tokens", h.tokens},
          {"keys", h.keys},
          {"deliveries", h.deliveries}};
}

core::Result<AdminHealth> admin_health_from_json(const json& j) {
  AdminHealth h;
  core::JsonFields f(j, "the mock's health",
                     {"status", "sandbox_port", "production_port", "tokens", "keys", "deliveries"});
  f.require_value("status", "ok")
      .require("sandbox_port", h.sandbox_port)
      .require("production_port", h.production_port)
      .require("tokens", h.tokens)
      .require("keys", h.keys)
      .require("deliveries", h.deliveries);
  if (f.problem()) return core::Unexpected(*f.problem());
  return h;
}

nlohmann::ordered_json to_json(const ReadyLine& r) {
  return {{"event", "ready"}, {"sandbox", r.sandbox}, {"production", r.production},
          {"admin", r.admin}, {"console", r.console}, {"pki", r.pki}};
}

core::Result<ReadyLine> ready_line_from_json(const json& j) {
  ReadyLine r;
  core::JsonFields f(j, "voipsim mock-apns's ready line",
                     {"event", "sandbox", "production", "admin", "console", "pki"});
  f.require_value("event", "ready")
      .require("sandbox", r.sandbox)
      .require("production", r.production)
      .require("admin", r.admin)
      .read("console", r.console) // lines of older mocks have none
      .require("pki", r.pki);
  if (f.problem()) return core::Unexpected(*f.problem());
  return r;
}

} // namespace mock_apns
