#include "scenario/live_world.hpp"

#include "core/encoding.hpp"
#include "core/json_fields.hpp"
#include "core/json_parse.hpp"
#include "fake_device/remote/linked_device.hpp"
#include "fake_device/remote/pipeline_link.hpp"
#include "mock_apns/admin_server.hpp"
#include "mock_apns/json_codec.hpp"
#include "mock_apns/push_type.hpp"
#include "mock_apns/reason.hpp"
#include "net/http1_client.hpp"
#include "net/json_api.hpp"
#include "pipeline/api.hpp"
#include "pipeline/records_json.hpp"
#include "pipeline/request_json.hpp"
#include "pki/fingerprint.hpp"
#include "pki/pkcs12.hpp"
#include "scenario/child_process.hpp"
#include "scenario/provider_client.hpp"
#include "scenario/timeline_entries.hpp"

#include <cstdlib>
#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

namespace scenario {

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

constexpr auto kStartTimeout = 60s;
constexpr auto kSettleTimeout = 20s;
// The parts are the run's own, on loopback, reached with no secret: a secret meant for other
// parts in the caller's environment must not lock this run out of them.
const std::vector<std::string> kSecretVariables = {mock_apns::kAdminSecretEnv,
                                                   pipeline::kApiSecretEnv};

core::Unexpected<core::Error> fail(const std::string& why) {
  return core::fail(core::Errc::InvalidArgument, why);
}

// An error ("`what` N s: ...") when `span` is more than a --live step may wait.
core::Result<void> fits_real_time(core::Duration span, const std::string& what) {
  if (span <= LiveWorld::kLongestAdvance) return {};
  return fail(what + " " +
              std::to_string(std::chrono::duration_cast<std::chrono::seconds>(span).count()) +
              " s: --live runs in real time and waits at most " +
              std::to_string(LiveWorld::kLongestAdvance.count()) +
              " s per step; run this scenario without --live (virtual clock), or say so in its "
              "file with live_skip: WHY and --live reports it skipped");
}

// A JSON call to one of the parts' APIs: the status and the parsed body.
struct Reply {
  int status = 0;
  json body;
  std::string text; // the body as sent, for error answers (net::api_error_of)
};

core::Result<Reply> call(const net::HttpEndpoint& to, std::string_view method,
                         const std::string& target, const json& body = nullptr) {
  auto reply = net::http1_request(to, method, target, body.is_null() ? "" : body.dump(),
                                  kSettleTimeout + 5s);
  if (!reply) {
    return fail(std::string(method) + " " + to.url() + target + ": " + reply.error().message());
  }
  return Reply{reply->status, core::parse_json_or_null(reply->body), std::move(reply->body)};
}

pipeline::ApiError api_error(const Reply& r) {
  return net::api_error_of(r.status, r.text);
}

// "127.0.0.1:P" from the ready line of `part`.
// One address of a part's ready line (mock_apns::ReadyLine, pipeline::ReadyLine).
core::Result<net::HttpEndpoint> endpoint_of(const std::string& text, const char* field,
                                            const std::string& part) {
  auto endpoint = net::parse_http_endpoint(text);
  if (!endpoint)
    return fail(part + "'s ready line has \"" + field + "\": \"" + text + "\", not host:port");
  return endpoint;
}

} // namespace

struct LiveWorld::Slot {
  DeviceSpec spec;
  std::unique_ptr<fake_device::remote::PipelineLink> im;
  std::unique_ptr<fake_device::remote::LinkedDevice> device;
  mutable std::mutex mutex; // events come from the device's thread
  std::vector<fake_device::DeviceEvent> events;
};

struct LiveWorld::Impl {
  fs::path dir; // the pipeline's database
  std::unique_ptr<ChildProcess> mock;
  std::unique_ptr<ChildProcess> pipeline;
  std::vector<std::string> pipeline_args; // but --listen, to start it again
  net::HttpEndpoint admin;
  net::HttpEndpoint api;
  std::unique_ptr<ProviderClients> provider;
  std::vector<std::unique_ptr<Slot>> devices;
};

LiveWorld::LiveWorld(const RunContext& context)
    : context_(context), started_(std::chrono::system_clock::now()),
      impl_(std::make_unique<Impl>()) {}

LiveWorld::Slot* LiveWorld::slot(const std::string& id) const {
  const auto i = device_index(id);
  return i && *i < impl_->devices.size() ? impl_->devices[*i].get() : nullptr;
}

