#pragma once
// `voipsim run --live`: the mock APNs (`voipsim mock-apns`) and the pipeline (`voipsim
// pipeline`) as standalone processes, in real time; the simulated iPhones in this process,
// wired to them through the same HTTP APIs `voipsim device` uses (LinkedDevice). Everything the
// runner asks goes over those APIs, so a scenario checks the parts as other test suites see
// them. `advance` waits in real time and is refused beyond a bound.

#include "scenario/world.hpp"

#include <memory>

namespace scenario {

class LiveWorld final : public World {
public:
  // Longest `advance` a live run waits through.
  static constexpr auto kLongestAdvance = std::chrono::seconds(30);

  static core::Result<std::unique_ptr<World>> start(const Scenario& scenario,
                                                    const RunContext& context);
  ~LiveWorld() override;

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
  // Stops `voipsim pipeline` (SIGTERM), waits `down_for` in real time (at most
  // kLongestAdvance), starts it again on the same database and port.
  core::Result<void> restart_pipeline(core::Duration down_for) override;
  std::optional<pipeline::ApiError>
  set_receive_option(const std::string& user, const pipeline::ReceiveSetting& setting) override;
  std::optional<pipeline::ApiError> create_group(const pipeline::Group& group) override;
  std::optional<pipeline::ApiError> set_group_member(const std::string& group,
                                                     const std::string& user, bool member) override;

  // Waits until the pipeline has no push on the wire and every device has taken what the
  // mock published, then reads the mock's journal.
  core::Result<void> settle() override;
  core::Result<void> advance(core::Duration by) override;
  core::TimePoint start_time() const override { return started_; }
  core::Duration time_tolerance() const override { return std::chrono::seconds(1); }

  struct Impl;

private:
  explicit LiveWorld(const RunContext& context);
  core::TimePoint now() const override { return std::chrono::system_clock::now(); }
  ProviderClients& provider() override;
  core::Result<void> register_key(const mock_apns::ProviderKeySpec& spec) override;
  core::Result<void> revoke_key(const std::string& key_id) override;
  core::Result<void> refuse_at_mock(const std::string& certificate_pem) override;
  core::Result<void> start_parts(const Scenario& scenario);
  // Starts `voipsim pipeline` listening on `listen` (HOST:PORT) and reads its ready line.
  core::Result<void> start_pipeline(const std::string& listen);
  struct Slot;
  Slot* slot(const std::string& id) const;

  const RunContext& context_;
  core::TimePoint started_;
  std::unique_ptr<Impl> impl_;
};

} // namespace scenario
