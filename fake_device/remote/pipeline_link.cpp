#include "fake_device/remote/pipeline_link.hpp"

#include "core/encoding.hpp"
#include "core/json_fields.hpp"
#include "net/json_api.hpp"
#include "pipeline/request_json.hpp"

#include <nlohmann/json.hpp>

namespace fake_device::remote {

namespace {

constexpr std::chrono::milliseconds kTimeout{5000};

} // namespace

pipeline::Presence pipeline_presence(ImPresence presence) {
  switch (presence) {
  case ImPresence::Foreground:
    return pipeline::Presence::Online;
  case ImPresence::Background:
    return pipeline::Presence::Background;
  case ImPresence::Disconnected:
    return pipeline::Presence::Killed;
  case ImPresence::LoggedOut:
    return pipeline::Presence::LoggedOut;
  case ImPresence::Kicked:
    return pipeline::Presence::Kicked;
  }
  return pipeline::Presence::LoggedOut;
}

PipelineLink::PipelineLink(net::HttpEndpoint pipeline, std::string user)
    : pipeline_(std::move(pipeline)), user_(std::move(user)) {}

core::Result<std::string> PipelineLink::send(std::string_view method, const std::string& target,
                                             const std::string& body) {
  auto reply = net::http1_request(pipeline_, method, target, body, kTimeout);
  if (!reply) return core::Unexpected(reply.error());
  if (reply->status / 100 != 2) {
    // Keep the pipeline's words.
    const auto error = net::api_error_of(reply->status, reply->body);
    return core::fail(core::Errc::InvalidArgument,
                      std::string(method) + " " + target + " answered " +
                          std::to_string(reply->status) + ": " + error.message);
  }
  return std::move(reply->body);
}

std::string installation_of(std::string_view device_id) {
  return device_id.empty() ? pipeline::kDefaultInstallation : std::string(device_id);
}

core::Result<void> PipelineLink::set_voip(const VoipTokenReport& report) {
  const std::string target = "/v1/users/" + core::percent_encode(user_) + "/voip-token";
  const std::string installation = installation_of(report.device_id);
  if (!report.token_hex) { // didInvalidate: no token any more
    auto sent = send("DELETE", target + "?installation=" + core::percent_encode(installation), {});
    if (!sent) return core::Unexpected(sent.error());
    return {};
  }
  pipeline::VoipTokenBody body;
  body.token = report.token_hex;
  body.certificate_id = report.certificate_id;
  body.installation = installation;
  auto sent = send("POST", target, pipeline::to_json(body).dump());
  if (!sent) return core::Unexpected(sent.error());
  return {};
}

void PipelineLink::presence_changed(std::string_view device_id, std::string_view,
                                    ImPresence presence) {
  pipeline::PresenceReport report;
  report.state = pipeline_presence(presence);
  report.installation = installation_of(device_id);
  const auto sent = send("POST", "/v1/users/" + core::percent_encode(user_) + "/presence",
                         pipeline::to_json(report).dump());
  if (!sent) {
    if (on_error_) on_error_("could not report presence: " + sent.error().message());
    return;
  }
  // im-voip-flow.md §3.4: the installations this login kicked.
  const auto answer = nlohmann::json::parse(*sent, nullptr, false);
  std::vector<std::string> kicked;
  core::JsonFields f(answer);
  f.read("kicked", kicked);
  if (f.problem() && on_error_) on_error_("unreadable presence answer: " + f.problem()->detail);
  if (on_kicked_)
    for (const auto& installation : kicked)
      on_kicked_(installation);
}

} // namespace fake_device::remote