core::Result<std::unique_ptr<World>> LiveWorld::start(const Scenario& scenario,
                                                      const RunContext& context) {
  std::unique_ptr<LiveWorld> world(new LiveWorld(context));
  if (auto started = world->start_parts(scenario); !started)
    return core::Unexpected(started.error());
  return std::unique_ptr<World>(std::move(world));
}

core::Result<void> LiveWorld::start_parts(const Scenario& scenario) {
  set_devices(scenario.setup.devices);
  const std::string& voipsim = context_.voipsim_path;
  const auto& pki = context_.pki;
  const std::string seed = std::to_string(context_.seed);
  if (scenario.setup.unregister_delay % std::chrono::seconds(1) != core::Duration{}) {
    return fail("setup.mock.unregister_delay: --live passes it to voipsim mock-apns, which takes "
                "whole seconds; use a multiple of 1s or run without --live");
  }
  std::vector<std::string> mock_args = {
      voipsim,
      "mock-apns",
      "--pki",
      pki.dir.string(),
      "--seed",
      seed,
      "--unregister-delay",
      std::to_string(
          std::chrono::duration_cast<std::chrono::seconds>(scenario.setup.unregister_delay)
              .count())};
  if (!scenario.setup.strict_tokens) mock_args.push_back("--permissive");
  auto mock = ChildProcess::start(mock_args, kSecretVariables);
  if (!mock) return core::Unexpected(mock.error());
  impl_->mock = std::move(*mock);
  auto mock_ready = impl_->mock->wait_ready(kStartTimeout);
  if (!mock_ready) return fail("voipsim mock-apns did not start: " + mock_ready.error().detail);
  const auto ready = mock_apns::ready_line_from_json(*mock_ready);
  if (!ready)
    return fail("voipsim mock-apns printed a ready line voipsim cannot read: " +
                ready.error().detail);
  auto admin = endpoint_of(ready->admin, "admin", "voipsim mock-apns");
  if (!admin) return core::Unexpected(admin.error());
  auto sandbox = endpoint_of(ready->sandbox, "sandbox", "voipsim mock-apns");
  if (!sandbox) return core::Unexpected(sandbox.error());
  auto production = endpoint_of(ready->production, "production", "voipsim mock-apns");
  if (!production) return core::Unexpected(production.error());
  impl_->admin = *admin;
  impl_->provider = std::make_unique<ProviderClients>(pki, sandbox->port, production->port);

  // Inside the run's folder, so that an interrupted run removes it with the rest.
  std::string dir = (context_.pki.dir / "live-XXXXXX").string();
  if (::mkdtemp(dir.data()) == nullptr)
    return fail("cannot make a folder for the pipeline's database");
  impl_->dir = dir;
  impl_->pipeline_args = {voipsim,
                          "pipeline",
                          "--db",
                          (impl_->dir / "pipeline.db").string(),
                          "--apns-sandbox",
                          "127.0.0.1:" + std::to_string(sandbox->port),
                          "--apns-production",
                          "127.0.0.1:" + std::to_string(production->port),
                          "--ca",
                          pki.ca_bundle_file,
                          "--apple-ca",
                          pki.ca_bundle_file,
                          "--seed",
                          seed,
                          "--mobile-instances",
                          std::to_string(scenario.setup.mobile_instances)};
  if (auto started = start_pipeline("127.0.0.1:0"); !started) return started;

  if (auto uploaded = upload_setup(*this, scenario.setup); !uploaded) return uploaded;
  if (auto set = groups_setup(*this, scenario.setup); !set) return set;
  if (auto set = receive_options_setup(*this, scenario.setup); !set) return set;

  std::uint64_t n = 0;
  for (const auto& spec : scenario.setup.devices) {
    auto slot = std::make_unique<Slot>();
    slot->spec = spec;
    slot->im = std::make_unique<fake_device::remote::PipelineLink>(impl_->api, spec.user);
    slot->im->set_error_handler([this, id = spec.id](const std::string& m) {
      note(self_entry("device", id, device_lane(id), id + " " + m, true));
    });
    slot->im->set_kicked_handler(
        [this, user = spec.user](const std::string& other) { tell_kicked(user, other); });
    fake_device::remote::LinkedDeviceOptions o;
    o.mock_admin = impl_->admin;
    o.device = device_config(spec, context_.seed * 1000 + ++n);
    o.im = slot->im.get();
    o.seed = context_.seed * 1000 + n;
    o.on_event = [this, s = slot.get()](const fake_device::DeviceEvent& e) {
      {
        std::lock_guard lock(s->mutex);
        s->events.push_back(e);
      }
      note(device_entry(e, s->spec.id, s->spec.app.config.environment));
    };
    o.on_warning = [this, id = spec.id](const std::string& m) {
      note(self_entry("device", id, device_lane(id), id + " warning: " + m, true));
    };
    auto device = fake_device::remote::LinkedDevice::start(std::move(o));
    if (!device) return core::Unexpected(device.error());
    slot->device = std::move(*device);
    impl_->devices.push_back(std::move(slot));
  }
  return {};
}

