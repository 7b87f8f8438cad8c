#include "pipeline/request_json.hpp"

#include "core/json_fields.hpp"

#include <nlohmann/json.hpp>

namespace pipeline {

using nlohmann::json;

json to_json(const MessageToSend& m) {
  json info = nullptr;
  if (const auto& i = m.offline_push_info)
    info = {{"ios_push_type", i->ios_push_type},
            {"ext", i->ext},
            {"title", i->title},
            {"desc", i->desc},
            {"disable_push", i->disable_push}};
  return {{"sender", m.sender},        {"receiver", m.receiver},
          {"content", m.content},      {"online_user_only", m.online_user_only},
          {"offline_push_info", info}, {"random", m.random ? json(*m.random) : json(nullptr)}};
}

core::Result<MessageToSend> message_to_send_from_json(const json& j) {
  MessageToSend m;
  std::optional<json> info;
  core::JsonFields f(
      j, "a message",
      {"sender", "receiver", "content", "online_user_only", "offline_push_info", "random"});
  f.require("sender", m.sender)
      .require("receiver", m.receiver)
      .read("content", m.content)
      .read("online_user_only", m.online_user_only)
      .read("offline_push_info", info)
      .read("random", m.random);
  if (f.problem()) return core::Unexpected(*f.problem());
  if (info) {
    OfflinePushInfo push;
    core::JsonFields g(*info, "\"offline_push_info\"",
                       {"ios_push_type", "ext", "title", "desc", "disable_push"});
    g.read("ios_push_type", push.ios_push_type)
        .read("ext", push.ext)
        .read("title", push.title)
        .read("desc", push.desc)
        .read("disable_push", push.disable_push);
    if (g.problem()) return core::Unexpected(*g.problem());
    m.offline_push_info = std::move(push);
  }
  return m;
}

json to_json(const VoipTokenBody& body) {
  return {{"token", body.token ? json(*body.token) : json(nullptr)},
          {"certificate_id", body.certificate_id},
          {"installation", body.installation}};
}

core::Result<VoipTokenBody> voip_token_body_from_json(const json& j) {
  VoipTokenBody body;
  core::JsonFields f(j, "a setVOIP report", {"token", "certificate_id", "installation"});
  f.require_nullable("token", body.token)
      .require("certificate_id", body.certificate_id)
      .read("installation", body.installation);
  if (f.problem()) return core::Unexpected(*f.problem());
  return body;
}

json to_json(const PresenceReport& report) {
  return {{"state", to_string(report.state)}, {"installation", report.installation}};
}

core::Result<PresenceReport> presence_report_from_json(const json& j) {
  PresenceReport report;
  core::JsonFields f(j, "a presence report", {"state", "installation"});
  f.require_named("state", report.state, parse_presence, presence_words())
      .read("installation", report.installation);
  if (f.problem()) return core::Unexpected(*f.problem());
  return report;
}

} // namespace pipeline
