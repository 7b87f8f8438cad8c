#include "scenario/runner.hpp"

#include "fake_device/remote/device_commands.hpp"
#include "mock_apns/server.hpp"
#include "scenario/loader.hpp"
#include "scenario/timeline_entries.hpp"

#include <chrono>
#include <filesystem>
#include <map>

namespace scenario {

namespace {

using fake_device::DeviceEventKind;

// The run's PKI is valid for the virtual start (what the console and the mock check) and for
// today's real time (what OpenSSL checks in each handshake).
core::Result<mock_apns::PkiDir> make_pki(core::TimePoint virtual_start,
                                         const std::string& password) {
  const auto real_now = std::chrono::system_clock::now();
  const auto from = std::min(virtual_start, real_now);
  const auto span =
      std::chrono::duration_cast<std::chrono::hours>(std::max(virtual_start, real_now) - from);
  return mock_apns::make_temporary_pki_dir(from, password, span + std::chrono::hours(24 * 365));
}

// One scenario on one World: runs its steps and checks them.
class StepRunner {
public:
  StepRunner(const Scenario& sc, World& world, ScenarioResult& result)
      : sc_(sc), world_(world), result_(result) {}

  // False when the scenario must stop here (failed or broken).
  bool run(std::size_t index, const Step& step);

private:
  // Something the step itself could not do: a failure of the step, named as such.
  bool step_failed(const std::string& what) {
    pending_.push_back({"the step itself", "it can be done", what, step_->where});
    return false;
  }
  bool act(const Step& step);
  // `events_from`: each device's event count when the step began.
  void check_all(const Step& step, std::size_t apns_from,
                 const std::map<std::string, std::size_t>& events_from);
  std::string user_of(const Step& step) const {
    const auto* spec = world_.device_spec(step.device);
    return spec ? spec->user : "";
  }