core::Result<void> LiveWorld::start_pipeline(const std::string& listen) {
  auto args = impl_->pipeline_args;
  args.insert(args.begin() + 2, {"--listen", listen});
  auto pipeline = ChildProcess::start(args, kSecretVariables);
  if (!pipeline) return core::Unexpected(pipeline.error());
  impl_->pipeline = std::move(*pipeline);
  auto pipeline_ready = impl_->pipeline->wait_ready(kStartTimeout);
  if (!pipeline_ready)
    return fail("voipsim pipeline did not start: " + pipeline_ready.error().detail);
  const auto ready = pipeline::ready_line_from_json(*pipeline_ready);
  if (!ready)
    return fail("voipsim pipeline printed a ready line voipsim cannot read: " +
                ready.error().detail);
  auto api = endpoint_of(ready->listen, "listen", "voipsim pipeline");
  if (!api) return core::Unexpected(api.error());
  impl_->api = *api;
  return {};
}

core::Result<void> LiveWorld::restart_pipeline(core::Duration down_for) {
  // Refused before anything stops: the scenario fails with the pipeline still up.
  if (auto fits = fits_real_time(down_for, "restart_pipeline down for"); !fits) return fits;
  impl_->pipeline->stop();
  note("pipeline", "stopped");
  std::this_thread::sleep_for(down_for); // real time is what --live is about
  // The same port: the devices' links and the steps keep talking to it.
  if (auto started = start_pipeline(impl_->api.host + ":" + std::to_string(impl_->api.port));
      !started)
    return started;
  note("pipeline", "started again on the same database: the outbox resumes");
  // The SDKs reconnect and say where they are (what they reported meanwhile was lost).
  for (auto& s : impl_->devices) {
    const std::string bundle = s->spec.app.config.bundle_id;
    auto reported = s->device->runner().call([&](fake_device::Device& d) {
      s->im->presence_changed(s->spec.id, bundle, d.presence(bundle));
      return core::Result<void>{};
    });
    if (!reported) return reported;
  }
  return settle();
}

LiveWorld::~LiveWorld() {
  impl_->devices.clear(); // they follow the mock: before it goes
  impl_->provider.reset();
  if (impl_->pipeline) impl_->pipeline->stop();
  if (impl_->mock) impl_->mock->stop();
  std::error_code ignored;
  if (!impl_->dir.empty()) fs::remove_all(impl_->dir, ignored);
}

core::Result<void>
LiveWorld::on_device(const std::string& id,
                     const std::function<core::Result<void>(fake_device::Device&)>& action) {
  auto* s = slot(id);
  if (!s) return fail("no device '" + id + "'");
  return s->device->runner().call([&](fake_device::Device& d) { return action(d); });
}

std::vector<fake_device::DeviceEvent> LiveWorld::device_events(const std::string& id) const {
  auto* s = slot(id);
  if (!s) return {};
  std::lock_guard lock(s->mutex);
  return s->events;
}

