// Spec: docs/spec/im-voip-flow.md
#include "scenario/world.hpp"

#include "core/device_token.hpp"
#include "core/file.hpp"
#include "core/parse_number.hpp"
#include "mock_apns/push_type.hpp"
#include "mock_apns/reason.hpp"
#include "pipeline/message_summary.hpp"
#include "pki/certificate_authority.hpp"
#include "pki/certificate_request.hpp"
#include "pki/developer_portal.hpp"
#include "pki/keys.hpp"
#include "pki/pkcs12.hpp"
#include "scenario/in_process_world.hpp"
#include "scenario/live_world.hpp"
#include "scenario/provider_client.hpp"
#include "scenario/timeline_entries.hpp"

#include <algorithm>
#include <filesystem>

namespace scenario {

std::string short_token(std::string_view token) {
  return token.size() > 12 ? std::string(token.substr(0, 8)) + "…" : std::string(token);
}

std::string request_path(const mock_apns::JournalEntry& e) {
  // The mock keeps the path of refused requests only; an accepted one went to its token.
  return e.path.empty() && !e.token.empty() ? core::device_path(e.token) : e.path;
}

std::string describe(const mock_apns::JournalEntry& e) {
  std::string path = request_path(e);
  if (!e.token.empty()) {
    if (const auto at = path.find(e.token); at != std::string::npos)
      path.replace(at, e.token.size(), short_token(e.token));
  }
  std::string out = std::string(core::to_string(e.environment)) + " " + e.method + " " + path;
  if (!e.topic.empty()) out += " topic " + e.topic;
  out += " (" + e.auth + ") -> " + std::to_string(e.status);
  if (e.reason) out += " " + std::string(mock_apns::reason_text(*e.reason));
  if (e.timestamp_ms) out += " timestamp " + std::to_string(*e.timestamp_ms);
  if (e.goaway) out += " with GOAWAY";
  if (!e.apns_id.empty()) out += " apns-id " + e.apns_id;
  if (!e.cause.empty()) out += ": " + e.cause;
  return out;
}

std::string describe(const fake_device::DeviceEvent& e, const std::string& device) {
  std::string out = device + " " + std::string(fake_device::to_string(e.kind));
  if (!e.bundle_id.empty()) out += " [" + e.bundle_id + "]";
  if (!e.detail.empty()) out += " " + e.detail;
  if (e.kind == fake_device::DeviceEventKind::PushArrived && !e.apns_id.empty())
    out += " apns-id " + e.apns_id;
  return out;
}

core::Result<std::unique_ptr<World>> World::start(const Scenario& scenario,
                                                  const RunContext& context) {
  if (context.live) return LiveWorld::start(scenario, context);
  return InProcessWorld::start(scenario, context);
}

std::vector<std::string> World::device_ids() const {
  std::vector<std::string> ids;
  for (const auto& d : devices_)
    ids.push_back(d.id);
  return ids;
}

std::optional<std::size_t> World::device_index(const std::string& id) const {
  if (devices_.empty()) return std::nullopt;
  if (id.empty()) return 0;
  for (std::size_t i = 0; i < devices_.size(); ++i)
    if (devices_[i].id == id) return i;
  return std::nullopt;
}

const DeviceSpec* World::device_spec(const std::string& id) const {
  const auto i = device_index(id);
  return i ? &devices_[*i] : nullptr;
}

core::ApnsEnvironment World::first_environment() const {
  const auto* first = device_spec("");
  return first ? first->app.config.environment : core::ApnsEnvironment::Sandbox;
}

ProviderAnswer World::provider_push(const PushSpec& spec, const std::string& token,
                                    core::ApnsEnvironment environment, const std::string& topic) {
  auto answer = provider().push(spec, token, environment, topic, now(),
                                [this](TimelineEntry entry) { note(std::move(entry)); });
  if (!answer.apns_id.empty()) provider_apns_ids_.insert(answer.apns_id);
  return answer;
}

core::Result<void> World::rotate_provider_key(bool revoke_old) {
  auto key = provider().rotate_key();
  if (!key) return core::Unexpected(key.error());
  if (auto registered = register_key(key->spec); !registered) return registered;
  if (revoke_old) {
    if (auto revoked = revoke_key(key->old_key_id); !revoked) return revoked;
  }
  note("provider", "new provider key " + key->spec.key_id + " registered at the mock" +
                       (revoke_old ? "; " + key->old_key_id + " revoked" : ""));
  return {};
}

core::Result<void> World::refuse_certificate(const std::string& label) {
  const auto record = upload_record(label);
  if (!record || record->certificate_pem.empty())
    return core::fail(core::Errc::InvalidArgument, "refuse_certificate: no upload labelled '" +
                                                       label + "' was accepted before this step");
  if (auto refused = refuse_at_mock(record->certificate_pem); !refused) return refused;
  // Not its fingerprint: each run's PKI has fresh keys, and timelines must repeat run to run.
  const auto environment = first_environment();
  note(apns_self_entry(environment, "the mock refuses the certificate of upload '" + label +
                                        "' at the TLS handshake from now on"));
  return {};
}

void World::note(std::string source, std::string text, bool problem) const {
  std::string_view lane;
  if (source == "pipeline" || source == "console") lane = kPipelineLane;
  if (source == "provider") lane = kProviderLane;
  if (lane.empty()) { // a step's heading: no actor, no lane
    TimelineEntry entry;
    entry.source = std::move(source);
    entry.text = std::move(text);
    note(std::move(entry));
    return;
  }
  note(self_entry(source, source, lane, std::move(text), problem));
}

void World::note(TimelineEntry entry) const {
  const auto t = std::chrono::duration_cast<std::chrono::milliseconds>(now() - start_time());
  entry.t_ms = t.count();
  std::lock_guard lock(timeline_mutex_);
  const bool same_instant = !timeline_.empty() && timeline_.back().t_ms == entry.t_ms;
  entry.seq = same_instant ? timeline_.back().seq + 1 : 1;
  timeline_.push_back(std::move(entry));
}

std::vector<TimelineEntry> World::timeline() const {
  std::lock_guard lock(timeline_mutex_);
  return timeline_;
}

std::size_t World::timeline_size() const {
  std::lock_guard lock(timeline_mutex_);
  return timeline_.size();
}

void World::take_journal(std::vector<mock_apns::JournalEntry> entries) {
  for (auto& e : entries) {
    if (e.sequence <= journal_seen_) continue;
    journal_seen_ = e.sequence;
    note(apns_entry(e, provider_apns_ids_.contains(e.apns_id) ? kProviderLane : kPipelineLane));
    apns_.push_back(std::move(e));
  }
}

core::Result<fake_device::AppConfig> World::app_config(const DeviceSpec& device) const {
  fake_device::AppConfig app = device.app.config;
  const std::string& ref = device.app.certificate;
  if (ref.empty() && first_upload_.empty()) return app; // nothing to report to
  const auto refused = [&] {
    return core::fail(core::Errc::InvalidArgument,
                      device.where.text() + ": app certificate '" + ref +
                          "' is neither <upload label>.development, <upload label>.production "
                          "(of an upload made before install) nor a number" +
                          (first_upload_.empty() ? "; no upload has been made yet" : ""));
  };
  // By default the first upload's ID for the app's own environment, as a correctly built app.
  std::string label = first_upload_;
  core::ApnsEnvironment environment = app.environment;
  if (!ref.empty()) {
    const auto dot = ref.rfind('.');
    if (dot == std::string::npos) {
      const auto id = core::parse_whole<std::int64_t>(ref);
      if (!id) return refused();
      app.certificate_id = *id;
      return app;
    }
    // "<label>.development" names the console's development_id; any spelling of the
    // environments' table is read.
    label = ref.substr(0, dot);
    const auto named = core::parse_apns_environment(ref.substr(dot + 1));
    if (!named) return refused();
    environment = *named;
  }
  const auto record = upload_record(label);
  if (!record) return refused();
  app.certificate_id =
      environment == core::ApnsEnvironment::Sandbox ? record->cert_id_dev : record->cert_id_prod;
  return app;
}

void World::remember_upload(const UploadSpec& spec, const pipeline::CertificateRecord& record) {
  uploads_[spec.label] = record;
  if (first_upload_.empty()) first_upload_ = spec.label;
}

std::optional<pipeline::CertificateRecord> World::upload_record(const std::string& label) const {
  const auto it = uploads_.find(label.empty() ? first_upload_ : label);
  if (it == uploads_.end()) return std::nullopt;
  return it->second;
}

bool World::remember_message(const std::string& id, const std::string& label) {
  if (!label.empty()) message_labels_[label] = id;
  if (std::find(message_ids_.begin(), message_ids_.end(), id) != message_ids_.end()) return false;
  message_ids_.push_back(id);
  return true;
}

std::string World::installation_of(const std::string& user, const std::string& device,
                                   const std::string& step_device) const {
  if (!device.empty()) return device;
  if (const auto* spec = device_spec(step_device); spec && spec->user == user) return spec->id;
  for (const auto& d : devices_)
    if (d.user == user) return d.id;
  return pipeline::kDefaultInstallation;
}

void World::tell_kicked(const std::string& user, const std::string& installation) {
  const auto* spec = device_spec(installation);
  const bool ours = spec && spec->id == installation;
  auto entry = self_entry("pipeline", "pipeline", kPipelineLane,
                          "login elsewhere kicked " + user + " on " + installation +
                              ": its SDK is told (onKickedOffline)");
  if (ours) {
    entry.arrow->to = device_lane(installation);
    entry.arrow->label = "onKickedOffline (" + user + " logged in elsewhere)";
  }
  note(std::move(entry));
  if (!ours) return; // not a device of this scenario
  const std::string bundle = spec->app.config.bundle_id;
  const auto kicked =
      on_device(installation, [&](fake_device::Device& d) { return d.kick(bundle); });
  if (!kicked) note("pipeline", installation + " could not be told: " + kicked.error().message());
}

std::optional<std::string> World::message_id(const std::string& label) const {
  if (label.empty()) {
    if (message_ids_.empty()) return std::nullopt;
    return message_ids_.back();
  }
  const auto it = message_labels_.find(label);
  if (it == message_labels_.end()) return std::nullopt;
  return it->second;
}

void World::note_pipeline_changes() {
  for (const auto& id : message_ids_) {
    const auto m = message(id);
    if (!m) continue;
    std::string said = std::string(pipeline::to_string(m->state));
    if (!m->reason.empty()) said += " (" + m->reason + ")";
    if (m->attempts > 0) said += ", attempts " + std::to_string(m->attempts);
    if (m->next_attempt_at) {
      said += ", retry at +" +
              std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                 *m->next_attempt_at - start_time())
                                 .count()) +
              " ms";
    }
    // One per installation (im-voip-flow.md §3.4), of each member in a group message (§4.3).
    if (m->pushes.size() > 1 || !m->group.empty())
      for (const auto& p : m->pushes) {
        said +=
            "; " + pipeline::push_name(*m, p) + ": " + std::string(pipeline::to_string(p.state));
        if (!p.reason.empty()) said += " (" + p.reason + ")";
        if (p.attempts > 0) said += ", attempts " + std::to_string(p.attempts);
      }
    auto& last = last_message_state_[id];
    using pipeline::MessageState;
    const bool problem = m->state == MessageState::Rejected ||
                         m->state == MessageState::PayloadTooLarge ||
                         m->state == MessageState::Expired || m->state == MessageState::Failed;
    if (last != said) note("pipeline", id + ": " + said, problem);
    last = said;
  }
  for (const auto& device : device_ids()) {
    const std::string& user = device_spec(device)->user;
    const auto r = registration(user, device);
    std::string said = "none";
    if (r) {
      said = std::string(pipeline::to_string(r->state)) + ", " +
             std::string(core::to_string(r->environment)) + " token " + short_token(r->token_hex);
      if (!r->reason.empty()) said += ", " + r->reason;
    }
    auto [it, fresh] = last_registration_.emplace(device, said);
    if (!fresh && it->second == said) continue;
    if (fresh && !r) continue;
    it->second = said;
    const bool several = std::count_if(devices_.begin(), devices_.end(),
                                       [&](const auto& d) { return d.user == user; }) > 1;
    const bool problem = r && (r->state == pipeline::RegistrationState::BadToken ||
                               r->state == pipeline::RegistrationState::Unregistered);
    note("pipeline", "registration of " + user + (several ? " on " + device : "") + ": " + said,
         problem);
  }
}

} // namespace scenario