  const Scenario& sc_;
  World& world_;
  ScenarioResult& result_;
  const Step* step_ = nullptr;
  std::vector<Mismatch> pending_;
  std::optional<ConsoleOutcome> console_;
  std::map<std::string, std::string> last_voip_; // device id -> its app's newest VoIP token
  std::optional<ResponseObservation> response_;
};

bool StepRunner::act(const Step& step) {
  // A push to a token written out, with its host and topic given, stands on its own.
  const bool device_token =
      step.push.token == "voip" || step.push.token == "last_voip" || step.push.token == "alert";
  const bool self_contained_push = step.action == Action::Push && !device_token &&
                                   step.push.environment && !step.push.topic.empty();
  const bool needs_device =
      !self_contained_push && step.action != Action::Upload && step.action != Action::Send &&
      step.action != Action::Advance && step.action != Action::Fault &&
      step.action != Action::RotateKey && step.action != Action::RestartPipeline &&
      step.action != Action::CreateGroup && step.action != Action::RefuseCertificate &&
      !(step.action == Action::ReceiveOption && !step.receive_option.user.empty()) &&
      !((step.action == Action::JoinGroup || step.action == Action::LeaveGroup) &&
        !step.membership.user.empty());
  const DeviceSpec* spec = world_.device_spec(step.device);
  if (needs_device && !spec)
    return step_failed("this step needs a device, and setup.devices has none");
  const std::string bundle = spec ? spec->app.config.bundle_id : "";
  auto done = [&](const core::Result<void>& r) {
    return r ? true
             : step_failed(r.error().detail.empty() ? r.error().message() : r.error().detail);
  };
  // One call on the device, on its own thread.
  auto on_device = [&](const std::function<core::Result<void>(fake_device::Device&)>& action) {
    return done(world_.on_device(step.device, action));
  };
  using Device = fake_device::Device;

  switch (step.action) {
  case Action::Upload:
    console_ = world_.upload(step.upload);
    return true;
  case Action::Install:
  case Action::Reinstall: {
    auto app = world_.app_config(*spec);
    if (!app) return step_failed(app.error().detail);
    if (step.action == Action::Reinstall &&
        !on_device([&](Device& d) { return d.uninstall(bundle); }))
      return false;
    return on_device([&](Device& d) { return d.install(*app); });
  }
  case Action::Uninstall:
    return on_device([&](Device& d) { return d.uninstall(bundle); });
  case Action::Consent:
    return on_device([&](Device& d) { return d.give_consent(bundle); });
  case Action::Launch:
    return on_device([&](Device& d) { return d.launch(bundle); });
  case Action::Home:
    return on_device([&](Device& d) { return d.press_home(bundle); });
  case Action::Swipe:
    return on_device([&](Device& d) { return d.swipe_away(bundle); });
  case Action::Terminate:
    return on_device([&](Device& d) { return d.terminate(bundle); });
  case Action::Login:
    return on_device([&](Device& d) { return d.login(bundle); });
  case Action::Logout:
    return on_device([&](Device& d) { return d.logout(bundle); });
  case Action::Kick:
    return on_device([&](Device& d) { return d.kick(bundle); });
  case Action::AlertToken:
    return on_device([&](Device& d) { return d.register_remote_notifications(bundle); });
  case Action::RotateToken:
    return on_device([&](Device& d) { return d.rotate_token(bundle); });
  case Action::Airplane:
    return on_device([&](Device& d) {
      d.set_reachability(step.on ? fake_device::Reachability::AirplaneMode
                                 : fake_device::Reachability::Online);
      return core::Result<void>{};
    });
  case Action::Dnd:
    return on_device([&](Device& d) {
      d.config().dnd = step.on;
      return core::Result<void>{};
    });
  case Action::Lock:
  case Action::Unlock:
    return on_device([&](Device& d) {
      d.config().locked = step.action == Action::Lock;
      return core::Result<void>{};
    });
  case Action::RemoveVoip:
    return on_device([&](Device& d) { return d.remove_voip_registration(bundle); });
  case Action::ResetApsIdentity:
    return on_device([&](Device& d) {
      d.reset_aps_identity(spec->app.config.environment);
      return core::Result<void>{};
    });
  case Action::CallKit: {
    auto behaviour = fake_device::remote::parse_callkit_behaviour(step.value);
    if (!behaviour) return step_failed(behaviour.error().detail);
    return on_device([&](Device& d) { return d.set_callkit_behaviour(bundle, *behaviour); });
  }
  case Action::Answer:
  case Action::Decline: {
    const auto events = world_.device_events(step.device);
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      if (it->kind != DeviceEventKind::CallShown) continue;
      const std::string call = it->call_uuid;
      return on_device([&](Device& d) {
        return step.action == Action::Answer ? d.answer(call) : d.decline(call);
      });
    }
    return step_failed("no call has been shown on " + spec->id + " to " +
                       std::string(to_string(step.action)));
  }
  case Action::Send: {
    // A group message (im-voip-flow.md §4.3 "Group sends") has no receiver of its own.
    const std::string to = !step.send.group.empty() ? ""
                           : step.send.to.empty()   ? user_of(step)
                                                    : step.send.to;
    if (to.empty() && step.send.group.empty())
      return step_failed("send needs 'to' when setup.devices is empty");
    auto sent = world_.send(step.send, to);
    if (const auto* refused = std::get_if<pipeline::ApiError>(&sent))
      return step_failed("sendMessage refused: " + refused->code + ": " + refused->message);
    return true;
  }
  case Action::Push: {
    const auto& which = step.push.token;
    std::optional<std::string> token = which;
    if (device_token) {
      auto read = world_.on_device(step.device, [&](Device& d) {
        token = which == "alert" ? d.alert_token(bundle) : d.voip_token(bundle);
        return core::Result<void>{};
      });
      if (!read) return step_failed(read.error().detail);
    }
    // last_voip: the app's newest VoIP token, even one that was retired (an uninstall).
    if (!token && which == "last_voip" && last_voip_.contains(spec->id))
      token = last_voip_.at(spec->id);
    if (!token) return step_failed(spec->id + " has no " + which + " token to push to");
    const core::ApnsEnvironment env = step.push.environment.value_or(
        spec ? spec->app.config.environment : core::ApnsEnvironment::Sandbox);
    const std::string topic = step.push.topic.empty() ? bundle + ".voip" : step.push.topic;
    const auto answer = world_.provider_push(step.push, *token, env, topic);
    response_ = ResponseObservation{answer.status, answer.reason};
    return true;
  }
  case Action::Advance:
    return done(world_.advance(step.duration));
  case Action::RotateKey:
    return done(world_.rotate_provider_key(step.revoke_old));
  case Action::RestartPipeline:
    return done(world_.restart_pipeline(step.duration));
  case Action::RefuseCertificate:
    return done(world_.refuse_certificate(step.value));
  case Action::ReceiveOption: {
    ReceiveOptionSpec option = step.receive_option;
    if (option.user.empty()) option.user = user_of(step);
    if (auto refused = set_receive_option(world_, option))
      return step_failed("receive option refused: " + refused->code + ": " + refused->message);
    return true;
  }
  case Action::CreateGroup:
    if (auto refused = create_group(world_, step.group))
      return step_failed("create_group refused: " + refused->code + ": " + refused->message);
    return true;
  case Action::JoinGroup:
  case Action::LeaveGroup: {
    MembershipSpec membership = step.membership;
    if (membership.user.empty()) membership.user = user_of(step);
    const bool join = step.action == Action::JoinGroup;
    if (auto refused = set_group_member(world_, membership, join))
      return step_failed(std::string(join ? "join_group" : "leave_group") +
                         " refused: " + refused->code + ": " + refused->message);
    return true;
  }
  case Action::Fault: {
    mock_apns::FaultRule rule;
    rule.count = step.fault.count;
    rule.skip = step.fault.skip;
    rule.reason = step.fault.reason;
    rule.goaway = step.fault.goaway;
    if (auto added = world_.add_fault(rule); !added) return step_failed(added.error().detail);
    // The mock's faults hold for both environments: drawn on the one the first phone uses.
    const auto environment = world_.first_environment();
    world_.note(apns_self_entry(
        environment,
        "fault set: the next " +
            (rule.count < 0 ? std::string("requests")
                            : std::to_string(rule.count) + " request(s)") +
            " answered " +
            (rule.reason ? std::string(mock_apns::reason_text(*rule.reason)) : "normally") +
            (rule.goaway ? ", then GOAWAY " + std::string(mock_apns::reason_text(*rule.goaway))
                         : "")));
    return true;
  }
  }
  return step_failed("unknown action");
}

void StepRunner::check_all(const Step& step, std::size_t apns_from,
                           const std::map<std::string, std::size_t>& events_from) {
  const Expectations& e = step.expect;
  auto add = [&](std::vector<Mismatch> found) {
    pending_.insert(pending_.end(), found.begin(), found.end());
  };
  if (e.apns) {
    const auto& all = world_.apns_requests();
    ApnsContext context{std::nullopt, world_.start_time(), world_.time_tolerance()};
    if (e.apns->apns_id_of) {
      const auto& label = *e.apns->apns_id_of;
      const auto id = world_.message_id(label == "last" ? "" : label);
      const auto m = id ? world_.message(*id) : std::nullopt;
      if (m && !m->apns_id.empty()) context.apns_id = m->apns_id;
    }
    add(check(*e.apns, std::span(all).subspan(apns_from), context));
  }
  if (e.message) {
    const auto id = world_.message_id(e.message->message);
    add(check(*e.message, id ? world_.message(*id) : std::nullopt));
  }
  if (e.registration) {
    const std::string user = e.registration->user.empty() ? user_of(step) : e.registration->user;
    add(check(*e.registration,
              world_.registration(
                  user, world_.installation_of(user, e.registration->device, step.device))));
  }
  if (e.console) add(check(*e.console, console_));
  if (e.certificate) add(check(*e.certificate, world_.certificate(e.certificate->label)));
  if (e.response) add(check(*e.response, response_));
  for (DeviceExpectation expected : e.devices) {
    // Events tied to a message match that message's push only: its apns-id.
    for (auto* list : {&expected.events, &expected.no_events}) {
      for (auto& m : *list) {
        if (m.message.empty()) continue;
        const auto message_id = world_.message_id(m.message == "last" ? "" : m.message);
        const auto message = message_id ? world_.message(*message_id) : std::nullopt;
        m.apns_id = message ? message->apns_id : "";
        // With a push per installation (im-voip-flow.md §3.4), this device's push's.
        const std::string device = expected.device.empty() ? step.device : expected.device;
        const auto* spec = world_.device_spec(device);
        if (message && spec)
          for (const auto& p : message->pushes)
            if (p.installation == spec->id && !p.apns_id.empty()) m.apns_id = p.apns_id;
      }
    }
    const std::string id = expected.device.empty() ? step.device : expected.device;
    const auto* spec = world_.device_spec(id);
    if (!spec) {
      pending_.push_back({"expect.device", "a device", "no device '" + id + "'", expected.where});
      continue;
    }
    const std::string& bundle = spec->app.config.bundle_id;
    const auto events = world_.device_events(id);
    DeviceObservation d;
    // Events of this step only.
    const std::size_t from = events_from.contains(spec->id) ? events_from.at(spec->id) : 0;
    d.events.assign(events.begin() + static_cast<std::ptrdiff_t>(std::min(from, events.size())),
                    events.end());
    // `id` comes from device_ids(): the device exists, and reading it cannot fail.
    (void)world_.on_device(id, [&](const fake_device::Device& device) {
      d.process = device.process_state(bundle);
      d.kill_count = device.kill_count(bundle);
      d.voip_blocked = device.voip_launch_blocked(bundle);
      d.has_voip_token = device.voip_token(bundle).has_value();
      return core::Result<void>{};
    });
    add(check(expected, d));
  }
}

bool StepRunner::run(std::size_t index, const Step& step) {
  step_ = &step;
  pending_.clear();
  console_.reset();
  response_.reset();
  const std::size_t timeline_from = world_.timeline_size();
  const std::size_t apns_from = world_.apns_requests().size();
  std::map<std::string, std::size_t> events_from;
  for (const auto& id : world_.device_ids())
    events_from[id] = world_.device_events(id).size();
  world_.note("step", "#" + std::to_string(index + 1) + " " + step.text +
                          (step.device.empty() ? "" : " on " + step.device) +
                          (step.note.empty() ? "" : "  -- " + step.note));
  if (act(step)) {
    if (auto settled = world_.settle(); !settled) {
      result_.outcome = Outcome::Error;
      result_.error = step.where.text() + ": " + settled.error().detail;
      return false;
    }
    check_all(step, apns_from, events_from);
  }
  result_.steps_run = index + 1;
  for (const auto& id : world_.device_ids()) {
    const std::string bundle = world_.device_spec(id)->app.config.bundle_id;
    (void)world_.on_device(id, [&](const fake_device::Device& d) { // an id of device_ids()
      if (auto token = d.voip_token(bundle)) last_voip_[id] = *token;
      return core::Result<void>{};
    });
  }
  if (pending_.empty()) return true;
  result_.outcome = Outcome::Failed;
  const auto t = world_.timeline();
  std::vector<TimelineEntry> context(t.begin() + static_cast<std::ptrdiff_t>(timeline_from),
                                     t.end());
  for (auto& m : pending_)
    result_.failures.push_back({index + 1, step.text, std::move(m), context});
  return false;
}

} // namespace

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
  case Outcome::Passed:
    return "passed";
  case Outcome::Failed:
    return "failed";
  case Outcome::Error:
    return "error";
  case Outcome::Skipped:
    return "skipped";
  }
  return "error";
}

