#pragma once
// The three parts of one scenario run, in process, on one virtual clock: a mock APNs on
// ephemeral loopback ports with TLS, the pipeline talking to it over real HTTP/2, and the
// simulated iPhones wired to both without HTTP. The World brings them up, lets their effects
// settle between steps, moves time, and writes everything that happened into one timeline.
//
// Threading: the devices live on the thread that calls the World (the runner's), which is also
// the thread that advances the clock; the mock and the pipeline answer on their own I/O threads
// and hand their news over through a queue.

#include "core/clock.hpp"
#include "core/result.hpp"
#include "fake_device/device.hpp"
#include "mock_apns/journal.hpp"
#include "mock_apns/pki_dir.hpp"
#include "pipeline/pipeline.hpp"
#include "scenario/model.hpp"
#include "scenario/timeline.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace mock_apns {
class Server;
}

namespace scenario {

// What a run shares between its scenarios: the fake Apple PKI (made once; keys take time).
struct RunContext {
  mock_apns::PkiDir pki;
  std::string p12_password;
  core::TimePoint start; // every scenario's virtual clock starts here
  std::uint64_t seed = 1;
};

// A provider's own request answered by the mock (a `push` step).
struct ProviderAnswer {
  int status = 0; // 0: no answer (transport error in `reason`)
  std::string reason;
  std::string apns_id;
};

class World {
public:
  static core::Result<std::unique_ptr<World>> start(const Scenario& scenario,
                                                    const RunContext& context);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  core::VirtualClock& clock() { return clock_; }
  core::TimePoint start() const { return context_.start; }
  mock_apns::Server& mock() { return *mock_; }
  pipeline::Pipeline& pipeline() { return *pipeline_; }

  // --- Devices ---------------------------------------------------------------------------
  // The device `id` names, or the first when `id` is empty; nullptr when there is none.
  fake_device::Device* device(const std::string& id);
  const DeviceSpec* device_spec(const std::string& id) const;
  std::vector<std::string> device_ids() const;
  // Everything the device recorded, in order.
  const std::vector<fake_device::DeviceEvent>& device_events(const std::string& id) const;
  // The app as set up, with its certificate ID resolved; error for an unknown upload label.
  core::Result<fake_device::AppConfig> app_config(const DeviceSpec& device) const;

  // --- Console, messages, provider pushes ------------------------------------------------
  std::variant<pipeline::UploadedCertificate, pipeline::ApiError> upload(const UploadSpec& spec);
  // The upload a label names (empty: the first), with its current health flag.
  std::optional<pipeline::CertificateRecord> certificate(const std::string& label) const;
  std::variant<std::string, pipeline::ApiError> send(const SendSpec& spec,
                                                     const std::string& receiver);
  // The message id a `send: {as: label}` got; the last one sent for an empty label.
  std::optional<std::string> message_id(const std::string& label) const;
  ProviderAnswer provider_push(const PushSpec& spec, const std::string& token,
                               const std::string& environment, const std::string& topic);

  // --- Time and settling -----------------------------------------------------------------
  // Waits (bounded) until no push is on the wire, then hands every delivery to its device and
  // records what changed. Error when the parts do not settle.
  core::Result<void> settle();
  // Moves the clock on, one due timer at a time, settling after each.
  core::Result<void> advance(core::Duration by);

  // --- Timeline --------------------------------------------------------------------------
  void note(std::string source, std::string text);
  const std::vector<TimelineEntry>& timeline() const { return timeline_; }
  // Journal entries the mock answered since the scenario began, oldest first.
  const std::vector<mock_apns::JournalEntry>& apns_requests() const { return apns_; }

  struct Impl;

private:
  World(const RunContext& context);
  core::Result<void> start_parts(const Scenario& scenario);
  void collect_journal();
  void collect_pipeline();
  void deliver_pending();

  const RunContext& context_;
  core::VirtualClock clock_;
  std::vector<TimelineEntry> timeline_;
  std::vector<mock_apns::JournalEntry> apns_;
  std::unique_ptr<mock_apns::Server> mock_;
  std::unique_ptr<pipeline::Pipeline> pipeline_;
  std::unique_ptr<Impl> impl_; // devices, links, the delivery queue, provider clients
};

} // namespace scenario