namespace scenario {

fake_device::DeviceConfig device_config(const DeviceSpec& spec, std::uint64_t seed) {
  fake_device::DeviceConfig config;
  config.device_id = spec.id;
  config.ios = spec.ios;
  config.locked = spec.locked;
  config.dnd = spec.dnd;
  config.allowed_handles = {spec.allowed_handles.begin(), spec.allowed_handles.end()};
  config.blocked_handles = {spec.blocked_handles.begin(), spec.blocked_handles.end()};
  config.seed = seed;
  return config;
}

std::optional<pipeline::ApiError> set_receive_option(World& world, const ReceiveOptionSpec& spec) {
  auto refused = world.set_receive_option(spec.user, spec.setting);
  const auto& s = spec.setting;
  const std::string where = s.scope == pipeline::ReceiveScope::Global
                                ? "global"
                                : std::string(pipeline::to_string(s.scope)) + " " + s.target;
  world.note("pipeline",
             "receive option of " + spec.user + " (" + where +
                 "): " + std::string(pipeline::to_string(s.option)) +
                 (refused ? " refused: " + refused->code + ": " + refused->message : ""));
  return refused;
}

core::Result<void> receive_options_setup(World& world, const Setup& setup) {
  for (const auto& spec : setup.receive_options) {
    if (auto refused = set_receive_option(world, spec))
      return core::fail(core::Errc::InvalidArgument, "setup: receive option of " + spec.user +
                                                         " refused: " + refused->code + ": " +
                                                         refused->message);
  }
  return {};
}

std::optional<pipeline::ApiError> create_group(World& world, const GroupSpec& spec) {
  auto refused = world.create_group(spec.group);
  std::string members;
  for (const auto& member : spec.group.members)
    members += (members.empty() ? "" : ", ") + member;
  world.note("pipeline",
             "group " + spec.group.id + " (" + std::string(pipeline::to_string(spec.group.type)) +
                 ") created" + (members.empty() ? "" : " with " + members) +
                 (refused ? " refused: " + refused->code + ": " + refused->message : ""));
  return refused;
}

std::optional<pipeline::ApiError> set_group_member(World& world, const MembershipSpec& spec,
                                                   bool member) {
  auto refused = world.set_group_member(spec.group, spec.user, member);
  world.note("pipeline",
             spec.user + (member ? " joins group " : " leaves group ") + spec.group +
                 (refused ? " refused: " + refused->code + ": " + refused->message : ""));
  return refused;
}

core::Result<void> groups_setup(World& world, const Setup& setup) {
  for (const auto& spec : setup.groups) {
    if (auto refused = create_group(world, spec))
      return core::fail(core::Errc::InvalidArgument, "setup: group " + spec.group.id +
                                                         " refused: " + refused->code + ": " +
                                                         refused->message);
  }
  return {};
}

core::Result<void> upload_setup(World& world, const Setup& setup) {
  for (const auto& u : setup.uploads) {
    auto uploaded = world.upload(u);
    if (const auto* refused = std::get_if<pipeline::ApiError>(&uploaded)) {
      return core::fail(core::Errc::InvalidArgument, "setup: the console refused upload '" +
                                                         u.label + "': " + refused->code + ": " +
                                                         refused->message);
    }
  }
  return {};
}

core::Result<std::string> PortalKey::pem() const {
  std::call_once(made_, [this] { key_ = pki::generate_private_key(pki::KeyType::Rsa2048); });
  return key_;
}

namespace {

// The seed's Step 1 (apns-provider-api.md §7.4a): an RSA key (the run's: PortalKey) and CSR, the
// certificate the portal issues for it from the PKI's WWDR CA, and the .p12 the developer exports
// from it (without a chain, as `openssl pkcs12 -export` without -certfile).
core::Result<std::string> portal_p12(const RunContext& context, const PortalExport& order,
                                     const std::string& password) {
  auto wwdr = mock_apns::load_wwdr_ca(context.pki);
  if (!wwdr) return core::Unexpected(wwdr.error());
  auto key = context.portal_key->pem();
  if (!key) return core::Unexpected(key.error());
  auto csr = pki::make_certificate_request(*key, "dev@example.com", "Dev Key");
  if (!csr) return core::Unexpected(csr.error());
  const auto kind = pki::portal_kind(order.kind);
  if (!kind) return core::fail(core::Errc::InvalidArgument, "no portal kind " + order.kind);
  // Issued an hour before the run starts, as the PKI's own certificates are.
  auto der =
      pki::issue_from_csr(*wwdr, {std::move(*csr), *kind, context.pki.bundle_id,
                                  context.pki.team_id, context.start - std::chrono::hours(1)});
  if (!der) return core::Unexpected(der.error());
  return pki::make_pkcs12(
      {std::move(*der), order.with_key ? std::move(*key) : std::string(), {}, order.kind},
      password);
}

} // namespace

std::variant<std::string, pipeline::ApiError> read_credential(const RunContext& context,
                                                              const UploadSpec& spec) {
  if (spec.from_csr) {
    auto p12 = portal_p12(context, *spec.from_csr, spec.password.value_or(context.p12_password));
    if (p12) return std::move(*p12);
    return pipeline::ApiError{"SCENARIO_BAD_CREDENTIAL",
                              "cannot make " + spec.credential + ": " + p12.error().message(), 400};
  }
  auto p12 = core::read_file((context.pki.dir / (spec.credential + ".p12")).string());
  if (p12) return std::move(*p12);
  return pipeline::ApiError{"SCENARIO_BAD_CREDENTIAL",
                            "no credential '" + spec.credential +
                                "' in the PKI; there are: " + credential_stems(context.pki, ".p12"),
                            400};
}

std::string credential_stems(const mock_apns::PkiDir& pki, std::string_view extension,
                             std::string_view companion) {
  std::string known;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(pki.dir, ec)) {
    const std::string stem = entry.path().stem().string();
    if (entry.path().extension() != extension) continue;
    if (!companion.empty() && !std::filesystem::exists(pki.dir / (stem + std::string(companion))))
      continue;
    known += (known.empty() ? "" : ", ") + stem;
  }
  return known;
}

