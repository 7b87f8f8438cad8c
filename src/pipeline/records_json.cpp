#include "pipeline/records_json.hpp"

#include "core/apns_environment.hpp"
#include "core/clock.hpp"
#include "core/json_fields.hpp"

#include <nlohmann/json.hpp>

namespace pipeline {

using nlohmann::json;

json to_json(const CertificateRecord& c) {
  return {{"record_id", c.record_id},
          {"name", c.name},
          {"bundle_id", c.bundle_id},
          {"type", c.type},
          {"development_id", c.cert_id_dev},
          {"production_id", c.cert_id_prod},
          {"not_before_ms", core::unix_millis(c.not_before)},
          {"not_after_ms", core::unix_millis(c.not_after)},
          {"health", to_string(c.health)}};
}

core::Result<CertificateRecord> certificate_from_json(const json& j) {
  CertificateRecord c;
  std::int64_t not_before = 0, not_after = 0;
  core::JsonFields f(j, "a certificate record",
                     {"record_id", "name", "bundle_id", "type", "development_id", "production_id",
                      "not_before_ms", "not_after_ms", "health"});
  f.require("record_id", c.record_id)
      .require("name", c.name)
      .require("bundle_id", c.bundle_id)
      .require("type", c.type)
      .require("development_id", c.cert_id_dev)
      .require("production_id", c.cert_id_prod)
      .require("not_before_ms", not_before)
      .require("not_after_ms", not_after)
      .require_named("health", c.health, parse_certificate_health, certificate_health_words());
  if (f.problem()) return core::Unexpected(*f.problem());
  c.not_before = core::from_unix_millis(not_before);
  c.not_after = core::from_unix_millis(not_after);
  return c;
}

json to_json(const PushRecord& p) {
  return {{"receiver", p.receiver},
          {"installation", p.installation},
          {"state", to_string(p.state)},
          {"reason", p.reason.empty() ? json(nullptr) : json(p.reason)},
          {"apns_id", p.apns_id.empty() ? json(nullptr) : json(p.apns_id)},
          {"attempts", p.attempts}};
}

core::Result<PushRecord> push_from_json(const json& j) {
  PushRecord p;
  std::optional<std::string> reason, apns_id;
  core::JsonFields f(j, "a push",
                     {"receiver", "installation", "state", "reason", "apns_id", "attempts"});
  f.require("receiver", p.receiver)
      .require("installation", p.installation)
      .require_named("state", p.state, parse_message_state, "a message state")
      .require("attempts", p.attempts)
      .require_nullable("reason", reason)
      .require_nullable("apns_id", apns_id);
  if (f.problem()) return core::Unexpected(*f.problem());
  p.reason = reason.value_or("");
  p.apns_id = apns_id.value_or("");
  return p;
}

json certificate_list_json(const std::vector<CertificateRecord>& certificates) {
  json list = json::array();
  for (const auto& c : certificates)
    list.push_back(to_json(c));
  return {{"certificates", std::move(list)}};
}

core::Result<std::vector<CertificateRecord>> certificate_list_from_json(const json& j) {
  std::vector<json> listed;
  core::JsonFields f(j, "a certificate list", {"certificates"});
  if (f.require("certificates", listed).problem()) return core::Unexpected(*f.problem());
  return core::read_json_items(listed, "certificate", certificate_from_json);
}

json to_json(const MessageRecord& m) {
  json pushes = json::array();
  for (const auto& p : m.pushes)
    pushes.push_back(to_json(p));
  return {{"message_id", m.message_id},
          {"state", to_string(m.state)},
          {"reason", m.reason.empty() ? json(nullptr) : json(m.reason)},
          {"apns_id", m.apns_id.empty() ? json(nullptr) : json(m.apns_id)},
          {"attempts", m.attempts},
          {"sender", m.sender},
          {"receiver", m.receiver},
          {"group", m.group.empty() ? json(nullptr) : json(m.group)},
          {"created_at_ms", core::unix_millis(m.created_at)},
          {"random", m.random ? json(*m.random) : json(nullptr)},
          {"pushes", pushes}};
}

core::Result<MessageRecord> message_from_json(const json& j) {
  MessageRecord m;
  std::int64_t created = 0;
  std::optional<std::string> reason, apns_id; // null until there is one
  std::optional<std::string> group;           // null one-to-one
  std::vector<json> pushes;
  core::JsonFields f(j, "a message record",
                     {"message_id", "state", "reason", "apns_id", "attempts", "sender", "receiver",
                      "group", "created_at_ms", "random", "pushes"});
  f.require("message_id", m.message_id)
      .require_named("state", m.state, parse_message_state, "a message state")
      .require("attempts", m.attempts)
      .require("sender", m.sender)
      .require("receiver", m.receiver)
      .require_nullable("group", group)
      .require("created_at_ms", created)
      .require_nullable("reason", reason)
      .require_nullable("apns_id", apns_id)
      .require_nullable("random", m.random)
      .require("pushes", pushes);
  if (f.problem()) return core::Unexpected(*f.problem());
  for (const auto& one : pushes) {
    auto push = push_from_json(one);
    if (!push) return core::Unexpected(push.error().in_context("a message record's \"pushes\""));
    m.pushes.push_back(std::move(*push));
  }
  m.reason = reason.value_or("");
  m.apns_id = apns_id.value_or("");
  m.group = group.value_or("");
  m.created_at = core::from_unix_millis(created);
  return m;
}

json to_json(const Registration& r) {
  return {{"user", r.user},           {"installation", r.installation},
          {"token", r.token_hex},     {"environment", core::to_string(r.environment)},
          {"bundle_id", r.bundle_id}, {"state", to_string(r.state)},
          {"reason", r.reason},       {"updated_at_ms", core::unix_millis(r.updated_at)}};
}

core::Result<Registration> registration_from_json(const json& j) {
  Registration r;
  std::int64_t updated = 0;
  core::JsonFields f(j, "a registration",
                     {"user", "installation", "token", "environment", "bundle_id", "state",
                      "reason", "updated_at_ms"});
  f.require("user", r.user)
      .require("installation", r.installation)
      .require("token", r.token_hex)
      .require_named("environment", r.environment, core::parse_apns_environment,
                     core::apns_environment_words())
      .require("bundle_id", r.bundle_id)
      .require_named("state", r.state, parse_registration_state, "a registration state")
      .require("reason", r.reason)
      .require("updated_at_ms", updated);
  if (f.problem()) return core::Unexpected(*f.problem());
  r.updated_at = core::from_unix_millis(updated);
  return r;
}

json to_json(const ReceiveSetting& s) {
  return {{"scope", to_string(s.scope)}, {"target", s.target}, {"option", to_string(s.option)}};
}

core::Result<ReceiveSetting> receive_setting_from_json(const json& j) {
  ReceiveSetting s;
  core::JsonFields f(j, "a receive option", {"scope", "target", "option"});
  f.require_named("scope", s.scope, parse_receive_scope, receive_scope_words())
      .read("target", s.target)
      .require_named("option", s.option, parse_receive_option, receive_option_words());
  if (f.problem()) return core::Unexpected(*f.problem());
  return s;
}

json to_json(const Group& g) {
  return {{"id", g.id}, {"type", to_string(g.type)}, {"members", g.members}};
}

core::Result<Group> group_from_json(const json& j) {
  Group g;
  std::vector<std::string> members;
  core::JsonFields f(j, "a group", {"id", "type", "members"});
  f.require("id", g.id)
      .read_named("type", g.type, parse_group_type, group_type_words())
      .read("members", members);
  if (f.problem()) return core::Unexpected(*f.problem());
  g.members.insert(members.begin(), members.end());
  return g;
}

} // namespace pipeline
