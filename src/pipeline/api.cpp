// Spec: docs/spec/im-voip-flow.md
#include "pipeline/api.hpp"

#include "core/encoding.hpp"
#include "core/json_fields.hpp"
#include "core/parse_number.hpp"
#include "net/http1_wait.hpp"
#include "net/json_api.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/records_json.hpp"
#include "pipeline/request_json.hpp"

namespace pipeline {

namespace {

using nlohmann::json;

using net::ApiError;
using net::Http1Request;
using net::Http1Response;

Http1Response reply(int status, const json& body) {
  return net::json_response(status, body);
}

Http1Response fail(int status, std::string code, std::string message) {
  return net::error_response({std::move(code), std::move(message), status});
}

Http1Response not_found(const Http1Request& r) {
  return net::no_such_endpoint(r.method, net::parse_target(r.target).path);
}

Http1Response upload(const Http1Request& r, Pipeline& p) {
  const auto body = net::json_body(r, "a certificate upload");
  if (!body) return net::error_response(body.error());
  auto upload = certificate_upload_from_json(*body);
  if (!upload) return net::bad_request(upload.error().detail);
  auto result = p.upload_certificate(*upload);
  if (auto* error = std::get_if<ApiError>(&result)) return net::error_response(*error);
  return reply(201, to_json(std::get<UploadedCertificate>(result)));
}

Http1Response certificates(const Http1Request& r, const std::string& rest, Pipeline& p) {
  if (rest.empty() && r.method == "POST") return upload(r, p);
  if (rest.empty() && r.method == "GET") return reply(200, certificate_list_json(p.certificates()));
  const auto id = core::parse_whole<std::int64_t>(rest);
  if (id && r.method == "DELETE") {
    if (auto error = p.delete_certificate(*id)) return net::error_response(*error);
    return reply(200, {{"deleted", *id}});
  }
  return not_found(r);
}

// {"user","settings":[...]}: every receive option the user set (none: every message RECEIVE).
json receive_options_json(const std::string& user, const Pipeline& p) {
  json settings = json::array();
  for (const auto& s : p.receive_options(user).settings())
    settings.push_back(to_json(s));
  return {{"user", user}, {"settings", settings}};
}

// GET /v1/users/{user}/registration without ?installation= (a client of one phone): the default
// installation's registration, else the one reported last (im-voip-flow.md §3.4).
std::optional<Registration> registration_of(const Pipeline& p, const std::string& user,
                                            const std::optional<std::string>& installation) {
  if (installation) return p.registration(user, *installation);
  if (auto registration = p.registration(user)) return registration;
  std::optional<Registration> last;
  for (auto& one : p.registrations(user))
    if (!last || one.updated_at >= last->updated_at) last = std::move(one);
  return last;
}

Http1Response users(const Http1Request& r, const net::Http1Target& t, const std::string& user,
                    const std::string& what, Pipeline& p) {
  net::QueryReader q(t, {"installation"});
  const auto installation = q.text("installation");
  if (q.problem()) return net::error_response(*q.problem());
  if (what == "presence" && r.method == "POST") {
    const auto body = net::json_body(r, "a presence report");
    if (!body) return net::error_response(body.error());
    const auto report = presence_report_from_json(*body);
    if (!report) return net::bad_request(report.error().detail);
    auto changed = p.set_presence(user, report->installation, report->state);
    if (auto* error = std::get_if<ApiError>(&changed)) return net::error_response(*error);
    return reply(200, {{"user", user},
                       {"installation", report->installation},
                       {"state", to_string(report->state)},
                       {"kicked", std::get<Pipeline::Kicked>(changed)}});
  }
  if (what == "voip-token" && (r.method == "POST" || r.method == "DELETE")) {
    VoipTokenBody report; // DELETE: no token any more (of ?installation=, default "default")
    if (installation) report.installation = *installation;
    if (r.method == "POST") {
      const auto body = net::json_body(r, "a setVOIP report");
      if (!body) return net::error_response(body.error());
      auto read = voip_token_body_from_json(*body); // a null token: didInvalidate (§3.2)
      if (!read) return net::bad_request(read.error().detail);
      report = std::move(*read);
    }
    if (auto error = p.set_voip(user, report.installation, report.token, report.certificate_id))
      return net::error_response(*error);
    return reply(200, {{"user", user},
                       {"installation", report.installation},
                       {"registered", report.token.has_value()}});
  }
  if (what == "receive-options" && r.method == "POST") {
    const auto body = net::json_body(r, "a receive option");
    if (!body) return net::error_response(body.error());
    const auto setting = receive_setting_from_json(*body);
    if (!setting) return net::bad_request(setting.error().detail);
    if (auto error = p.set_receive_option(user, setting->scope, setting->target, setting->option))
      return net::error_response(*error);
    return reply(200, receive_options_json(user, p));
  }
  if (what == "receive-options" && r.method == "GET")
    return reply(200, receive_options_json(user, p));
  if (what == "registration" && r.method == "GET") {
    const auto registration = registration_of(p, user, installation);
    if (!registration)
      return fail(404, "NO_REGISTRATION",
                  user +
                      (installation ? " on installation " + core::printable(*installation) : "") +
                      " has not reported a VoIP token");
    return reply(200, to_json(*registration));
  }
  if (what == "registrations" && r.method == "GET") {
    json list = json::array();
    for (const auto& one : p.registrations(user))
      list.push_back(to_json(one));
    return reply(200, {{"user", user}, {"registrations", list}});
  }
  return not_found(r);
}

// POST /v1/messages's body as a message, or the response that says what is wrong.
core::Result<MessageToSend, ApiError> message_to_send(const Http1Request& r) {
  const auto body = net::json_body(r, "a message");
  if (!body) return core::Unexpected(body.error());
  auto m = message_to_send_from_json(*body);
  if (!m) return core::Unexpected(ApiError{"BAD_REQUEST", m.error().detail, 400});
  return std::move(*m);
}

Http1Response message_sent(const Pipeline::SendResult& sent) {
  if (const auto* error = std::get_if<ApiError>(&sent)) return net::error_response(*error);
  return reply(202, message_accepted_answer(std::get<std::string>(sent)));
}

// /v1/groups (create), /v1/groups/{id} (read), /v1/groups/{id}/members (join: {"user"}),
// /v1/groups/{id}/members/{user} (leave): im-voip-flow.md §4.3 "Group sends". Each answers with
// the group as it is then.
Http1Response groups(const Http1Request& r, const std::vector<std::string>& s, Pipeline& p) {
  auto group_now = [&](const std::string& id, int status) {
    const auto group = p.group(id);
    if (!group) return fail(404, "NO_SUCH_GROUP", "no group " + core::printable(id));
    return reply(status, to_json(*group));
  };
  if (s.size() == 2 && r.method == "POST") {
    const auto body = net::json_body(r, "a group");
    if (!body) return net::error_response(body.error());
    auto group = group_from_json(*body);
    if (!group) return net::bad_request(group.error().detail);
    if (auto error = p.create_group(*group)) return net::error_response(*error);
    return group_now(group->id, 201);
  }
  if (s.size() == 3 && r.method == "GET") return group_now(s[2], 200);
  if (s.size() == 4 && s[3] == "members" && r.method == "POST") {
    const auto body = net::json_body(r, "a member");
    if (!body) return net::error_response(body.error());
    std::string user;
    core::JsonFields f(*body, "a member", {"user"});
    if (f.require("user", user).problem()) return net::bad_request(f.problem()->detail);
    if (auto error = p.join_group(s[2], user)) return net::error_response(*error);
    return group_now(s[2], 200);
  }
  if (s.size() == 5 && s[3] == "members" && r.method == "DELETE") {
    if (auto error = p.leave_group(s[2], s[4])) return net::error_response(*error);
    return group_now(s[2], 200);
  }
  return not_found(r);
}

bool is_send_message(const Http1Request& r, const net::Http1Target& t) {
  return r.method == "POST" && t.segments.size() == 2 && t.segments[0] == "v1" &&
         t.segments[1] == "messages";
}

bool is_health(const Http1Request& r, const net::Http1Target& t) {
  return r.method == "GET" && t.segments.size() == 2 && t.segments[0] == "v1" &&
         t.segments[1] == "health";
}

json endpoints() {
  return {
      {"endpoints",
       {"POST /v1/console/certificates", "GET /v1/console/certificates",
        "DELETE /v1/console/certificates/{record_id}", "POST /v1/users/{user}/presence",
        "POST /v1/users/{user}/voip-token", "DELETE /v1/users/{user}/voip-token",
        "GET /v1/users/{user}/registration?installation=ID", "GET /v1/users/{user}/registrations",
        "POST /v1/users/{user}/receive-options", "GET /v1/users/{user}/receive-options",
        "POST /v1/groups", "GET /v1/groups/{id}", "POST /v1/groups/{id}/members",
        "DELETE /v1/groups/{id}/members/{user}", "POST /v1/messages", "GET /v1/messages/{id}",
        "GET /v1/health?wait_idle_ms=N|wait_quiet_ms=N"}}};
}

// Routes a request whose target has been split (segments decoded one by one: a user id may
// hold an encoded '/').
Http1Response route(const Http1Request& r, const net::Http1Target& t, Pipeline& p) {
  const auto& s = t.segments;
  if (s.empty() || s[0] != "v1") return not_found(r);
  const bool user_call = s.size() == 4 && s[1] == "users" && !s[2].empty();
  // Only GET /v1/health (api_handler waits on them) and the users' calls (?installation=) read
  // query parameters.
  if (!is_health(r, t) && !user_call) {
    if (net::QueryReader q(t, {}); q.problem()) return net::error_response(*q.problem());
  }
  if (s.size() == 1) return reply(200, endpoints());
  if (is_health(r, t)) {
    PipelineHealth health;
    health.in_flight = p.in_flight();
    return reply(200, to_json(health));
  }
  if (s[1] == "console" && s.size() >= 3 && s.size() <= 4 && s[2] == "certificates")
    return certificates(r, s.size() == 4 ? s[3] : "", p);
  if (user_call) return users(r, t, s[2], s[3], p);
  if (s[1] == "groups" && s.size() >= 2 && s.size() <= 5) return groups(r, s, p);
  if (is_send_message(r, t)) {
    auto m = message_to_send(r);
    if (!m) return net::error_response(m.error());
    return message_sent(p.send_message(*m));
  }
  if (s[1] == "messages" && s.size() == 3 && r.method == "GET") {
    const auto message = p.message(s[2]);
    if (!message) return fail(404, "NO_SUCH_MESSAGE", "no message " + core::printable(s[2]));
    return reply(200, to_json(*message));
  }
  return not_found(r);
}

// GET /v1/health?wait_idle_ms=N (until nothing is in flight) or ?wait_quiet_ms=N (until no push
// is on the wire; those waiting for a retry may stay: where a scenario runner checks a step):
// answers when that holds or after N ms (at most 60 s), whichever comes first.
void answer_health(const std::shared_ptr<net::Http1Exchange>& exchange, const net::Http1Target& t,
                   Pipeline& p) {
  net::QueryReader q(t, {"wait_idle_ms", "wait_quiet_ms"});
  constexpr std::uint64_t kMaxWaitMs = 60'000;
  const auto idle_ms = q.count("wait_idle_ms");
  const auto quiet_ms = q.count("wait_quiet_ms");
  if (q.problem()) return exchange->respond(net::error_response(*q.problem()));
  if (idle_ms && quiet_ms)
    return exchange->respond(
        fail(400, "BAD_QUERY", "give wait_idle_ms or wait_quiet_ms, not both"));
  if (!idle_ms && !quiet_ms) return exchange->respond(route(exchange->request(), t, p));
  const bool quiet = quiet_ms.has_value();
  const auto limit = std::chrono::milliseconds(std::min(quiet ? *quiet_ms : *idle_ms, kMaxWaitMs));
  net::wait_for_event(
      exchange, limit,
      [&p, quiet](std::function<void()> notify) -> net::Unsubscribe {
        const auto id = quiet ? p.when_quiet(std::move(notify)) : p.when_idle(std::move(notify));
        return [&p, id] { p.cancel_when_idle(id); };
      },
      [exchange, &p](bool settled) { // false: the time limit came first
        PipelineHealth health;
        health.in_flight = p.in_flight();
        health.settled = settled;
        exchange->respond(reply(200, to_json(health)));
      });
}

} // namespace

Http1Response handle_api_request(const Http1Request& r, Pipeline& p) {
  return route(r, net::parse_target(r.target), p);
}

net::Http1Handler api_handler(Pipeline& p) {
  return [&p](const std::shared_ptr<net::Http1Exchange>& exchange) {
    const Http1Request& r = exchange->request();
    const net::Http1Target t = net::parse_target(r.target);
    if (is_health(r, t)) return answer_health(exchange, t, p);
    if (!is_send_message(r, t) || !t.query.empty()) return exchange->respond(route(r, t, p));
    // Answered once the outbox holds it, without blocking this thread.
    auto m = message_to_send(r);
    if (!m) return exchange->respond(net::error_response(m.error()));
    const std::weak_ptr<net::Http1Exchange> weak = exchange;
    p.send_message(*m, [weak](Pipeline::SendResult sent) {
      if (auto alive = weak.lock())
        alive->post([weak, answer = message_sent(sent)]() mutable {
          if (auto exchange = weak.lock()) exchange->respond(std::move(answer));
        });
    });
  };
}

net::BearerAuth api_auth(std::string secret) {
  return {std::move(secret),
          {"/v1/health"},
          "the pipeline's API secret ('voipsim pipeline --api-secret-file FILE' or " +
              std::string(kApiSecretEnv) + ")"};
}

} // namespace pipeline
