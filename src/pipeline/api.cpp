#include "pipeline/api.hpp"

#include "core/encoding.hpp"
#include "core/json_fields.hpp"
#include "core/json_parse.hpp"
#include "pipeline/pipeline.hpp"

#include <atomic>
#include <charconv>

#include <nlohmann/json.hpp>

namespace pipeline {

namespace {

using nlohmann::json;

net::Http1Response reply(int status, const json& body) {
  return {status, "application/json",
          body.dump(-1, ' ', false, json::error_handler_t::replace) + "\n"};
}

net::Http1Response fail(const ApiError& e) {
  return reply(e.status, {{"error", e.code}, {"message", e.message}});
}

net::Http1Response fail(int status, std::string code, std::string message) {
  return fail(ApiError{std::move(code), std::move(message), status});
}

net::Http1Response not_found(const net::Http1Request& r) {
  return fail(404, "NO_SUCH_ENDPOINT",
              "no endpoint " + r.method + " " + r.target + "; GET /v1 lists them");
}

// The body as a JSON object with only `known` fields, or the response that says what is wrong.
std::variant<json, net::Http1Response> body_of(const net::Http1Request& r, const char* what,
                                               std::initializer_list<std::string_view> known) {
  auto parsed = core::parse_json(r.body);
  if (!parsed) return fail(400, "BAD_JSON", std::string(what) + " is " + parsed.error().detail);
  json body = std::move(*parsed);
  if (auto ok = core::require_json_object(body, what, known); !ok)
    return fail(400, "BAD_REQUEST", ok.error().detail);
  return body;
}

// Reads fields in order; the first problem becomes the response.
struct Fields {
  const json& body;
  std::optional<net::Http1Response> problem;
  template <typename T>
  Fields& read(const char* name, T& out, bool required = false) {
    if (problem) return *this;
    if (required && (!body.contains(name) || body[name].is_null())) {
      problem = fail(400, "BAD_REQUEST", std::string("\"") + name + "\" is required");
    } else if (auto ok = core::read_json_field(body, name, out); !ok) {
      problem = fail(400, "BAD_REQUEST", ok.error().detail);
    }
    return *this;
  }
};

std::optional<std::int64_t> integer(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Standard base64 (what `base64` writes), with or without line breaks and padding.
std::optional<std::string> base64_decode(std::string_view text) {
  std::string url;
  for (const char c : text) {
    if (c == '+')
      url += '-';
    else if (c == '/')
      url += '_';
    else if (c == '=' || c == '\n' || c == '\r')
      continue;
    else
      url += c;
  }
  auto decoded = core::base64url_decode(url);
  if (!decoded) return std::nullopt;
  return std::move(*decoded);
}

json certificate_json(const CertificateRecord& c) {
  return {{"record_id", c.record_id},
          {"name", c.name},
          {"bundle_id", c.bundle_id},
          {"type", c.type},
          {"development_id", c.cert_id_dev},
          {"production_id", c.cert_id_prod},
          {"not_before_ms", core::unix_millis(c.not_before)},
          {"not_after_ms", core::unix_millis(c.not_after)},
          {"health", c.health}};
}

json message_json(const MessageRecord& m) {
  return {{"message_id", m.message_id},
          {"state", to_string(m.state)},
          {"reason", m.reason.empty() ? json(nullptr) : json(m.reason)},
          {"apns_id", m.apns_id.empty() ? json(nullptr) : json(m.apns_id)},
          {"attempts", m.attempts},
          {"sender", m.sender},
          {"receiver", m.receiver},
          {"created_at_ms", core::unix_millis(m.created_at)}};
}

json registration_json(const Registration& r) {
  return {{"user", r.user},
          {"token", r.token_hex},
          {"environment", to_string(r.environment)},
          {"bundle_id", r.bundle_id},
          {"state", to_string(r.state)},
          {"reason", r.reason},
          {"updated_at_ms", core::unix_millis(r.updated_at)}};
}

net::Http1Response upload(const net::Http1Request& r, Pipeline& p) {
  auto parsed =
      body_of(r, "a certificate upload", {"name", "p12_base64", "password", "allow_other_types"});
  if (auto* problem = std::get_if<net::Http1Response>(&parsed)) return *problem;
  const json& body = std::get<json>(parsed);
  CertificateUpload upload;
  std::string p12_base64;
  Fields f{body, {}};
  f.read("name", upload.name, true)
      .read("p12_base64", p12_base64, true)
      .read("password", upload.password)
      .read("allow_other_types", upload.allow_other_types);
  if (f.problem) return *f.problem;
  auto der = base64_decode(p12_base64);
  if (!der) return fail(400, "BAD_REQUEST", "\"p12_base64\" is not base64 (try: base64 -w0 F.p12)");
  upload.p12_der = std::move(*der);
  auto result = p.upload_certificate(upload);
  if (auto* error = std::get_if<ApiError>(&result)) return fail(*error);
  auto& done = std::get<UploadedCertificate>(result);
  json out = certificate_json(done.record);
  out["warnings"] = done.warnings;
  return reply(201, out);
}

net::Http1Response certificates(const net::Http1Request& r, const std::string& rest, Pipeline& p) {
  if (rest.empty() && r.method == "POST") return upload(r, p);
  if (rest.empty() && r.method == "GET") {
    json list = json::array();
    for (const auto& c : p.certificates())
      list.push_back(certificate_json(c));
    return reply(200, {{"certificates", list}});
  }
  const auto id = integer(rest);
  if (id && r.method == "DELETE") {
    if (auto error = p.delete_certificate(*id)) return fail(*error);
    return reply(200, {{"deleted", *id}});
  }
  return not_found(r);
}

net::Http1Response users(const net::Http1Request& r, const std::string& user,
                         const std::string& what, Pipeline& p) {
  if (what == "presence" && r.method == "POST") {
    auto parsed = body_of(r, "a presence report", {"state"});
    if (auto* problem = std::get_if<net::Http1Response>(&parsed)) return *problem;
    std::string state;
    Fields f{std::get<json>(parsed), {}};
    if (f.read("state", state, true); f.problem) return *f.problem;
    const auto presence = parse_presence(state);
    if (!presence)
      return fail(400, "BAD_REQUEST",
                  "\"state\" is online, background, killed, logged_out or kicked; got \"" + state +
                      "\"");
    if (auto error = p.set_presence(user, *presence)) return fail(*error);
    return reply(200, {{"user", user}, {"state", state}});
  }
  if (what == "voip-token" && (r.method == "POST" || r.method == "DELETE")) {
    std::optional<std::string> token;
    std::int64_t certificate_id = 0;
    if (r.method == "POST") {
      auto parsed = body_of(r, "a setVOIP report", {"token", "certificate_id"});
      if (auto* problem = std::get_if<net::Http1Response>(&parsed)) return *problem;
      const json& body = std::get<json>(parsed);
      std::string text;
      Fields f{body, {}};
      f.read("token", text).read("certificate_id", certificate_id, true);
      if (f.problem) return *f.problem;
      if (!body.contains("token"))
        return fail(400, "BAD_REQUEST",
                    "\"token\" is required (hex; null removes the registration)");
      if (!body.at("token").is_null()) token = text; // null: didInvalidate (§3.2)
    }
    if (auto error = p.set_voip(user, token, certificate_id)) return fail(*error);
    return reply(200, {{"user", user}, {"registered", token.has_value()}});
  }
  if (what == "registration" && r.method == "GET") {
    const auto registration = p.registration(user);
    if (!registration) return fail(404, "NO_REGISTRATION", user + " has not reported a VoIP token");
    return reply(200, registration_json(*registration));
  }
  return not_found(r);
}

// POST /v1/messages's body as a message, or the response that says what is wrong.
std::variant<MessageToSend, net::Http1Response> message_to_send(const net::Http1Request& r) {
  auto parsed = body_of(r, "a message",
                        {"sender", "receiver", "content", "online_user_only", "offline_push_info"});
  if (auto* problem = std::get_if<net::Http1Response>(&parsed)) return *problem;
  const json& body = std::get<json>(parsed);
  MessageToSend m;
  Fields f{body, {}};
  f.read("sender", m.sender, true)
      .read("receiver", m.receiver, true)
      .read("content", m.content)
      .read("online_user_only", m.online_user_only);
  if (f.problem) return *f.problem;
  if (body.contains("offline_push_info") && !body["offline_push_info"].is_null()) {
    const json& info = body["offline_push_info"];
    if (auto ok =
            core::require_json_object(info, "\"offline_push_info\"",
                                      {"ios_push_type", "ext", "title", "desc", "disable_push"});
        !ok)
      return fail(400, "BAD_REQUEST", ok.error().detail);
    OfflinePushInfo push;
    Fields g{info, {}};
    g.read("ios_push_type", push.ios_push_type)
        .read("ext", push.ext)
        .read("title", push.title)
        .read("desc", push.desc)
        .read("disable_push", push.disable_push);
    if (g.problem) return *g.problem;
    m.offline_push_info = std::move(push);
  }
  return m;
}

net::Http1Response message_sent(const Pipeline::SendResult& sent) {
  if (const auto* error = std::get_if<ApiError>(&sent)) return fail(*error);
  return reply(202, {{"message_id", std::get<std::string>(sent)}});
}

bool is_send_message(const net::Http1Request& r) {
  return r.method == "POST" &&
         core::percent_decode(r.target.substr(0, r.target.find('?'))) == "/v1/messages";
}

json endpoints() {
  return {{"endpoints",
           {"POST /v1/console/certificates", "GET /v1/console/certificates",
            "DELETE /v1/console/certificates/{record_id}", "POST /v1/users/{user}/presence",
            "POST /v1/users/{user}/voip-token", "DELETE /v1/users/{user}/voip-token",
            "GET /v1/users/{user}/registration", "POST /v1/messages", "GET /v1/messages/{id}",
            "GET /v1/health"}}};
}

} // namespace

net::Http1Response handle_api_request(const net::Http1Request& r, Pipeline& p) {
  // Split before decoding: a user id may hold an encoded '/'.
  const std::string raw_path = r.target.substr(0, r.target.find('?'));
  const std::string path = core::percent_decode(raw_path);
  if (path == "/v1" || path == "/v1/") return reply(200, endpoints());
  if (path == "/v1/health" && r.method == "GET")
    return reply(200, {{"status", "ok"}, {"in_flight", p.in_flight()}});
  constexpr std::string_view kCertificates = "/v1/console/certificates";
  if (path == kCertificates) return certificates(r, "", p);
  if (path.starts_with(std::string(kCertificates) + "/"))
    return certificates(r, path.substr(kCertificates.size() + 1), p);
  constexpr std::string_view kUsers = "/v1/users/";
  if (raw_path.starts_with(kUsers)) {
    const std::string rest = raw_path.substr(kUsers.size());
    const auto slash = rest.find('/');
    if (slash == std::string::npos || slash == 0) return not_found(r);
    return users(r, core::percent_decode(rest.substr(0, slash)), rest.substr(slash + 1), p);
  }
  if (is_send_message(r)) {
    auto m = message_to_send(r);
    if (auto* problem = std::get_if<net::Http1Response>(&m)) return *problem;
    return message_sent(p.send_message(std::get<MessageToSend>(m)));
  }
  constexpr std::string_view kMessages = "/v1/messages/";
  if (path.starts_with(kMessages) && r.method == "GET") {
    const auto message = p.message(path.substr(kMessages.size()));
    if (!message)
      return fail(404, "NO_SUCH_MESSAGE", "no message " + path.substr(kMessages.size()));
    return reply(200, message_json(*message));
  }
  return not_found(r);
}

net::Http1Handler api_handler(Pipeline& p) {
  return [&p](const std::shared_ptr<net::Http1Exchange>& exchange) {
    const net::Http1Request& r = exchange->request();
    if (is_send_message(r)) { // answered once the outbox holds it, without blocking this thread
      auto m = message_to_send(r);
      if (auto* problem = std::get_if<net::Http1Response>(&m))
        return exchange->respond(std::move(*problem));
      const std::weak_ptr<net::Http1Exchange> weak = exchange;
      return p.send_message(std::get<MessageToSend>(m), [weak](Pipeline::SendResult sent) {
        if (auto alive = weak.lock())
          alive->post([weak, answer = message_sent(sent)]() mutable {
            if (auto exchange = weak.lock()) exchange->respond(std::move(answer));
          });
      });
    }
    // wait_idle_ms: until nothing is in flight; wait_quiet_ms: until no push is on the wire
    // (those waiting for a retry may stay), where a scenario runner checks a step.
    constexpr std::string_view kWaitIdle = "/v1/health?wait_idle_ms=";
    constexpr std::string_view kWaitQuiet = "/v1/health?wait_quiet_ms=";
    const bool quiet = r.target.starts_with(kWaitQuiet);
    if (r.method != "GET" || (!quiet && !r.target.starts_with(kWaitIdle)))
      return exchange->respond(handle_api_request(r, p));
    const auto ms =
        integer(std::string_view(r.target).substr((quiet ? kWaitQuiet : kWaitIdle).size()));
    if (!ms || *ms < 0) {
      return exchange->respond(
          fail(400, "BAD_REQUEST",
               std::string(quiet ? "wait_quiet_ms" : "wait_idle_ms") + " takes milliseconds"));
    }
    // Whichever comes first, idle or the time limit, answers; the other finds it answered.
    // The pipeline holds the exchange weakly: a connection that went away is not kept.
    auto answered = std::make_shared<std::atomic<bool>>(false);
    auto waiter = std::make_shared<std::atomic<std::uint64_t>>(0);
    const std::weak_ptr<net::Http1Exchange> weak = exchange;
    // "settled": false when the time limit came first.
    auto answer = [weak, &p, answered, waiter](bool settled) {
      if (answered->exchange(true)) return;
      p.cancel_when_idle(waiter->load());
      if (auto alive = weak.lock()) {
        alive->respond(
            reply(200, {{"status", "ok"}, {"settled", settled}, {"in_flight", p.in_flight()}}));
      }
    };
    exchange->start_timer(std::chrono::milliseconds(std::min<std::int64_t>(*ms, 60'000)),
                          [answer] { answer(false); });
    // The client left, or the server had no room for one more wait: stop waiting.
    exchange->on_close([&p, answered, waiter] {
      if (!answered->exchange(true)) p.cancel_when_idle(waiter->load());
    });
    auto told = [weak, answer] {
      if (auto alive = weak.lock()) alive->post([answer] { answer(true); });
    };
    waiter->store(quiet ? p.when_quiet(told) : p.when_idle(told));
  };
}

net::BearerAuth api_auth(std::string secret) {
  return {std::move(secret),
          {"/v1/health"},
          "the pipeline's API secret ('voipsim pipeline --api-secret-file FILE' or " +
              std::string(kApiSecretEnv) + ")"};
}

} // namespace pipeline
