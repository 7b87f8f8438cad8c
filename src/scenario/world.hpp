#pragma once
// The three parts of one scenario run - a mock APNs, the IM pipeline, simulated iPhones - as
// the runner drives and observes them. Two kinds: InProcessWorld (everything in this process on
// one virtual clock; the default) and LiveWorld (`voipsim run --live`: the mock and the pipeline
// as standalone processes, in real time). Both bring the parts up, let the effects of a step
// settle, move time, and write everything that happened into one timeline.

#include "core/clock.hpp"
#include "core/result.hpp"
#include "fake_device/device.hpp"
#include "mock_apns/faults.hpp"
#include "mock_apns/journal.hpp"
#include "mock_apns/pki_dir.hpp"
#include "pipeline/api_error.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/records.hpp"
#include "scenario/model.hpp"
#include "scenario/timeline.hpp"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace scenario {

class ProviderClients;

// What a run shares between its scenarios: the fake Apple PKI (made once; keys take time).
// The private key `upload: {from_csr: ...}` makes its CSR with (apns-provider-api.md §7.4a),
// made at the run's first such upload and used by all of them: an RSA 2048 key costs about 0.2 s,
// which was most of a large suite's time. Each upload still gets a certificate of its own.
class PortalKey {
public:
  core::Result<std::string> pem() const; // thread-safe; made once
private:
  mutable std::once_flag made_;
  mutable core::Result<std::string> key_ = std::string();
};

struct RunContext {
  mock_apns::PkiDir pki;
  std::shared_ptr<const PortalKey> portal_key = std::make_shared<PortalKey>();
  std::string p12_password;
  core::TimePoint start; // every in-process scenario's virtual clock starts here
  std::uint64_t seed = 1;
  bool live = false;        // standalone processes in real time
  std::string voipsim_path; // live: the executable to start them from
};

// A provider's own request answered by the mock (a `push` step).
struct ProviderAnswer {
  int status = 0; // 0: no answer (transport error in `reason`)
  std::string reason;
  std::string apns_id;
};

class World {
public:
  // The kind `context.live` asks for, started.
  static core::Result<std::unique_ptr<World>> start(const Scenario& scenario,
                                                    const RunContext& context);
  virtual ~World() = default;

  // --- Devices ---------------------------------------------------------------------------
  std::vector<std::string> device_ids() const;
  // The device `id` names, or the first when `id` is empty; nullptr when there is none.
  const DeviceSpec* device_spec(const std::string& id) const;
  // The first phone's app's environment (sandbox without one): the diagram's lane for what
  // holds for the whole mock (a fault, a refused certificate).
  core::ApnsEnvironment first_environment() const;
  // Runs `action` on the device, on the thread the device lives on; error for no device.
  virtual core::Result<void>
  on_device(const std::string& id,
            const std::function<core::Result<void>(fake_device::Device&)>& action) = 0;
  // Everything the device recorded so far, in order.
  virtual std::vector<fake_device::DeviceEvent> device_events(const std::string& id) const = 0;
  // The app as set up, with its certificate ID resolved; error for an unknown upload label.
  core::Result<fake_device::AppConfig> app_config(const DeviceSpec& device) const;

