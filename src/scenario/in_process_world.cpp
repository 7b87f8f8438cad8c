#include "scenario/in_process_world.hpp"

#include "core/file.hpp"
#include "mock_apns/server.hpp"
#include "scenario/mock_device_link.hpp"
#include "scenario/pipeline_im.hpp"
#include "scenario/provider_client.hpp"
#include "scenario/timeline_entries.hpp"

#include <algorithm>
#include <deque>
#include <filesystem>
#include <mutex>

#include <stdlib.h>

namespace scenario {

namespace {

using namespace std::chrono_literals;

// Loopback answers come in milliseconds; this only bounds a hang (sanitizer builds are slow).
constexpr auto kSettleTimeout = 20s;

} // namespace

struct InProcessWorld::Slot {
  DeviceSpec spec;
  std::unique_ptr<MockDeviceLink> link;
  std::unique_ptr<PipelineIm> im;
  std::unique_ptr<fake_device::Device> device;
  std::vector<fake_device::DeviceEvent> events;
};

struct InProcessWorld::Impl {
  std::vector<std::unique_ptr<Slot>> devices;

  std::mutex queue_mutex; // deliveries come from the mock's I/O threads
  std::deque<mock_apns::Delivery> queue;
  std::uint64_t subscription = 0;
  std::unique_ptr<ProviderClients> provider;
};

InProcessWorld::InProcessWorld(const RunContext& context)
    : context_(context), clock_(context.start), impl_(std::make_unique<Impl>()) {}

InProcessWorld::Slot* InProcessWorld::slot(const std::string& id) const {
  const auto i = device_index(id);
  return i && *i < impl_->devices.size() ? impl_->devices[*i].get() : nullptr;
}

core::Result<std::unique_ptr<World>> InProcessWorld::start(const Scenario& scenario,
                                                           const RunContext& context) {
  std::unique_ptr<InProcessWorld> world(new InProcessWorld(context));
  if (auto started = world->start_parts(scenario); !started)
    return core::Unexpected(started.error());
  return std::unique_ptr<World>(std::move(world));
}

core::Result<void> InProcessWorld::start_parts(const Scenario& scenario) {
  set_devices(scenario.setup.devices);
  const auto& pki = context_.pki;
  mock_apns::ServerOptions options;
  mock_apns::use_tls_files(pki, options);
  options.settings.strict_tokens = scenario.setup.strict_tokens;
  options.settings.unregister_delay =
      std::chrono::duration_cast<std::chrono::milliseconds>(scenario.setup.unregister_delay);
  options.clock = &clock_;
  options.seed = context_.seed;
  mock_ = std::make_unique<mock_apns::Server>(options);
  if (auto registered = mock_apns::register_pki_dir(pki, mock_->keys()); !registered)
    return registered;
  if (auto started = mock_->start(); !started) return started;
  impl_->subscription = mock_->deliveries().subscribe([impl = impl_.get()](const auto& d) {
    std::lock_guard lock(impl->queue_mutex);
    impl->queue.push_back(d);
  });
  impl_->provider =
      std::make_unique<ProviderClients>(pki, mock_->port(mock_apns::Environment::Sandbox),
                                        mock_->port(mock_apns::Environment::Production));

  auto& po = pipeline_options_;
  // A restart must find the outbox where it left it: in a file, inside the run's folder so an
  // interrupted run removes it with the rest. Other scenarios keep it in memory (faster).
  const bool restarts = std::any_of(scenario.steps.begin(), scenario.steps.end(),
                                    [](auto& s) { return s.action == Action::RestartPipeline; });
  if (restarts) {
    std::string dir = (pki.dir / "pipeline-XXXXXX").string();
    if (::mkdtemp(dir.data()) == nullptr)
      return core::fail(core::Errc::InvalidArgument,
                        "cannot make a folder for the pipeline's database in " + pki.dir.string());
    database_dir_ = dir;
    po.database = (std::filesystem::path(dir) / "pipeline.db").string();
  }
  po.apple_ca_file = pki.ca_bundle_file;
  using core::ApnsEnvironment;
  po.dispatcher.sandbox = pipeline::apns_endpoint(ApnsEnvironment::Sandbox, "127.0.0.1",
                                                  mock_->port(ApnsEnvironment::Sandbox));
  po.dispatcher.production = pipeline::apns_endpoint(ApnsEnvironment::Production, "127.0.0.1",
                                                     mock_->port(ApnsEnvironment::Production));
  po.dispatcher.ca_file = pki.ca_bundle_file;
  po.dispatcher.seed = context_.seed;
  po.mobile_instances = scenario.setup.mobile_instances;
  auto opened = pipeline::Pipeline::open(po, clock_);
  if (!opened) return core::Unexpected(opened.error());
  pipeline_ = std::move(*opened);

  if (auto uploaded = upload_setup(*this, scenario.setup); !uploaded) return uploaded;
  if (auto set = groups_setup(*this, scenario.setup); !set) return set;
  if (auto set = receive_options_setup(*this, scenario.setup); !set) return set;

  std::uint64_t n = 0;
  for (const auto& spec : scenario.setup.devices) {
    auto slot = std::make_unique<Slot>();
    slot->spec = spec;
    slot->link = std::make_unique<MockDeviceLink>(*mock_, context_.seed * 1000 + ++n);
    slot->im = std::make_unique<PipelineIm>(pipeline_, spec.user);
    slot->im->set_kicked_handler(
        [this, user = spec.user](const std::string& other) { tell_kicked(user, other); });
    slot->device = std::make_unique<fake_device::Device>(
        clock_, *slot->link, device_config(spec, context_.seed * 1000 + n));
    slot->device->set_reachability_listener(slot->link.get());
    slot->device->set_im_server(slot->im.get());
    slot->device->set_event_observer([this, s = slot.get()](const fake_device::DeviceEvent& e) {
      // What the device does with a push joins its delivery status in the journal (issue #20).
      if (auto step = fake_device::delivery_step_of(e)) mock_->add_device_step(e.apns_id, *step);
      s->events.push_back(e);
      note(device_entry(e, s->spec.id, s->spec.app.config.environment));
    });
    impl_->devices.push_back(std::move(slot));
  }
  return {};
}

InProcessWorld::~InProcessWorld() {
  if (mock_ && impl_->subscription != 0) mock_->deliveries().unsubscribe(impl_->subscription);
  impl_->provider.reset();
  impl_->devices.clear(); // cancels the devices' timers
  pipeline_.reset();      // closes its connections
  if (mock_) mock_->stop();
  std::error_code ignored;
  if (!database_dir_.empty()) std::filesystem::remove_all(database_dir_, ignored);
}

core::Result<void>
InProcessWorld::on_device(const std::string& id,
                          const std::function<core::Result<void>(fake_device::Device&)>& action) {
  auto* s = slot(id);
  if (!s) return core::fail(core::Errc::InvalidArgument, "no device '" + id + "'");
  return action(*s->device); // the device lives on this thread
}

std::vector<fake_device::DeviceEvent> InProcessWorld::device_events(const std::string& id) const {
  auto* s = slot(id);
  return s ? s->events : std::vector<fake_device::DeviceEvent>{};
}

std::variant<pipeline::UploadedCertificate, pipeline::ApiError>
InProcessWorld::upload(const UploadSpec& spec) {
  auto p12 = read_credential(context_, spec);
  if (auto* missing = std::get_if<pipeline::ApiError>(&p12)) return *missing;
  auto result = pipeline_->upload_certificate({spec.name, std::get<std::string>(p12),
                                               spec.password.value_or(context_.p12_password),
                                               spec.allow_other_types});
  note_upload(*this, spec, result);
  if (const auto* ok = std::get_if<pipeline::UploadedCertificate>(&result))
    remember_upload(spec, ok->record);
  return result;
}

std::optional<pipeline::CertificateRecord>
InProcessWorld::certificate(const std::string& label) const {
  const auto uploaded = upload_record(label);
  if (!uploaded) return std::nullopt;
  // The health flag changes with APNs' answers: read it fresh.
  for (auto& r : pipeline_->certificates())
    if (r.record_id == uploaded->record_id) return r;
  return uploaded;
}

std::optional<pipeline::ApiError> InProcessWorld::create_group(const pipeline::Group& group) {
  return pipeline_->create_group(group);
}

std::optional<pipeline::ApiError>
InProcessWorld::set_group_member(const std::string& group, const std::string& user, bool member) {
  return member ? pipeline_->join_group(group, user) : pipeline_->leave_group(group, user);
}

std::variant<std::string, pipeline::ApiError> InProcessWorld::send(const SendSpec& spec,
                                                                   const std::string& receiver) {
  auto sent = pipeline_->send_message(message_to_send(spec, receiver));
  if (const auto* id = std::get_if<std::string>(&sent)) note_sent(*this, spec, receiver, *id);
  return sent;
}

std::optional<pipeline::MessageRecord> InProcessWorld::message(const std::string& id) const {
  return pipeline_ ? pipeline_->message(id) : std::nullopt;
}

std::optional<pipeline::Registration>
InProcessWorld::registration(const std::string& user, const std::string& installation) const {
  return pipeline_ ? pipeline_->registration(user, installation) : std::nullopt;
}

std::optional<pipeline::ApiError>
InProcessWorld::set_receive_option(const std::string& user, const pipeline::ReceiveSetting& s) {
  return pipeline_->set_receive_option(user, s.scope, s.target, s.option);
}

core::Result<void> InProcessWorld::restart_pipeline(core::Duration down_for) {
  pipeline_.reset(); // its connections close; a push on the wire gets no answer
  note("pipeline", "stopped");
  if (auto waited = advance(down_for); !waited) return waited;
  auto opened = pipeline::Pipeline::open(pipeline_options_, clock_);
  if (!opened)
    return core::Unexpected(opened.error().in_context("the pipeline did not start again"));
  pipeline_ = std::move(*opened);
  note("pipeline", "started again on the same database: the outbox resumes");
  // The SDKs reconnect and say where they are (what they reported meanwhile was lost).
  for (auto& s : impl_->devices) {
    const std::string& bundle = s->spec.app.config.bundle_id;
    s->im->presence_changed(s->spec.id, bundle, s->device->presence(bundle));
  }
  return settle();
}

core::Result<void> InProcessWorld::add_fault(const mock_apns::FaultRule& rule) {
  auto added = mock_->faults().add(rule);
  if (!added) return core::Unexpected(added.error());
  return {};
}

ProviderClients& InProcessWorld::provider() {
  return *impl_->provider;
}

core::Result<void> InProcessWorld::register_key(const mock_apns::ProviderKeySpec& spec) {
  return mock_->keys().add(spec);
}

core::Result<void> InProcessWorld::revoke_key(const std::string& key_id) {
  if (mock_->keys().revoke(key_id)) return {};
  return core::fail(core::Errc::InvalidArgument, "the mock has no key " + key_id + " to revoke");
}

core::Result<void> InProcessWorld::refuse_at_mock(const std::string& certificate_pem) {
  if (auto refused = mock_->refuse_certificate(certificate_pem); !refused)
    return core::Unexpected(refused.error());
  return {};
}

void InProcessWorld::take_new_journal_entries() {
  // Only the entries appended since the last look, not the whole ring on every delivery; if
  // the counters ever miss one (the first is not the next sequence), the ring is read whole.
  const auto& journal = mock_->journal();
  const auto requests = journal.counters().requests;
  if (requests <= journal_seen()) return;
  auto fresh = journal.query({}, requests - journal_seen());
  if (!fresh.empty() && fresh.front().sequence > journal_seen() + 1)
    fresh = journal.query({}, journal.capacity());
  take_journal(std::move(fresh));
}

void InProcessWorld::deliver_pending() {
  for (;;) {
    // The request before what the device makes of it.
    take_new_journal_entries();
    std::optional<mock_apns::Delivery> next;
    {
      std::lock_guard lock(impl_->queue_mutex);
      if (impl_->queue.empty()) return;
      next = std::move(impl_->queue.front());
      impl_->queue.pop_front();
    }
    for (auto& s : impl_->devices) {
      if (!s->link->issued(next->token)) continue;
      if (s->device->deliver(push_of(*next)) == fake_device::DeliverResult::Unreachable) {
        auto entry = apns_self_entry(next->environment,
                                     "delivery to " + s->spec.id + " found it unreachable", true);
        entry.arrow->to = device_lane(s->spec.id);
        entry.arrow->label = "delivery: device unreachable";
        note(std::move(entry));
      }
      break;
    }
  }
}

core::Result<void> InProcessWorld::settle() {
  if (pipeline_ && !pipeline_->wait_quiet(kSettleTimeout)) {
    return core::fail(core::Errc::InvalidArgument,
                      "the pipeline still had pushes on the wire after " +
                          std::to_string(kSettleTimeout.count()) + " s of real time");
  }
  deliver_pending();
  if (pipeline_) note_pipeline_changes(); // while it is stopped there is nothing to read
  return {};
}

core::Result<void> InProcessWorld::advance(core::Duration by) {
  const core::TimePoint target = clock_.now() + by;
  while (const auto due = clock_.next_due()) {
    if (*due > target) break;
    clock_.advance_to(*due);
    if (auto settled = settle(); !settled) return settled;
  }
  clock_.advance_to(target);
  return settle();
}

} // namespace scenario
