#include "mock_apns/admin_api.hpp"

#include "core/encoding.hpp"
#include "core/json_parse.hpp"
#include "mock_apns/json_codec.hpp"
#include "mock_apns/server.hpp"

#include <charconv>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

namespace mock_apns {
namespace {

using nlohmann::json;

constexpr std::size_t kDefaultLimit = 1000;
constexpr std::uint64_t kMaxWaitMs = 60'000;

AdminResponse reply(int status, const json& body) {
  return {status, "application/json", json_text(body) + "\n"};
}
AdminResponse error(int status, const std::string& message) {
  return reply(status, {{"error", message}});
}
AdminResponse not_found(const AdminRequest& r) {
  return error(404, "no endpoint " + r.method + " " + parse_admin_target(r.target).path +
                        "; see GET /v1 for the list");
}

std::optional<std::uint64_t> number(const AdminTarget& t, std::string_view name) {
  const auto found = t.query.find(name);
  if (found == t.query.end()) return std::nullopt;
  std::uint64_t value = 0;
  const auto& s = found->second;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// The JSON body, or an error response saying why it is not one.
std::optional<json> body_json(const AdminRequest& r, AdminResponse& failure) {
  auto parsed = core::parse_json(r.body.empty() ? std::string_view("{}") : r.body);
  if (!parsed) {
    failure = error(400, "the body is " + parsed.error().detail);
    return std::nullopt;
  }
  return std::move(*parsed);
}

// /v1/tokens/<token>[/<action>] → {token, action}
std::pair<std::string, std::string> split_item(std::string_view path, std::string_view prefix) {
  if (path.size() <= prefix.size()) return {"", ""}; // "/v1/teams" has no item
  std::string_view rest = path.substr(prefix.size());
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return {std::string(rest), ""};
  return {std::string(rest.substr(0, slash)), std::string(rest.substr(slash + 1))};
}

AdminResponse endpoints() {
  return reply(200, {{"endpoints",
                      {"GET /v1/health",
                       "GET /v1/settings",
                       "GET|POST|DELETE /v1/tokens",
                       "GET|DELETE /v1/tokens/<token>",
                       "POST /v1/tokens/<token>/unregister",
                       "POST /v1/tokens/<token>/reachability",
                       "GET /v1/tokens/<token>/held",
                       "GET|POST /v1/keys",
                       "POST /v1/keys/<id>/revoke",
                       "DELETE /v1/keys/<id>",
                       "GET /v1/teams",
                       "POST /v1/teams/<team>/bundles",
                       "GET /v1/journal",
                       "POST /v1/journal/verify",
                       "GET|POST|DELETE /v1/faults",
                       "DELETE /v1/faults/<id>",
                       "GET /v1/deliveries?after=N&wait_ms=M",
                       "GET /v1/deliveries/stream?after=N",
                       "POST /v1/reset",
                       "GET /metrics"}}});
}

AdminResponse health(Server& mock) {
  return reply(200, {{"status", "ok"},
                     {"sandbox_port", mock.port(Environment::Sandbox)},
                     {"production_port", mock.port(Environment::Production)},
                     {"tokens", mock.tokens().size()},
                     {"keys", mock.keys().list().size()},
                     {"deliveries", mock.feed().last_cursor()}});
}

AdminResponse tokens(const AdminRequest& r, const AdminTarget& t, Server& mock) {
  if (t.path == "/v1/tokens") {
    if (r.method == "GET") {
      const auto offset = number(t, "offset").value_or(0);
      const auto limit = number(t, "limit").value_or(kDefaultLimit);
      json list = json::array();
      for (const auto& record : mock.tokens().list(offset, limit))
        list.push_back(to_json(record));
      return reply(200, {{"total", mock.tokens().size()}, {"offset", offset}, {"tokens", list}});
    }
    if (r.method == "POST") {
      auto records = parse_token_records(r.body);
      if (!records) return error(400, records.error().detail);
      for (std::size_t i = 0; i < records->size(); ++i) {
        if (auto put = mock.tokens().put((*records)[i]); !put) {
          return error(400, "record " + std::to_string(i) + ": " + put.error().detail +
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
    return not_found(r);
  }
  const auto [token, action] = split_item(t.path, "/v1/tokens/");
  if (action.empty() && r.method == "GET") {
    const auto record = mock.tokens().find(token);
    return record ? reply(200, to_json(*record))
                  : error(404, "token " + token + " is not registered");
  }
  if (action.empty() && r.method == "DELETE") {
    return mock.tokens().erase(token) ? reply(200, {{"deleted", 1}})
                                      : error(404, "token " + token + " is not registered");
  }
  if (action == "reachability" && r.method == "POST") {
    AdminResponse failure;
    const auto body = body_json(r, failure);
    if (!body) return failure;
    if (!body->contains("reachable") || !(*body)["reachable"].is_boolean())
      return error(400, "send {\"reachable\": true|false} (false: airplane mode or powered off)");
    const bool reachable = (*body)["reachable"].get<bool>();
    const std::size_t released = mock.set_reachable(token, reachable);
    return reply(200, {{"token", token}, {"reachable", reachable}, {"released", released}});
  }
  if (action == "held" && r.method == "GET") {
    json list = json::array();
    for (const auto& d : mock.held().held(token))
      list.push_back(to_json(d));
    return reply(200,
                 {{"token", token}, {"reachable", mock.held().reachable(token)}, {"held", list}});
  }
  if (action == "unregister" && r.method == "POST") {
    AdminResponse failure;
    const auto body = body_json(r, failure);
    if (!body) return failure;
    std::int64_t timestamp = core::unix_millis(mock.clock().now());
    if (body->contains("timestamp")) {
      const json& given = (*body)["timestamp"];
      // A number past int64 would wrap into a negative timestamp.
      if (!given.is_number_integer() ||
          (given.is_number_unsigned() && !std::in_range<std::int64_t>(given.get<std::uint64_t>())))
        return error(400, "\"timestamp\" must be milliseconds since the UNIX epoch");
      timestamp = given.get<std::int64_t>();
    }
    if (!mock.tokens().set_state(token, TokenState::Unregistered, timestamp)) {
      return error(404, "token " + token + " is not registered");
    }
    const auto record = mock.tokens().find(token);
    return record ? reply(200, to_json(*record))
                  : error(409, "token " + token + " was deleted meanwhile");
  }
  return not_found(r);
}

AdminResponse keys(const AdminRequest& r, const AdminTarget& t, Server& mock) {
  if (t.path == "/v1/keys") {
    if (r.method == "GET") {
      json list = json::array();
      for (const auto& key : mock.keys().list())
        list.push_back(to_json(*key));
      return reply(200, {{"keys", list}});
    }
    if (r.method == "POST") {
      AdminResponse failure;
      const auto body = body_json(r, failure);
      if (!body) return failure;
      auto spec = key_spec_from_json(*body);
      if (!spec) return error(400, spec.error().detail);
      const std::string id = spec->key_id;
      if (auto added = mock.keys().add(std::move(*spec)); !added) {
        return error(400, added.error().detail);
      }
      const auto key = mock.keys().find(id); // null if removed meanwhile by another client
      return key ? reply(200, to_json(*key)) : error(409, "key " + id + " was removed meanwhile");
    }
    return not_found(r);
  }
  const auto [id, action] = split_item(t.path, "/v1/keys/");
  if (action == "revoke" && r.method == "POST") {
    const auto key = mock.keys().find(id);
    if (!key) return error(404, "no key " + id);
    key->revoke();
    return reply(200, to_json(*key));
  }
  if (action.empty() && r.method == "DELETE") {
    return mock.keys().remove(id) ? reply(200, {{"deleted", 1}}) : error(404, "no key " + id);
  }
  return not_found(r);
}

AdminResponse teams(const AdminRequest& r, const AdminTarget& t, Server& mock) {
  if (t.path == "/v1/teams" && r.method == "GET") {
    json out = json::object();
    for (const auto& [team, bundles] : mock.keys().teams())
      out[team] = bundles;
    return reply(200, {{"teams", out}});
  }
  const auto [team, action] = split_item(t.path, "/v1/teams/");
  if (action == "bundles" && r.method == "POST") {
    AdminResponse failure;
    const auto body = body_json(r, failure);
    if (!body) return failure;
    if (!body->contains("bundle_id") || !(*body)["bundle_id"].is_string())
      return error(400, "send {\"bundle_id\":\"com.example.app\"}");
    if (auto added = mock.keys().add_bundle(team, (*body)["bundle_id"].get<std::string>()); !added)
      return error(400, added.error().detail);
    return reply(200, {{"team", team}, {"bundle_ids", *mock.keys().bundles_of(team)}});
  }
  return not_found(r);
}

// Query parameters as the JSON a filter reads.
json query_as_json(const AdminTarget& t) {
  json j = json::object();
  for (const auto& [name, value] : t.query) {
    if (name == "status" || name == "since_ms" || name == "until_ms") {
      const auto n = number(t, name);
      j[name] = n ? json(*n) : json(value);
    } else if (name == "accepted") {
      j[name] = value == "true" || value == "1";
    } else if (name != "limit") {
      j[name] = value;
    }
  }
  return j;
}

AdminResponse journal(const AdminRequest& r, const AdminTarget& t, Server& mock) {
  if (t.path == "/v1/journal" && r.method == "GET") {
    auto filter = journal_filter_from_json(query_as_json(t));
    if (!filter) return error(400, filter.error().detail);
    json entries = json::array();
    for (const auto& e : mock.journal().query(*filter, number(t, "limit").value_or(kDefaultLimit)))
      entries.push_back(to_json(e));
    return reply(200, {{"entries", entries}, {"counters", to_json(mock.journal().counters())}});
  }
  if (t.path == "/v1/journal/verify" && r.method == "POST") {
    AdminResponse failure;
    auto body = body_json(r, failure);
    if (!body) return failure;
    CountExpectation expected;
    int kinds = 0;
    for (const auto& [key, kind] : {std::pair{"exactly", CountExpectation::Kind::Exactly},
                                    std::pair{"at_least", CountExpectation::Kind::AtLeast},
                                    std::pair{"at_most", CountExpectation::Kind::AtMost}}) {
      if (body->contains(key)) {
        if (!(*body)[key].is_number_unsigned())
          return error(400, std::string("\"") + key + "\" must be a count");
        expected = {kind, (*body)[key].get<std::uint64_t>()};
        body->erase(key);
        ++kinds;
      }
    }
    if (kinds != 1) return error(400, "give exactly one of \"exactly\", \"at_least\", \"at_most\"");
    auto filter = journal_filter_from_json(*body);
    if (!filter) return error(400, filter.error().detail);
    const auto result = mock.journal().verify(*filter, expected);
    // 417 lets `curl --fail` stop a CI script on a failed verification.
    return reply(result.ok ? 200 : 417,
                 {{"ok", result.ok}, {"matched", result.matched}, {"message", result.message}});
  }
  return not_found(r);
}

AdminResponse faults(const AdminRequest& r, const AdminTarget& t, Server& mock) {
  if (t.path == "/v1/faults") {
    if (r.method == "GET") {
      json list = json::array();
      for (const auto& f : mock.faults().list())
        list.push_back(to_json(f));
      return reply(200, {{"faults", list}});
    }
    if (r.method == "POST") {
      AdminResponse failure;
      const auto body = body_json(r, failure);
      if (!body) return failure;
      auto rule = fault_rule_from_json(*body);
      if (!rule) return error(400, rule.error().detail);
      auto id = mock.faults().add(std::move(*rule));
      if (!id) return error(400, id.error().detail);
      return reply(200, {{"id", *id}});
    }
    if (r.method == "DELETE") {
      mock.faults().clear();
      return reply(200, {{"deleted", "all"}});
    }
    return not_found(r);
  }
  const auto [id_text, action] = split_item(t.path, "/v1/faults/");
  std::uint64_t id = 0;
  const auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (action.empty() && r.method == "DELETE" && ec == std::errc() &&
      end == id_text.data() + id_text.size()) {
    return mock.faults().remove(id) ? reply(200, {{"deleted", id}})
                                    : error(404, "no fault " + id_text);
  }
  return not_found(r);
}

AdminResponse deliveries(const AdminTarget& t, Server& mock) {
  const DeliveryPoll poll = delivery_poll_of(t);
  json list = json::array();
  std::uint64_t next = poll.after;
  for (const auto& [cursor, delivery] :
       mock.feed().since(poll.after, number(t, "limit").value_or(kDefaultLimit))) {
    json j = to_json(delivery);
    j["cursor"] = cursor;
    list.push_back(std::move(j));
    next = cursor;
  }
  return reply(200, {{"deliveries", list}, {"next", next}});
}

AdminResponse metrics(Server& mock) {
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
    out << "apns_connections_accepted_total{environment=\"" << environment_name(env) << "\"} "
        << mock.listener_stats(env).connections_accepted << "\n";
  }
  out << "# HELP apns_connections_open Connections open now, per environment.\n"
      << "# TYPE apns_connections_open gauge\n";
  for (Environment env : {Environment::Sandbox, Environment::Production}) {
    out << "apns_connections_open{environment=\"" << environment_name(env) << "\"} "
        << mock.listener_stats(env).connections_open << "\n";
  }
  out << "# HELP apns_tls_handshake_failures_total Refused TLS handshakes, per environment.\n"
      << "# TYPE apns_tls_handshake_failures_total counter\n";
  for (Environment env : {Environment::Sandbox, Environment::Production}) {
    out << "apns_tls_handshake_failures_total{environment=\"" << environment_name(env) << "\"} "
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

AdminTarget parse_admin_target(std::string_view target) {
  AdminTarget out;
  const auto question = target.find('?');
  out.path = core::percent_decode(target.substr(0, question));
  if (question == std::string_view::npos) return out;
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    out.query[core::percent_decode(pair.substr(0, eq))] =
        eq == std::string_view::npos ? std::string() : core::percent_decode(pair.substr(eq + 1));
    query.remove_prefix(amp == std::string_view::npos ? query.size() : amp + 1);
  }
  return out;
}

DeliveryPoll delivery_poll_of(const AdminTarget& target) {
  return {number(target, "after").value_or(0),
          std::min(number(target, "wait_ms").value_or(0), kMaxWaitMs)};
}

AdminResponse handle_admin_request(const AdminRequest& r, Server& mock) {
  const AdminTarget t = parse_admin_target(r.target);
  const std::string_view path = t.path;
  if (path == "/v1" || path == "/v1/") return endpoints();
  if (path == "/v1/health" && r.method == "GET") return health(mock);
  if (path == "/v1/settings" && r.method == "GET") return reply(200, to_json(mock.settings()));
  if (path == "/metrics" && r.method == "GET") return metrics(mock);
  if (path == "/v1/deliveries" && r.method == "GET") return deliveries(t, mock);
  if (path == "/v1/reset" && r.method == "POST") {
    mock.reset_state();
    return reply(200, {{"reset", {"journal", "faults", "rate limits"}}});
  }
  if (path.starts_with("/v1/tokens")) return tokens(r, t, mock);
  if (path.starts_with("/v1/keys")) return keys(r, t, mock);
  if (path.starts_with("/v1/teams")) return teams(r, t, mock);
  if (path.starts_with("/v1/journal")) return journal(r, t, mock);
  if (path.starts_with("/v1/faults")) return faults(r, t, mock);
  return not_found(r);
}

} // namespace mock_apns