  // --- Console, messages, mock -------------------------------------------------------------
  virtual std::variant<pipeline::UploadedCertificate, pipeline::ApiError>
  upload(const UploadSpec& spec) = 0;
  // The upload a label names (empty: the first), with its current health flag.
  virtual std::optional<pipeline::CertificateRecord>
  certificate(const std::string& label) const = 0;
  virtual std::variant<std::string, pipeline::ApiError> send(const SendSpec& spec,
                                                             const std::string& receiver) = 0;
  // The message id a `send: {as: label}` got; the last one sent for an empty label.
  std::optional<std::string> message_id(const std::string& label) const;
  virtual std::optional<pipeline::MessageRecord> message(const std::string& id) const = 0;
  // The registration of `user`'s installation `installation` (a device id, im-voip-flow.md §3.4).
  virtual std::optional<pipeline::Registration>
  registration(const std::string& user, const std::string& installation) const = 0;
  // The installation of `user` an expectation means: `device` if given, else the step's device
  // `step_device` if it is the user's, else the user's first device, else the default one.
  std::string installation_of(const std::string& user, const std::string& device,
                              const std::string& step_device) const;
  // The pipeline kicked the installation (im-voip-flow.md §3.4): the device of that id learns it as
  // its SDK would (onKickedOffline), and the timeline says so. Called on the thread of the device
  // whose login kicked it.
  void tell_kicked(const std::string& user, const std::string& installation);
  virtual core::Result<void> add_fault(const mock_apns::FaultRule& rule) = 0;
  // The pipeline stops (pushes on the wire are lost with it), stays down `down_for` while the
  // clock and the devices go on, then starts again on the same database: its outbox resumes.
  virtual core::Result<void> restart_pipeline(core::Duration down_for) = 0;
  virtual std::optional<pipeline::ApiError>
  set_receive_option(const std::string& user, const pipeline::ReceiveSetting& setting) = 0;
  // Groups (im-voip-flow.md §4.3 "Group sends"): a new one; a user joins (`member`) or leaves.
  virtual std::optional<pipeline::ApiError> create_group(const pipeline::Group& group) = 0;
  virtual std::optional<pipeline::ApiError>
  set_group_member(const std::string& group, const std::string& user, bool member) = 0;
  ProviderAnswer provider_push(const PushSpec& spec, const std::string& token,
                               core::ApnsEnvironment environment, const std::string& topic);
  // The provider makes a new token key and the mock learns it; with `revoke_old`, the key it
  // replaces is revoked there (a `rotate_key` step).
  core::Result<void> rotate_provider_key(bool revoke_old);
  // The mock refuses the certificate of the upload `label` names at the TLS handshake from now
  // on, as APNs refuses a revoked one (a `refuse_certificate` step).
  core::Result<void> refuse_certificate(const std::string& label);

  // --- Time and settling -----------------------------------------------------------------
  // Waits (bounded) until the effects of the last step have played out and records them.
  virtual core::Result<void> settle() = 0;
  virtual core::Result<void> advance(core::Duration by) = 0;
  // The scenario's start on the clock the parts use.
  virtual core::TimePoint start_time() const = 0;
  // How far a time the parts report may be from the one a scenario names: none on the virtual
  // clock; in real time, the steps themselves take time.
  virtual core::Duration time_tolerance() const { return {}; }