void note_upload(World& world, const UploadSpec& spec,
                 const std::variant<pipeline::UploadedCertificate, pipeline::ApiError>& result) {
  const std::string what =
      "upload '" + spec.name + "' (" + spec.credential + (spec.from_csr ? ") " : ".p12) ");
  if (const auto* ok = std::get_if<pipeline::UploadedCertificate>(&result)) {
    world.note("console", what + "accepted: development ID " +
                              std::to_string(ok->record.cert_id_dev) + ", production ID " +
                              std::to_string(ok->record.cert_id_prod));
    for (const auto& w : ok->warnings)
      world.note("console", "warning: " + w);
  } else {
    const auto& e = std::get<pipeline::ApiError>(result);
    world.note("console", what + "refused: " + e.code + ": " + e.message, true);
  }
}

pipeline::MessageToSend message_to_send(const SendSpec& spec, const std::string& receiver) {
  pipeline::MessageToSend m;
  m.sender = spec.from;
  m.receiver = receiver;
  m.content = "call";
  m.online_user_only = spec.online_user_only;
  m.offline_push_info = pipeline::OfflinePushInfo{"voip", spec.ext, "", "", spec.disable_push};
  m.random = spec.random;
  if (!spec.group.empty()) { // a group message (§4.3 "Group sends"): no receiver of its own
    m.receiver.clear();
    m.group = spec.group;
    m.at_users = spec.at;
  }
  return m;
}

