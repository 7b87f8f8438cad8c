#pragma once
// The bodies clients POST to the pipeline's API (src/pipeline/README.md): written by its clients
// (the scenario's live world, `voipsim device`'s link) and read by api.cpp, both through here.

#include "core/result.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/records.hpp"

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace pipeline {

// POST /v1/messages: {"sender","receiver","content","online_user_only","offline_push_info":
// {"ios_push_type","ext","title","desc","disable_push"} or null,"random":N or null}; sender and
// receiver required, the rest as documented defaults.
nlohmann::json to_json(const MessageToSend& message);
core::Result<MessageToSend> message_to_send_from_json(const nlohmann::json& json);

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

} // namespace pipeline