std::variant<pipeline::UploadedCertificate, pipeline::ApiError>
LiveWorld::upload(const UploadSpec& spec) {
  auto p12 = read_credential(context_, spec);
  if (auto* missing = std::get_if<pipeline::ApiError>(&p12)) return *missing;
  std::variant<pipeline::UploadedCertificate, pipeline::ApiError> result;
  pipeline::CertificateUpload body;
  body.name = spec.name;
  body.p12_der = std::get<std::string>(p12);
  body.password = spec.password.value_or(context_.p12_password);
  body.allow_other_types = spec.allow_other_types;
  const auto reply = call(impl_->api, "POST", "/v1/console/certificates", pipeline::to_json(body));
  if (!reply) {
    result = pipeline::ApiError{"PIPELINE_UNREACHABLE", reply.error().detail, 0};
  } else if (reply->status / 100 != 2) {
    result = api_error(*reply);
  } else if (auto uploaded = pipeline::uploaded_certificate_from_json(reply->body)) {
    result = std::move(*uploaded);
  } else {
    result =
        pipeline::ApiError{"PIPELINE_ANSWER_UNREADABLE", uploaded.error().detail, reply->status};
  }
  note_upload(*this, spec, result);
  if (auto* ok = std::get_if<pipeline::UploadedCertificate>(&result)) {
    // The pipeline's API never hands a certificate back: the one sent, for refuse_certificate.
    if (auto p12 = pki::read_pkcs12(body.p12_der, body.password))
      ok->record.certificate_pem = std::move(p12->certificate_pem);
    remember_upload(spec, ok->record);
  }
  return result;
}

std::optional<pipeline::CertificateRecord> LiveWorld::certificate(const std::string& label) const {
  const auto uploaded = upload_record(label);
  if (!uploaded) return std::nullopt;
  const auto reply = call(impl_->api, "GET", "/v1/console/certificates");
  // No list to read: the record as uploaded is the best this can say, and the timeline says why.
  if (!reply) {
    note("pipeline", "could not list the certificates: " + reply.error().message());
    return uploaded;
  }
  if (reply->status != 200) {
    note("pipeline", "could not list the certificates: " + api_error(*reply).message);
    return uploaded;
  }
  auto listed = pipeline::certificate_list_from_json(reply->body);
  if (!listed) {
    note("pipeline", "unreadable certificate list: " + listed.error().detail);
    return uploaded;
  }
  for (auto& record : *listed) {
    if (record.record_id == uploaded->record_id) return std::move(record);
  }
  return uploaded;
}

std::optional<pipeline::ApiError>
LiveWorld::set_receive_option(const std::string& user, const pipeline::ReceiveSetting& setting) {
  const auto reply =
      call(impl_->api, "POST", "/v1/users/" + core::percent_encode(user) + "/receive-options",
           pipeline::to_json(setting));
  if (!reply) return pipeline::ApiError{"PIPELINE_UNREACHABLE", reply.error().detail, 0};
  if (reply->status / 100 != 2) return api_error(*reply);
  return std::nullopt;
}

std::optional<pipeline::ApiError> LiveWorld::create_group(const pipeline::Group& group) {
  const auto reply = call(impl_->api, "POST", "/v1/groups", pipeline::to_json(group));
  if (!reply) return pipeline::ApiError{"PIPELINE_UNREACHABLE", reply.error().detail, 0};
  if (reply->status / 100 != 2) return api_error(*reply);
  return std::nullopt;
}

std::optional<pipeline::ApiError>
LiveWorld::set_group_member(const std::string& group, const std::string& user, bool member) {
  const std::string members = "/v1/groups/" + core::percent_encode(group) + "/members";
  const auto reply =
      member ? call(impl_->api, "POST", members, json{{"user", user}})
             : call(impl_->api, "DELETE", members + "/" + core::percent_encode(user), nullptr);
  if (!reply) return pipeline::ApiError{"PIPELINE_UNREACHABLE", reply.error().detail, 0};
  if (reply->status / 100 != 2) return api_error(*reply);
  return std::nullopt;
}

std::variant<std::string, pipeline::ApiError> LiveWorld::send(const SendSpec& spec,
                                                              const std::string& receiver) {
  const auto reply =
      call(impl_->api, "POST", "/v1/messages", pipeline::to_json(message_to_send(spec, receiver)));
  if (!reply) return pipeline::ApiError{"PIPELINE_UNREACHABLE", reply.error().detail, 0};
  if (reply->status / 100 != 2) return api_error(*reply);
  auto id = pipeline::message_id_from_answer(reply->body);
  if (!id)
    return pipeline::ApiError{"PIPELINE_ANSWER_UNREADABLE",
                              "the pipeline's answer to POST /v1/messages: " + id.error().detail,
                              reply->status};
  note_sent(*this, spec, receiver, *id);
  return std::move(*id);
}

std::optional<pipeline::MessageRecord> LiveWorld::message(const std::string& id) const {
  const auto reply = call(impl_->api, "GET", "/v1/messages/" + core::percent_encode(id));
  if (!reply || reply->status != 200) return std::nullopt;
  auto m = pipeline::message_from_json(reply->body);
  if (!m) {
    note("pipeline", "unreadable message " + id + ": " + m.error().detail);
    return std::nullopt;
  }
  return std::move(*m);
}