void note_sent(World& world, const SendSpec& spec, const std::string& receiver,
               const std::string& id) {
  // A group message (§4.3 "Group sends") is to the group, with its @-mentions.
  std::string to = spec.group.empty() ? receiver : "group " + spec.group;
  for (const auto& mentioned : spec.at)
    to += " @" + mentioned;
  if (!world.remember_message(id, spec.label)) {
    // §4.3 duplicate sends: the pipeline answered with the first copy's id.
    world.note("pipeline", "sendMessage " + spec.from + " -> " + to + " is " + id +
                               " again (the same random within 60 s): not stored or pushed again" +
                               (spec.label.empty() ? "" : " (" + spec.label + ")"));
    return;
  }
  // §4.1: an online-only message is not stored (and never pushed).
  const char* const kept = spec.online_user_only ? " online-only, not stored, as " : " stored as ";
  auto entry = self_entry("pipeline", "pipeline", kPipelineLane,
                          "sendMessage " + spec.from + " -> " + to + kept + id +
                              (spec.label.empty() ? "" : " (" + spec.label + ")") + ", ext " +
                              std::to_string(spec.ext.size()) + " bytes");
  // Drawn from the sender's phone when the scenario has one; else on the backend's lane.
  for (const auto& device : world.device_ids())
    if (world.device_spec(device)->user == spec.from) {
      entry.arrow->from = device_lane(device);
      entry.arrow->label = "sendMessage -> " + to + kept + id;
      break;
    }
  world.note(std::move(entry));
}

} // namespace scenario
