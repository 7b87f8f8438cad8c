#include "scenario/world.hpp"

#include "core/file.hpp"
#include "mock_apns/server.hpp"
#include "net/client.hpp"
#include "scenario/mock_device_link.hpp"
#include "scenario/pipeline_im.hpp"

#include <deque>
#include <filesystem>
#include <mutex>

#include <nlohmann/json.hpp>

namespace scenario {

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// Loopback answers come in milliseconds; this only bounds a hang (sanitizer builds are slow).
constexpr auto kSettleTimeout = 20s;

std::string short_token(std::string_view token) {
  return token.size() > 12 ? std::string(token.substr(0, 8)) + "…" : std::string(token);
}

std::string describe(const mock_apns::JournalEntry& e) {
  // The mock keeps the path of refused requests only; an accepted one went to its token.
  std::string path = e.path.empty() && !e.token.empty() ? "/3/device/" + e.token : e.path;
  if (!e.token.empty()) {
    if (const auto at = path.find(e.token); at != std::string::npos)
      path.replace(at, e.token.size(), short_token(e.token));
  }
  std::string out =
      std::string(mock_apns::environment_name(e.environment)) + " " + e.method + " " + path;
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

} // namespace

struct World::Impl {
  struct Slot {
    DeviceSpec spec;
    std::unique_ptr<MockDeviceLink> link;
    std::unique_ptr<PipelineIm> im;
    std::unique_ptr<fake_device::Device> device;
    std::vector<fake_device::DeviceEvent> events;
  };
  std::vector<std::unique_ptr<Slot>> devices;

  std::mutex queue_mutex; // deliveries come from the mock's I/O threads
  std::deque<mock_apns::Delivery> queue;
  std::uint64_t subscription = 0;
  std::uint64_t journal_seen = 0;

  std::map<std::string, pipeline::CertificateRecord> uploads; // by label
  std::string first_upload;
  std::vector<std::string> message_ids;
  std::map<std::string, std::string> message_labels;     // label -> id
  std::map<std::string, std::string> last_message_state; // id -> what the timeline said
  std::map<std::string, std::string> last_registration;  // user -> what the timeline said

  net::IoThreads io{1};
  std::map<std::string, std::unique_ptr<net::Client>> provider_clients;
  std::string provider_jwt;