std::optional<pipeline::Registration>
LiveWorld::registration(const std::string& user, const std::string& installation) const {
  const auto reply = call(impl_->api, "GET",
                          "/v1/users/" + core::percent_encode(user) +
                              "/registration?installation=" + core::percent_encode(installation));
  if (!reply || reply->status != 200) return std::nullopt;
  auto r = pipeline::registration_from_json(reply->body);
  if (!r) {
    note("pipeline", "unreadable registration of " + user + ": " + r.error().detail);
    return std::nullopt;
  }
  return std::move(*r);
}

core::Result<void> LiveWorld::add_fault(const mock_apns::FaultRule& rule) {
  const auto reply = call(impl_->admin, "POST", "/v1/faults", mock_apns::to_json(rule));
  if (!reply) return core::Unexpected(reply.error());
  if (reply->status / 100 != 2)
    return fail("the mock refused the fault: " + api_error(*reply).message);
  return {};
}

ProviderClients& LiveWorld::provider() {
  return *impl_->provider;
}

core::Result<void> LiveWorld::register_key(const mock_apns::ProviderKeySpec& spec) {
  const auto reply = call(impl_->admin, "POST", "/v1/keys", mock_apns::to_json(spec));
  if (!reply) return core::Unexpected(reply.error());
  if (reply->status / 100 != 2)
    return fail("the mock refused the key: " + api_error(*reply).message);
  return {};
}

core::Result<void> LiveWorld::revoke_key(const std::string& key_id) {
  const auto reply = call(impl_->admin, "POST", "/v1/keys/" + key_id + "/revoke");
  if (!reply) return core::Unexpected(reply.error());
  if (reply->status / 100 != 2)
    return fail("the mock did not revoke " + key_id + ": " + api_error(*reply).message);
  return {};
}

core::Result<void> LiveWorld::refuse_at_mock(const std::string& certificate_pem) {
  auto sha256 = pki::certificate_sha256(certificate_pem);
  if (!sha256) return core::Unexpected(sha256.error());
  const auto reply = call(impl_->admin, "POST", "/v1/certificates/refused",
                          mock_apns::refused_certificate_body(*sha256));
  if (!reply) return core::Unexpected(reply.error());
  if (reply->status / 100 != 2)
    return fail("the mock did not refuse the certificate: " + api_error(*reply).message);
  return {};
}

core::Result<void> LiveWorld::settle() {
  const std::string wait =
      "/v1/health?wait_quiet_ms=" +
      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(kSettleTimeout).count());
  const auto quiet = call(impl_->api, "GET", wait);
  if (!quiet || quiet->status != 200) return fail("the pipeline does not answer GET " + wait);
  const auto health = pipeline::pipeline_health_from_json(quiet->body);
  if (!health || !health->settled)
    return fail("the pipeline's answer to GET " + wait + ": " +
                (health ? "\"settled\" is missing" : health.error().detail));
  if (!*health->settled) {
    return fail(
        "the pipeline still had pushes on the wire after " +
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(kSettleTimeout).count()) +
        " s");
  }
  const auto answer = call(impl_->admin, "GET", "/v1/health");
  if (!answer) return fail("the mock's admin API does not answer GET /v1/health");
  const auto mock_health = mock_apns::admin_health_from_json(answer->body);
  if (!mock_health)
    return fail("the mock's answer to GET /v1/health: " + mock_health.error().detail);
  const std::uint64_t published = mock_health->deliveries;
  for (const auto& s : impl_->devices) {
    if (!s->device->wait_for_deliveries(published, kSettleTimeout))
      return fail(s->spec.id + " did not take the mock's deliveries in time");
  }
  const auto journal = call(impl_->admin, "GET", "/v1/journal?limit=100000");
  if (!journal) return fail("the mock's admin API does not answer GET /v1/journal");
  auto entries = mock_apns::journal_page_entries_from_json(journal->body);
  if (!entries) return fail("the mock's answer to GET /v1/journal: " + entries.error().detail);
  take_journal(std::move(*entries));
  note_pipeline_changes();
  return {};
}

core::Result<void> LiveWorld::advance(core::Duration by) {
  if (auto fits = fits_real_time(by, "advance by"); !fits) return fits;
  std::this_thread::sleep_for(by); // real time is what --live is about
  return settle();
}

} // namespace scenario
