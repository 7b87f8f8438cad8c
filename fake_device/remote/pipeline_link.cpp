#include "fake_device/remote/pipeline_link.hpp"

#include "core/encoding.hpp"
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

core::Result<void> PipelineLink::send(std::string_view method, const std::string& target,
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
  return {};
}

core::Result<void> PipelineLink::set_voip(const VoipTokenReport& report) {
  const std::string target = "/v1/users/" + core::percent_encode(user_) + "/voip-token";
  if (!report.token_hex) return send("DELETE", target, {}); // didInvalidate: no token any more
  return send(
      "POST", target,
      pipeline::to_json(pipeline::VoipTokenBody{report.token_hex, report.certificate_id}).dump());
}

void PipelineLink::presence_changed(std::string_view, std::string_view, ImPresence presence) {
  const auto sent = send("POST", "/v1/users/" + core::percent_encode(user_) + "/presence",
                         pipeline::presence_body(pipeline_presence(presence)).dump());
  if (!sent && on_error_) on_error_("could not report presence: " + sent.error().message());
}

} // namespace fake_device::remote
