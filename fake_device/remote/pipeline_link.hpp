#pragma once
// The app's IM SDK talking to a standalone pipeline (`voipsim pipeline`) over its JSON API:
// setVOIP becomes POST /v1/users/{user}/voip-token, presence changes POST
// /v1/users/{user}/presence (im-voip-flow.md §3.2, §4.3).

#include "fake_device/im_server.hpp"
#include "net/http1_client.hpp"
#include "pipeline/records.hpp"

#include <functional>
#include <string>

namespace fake_device::remote {

// The pipeline's presence for the SDK's (a killed app is the SDK's Disconnected).
pipeline::Presence pipeline_presence(ImPresence presence);

class PipelineLink final : public ImServer {
public:
  // `user` is the IM account the app logs in as.
  PipelineLink(net::HttpEndpoint pipeline, std::string user);

  // Presence updates cannot return an error; they are reported here.
  void set_error_handler(std::function<void(const std::string&)> handler) {
    on_error_ = std::move(handler);
  }

  core::Result<void> set_voip(const VoipTokenReport& report) override;
  void presence_changed(std::string_view device_id, std::string_view bundle_id,
                        ImPresence presence) override;

private:
  core::Result<void> send(std::string_view method, const std::string& target,
                          const std::string& body);

  net::HttpEndpoint pipeline_;
  std::string user_;
  std::function<void(const std::string&)> on_error_;
};

} // namespace fake_device::remote
