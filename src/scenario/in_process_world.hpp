#pragma once
// The default world: the three parts in this process on one virtual clock. A mock APNs on
// ephemeral loopback ports with TLS, the pipeline talking to it over real HTTP/2, and the
// simulated iPhones wired to both without HTTP (MockDeviceLink, PipelineIm).
//
// Threading: the devices live on the thread that calls the world (the runner's), which is also
// the thread that advances the clock; the mock and the pipeline answer on their own I/O threads
// and hand their news over through a queue.

#include "scenario/world.hpp"

#include <memory>

namespace mock_apns {
class Server;
}

namespace scenario {

class InProcessWorld final : public World {
public:
  static core::Result<std::unique_ptr<World>> start(const Scenario& scenario,
                                                    const RunContext& context);
  ~InProcessWorld() override;

  core::Result<void>
  on_device(const std::string& id,
            const std::function<core::Result<void>(fake_device::Device&)>& action) override;
  std::vector<fake_device::DeviceEvent> device_events(const std::string& id) const override;

  std::variant<pipeline::UploadedCertificate, pipeline::ApiError>
  upload(const UploadSpec& spec) override;
  std::optional<pipeline::CertificateRecord> certificate(const std::string& label) const override;
  std::variant<std::string, pipeline::ApiError> send(const SendSpec& spec,
                                                     const std::string& receiver) override;
  std::optional<pipeline::MessageRecord> message(const std::string& id) const override;
  std::optional<pipeline::Registration>
  registration(const std::string& user, const std::string& installation) const override;
  core::Result<void> add_fault(const mock_apns::FaultRule& rule) override;
  core::Result<void> restart_pipeline(core::Duration down_for) override;
  std::optional<pipeline::ApiError>
  set_receive_option(const std::string& user, const pipeline::ReceiveSetting& setting) override;
  std::optional<pipeline::ApiError> create_group(const pipeline::Group& group) override;
  std::optional<pipeline::ApiError> set_group_member(const std::string& group,
                                                     const std::string& user, bool member) override;

  // Waits (bounded) until no push is on the wire, then hands every delivery to its device and
  // records what changed.
  core::Result<void> settle() override;
  // Moves the virtual clock on, one due timer at a time, settling after each.
  core::Result<void> advance(core::Duration by) override;
  core::TimePoint start_time() const override { return context_.start; }

  struct Impl;

private:
  explicit InProcessWorld(const RunContext& context);
  core::TimePoint now() const override { return clock_.now(); }
  ProviderClients& provider() override;
  core::Result<void> register_key(const mock_apns::ProviderKeySpec& spec) override;
  core::Result<void> revoke_key(const std::string& key_id) override;
  core::Result<void> refuse_at_mock(const std::string& certificate_pem) override;
  core::Result<void> start_parts(const Scenario& scenario);
  struct Slot;
  Slot* slot(const std::string& id) const;
  void deliver_pending();
  void take_new_journal_entries();

  const RunContext& context_;
  core::VirtualClock clock_;
  std::unique_ptr<mock_apns::Server> mock_;
  pipeline::PipelineOptions pipeline_options_;   // to start it again
  std::unique_ptr<pipeline::Pipeline> pipeline_; // null while stopped
  std::string database_dir_;   // a file database when the scenario restarts the pipeline
  std::unique_ptr<Impl> impl_; // devices, links, the delivery queue, provider clients
};

} // namespace scenario