OutcomeCounts count_outcomes(const std::vector<ScenarioResult>& results) {
  OutcomeCounts n;
  for (const auto& r : results) {
    n.passed += r.outcome == Outcome::Passed;
    n.failed += r.outcome == Outcome::Failed;
    n.errors += r.outcome == Outcome::Error;
    n.skipped += r.outcome == Outcome::Skipped;
  }
  return n;
}

core::Result<std::unique_ptr<Run>> Run::prepare(std::uint64_t seed, std::string voipsim_path) {
  std::unique_ptr<Run> run(new Run());
  run->context_.seed = seed == 0 ? 1 : seed;
  run->context_.live = !voipsim_path.empty();
  run->context_.voipsim_path = std::move(voipsim_path);
  run->context_.start = core::from_unix_seconds(1'767'225'600); // 2026-01-01, the spec's sentAt
  run->context_.p12_password = "voipsim";
  auto pki = make_pki(run->context_.start, run->context_.p12_password);
  if (!pki) return core::Unexpected(pki.error());
  run->context_.pki = std::move(*pki);
  return run;
}

Run::~Run() {
  std::error_code ec;
  if (!context_.pki.dir.empty()) std::filesystem::remove_all(context_.pki.dir, ec);
}

ScenarioResult Run::run(const Scenario& sc) const {
  const auto started = std::chrono::steady_clock::now();
  ScenarioResult result;
  result.name = sc.name;
  result.title = sc.title;
  result.spec = sc.spec;
  result.demonstrates = sc.demonstrates;
  result.file = sc.where.file;
  result.warnings = sc.warnings;
  result.steps_total = sc.steps.size();
  if (context_.live && !sc.live_skip.empty()) { // it says it needs the virtual clock
    result.outcome = Outcome::Skipped;
    result.skip_reason = sc.live_skip;
    return result;
  }
  auto world = World::start(sc, context_);
  if (!world) {
    result.outcome = Outcome::Error;
    result.error = world.error().detail.empty() ? world.error().message() : world.error().detail;
  } else {
    StepRunner steps(sc, **world, result);
    for (std::size_t i = 0; i < sc.steps.size(); ++i)
      if (!steps.run(i, sc.steps[i])) break;
    result.timeline = (*world)->timeline();
  }
  if (world) world->reset(); // the parts stop inside the measured time
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

} // namespace scenario
