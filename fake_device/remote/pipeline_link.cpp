#include "fake_device/remote/pipeline_link.hpp"

#include "core/encoding.hpp"

#include <nlohmann/json.hpp>

namespace fake_device::remote {

namespace {

using nlohmann::json;
constexpr std::chrono::milliseconds kTimeout{5000};

} // namespace

std::string_view pipeline_presence(ImPresence presence) {
  switch (presence) {
  case ImPresence::Foreground:
    return "online";
  case ImPresence::Background:
    return "background";
  case ImPresence::Disconnected:
    return "killed";
  case ImPresence::LoggedOut:
    return "logged_out";
  case ImPresence::Kicked:
    return "kicked";
  }
  return "logged_out";
}

PipelineLink::PipelineLink(net::HttpEndpoint pipeline, std::string user)
    : pipeline_(std::move(pipeline)), user_(std::move(user)) {}

core::Result<void> PipelineLink::send(std::string_view method, const std::string& target,
                                      const std::string& body) {
  auto reply = net::http1_request(pipeline_, method, target, body, kTimeout);
  if (!reply) return core::Unexpected(reply.error());
  if (reply->status / 100 != 2) {
    // The pipeline answers {"error":"<code>","message":"<text>"}; keep its words.
    const json error = json::parse(reply->body, nullptr, false);
    const std::string why =
        error.is_object() && error.contains("message") && error["message"].is_string()
            ? error["message"].get<std::string>()
            : reply->body;
    return core::fail(core::Errc::InvalidArgument, std::string(method) + " " + target +
                                                       " answered " +
                                                       std::to_string(reply->status) + ": " + why);
  }
  return {};
}

core::Result<void> PipelineLink::set_voip(const VoipTokenReport& report) {
  const std::string target = "/v1/users/" + core::percent_encode(user_) + "/voip-token";
  if (!report.token_hex) return send("DELETE", target, {}); // didInvalidate: no token any more
  return send("POST", target,
              json{{"token", *report.token_hex}, {"certificate_id", report.certificate_id}}.dump());
}

void PipelineLink::presence_changed(std::string_view, std::string_view, ImPresence presence) {
  const auto sent = send("POST", "/v1/users/" + core::percent_encode(user_) + "/presence",
                         json{{"state", pipeline_presence(presence)}}.dump());
  if (!sent && on_error_) on_error_("could not report presence: " + sent.error().message());
}

} // namespace fake_device::remote
