#include "mock_apns/admin_api.hpp"

#include "core/encoding.hpp"
#include "core/json_fields.hpp"
#include "core/json_parse.hpp"
#include "core/parse_number.hpp"
#include "mock_apns/console.hpp"
#include "mock_apns/json_codec.hpp"
#include "mock_apns/server.hpp"
#include "mock_apns/test_push.hpp"
#include "mock_apns/token_outlook.hpp"
#include "net/json_api.hpp"

#include <sstream>
#include <utility>

namespace mock_apns {
namespace {

using net::ApiError;
using net::Http1Request;
using net::Http1Response;
using net::Http1Target;
using net::QueryReader;
using nlohmann::json;

constexpr std::uint64_t kDefaultLimit = 1000;

Http1Response reply(int status, const json& body) {
  return net::json_response(status, body);
}
Http1Response refuse(int status, std::string code, std::string message) {
  return net::error_response({std::move(code), std::move(message), status});
}
using net::bad_request;
Http1Response not_found(const Http1Request& r, const Http1Target& t) {
  return net::no_such_endpoint(r.method, t.path);
}
Http1Response no_token(const std::string& token) {
  return refuse(404, "NO_SUCH_TOKEN", "token " + core::printable(token) + " is not registered");
}
Http1Response no_key(const std::string& id) {
  return refuse(404, "NO_SUCH_KEY", "no key " + core::printable(id) + "; GET /v1/keys lists them");
}

// The parts of `t`'s path after /v1/<collection>: {item, action}, each "" when absent.
std::pair<std::string, std::string> item_of(const Http1Target& t) {
  const auto& s = t.segments;
  return {s.size() > 2 ? s[2] : "", s.size() > 3 ? s[3] : ""};
}
// A path with more parts than any endpoint of its collection has.
bool too_deep(const Http1Target& t) {
  return t.segments.size() > 4;
}

// The answer to a query the endpoint does not take, if any.
std::optional<Http1Response> query_problem(const QueryReader& q) {
  if (q.problem()) return net::error_response(*q.problem());
  return std::nullopt;
}

Http1Response endpoints() {
  return reply(200, {{"endpoints",
                      {"GET /v1/health",
                       "GET /v1/settings",
                       "GET|POST|DELETE /v1/tokens",
                       "GET|DELETE /v1/tokens/<token>",
                       "POST /v1/tokens/<token>/unregister",
                       "POST /v1/tokens/<token>/reachability",
                       "GET /v1/tokens/<token>/held",
                       "GET /v1/tokens/<token>/outlook",
                       "GET|POST /v1/keys",
                       "POST /v1/keys/<id>/revoke",
                       "DELETE /v1/keys/<id>",
                       "GET /v1/teams",
                       "POST /v1/teams/<team>/bundles",
                       "GET /v1/journal",
                       "GET /v1/journal/<apns-id or sequence>",
                       "POST /v1/journal/<apns-id>/device",
                       "POST /v1/journal/verify",
                       "GET|POST|DELETE /v1/faults",
                       "DELETE /v1/faults/<id>",
                       "GET|POST|DELETE /v1/certificates/refused",
                       "DELETE /v1/certificates/refused/<sha256>",
                       "GET /v1/deliveries?after=N&wait_ms=M",
                       "GET /v1/deliveries/stream?after=N",
                       "POST /v1/reset?scope=" + reset_scope_words(),
                       "POST /v1/send",
                       "GET /metrics"}}});
}

Http1Response health(Server& mock) {
  AdminHealth h;
  h.sandbox_port = mock.port(Environment::Sandbox);
  h.production_port = mock.port(Environment::Production);
  h.tokens = mock.tokens().size();
  h.keys = mock.keys().list().size();
  h.deliveries = mock.feed().last_cursor();
  return reply(200, to_json(h));
}

// The apns-provider-api.md §10 settings, and beside them what the journal ring keeps (its capacity
// after the bytes bound: JournalBounds).
Http1Response settings(Server& mock) {
  json j = to_json(mock.settings());
  const JournalBounds& bounds = mock.journal().bounds();
  j["journal"] = {{"capacity", mock.journal().capacity()},
                  {"capacity_asked", bounds.capacity},
                  {"body_limit", bounds.body_limit},
                  {"max_bytes", bounds.max_bytes},
                  {"slot_bytes_at_most", journal_slot_bytes(bounds)}};
  return reply(200, j);
}

// "Can this token get a VoIP push right now, and would it ring?" (token_outlook.hpp).
Http1Response outlook(const std::string& token, Server& mock) {
  mock.expire_held();
  TokenFacts facts;
  facts.token = token;
  facts.record = mock.tokens().find(token);
  facts.strict_tokens = mock.settings().strict_tokens;
  facts.unregister_delay = mock.settings().unregister_delay;
  facts.rate_window = mock.settings().per_token_window;
  facts.reachable = mock.held().reachable(token);
  facts.held = mock.held().held(token).size();
  JournalFilter mine;
  mine.token = token;
  constexpr std::size_t kRecent = 50; // the device's recent story is enough
  facts.requests = mock.journal().query(mine, kRecent);
  std::reverse(facts.requests.begin(), facts.requests.end()); // newest first
  facts.now = mock.clock().now();
  const TokenOutlook o = token_outlook(facts);
  json j = {{"token", token},
            {"known", facts.record.has_value()},
            {"summary", o.summary},
            {"can_push", o.can_push},
            {"would_ring", o.would_ring ? json(*o.would_ring) : json(nullptr)},
            {"notes", o.notes},
            {"kills", o.kills},
            {"reachable", facts.reachable},
            {"held", facts.held}};
  j["last_push_ms"] = o.last_push ? json(core::unix_millis(*o.last_push)) : json(nullptr);
  return reply(200, j);
}

Http1Response tokens(const Http1Request& r, const Http1Target& t, Server& mock) {
  const auto [token, action] = item_of(t);
  if (token.empty()) {
    if (r.method == "GET") {
      QueryReader q(t, {"offset", "limit"});
      const auto offset = q.count("offset").value_or(0);
      const auto limit = q.count("limit").value_or(kDefaultLimit);
      if (auto problem = query_problem(q)) return *problem;
      json list = json::array();
      for (const auto& record : mock.tokens().list(offset, limit))
        list.push_back(to_json(record));
      return reply(200, {{"total", mock.tokens().size()}, {"offset", offset}, {"tokens", list}});
    }
    if (r.method == "POST") {
      const auto body = core::parse_json(r.body);
      if (!body) return refuse(400, "BAD_JSON", "the token records are " + body.error().detail);
      auto records = token_records_from_json(*body);
      if (!records) return bad_request(records.error().detail);
      for (std::size_t i = 0; i < records->size(); ++i) {
        if (auto put = mock.tokens().put((*records)[i]); !put) {
          return bad_request("record " + std::to_string(i) + ": " + put.error().detail +
                             (i > 0 ? " (the records before it were added)" : ""));
        }
      }
      return reply(200, {{"added", records->size()}});
    }
    if (r.method == "DELETE") {
      const auto removed = mock.tokens().size();
      mock.tokens().clear();
      return reply(200, {{"deleted", removed}});
    }
    return not_found(r, t);
  }
  if (action.empty() && r.method == "GET") {
    const auto record = mock.tokens().find(token);
    return record ? reply(200, to_json(*record)) : no_token(token);
  }
  if (action.empty() && r.method == "DELETE") {
    return mock.tokens().erase(token) ? reply(200, {{"deleted", 1}}) : no_token(token);
  }
  if (action == "reachability" && r.method == "POST") {
    const auto body = net::json_body(r, "a reachability change");
    if (!body) return net::error_response(body.error());
    const auto reachable = reachable_from_body(*body);
    if (!reachable) return bad_request(reachable.error().detail);
    const std::size_t released = mock.set_reachable(token, *reachable);
    return reply(200, {{"token", token}, {"reachable", *reachable}, {"released", released}});
  }
  if (action == "outlook" && r.method == "GET") return outlook(token, mock);
  if (action == "held" && r.method == "GET") {
    json list = json::array();
    for (const auto& d : mock.held().held(token))
      list.push_back(to_json(d));
    return reply(200,
                 {{"token", token}, {"reachable", mock.held().reachable(token)}, {"held", list}});
  }
  if (action == "unregister" && r.method == "POST") {
    const auto body = net::json_body(r, "an uninstall");
    if (!body) return net::error_response(body.error());
    const auto timestamp = unregister_timestamp_from_body(*body);
    if (!timestamp) return bad_request(timestamp.error().detail);
    if (!mock.tokens().set_state(token, TokenState::Unregistered,
                                 timestamp->value_or(core::unix_millis(mock.clock().now()))))
      return no_token(token);
    const auto record = mock.tokens().find(token);
    return record ? reply(200, to_json(*record))
                  : refuse(409, "CONFLICT", "token " + token + " was deleted meanwhile");
  }
  return not_found(r, t);
}

Http1Response keys(const Http1Request& r, const Http1Target& t, Server& mock) {
  const auto [id, action] = item_of(t);
  if (id.empty() && r.method == "GET") {
    json list = json::array();
    for (const auto& key : mock.keys().list())
      list.push_back(to_json(*key));
    return reply(200, {{"keys", list}});
  }
  if (id.empty() && r.method == "POST") {
    const auto body = net::json_body(r, "a provider key");
    if (!body) return net::error_response(body.error());
    auto spec = key_spec_from_json(*body);
    if (!spec) return bad_request(spec.error().detail);
    const std::string key_id = spec->key_id;
    if (auto added = mock.keys().add(std::move(*spec)); !added)
      return bad_request(added.error().detail);
    const auto key = mock.keys().find(key_id); // null if removed meanwhile by another client
    return key ? reply(200, to_json(*key))
               : refuse(409, "CONFLICT", "key " + key_id + " was removed meanwhile");
  }
  if (!id.empty() && action == "revoke" && r.method == "POST") {
    const auto key = mock.keys().find(id);
    if (!key) return no_key(id);
    key->revoke();
    return reply(200, to_json(*key));
  }
  if (!id.empty() && action.empty() && r.method == "DELETE")
    return mock.keys().remove(id) ? reply(200, {{"deleted", 1}}) : no_key(id);
  return not_found(r, t);
}

Http1Response teams(const Http1Request& r, const Http1Target& t, Server& mock) {
  const auto [team, action] = item_of(t);
  if (team.empty() && r.method == "GET") {
    json out = json::object();
    for (const auto& [name, bundles] : mock.keys().teams())
      out[name] = bundles;
    return reply(200, {{"teams", out}});
  }
  if (!team.empty() && action == "bundles" && r.method == "POST") {
    const auto body = net::json_body(r, "a bundle id", {"bundle_id"});
    if (!body) return net::error_response(body.error());
    std::string bundle_id;
    if (core::JsonFields(*body).require("bundle_id", bundle_id).problem())
      return bad_request("send {\"bundle_id\":\"com.example.app\"}");
    if (auto added = mock.keys().add_bundle(team, bundle_id); !added)
      return bad_request(added.error().detail);
    return reply(200, {{"team", team}, {"bundle_ids", *mock.keys().bundles_of(team)}});
  }
  return not_found(r, t);
}

// GET /v1/journal's query as the JSON filter that POST /v1/journal/verify takes as its body.
// `summary`: entries without what the client sent and the answer (the console's list).
std::variant<json, ApiError> journal_query(const Http1Target& t, std::uint64_t& limit,
                                           bool& summary) {
  QueryReader q(t, {"environment", "token", "topic", "push_type", "reason", "status", "accepted",
                    "since_ms", "until_ms", "limit", "header", "text", "summary"});
  json j = json::object();
  // An empty value (?reason=) sets no filter.
  for (const char* name :
       {"environment", "token", "topic", "push_type", "reason", "header", "text"})
    if (auto text = q.text(name); text && !text->empty()) j[name] = *text;
  for (const char* name : {"status", "since_ms", "until_ms"})
    if (auto n = q.integer(name)) j[name] = *n;
  if (auto accepted = q.flag("accepted")) j["accepted"] = *accepted;
  limit = q.count("limit").value_or(kDefaultLimit);
  summary = q.flag("summary").value_or(false);
  if (q.problem()) return *q.problem();
  return j;
}

Http1Response journal(const Http1Request& r, const Http1Target& t, Server& mock) {
  const auto [what, extra] = item_of(t);
  // A push kept for a device that stays away shows as expired once its time ran out.
  if (r.method == "GET") mock.expire_held();
  if (what.empty() && r.method == "GET") {
    std::uint64_t limit = kDefaultLimit;
    bool summary = false;
    auto query = journal_query(t, limit, summary);
    if (auto* problem = std::get_if<ApiError>(&query)) return net::error_response(*problem);
    auto filter = journal_filter_from_json(std::get<json>(query));
    if (!filter) return refuse(400, "BAD_QUERY", filter.error().detail);
    const auto entries = mock.journal().query(*filter, limit);
    const auto counters = mock.journal().counters();
    return reply(200, summary ? journal_summary_page_json(entries, counters)
                              : journal_page_json(entries, counters));
  }
  if (what == "verify" && extra.empty() && r.method == "POST") {
    auto body = net::json_body(r, "a verification");
    if (!body) return net::error_response(body.error());
    CountExpectation expected;
    int kinds = 0;
    for (const auto& [key, kind] : {std::pair{"exactly", CountExpectation::Kind::Exactly},
                                    std::pair{"at_least", CountExpectation::Kind::AtLeast},
                                    std::pair{"at_most", CountExpectation::Kind::AtMost}}) {
      std::optional<std::uint64_t> count;
      if (core::JsonFields(*body).read(key, count).problem())
        return bad_request(std::string("\"") + key + "\" must be a count");
      body->erase(key); // not a filter field
      if (count) {
        expected = {kind, *count};
        ++kinds;
      }
    }
    if (kinds != 1)
      return bad_request("give exactly one of \"exactly\", \"at_least\", \"at_most\"");
    auto filter = journal_filter_from_json(*body);
    if (!filter) return bad_request(filter.error().detail);
    const auto result = mock.journal().verify(*filter, expected);
    // 417 lets `curl --fail` stop a CI script on a failed verification.
    return reply(result.ok ? 200 : 417,
                 {{"ok", result.ok}, {"matched", result.matched}, {"message", result.message}});
  }
  const auto no_request = [&] {
    return refuse(404, "NO_SUCH_REQUEST",
                  "no request answered with apns-id " + core::printable(what) +
                      " is in the journal (the ring keeps the newest " +
                      std::to_string(mock.journal().capacity()) + "); GET /v1/journal lists them");
  };
  if (!what.empty() && extra.empty() && r.method == "GET") {
    // A sequence number (all digits) or an apns-id (a UUID, never all digits).
    const auto sequence = core::parse_whole<std::uint64_t>(what);
    const auto entry =
        sequence ? mock.journal().find_sequence(*sequence) : mock.journal().find(what);
    return entry ? reply(200, to_json(*entry)) : no_request();
  }
  // A simulated device in another process says what it did with the push (issue #20).
  if (!what.empty() && extra == "device" && r.method == "POST") {
    const auto body = net::json_body(r, "a device step", {"step"});
    if (!body) return net::error_response(body.error());
    std::string step;
    if (core::JsonFields(*body).require("step", step).problem() || step.empty() ||
        step.size() > kMaxStepDetail)
      return bad_request("send {\"step\":\"call shown\"}: a text of 1 to " +
                         std::to_string(kMaxStepDetail) + " characters");
    return mock.add_device_step(what, std::move(step)) ? reply(200, {{"added", true}})
                                                       : no_request();
  }
  return not_found(r, t);
}

Http1Response faults(const Http1Request& r, const Http1Target& t, Server& mock) {
  const auto [id_text, action] = item_of(t);
  if (id_text.empty()) {
    if (r.method == "GET") {
      json list = json::array();
      for (const auto& f : mock.faults().list())
        list.push_back(to_json(f));
      return reply(200, {{"faults", list}});
    }
    if (r.method == "POST") {
      const auto body = net::json_body(r, "a fault rule");
      if (!body) return net::error_response(body.error());
      auto rule = fault_rule_from_json(*body);
      if (!rule) return bad_request(rule.error().detail);
      auto id = mock.faults().add(std::move(*rule));
      if (!id) return bad_request(id.error().detail);
      return reply(200, {{"id", *id}});
    }
    if (r.method == "DELETE") {
      mock.faults().clear();
      return reply(200, {{"deleted", "all"}});
    }
    return not_found(r, t);
  }
  const auto id = core::parse_whole<std::uint64_t>(id_text);
  if (id && action.empty() && r.method == "DELETE") {
    return mock.faults().remove(*id)
               ? reply(200, {{"deleted", *id}})
               : refuse(404, "NO_SUCH_FAULT",
                        "no fault " + id_text + "; GET /v1/faults lists them");
  }
  return not_found(r, t);
}

// The client certificates the listeners refuse at the TLS handshake, as APNs refuses a revoked
// one (refused_certificates.hpp): a list of SHA-256 fingerprints.
Http1Response certificates(const Http1Request& r, const Http1Target& t, Server& mock) {
  const auto [list, fingerprint] = item_of(t);
  if (list != "refused") return not_found(r, t);
  RefusedCertificates& refused = mock.refused_certificates();
  if (fingerprint.empty()) {
    if (r.method == "GET") return reply(200, {{"refused", refused.list()}});
    if (r.method == "POST") {
      const auto body = net::json_body(r, "a certificate to refuse");
      if (!body) return net::error_response(body.error());
      const auto sha256 = refused_fingerprint_from_body(*body);
      if (!sha256) return bad_request(sha256.error().detail);
      if (auto added = refused.refuse(*sha256); !added) return bad_request(added.error().detail);
      return reply(200, {{"sha256", *sha256}, {"refused", refused.list()}});
    }
    if (r.method == "DELETE") return reply(200, {{"deleted", refused.clear()}});
    return not_found(r, t);
  }
  if (r.method == "DELETE") {
    return refused.allow(fingerprint)
               ? reply(200, {{"deleted", 1}})
               : refuse(404, "NO_SUCH_CERTIFICATE",
                        "certificate " + core::printable(fingerprint) +
                            " is not refused; GET /v1/certificates/refused lists them");
  }
  return not_found(r, t);
}

// The long-poll's parameters (wait_ms is the transport's: here it is only checked).
DeliveryPoll poll_of(QueryReader& q) {
  return {q.count("after").value_or(0),
          std::min(q.count("wait_ms").value_or(0), kMaxDeliveryWaitMs)};
}

Http1Response deliveries(const Http1Target& t, Server& mock) {
  QueryReader q(t, {"after", "wait_ms", "limit"});
  const DeliveryPoll poll = poll_of(q);
  const auto limit = q.count("limit").value_or(kDefaultLimit);
  if (auto problem = query_problem(q)) return *problem;
  FeedPage page;
  page.deliveries = mock.feed().since(poll.after, limit);
  page.next = page.deliveries.empty() ? poll.after : page.deliveries.back().first;
  return reply(200, to_json(page));
}

// POST /v1/send: the console's Send form, a real request through the mock's own listener
// (test_push.hpp); the answer, whose apns-id finds its journal entry.
Http1Response send(const Http1Request& r, Server& mock, const PkiDir* pki) {
  if (pki == nullptr)
    return refuse(409, "NO_PKI",
                  "this mock has no PKI folder to send with (it was started in process without "
                  "one); send with your own client");
  const auto body = net::json_body(r, "a push to send");
  if (!body) return net::error_response(body.error());
  auto push = test_push_from_json(*body);
  if (!push) return bad_request(push.error().detail);
  const auto answer = send_test_push(*pki, mock.port(push->environment), *push, mock.clock().now());
  if (!answer) return refuse(502, "NO_ANSWER", answer.error().message());
  json j = {{"status", answer->status}, {"apns_id", answer->apns_id}};
  j["body"] = answer->body.empty() ? json(nullptr) : json(answer->body);
  return reply(200, j);
}

// POST /v1/reset[?scope=...]: what each scope forgets is said in the answer.
Http1Response reset(const Http1Target& t, Server& mock) {
  QueryReader q(t, {"scope"});
  const auto text = q.text("scope");
  if (auto problem = query_problem(q)) return *problem;
  const auto scope = text ? parse_reset_scope(*text) : std::optional(ResetScope::Default);
  if (!scope)
    return bad_request("scope " + core::printable(*text) + " is not one of " + reset_scope_words());
  return reply(200, {{"scope", reset_scope_name(*scope)}, {"reset", mock.reset_state(*scope)}});
}

Http1Response metrics(Server& mock) {
  std::ostringstream out;
  const auto counters = mock.journal().counters();
  out << "# HELP apns_requests_total Requests answered, by APNs reason (\"\" = accepted).\n"
      << "# TYPE apns_requests_total counter\n"
      << "apns_requests_total{reason=\"\"} " << counters.accepted << "\n";
  for (const auto& [reason, n] : counters.by_reason) {
    out << "apns_requests_total{reason=\"" << reason << "\"} " << n << "\n";
  }
  out << "# HELP apns_answers_dropped_total Requests left unanswered by a connection-drop fault.\n"
      << "# TYPE apns_answers_dropped_total counter\n"
      << "apns_answers_dropped_total " << counters.answers_dropped << "\n";
  out << "# HELP apns_request_duration_seconds Time from a complete request to its answer.\n"
      << "# TYPE apns_request_duration_seconds histogram\n"
      << mock.latency().prometheus("apns_request_duration_seconds");
  out << "# HELP apns_connections_accepted_total Connections accepted (churn), per environment.\n"
      << "# TYPE apns_connections_accepted_total counter\n";
  for (Environment env : {Environment::Sandbox, Environment::Production}) {
    out << "apns_connections_accepted_total{environment=\"" << core::to_string(env) << "\"} "
        << mock.listener_stats(env).connections_accepted << "\n";
  }
  out << "# HELP apns_connections_open Connections open now, per environment.\n"
      << "# TYPE apns_connections_open gauge\n";
  for (Environment env : {Environment::Sandbox, Environment::Production}) {
    out << "apns_connections_open{environment=\"" << core::to_string(env) << "\"} "
        << mock.listener_stats(env).connections_open << "\n";
  }
  out << "# HELP apns_tls_handshake_failures_total Refused TLS handshakes, per environment.\n"
      << "# TYPE apns_tls_handshake_failures_total counter\n";
  for (Environment env : {Environment::Sandbox, Environment::Production}) {
    out << "apns_tls_handshake_failures_total{environment=\"" << core::to_string(env) << "\"} "
        << mock.listener_stats(env).handshake_failures << "\n";
  }
  const HeldCounters held = mock.held().counters();
  out << "# HELP apns_held_pushes_total Store and forward for unreachable devices, by outcome.\n"
      << "# TYPE apns_held_pushes_total counter\n"
      << "apns_held_pushes_total{outcome=\"held\"} " << held.held << "\n"
      << "apns_held_pushes_total{outcome=\"replaced\"} " << held.replaced << "\n"
      << "apns_held_pushes_total{outcome=\"released\"} " << held.released << "\n"
      << "apns_held_pushes_total{outcome=\"expired\"} " << held.expired << "\n";
  out << "# HELP apns_tokens Device tokens in the registry.\n# TYPE apns_tokens gauge\n"
      << "apns_tokens " << mock.tokens().size() << "\n";
  return {200, "text/plain; version=0.0.4", out.str()};
}

} // namespace

core::Result<DeliveryPoll, ApiError> delivery_poll_of(const Http1Target& t) {
  const bool stream = t.segments.size() == 3 && t.segments[2] == "stream";
  QueryReader q(t, stream ? std::initializer_list<std::string_view>{"after"}
                          : std::initializer_list<std::string_view>{"after", "wait_ms", "limit"});
  const DeliveryPoll poll = poll_of(q);
  if (q.problem()) return core::Unexpected(*q.problem());
  return poll;
}

Http1Response handle_admin_request(const Http1Request& r, Server& mock, const PkiDir* pki) {
  const Http1Target t = net::parse_target(r.target);
  const auto& s = t.segments;
  if (s.size() == 1 && s[0] == "metrics" && r.method == "GET") return metrics(mock);
  if (r.method == "GET" && t.query.empty()) {
    if (auto page = console_file(t.path)) return *page;
  }
  if (s.empty() || s[0] != "v1" || too_deep(t)) return not_found(r, t);
  if (s.size() == 1) return endpoints();
  const std::string& collection = s[1];
  if (collection == "deliveries" && s.size() == 2 && r.method == "GET") return deliveries(t, mock);
  // Only the lists read query parameters: elsewhere any is a mistake worth a 400.
  const bool list = s.size() == 2 &&
                    ((r.method == "GET" && (collection == "tokens" || collection == "journal")) ||
                     (r.method == "POST" && collection == "reset"));
  if (!list) {
    if (auto problem = query_problem(QueryReader(t, {}))) return *problem;
  }
  if (s.size() == 2 && collection == "health" && r.method == "GET") return health(mock);
  if (s.size() == 2 && collection == "settings" && r.method == "GET") return settings(mock);
  if (s.size() == 2 && collection == "reset" && r.method == "POST") return reset(t, mock);
  if (s.size() == 2 && collection == "send" && r.method == "POST") return send(r, mock, pki);
  if (collection == "tokens") return tokens(r, t, mock);
  if (collection == "keys") return keys(r, t, mock);
  if (collection == "teams") return teams(r, t, mock);
  if (collection == "journal") return journal(r, t, mock);
  if (collection == "faults") return faults(r, t, mock);
  if (collection == "certificates") return certificates(r, t, mock);
  return not_found(r, t);
}

} // namespace mock_apns