  // --- Timeline --------------------------------------------------------------------------
  // Any thread; const, so that a reader of the parts' state can say what it could not read.
  // The console's and the pipeline's notes are drawn on the pipeline's lane, the provider's on
  // its own; others are not drawn unless they come as an entry with an arrow.
  // `problem`: drawn as a refusal or failure (the pipeline's and the console's lines).
  void note(std::string source, std::string text, bool problem = false) const;
  // `entry` with its time set to now.
  void note(TimelineEntry entry) const;
  std::vector<TimelineEntry> timeline() const;
  std::size_t timeline_size() const;
  // What the steps produced, for labels and the timeline.
  void remember_upload(const UploadSpec& spec, const pipeline::CertificateRecord& record);
  // False when `id` was remembered before: the pipeline answered a duplicate send with it.
  bool remember_message(const std::string& id, const std::string& label);
  // Requests the mock answered since the scenario began, oldest first (as of the last settle).
  const std::vector<mock_apns::JournalEntry>& apns_requests() const { return apns_; }

protected:
  World() = default;
  virtual core::TimePoint now() const = 0;
  virtual ProviderClients& provider() = 0;
  virtual core::Result<void> register_key(const mock_apns::ProviderKeySpec& spec) = 0;
  virtual core::Result<void> revoke_key(const std::string& key_id) = 0;
  // Makes the mock refuse `certificate_pem` (its first certificate) at the handshake.
  virtual core::Result<void> refuse_at_mock(const std::string& certificate_pem) = 0;
  // The devices as set up, in order; the worlds keep theirs at the same positions.
  void set_devices(const std::vector<DeviceSpec>& devices) { devices_ = devices; }
  // Position of the device `id` names (the first for an empty id).
  std::optional<std::size_t> device_index(const std::string& id) const;
  // The journal entries not seen yet go into apns_requests() and the timeline.
  void take_journal(std::vector<mock_apns::JournalEntry> entries);
  // The last journal sequence taken: a world asks its mock only for the entries after it.
  std::uint64_t journal_seen() const { return journal_seen_; }
  std::optional<pipeline::CertificateRecord> upload_record(const std::string& label) const;
  const std::vector<std::string>& message_ids() const { return message_ids_; }
  // Writes what changed about the messages sent and the devices' users' registrations.
  void note_pipeline_changes();

private:
  std::vector<DeviceSpec> devices_;
  mutable std::mutex timeline_mutex_;           // devices may note from their own thread (live)
  mutable std::vector<TimelineEntry> timeline_; // a record of what happened, not the world's state
  std::vector<mock_apns::JournalEntry> apns_;
  std::uint64_t journal_seen_ = 0;
  std::set<std::string> provider_apns_ids_; // answers of `push` steps: their journal entries'
  std::map<std::string, pipeline::CertificateRecord> uploads_; // by label
  std::string first_upload_;
  std::vector<std::string> message_ids_;
  std::map<std::string, std::string> message_labels_;     // label -> id
  std::map<std::string, std::string> last_message_state_; // id -> what the timeline said
  std::map<std::string, std::string> last_registration_;  // device -> what the timeline said
};

// --- What both worlds do alike ----------------------------------------------------------------

// The device's settings from its spec.
fake_device::DeviceConfig device_config(const DeviceSpec& spec, std::uint64_t seed);
// setup.uploads, each of which must be accepted.
core::Result<void> upload_setup(World& world, const Setup& setup);
// Sets one receive option and says so in the timeline; the refusal, if any.
std::optional<pipeline::ApiError> set_receive_option(World& world, const ReceiveOptionSpec& spec);
// setup.receive_options, in order; an error names the one refused.
core::Result<void> receive_options_setup(World& world, const Setup& setup);
// Creates a group, or a user joins (`member`) or leaves one, and says so in the timeline; the
// refusal, if any.
std::optional<pipeline::ApiError> create_group(World& world, const GroupSpec& spec);
std::optional<pipeline::ApiError> set_group_member(World& world, const MembershipSpec& spec,
                                                   bool member);
// setup.groups, in order; an error names the one refused.
core::Result<void> groups_setup(World& world, const Setup& setup);
// The .p12 an upload sends: the PKI's by its stem, or one made through the portal's step; else
// the error an upload step reports.
std::variant<std::string, pipeline::ApiError> read_credential(const RunContext& context,
                                                              const UploadSpec& spec);
// The stems of the PKI's files with `extension` (and, if given, a `companion` file beside
// them), for errors that list what there is.
std::string credential_stems(const mock_apns::PkiDir& pki, std::string_view extension,
                             std::string_view companion = {});
void note_upload(World& world, const UploadSpec& spec,
                 const std::variant<pipeline::UploadedCertificate, pipeline::ApiError>& result);
pipeline::MessageToSend message_to_send(const SendSpec& spec, const std::string& receiver);
// Records the message as sent (for labels) and tells the timeline.
void note_sent(World& world, const SendSpec& spec, const std::string& receiver,
               const std::string& id);

// Text for the timeline, shared by both worlds.
std::string short_token(std::string_view token);
std::string describe(const mock_apns::JournalEntry& entry);
// The request's path, also for an accepted push (whose journal entry keeps only the token).
std::string request_path(const mock_apns::JournalEntry& entry);
std::string describe(const fake_device::DeviceEvent& event, const std::string& device);

} // namespace scenario
