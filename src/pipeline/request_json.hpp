#pragma once
// The bodies clients POST to the pipeline's API (src/pipeline/README.md) and the answers they
// read back: written by one side and read by the other (api.cpp; the scenario's live world,
// `voipsim device`'s link), both through here.

#include "core/result.hpp"
#include "pipeline/console.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/records.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace pipeline {

// POST /v1/console/certificates: {"name","p12_base64","password","allow_other_types"}; name and
// p12_base64 required (standard base64 or base64url, as `base64 -w0 F.p12` writes it).
nlohmann::json to_json(const CertificateUpload& upload);
core::Result<CertificateUpload> certificate_upload_from_json(const nlohmann::json& json);
// Its 201 answer: the certificate record (records_json.hpp) and "warnings":[...] beside its fields.
nlohmann::json to_json(const UploadedCertificate& uploaded);
core::Result<UploadedCertificate> uploaded_certificate_from_json(const nlohmann::json& json);

// POST /v1/messages: {"sender","receiver" or "group","at_users":[...],"content",
// "online_user_only","offline_push_info":{"ios_push_type","ext","title","desc","disable_push"} or
// null,"random":N or null}; sender and one of receiver and group required (the pipeline checks
// which), the rest as documented defaults.
nlohmann::json to_json(const MessageToSend& message);
core::Result<MessageToSend> message_to_send_from_json(const nlohmann::json& json);
// Its 202 answer: {"message_id":"msg-1"}.
nlohmann::json message_accepted_answer(const std::string& message_id);
core::Result<std::string> message_id_from_answer(const nlohmann::json& json);

// POST /v1/users/{user}/voip-token (setVOIP): {"token":"<hex>" or null,"certificate_id":N,
// "installation":"<device id>"}; token and certificate_id required, a null token is didInvalidate
// (im-voip-flow.md §3.2); installation optional, default "default" (§3.4).
struct VoipTokenBody {
  std::optional<std::string> token;
  std::int64_t certificate_id = 0;
  std::string installation = kDefaultInstallation;
};
nlohmann::json to_json(const VoipTokenBody& body);
core::Result<VoipTokenBody> voip_token_body_from_json(const nlohmann::json& json);

// POST /v1/users/{user}/presence: {"state":"online|background|killed|logged_out|kicked",
// "installation":"<device id>"}; installation optional, default "default" (im-voip-flow.md §3.4).
struct PresenceReport {
  Presence state = Presence::LoggedOut;
  std::string installation = kDefaultInstallation;
};
nlohmann::json to_json(const PresenceReport& report);
core::Result<PresenceReport> presence_report_from_json(const nlohmann::json& json);

// GET /v1/health: {"status":"ok","in_flight":N}, and "settled" when the request waited
// (?wait_idle_ms or ?wait_quiet_ms): false when the time limit came first.
struct PipelineHealth {
  std::size_t in_flight = 0;
  std::optional<bool> settled;
};
nlohmann::json to_json(const PipelineHealth& health);
core::Result<PipelineHealth> pipeline_health_from_json(const nlohmann::json& json);

// The line `voipsim pipeline` prints on stdout once its API listens:
// {"event":"ready","listen":"host:port","db":"<file>"}, in that order.
struct ReadyLine {
  std::string listen;
  std::string db;
};
nlohmann::ordered_json to_json(const ReadyLine& ready);
core::Result<ReadyLine> ready_line_from_json(const nlohmann::json& json);

} // namespace pipeline
