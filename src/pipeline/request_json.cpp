#include "pipeline/request_json.hpp"

#include "core/encoding.hpp"
#include "core/json_fields.hpp"
#include "pipeline/records_json.hpp"

#include <nlohmann/json.hpp>

namespace pipeline {

using nlohmann::json;

json to_json(const CertificateUpload& upload) {
  return {{"name", upload.name},
          {"p12_base64", core::base64_encode(upload.p12_der)},
          {"password", upload.password},
          {"allow_other_types", upload.allow_other_types}};
}

core::Result<CertificateUpload> certificate_upload_from_json(const json& j) {
  CertificateUpload upload;
  std::string p12_base64;
  core::JsonFields f(j, "a certificate upload",
                     {"name", "p12_base64", "password", "allow_other_types"});
  f.require("name", upload.name)
      .require("p12_base64", p12_base64)
      .read("password", upload.password)
      .read("allow_other_types", upload.allow_other_types);
  if (f.problem()) return core::Unexpected(*f.problem());
  auto der = core::base64_decode(p12_base64);
  if (!der)
    return core::fail(core::Errc::InvalidArgument,
                      "\"p12_base64\" is not base64 (try: base64 -w0 F.p12)");
  upload.p12_der = std::move(*der);
  return upload;
}

json to_json(const UploadedCertificate& uploaded) {
  json out = to_json(uploaded.record);
  out["warnings"] = uploaded.warnings;
  return out;
}

core::Result<UploadedCertificate> uploaded_certificate_from_json(const json& j) {
  UploadedCertificate uploaded;
  core::JsonFields f(j);
  if (f.require("warnings", uploaded.warnings).problem()) return core::Unexpected(*f.problem());
  json record = j;
  record.erase("warnings");
  auto read = certificate_from_json(record);
  if (!read) return core::Unexpected(read.error());
  uploaded.record = std::move(*read);
  return uploaded;
}

json to_json(const MessageToSend& m) {
  json info = nullptr;
  if (const auto& i = m.offline_push_info)
    info = {{"ios_push_type", i->ios_push_type},
            {"ext", i->ext},
            {"title", i->title},
            {"desc", i->desc},
            {"disable_push", i->disable_push}};
  json out = {{"sender", m.sender},        {"receiver", m.receiver},
              {"content", m.content},      {"online_user_only", m.online_user_only},
              {"offline_push_info", info}, {"random", m.random ? json(*m.random) : json(nullptr)}};
  // Only a group message has these: a one-to-one message's body is as it always was.
  if (!m.group.empty()) out["group"] = m.group;
  if (!m.at_users.empty()) out["at_users"] = m.at_users;
  return out;
}

core::Result<MessageToSend> message_to_send_from_json(const json& j) {
  MessageToSend m;
  std::optional<json> info;
  core::JsonFields f(j, "a message",
                     {"sender", "receiver", "group", "at_users", "content", "online_user_only",
                      "offline_push_info", "random"});
  f.require("sender", m.sender)
      .read("receiver", m.receiver)
      .read("group", m.group)
      .read("at_users", m.at_users)
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

json message_accepted_answer(const std::string& message_id) {
  return {{"message_id", message_id}};
}

core::Result<std::string> message_id_from_answer(const json& j) {
  std::string id;
  core::JsonFields f(j, "the answer to a sent message", {"message_id"});
  if (f.require("message_id", id).problem()) return core::Unexpected(*f.problem());
  return id;
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

json to_json(const PipelineHealth& h) {
  json out = {{"status", "ok"}, {"in_flight", h.in_flight}};
  if (h.settled) out["settled"] = *h.settled;
  return out;
}

core::Result<PipelineHealth> pipeline_health_from_json(const json& j) {
  PipelineHealth h;
  core::JsonFields f(j, "the pipeline's health", {"status", "in_flight", "settled"});
  f.require_value("status", "ok").require("in_flight", h.in_flight).read("settled", h.settled);
  if (f.problem()) return core::Unexpected(*f.problem());
  return h;
}

nlohmann::ordered_json to_json(const ReadyLine& r) {
  return {{"event", "ready"}, {"listen", r.listen}, {"db", r.db}};
}

core::Result<ReadyLine> ready_line_from_json(const json& j) {
  ReadyLine r;
  core::JsonFields f(j, "voipsim pipeline's ready line", {"event", "listen", "db"});
  f.require_value("event", "ready").require("listen", r.listen).require("db", r.db);
  if (f.problem()) return core::Unexpected(*f.problem());
  return r;
}

} // namespace pipeline
