#pragma once
// The app's IM SDK talking to a standalone pipeline (`voipsim pipeline`) over its JSON API:
// setVOIP becomes POST /v1/users/{user}/voip-token, presence changes POST
// /v1/users/{user}/presence (im-voip-flow.md §3.2, §4.3), each with the device's id as the
// installation (§3.4).

#include "fake_device/im_server.hpp"
#include "net/http1_client.hpp"
#include "pipeline/records.hpp"

#include <functional>
#include <string>

namespace fake_device::remote {

// The pipeline's presence for the SDK's (a killed app is the SDK's Disconnected).
pipeline::Presence pipeline_presence(ImPresence presence);
// The installation a device reports as (im-voip-flow.md §3.4): its id, or the pipeline's default
// installation for a device without one.
std::string installation_of(std::string_view device_id);

class PipelineLink final : public ImServer {
public:
  // `user` is the IM account the app logs in as.
  PipelineLink(net::HttpEndpoint pipeline, std::string user);

  // Presence updates cannot return an error; they are reported here.
  void set_error_handler(std::function<void(const std::string&)> handler) {
    on_error_ = std::move(handler);
  }
  // The installations a login of this device kicked (im-voip-flow.md §3.4, the answer's
  // "kicked"), one call each, on the device's thread: their SDKs are to be told
  // (onKickedOffline).
  void set_kicked_handler(std::function<void(const std::string&)> handler) {
    on_kicked_ = std::move(handler);
  }

  core::Result<void> set_voip(const VoipTokenReport& report) override;
  void presence_changed(std::string_view device_id, std::string_view bundle_id,
                        ImPresence presence) override;

private:
  // The answer's body.
  core::Result<std::string> send(std::string_view method, const std::string& target,
                                 const std::string& body);

  net::HttpEndpoint pipeline_;
  std::string user_;
  std::function<void(const std::string&)> on_error_;
  std::function<void(const std::string&)> on_kicked_;
};

} // namespace fake_device::remote
