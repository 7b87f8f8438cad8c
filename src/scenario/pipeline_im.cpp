#include "scenario/pipeline_im.hpp"

#include "fake_device/remote/pipeline_link.hpp"

namespace scenario {

using fake_device::remote::installation_of;

core::Result<void> PipelineIm::set_voip(const fake_device::VoipTokenReport& report) {
  if (!pipeline_)
    return core::fail(core::Errc::InvalidArgument, "the IM server is unreachable (stopped)");
  const auto refused = pipeline_->set_voip(user_, installation_of(report.device_id),
                                           report.token_hex, report.certificate_id);
  if (!refused) return {};
  // The SDK's fail block gets the product's code and words (6014 before login).
  return core::fail(core::Errc::InvalidArgument, refused->code + ": " + refused->message);
}

void PipelineIm::presence_changed(std::string_view device_id, std::string_view,
                                  fake_device::ImPresence presence) {
  // While the pipeline is stopped the report is lost; the SDK reports again when it is back.
  // One mapping of SDK presence to the pipeline's, shared with the HTTP link.
  if (!pipeline_) return;
  const auto changed = pipeline_->set_presence(user_, installation_of(device_id),
                                               fake_device::remote::pipeline_presence(presence));
  const auto* kicked = std::get_if<pipeline::Pipeline::Kicked>(&changed);
  if (kicked && on_kicked_)
    for (const auto& installation : *kicked)
      on_kicked_(installation);
}

} // namespace scenario