  Slot* slot(const std::string& id) {
    if (devices.empty()) return nullptr;
    if (id.empty()) return devices.front().get();
    for (auto& s : devices)
      if (s->spec.id == id) return s.get();
    return nullptr;
  }
};

World::World(const RunContext& context)
    : context_(context), clock_(context.start), impl_(std::make_unique<Impl>()) {}

core::Result<std::unique_ptr<World>> World::start(const Scenario& scenario,
                                                  const RunContext& context) {
  std::unique_ptr<World> world(new World(context));
  if (auto started = world->start_parts(scenario); !started)
    return core::Unexpected(started.error());
  return world;
}

core::Result<void> World::start_parts(const Scenario& scenario) {
  const auto& pki = context_.pki;
  mock_apns::ServerOptions options;
  options.certificate_chain_file = pki.server_certificate_file;
  options.private_key_file = pki.server_key_file;
  options.client_ca_file = pki.ca_bundle_file;
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

  pipeline::PipelineOptions po;
  po.apple_ca_file = pki.ca_bundle_file;
  po.dispatcher.sandbox = {"127.0.0.1", mock_->port(mock_apns::Environment::Sandbox),
                           "api.sandbox.push.apple.com"};
  po.dispatcher.production = {"127.0.0.1", mock_->port(mock_apns::Environment::Production),
                              "api.push.apple.com"};
  po.dispatcher.ca_file = pki.ca_bundle_file;
  po.dispatcher.seed = context_.seed;
  auto opened = pipeline::Pipeline::open(po, clock_);
  if (!opened) return core::Unexpected(opened.error());
  pipeline_ = std::move(*opened);

  for (const auto& u : scenario.setup.uploads) {
    auto uploaded = upload(u);
    if (const auto* refused = std::get_if<pipeline::ApiError>(&uploaded)) {
      return core::fail(core::Errc::InvalidArgument, "setup: the console refused upload '" +
                                                         u.label + "': " + refused->code + ": " +
                                                         refused->message);
    }
  }

  std::uint64_t n = 0;
  for (const auto& spec : scenario.setup.devices) {
    auto slot = std::make_unique<Impl::Slot>();
    slot->spec = spec;
    slot->link = std::make_unique<MockDeviceLink>(*mock_, context_.seed * 1000 + ++n);
    slot->im = std::make_unique<PipelineIm>(*pipeline_, spec.user);
    fake_device::DeviceConfig config;
    config.device_id = spec.id;
    config.ios = spec.ios;
    config.locked = spec.locked;
    config.dnd = spec.dnd;
    config.seed = context_.seed * 1000 + n;
    slot->device = std::make_unique<fake_device::Device>(clock_, *slot->link, config);
    slot->device->set_reachability_listener(slot->link.get());
    slot->device->set_im_server(slot->im.get());
    slot->device->set_event_observer([this, s = slot.get()](const fake_device::DeviceEvent& e) {
      s->events.push_back(e);
      note("device", describe(e, s->spec.id));
    });
    impl_->devices.push_back(std::move(slot));
  }
  return {};
}

World::~World() {
  if (mock_ && impl_->subscription != 0) mock_->deliveries().unsubscribe(impl_->subscription);
  impl_->provider_clients.clear();
  impl_->devices.clear(); // cancels the devices' timers
  pipeline_.reset();      // closes its connections
  if (mock_) mock_->stop();
}

fake_device::Device* World::device(const std::string& id) {
  auto* s = impl_->slot(id);
  return s ? s->device.get() : nullptr;
}

const DeviceSpec* World::device_spec(const std::string& id) const {
  auto* s = impl_->slot(id);
  return s ? &s->spec : nullptr;
}

std::vector<std::string> World::device_ids() const {
  std::vector<std::string> ids;
  for (const auto& s : impl_->devices)
    ids.push_back(s->spec.id);
  return ids;
}

const std::vector<fake_device::DeviceEvent>& World::device_events(const std::string& id) const {
  static const std::vector<fake_device::DeviceEvent> none;
  auto* s = impl_->slot(id);
  return s ? s->events : none;
}

core::Result<fake_device::AppConfig> World::app_config(const DeviceSpec& device) const {
  fake_device::AppConfig app = device.app.config;
  std::string ref = device.app.certificate;
  if (ref.empty() && impl_->first_upload.empty()) return app; // nothing to report to
  if (ref.empty()) {
    ref = impl_->first_upload + (app.environment == fake_device::ApsEnvironment::Development
                                     ? ".development"
                                     : ".production");
  }
  const auto dot = ref.rfind('.');
  if (dot == std::string::npos) {
    try {
      app.certificate_id = std::stoll(ref);
      return app;
    } catch (const std::exception&) {
    }
  } else if (const auto record = certificate(ref.substr(0, dot))) {
    const std::string env = ref.substr(dot + 1);
    if (env == "development" || env == "production") {
      app.certificate_id = env == "development" ? record->cert_id_dev : record->cert_id_prod;
      return app;
    }
  }
  return core::fail(core::Errc::InvalidArgument,
                    device.where.text() + ": app certificate '" + ref +
                        "' is neither <upload label>.development, <upload label>.production "
                        "(of an upload made before install) nor a number" +
                        (impl_->first_upload.empty() ? "; no upload has been made yet" : ""));
}

std::variant<pipeline::UploadedCertificate, pipeline::ApiError>
World::upload(const UploadSpec& spec) {
  const fs::path file = context_.pki.dir / (spec.credential + ".p12");
  auto p12 = core::read_file(file.string());
  if (!p12) {
    std::string known;
    for (const auto& entry : fs::directory_iterator(context_.pki.dir))
      if (entry.path().extension() == ".p12")
        known += (known.empty() ? "" : ", ") + entry.path().stem().string();
    return pipeline::ApiError{"SCENARIO_BAD_CREDENTIAL", "no credential '" + spec.credential +
                                                             "' in the PKI; there are: " + known};
  }
  auto result = pipeline_->upload_certificate(
      {spec.name, *p12, spec.password.value_or(context_.p12_password), spec.allow_other_types});
  if (const auto* ok = std::get_if<pipeline::UploadedCertificate>(&result)) {
    impl_->uploads[spec.label] = ok->record;
    if (impl_->first_upload.empty()) impl_->first_upload = spec.label;
    note("console", "upload '" + spec.name + "' (" + spec.credential +
                        ".p12) accepted: development ID " + std::to_string(ok->record.cert_id_dev) +
                        ", production ID " + std::to_string(ok->record.cert_id_prod));
    for (const auto& w : ok->warnings)
      note("console", "warning: " + w);
  } else {
    const auto& e = std::get<pipeline::ApiError>(result);
    note("console", "upload '" + spec.name + "' (" + spec.credential + ".p12) refused: " + e.code +
                        ": " + e.message);
  }
  return result;
}

std::optional<pipeline::CertificateRecord> World::certificate(const std::string& label) const {
  const auto it = impl_->uploads.find(label.empty() ? impl_->first_upload : label);
  if (it == impl_->uploads.end()) return std::nullopt;
  // The health flag changes with APNs' answers: read it fresh.
  for (auto& r : pipeline_->certificates())
    if (r.record_id == it->second.record_id) return r;
  return it->second;
}

std::variant<std::string, pipeline::ApiError> World::send(const SendSpec& spec,
                                                          const std::string& receiver) {
  pipeline::MessageToSend m;
  m.sender = spec.from;
  m.receiver = receiver;
  m.content = "call";
  m.online_user_only = spec.online_user_only;
  m.offline_push_info = pipeline::OfflinePushInfo{"voip", spec.ext, "", "", spec.disable_push};
  auto sent = pipeline_->send_message(m);
  if (const auto* id = std::get_if<std::string>(&sent)) {
    impl_->message_ids.push_back(*id);
    if (!spec.label.empty()) impl_->message_labels[spec.label] = *id;
    note("pipeline", "sendMessage " + spec.from + " -> " + receiver + " stored as " + *id +
                         (spec.label.empty() ? "" : " (" + spec.label + ")") + ", ext " +
                         std::to_string(spec.ext.size()) + " bytes");
  }
  return sent;
}

std::optional<std::string> World::message_id(const std::string& label) const {
  if (label.empty()) {
    if (impl_->message_ids.empty()) return std::nullopt;
    return impl_->message_ids.back();
  }
  const auto it = impl_->message_labels.find(label);
  if (it == impl_->message_labels.end()) return std::nullopt;
  return it->second;
}

ProviderAnswer World::provider_push(const PushSpec& spec, const std::string& token,
                                    const std::string& environment, const std::string& topic) {
  const bool sandbox = environment == "sandbox";
  const std::string host = sandbox ? "api.sandbox.push.apple.com" : "api.push.apple.com";
  auto& client = impl_->provider_clients[spec.auth + "/" + spec.credential + "/" + environment];
  if (!client) {
    net::ClientOptions o;
    o.port =
        mock_->port(sandbox ? mock_apns::Environment::Sandbox : mock_apns::Environment::Production);
    o.authority = host;
    net::TlsClientConfig tls;
    tls.ca_file = context_.pki.ca_bundle_file;
    tls.server_name = host;
    if (spec.auth == "certificate") {
      tls.certificate_file = (context_.pki.dir / (spec.credential + ".pem")).string();
      tls.private_key_file = (context_.pki.dir / (spec.credential + ".key")).string();
    }
    o.tls = std::move(tls);
    client = std::make_unique<net::Client>(impl_->io, std::move(o));
  }
  net::Request request;
  request.method = "POST";
  request.path = "/3/device/" + token;
  request.headers = {{"apns-topic", topic},
                     {"apns-push-type", spec.push_type},
                     {"apns-priority", "10"},
                     {"apns-expiration", "0"}};
  if (spec.auth == "token") {
    if (impl_->provider_jwt.empty() || spec.new_provider_token) {
      auto jwt = mock_apns::provider_token(context_.pki, clock_.now());
      if (!jwt) return {0, "could not sign a provider token: " + jwt.error().message(), {}};
      impl_->provider_jwt = *jwt;
      note("provider", "signed a new provider token (iat " +
                           std::to_string(core::unix_seconds(clock_.now())) + ")");
    }
    request.headers.push_back({"authorization", "bearer " + impl_->provider_jwt});
  }
  request.body = R"({"aps":{},"caller":"provider"})";
  auto future = client->submit(std::move(request));
  if (future.wait_for(kSettleTimeout) != std::future_status::ready)
    return {0, "no answer from the mock within the time limit", {}};
  auto result = future.get();
  ProviderAnswer answer;
  if (!result) {
    answer.reason = result.error().message;
  } else {
    answer.status = result->status;
    for (const auto& h : result->headers)
      if (h.name == "apns-id") answer.apns_id = h.value;
    const auto body = nlohmann::json::parse(result->body, nullptr, false);
    if (body.is_object() && body.contains("reason") && body["reason"].is_string())
      answer.reason = body["reason"];
  }
  note("provider", "push (" + spec.auth + " auth) to " + environment + " " + short_token(token) +
                       " -> " + (answer.status ? std::to_string(answer.status) : "no answer") +
                       (answer.reason.empty() ? "" : " " + answer.reason));
  return answer;
}

void World::collect_journal() {
  mock_apns::JournalFilter all;
  for (auto& e : mock_->journal().query(all, 10'000)) {
    if (e.sequence <= impl_->journal_seen) continue;
    impl_->journal_seen = e.sequence;
    note("apns", describe(e));
    apns_.push_back(std::move(e));
  }
}

void World::deliver_pending() {
  for (;;) {
    collect_journal(); // the request before what the device makes of it
    std::optional<mock_apns::Delivery> next;
    {
      std::lock_guard lock(impl_->queue_mutex);
      if (impl_->queue.empty()) return;
      next = std::move(impl_->queue.front());
      impl_->queue.pop_front();
    }
    for (auto& s : impl_->devices) {
      if (!s->link->issued(next->token)) continue;
      if (s->device->deliver(push_of(*next)) == fake_device::DeliverResult::Unreachable)
        note("apns", "delivery to " + s->spec.id + " found it unreachable");
      break;
    }
  }
}

void World::collect_pipeline() {
  for (const auto& id : impl_->message_ids) {
    const auto m = pipeline_->message(id);
    if (!m) continue;
    std::string said = std::string(pipeline::to_string(m->state));
    if (!m->reason.empty()) said += " (" + m->reason + ")";
    if (m->attempts > 0) said += ", attempts " + std::to_string(m->attempts);
    if (m->next_attempt_at)
      said += ", retry at +" +
              std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                 *m->next_attempt_at - context_.start)
                                 .count()) +
              " ms";
    auto& last = impl_->last_message_state[id];
    if (last != said) note("pipeline", id + ": " + said);
    last = said;
  }
  for (const auto& s : impl_->devices) {
    const auto r = pipeline_->registration(s->spec.user);
    std::string said = "none";
    if (r) {
      said = std::string(pipeline::to_string(r->state)) + ", " +
             std::string(pipeline::to_string(r->environment)) + " token " +
             short_token(r->token_hex);
      if (!r->reason.empty()) said += ", " + r->reason;
    }
    auto [it, fresh] = impl_->last_registration.emplace(s->spec.user, said);
    if (!fresh && it->second == said) continue;
    if (fresh && !r) continue;
    it->second = said;
    note("pipeline", "registration of " + s->spec.user + ": " + said);
  }
}

core::Result<void> World::settle() {
  if (!pipeline_->wait_quiet(kSettleTimeout)) {
    return core::fail(core::Errc::InvalidArgument,
                      "the pipeline still had pushes on the wire after " +
                          std::to_string(kSettleTimeout.count()) + " s of real time");
  }
  deliver_pending();
  collect_pipeline();
  return {};
}

core::Result<void> World::advance(core::Duration by) {
  const core::TimePoint target = clock_.now() + by;
  while (const auto due = clock_.next_due()) {
    if (*due > target) break;
    clock_.advance_to(*due);
    if (auto settled = settle(); !settled) return settled;
  }
  clock_.advance_to(target);
  return settle();
}

void World::note(std::string source, std::string text) {
  const auto t =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - context_.start);
  timeline_.push_back({t.count(), std::move(source), std::move(text)});
}

} // namespace scenario
