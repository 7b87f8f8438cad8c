#pragma once
// The IM backend as the simulated app's IM SDK sees it, wired straight to an in-process
// pipeline: setVOIP and presence become Pipeline calls for the user logged in on that device,
// the device's id as the installation (im-voip-flow.md §3.2, §3.4, §4.3). The in-process twin of
// fake_device::remote::PipelineLink.

#include "fake_device/im_server.hpp"
#include "pipeline/pipeline.hpp"

#include <functional>
#include <string>

namespace scenario {

class PipelineIm final : public fake_device::ImServer {
public:
  // `pipeline` (the world's, null while it is stopped) must outlive this; `user` is who logs
  // in on the device.
  PipelineIm(const std::unique_ptr<pipeline::Pipeline>& pipeline, std::string user)
      : pipeline_(pipeline), user_(std::move(user)) {}

  // The installations a login of this device kicked (§3.4), one call each: their SDKs are to
  // be told (onKickedOffline).
  void set_kicked_handler(std::function<void(const std::string&)> handler) {
    on_kicked_ = std::move(handler);
  }

  core::Result<void> set_voip(const fake_device::VoipTokenReport& report) override;
  void presence_changed(std::string_view device_id, std::string_view bundle_id,
                        fake_device::ImPresence presence) override;

private:
  const std::unique_ptr<pipeline::Pipeline>& pipeline_;
  std::string user_;
  std::function<void(const std::string&)> on_kicked_;
};

} // namespace scenario
