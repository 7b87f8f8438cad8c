// The scenario loader: every mistake names the file, the line and what is allowed.
#include "scenario/loader.hpp"
#include "support/names_round_trip.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace {

using scenario::Action;
using scenario::parse_scenario;

std::string error_of(std::string_view text) {
  auto loaded = parse_scenario(text, "s.yaml", "s");
  if (loaded) return "(loaded)";
  return loaded.error().detail;
}

constexpr const char* kDevice = R"(
setup:
  uploads: [{label: voip, credential: voip-services}]
  devices:
    - id: bobs-iphone
      user: bob
      app: {environment: production, certificate: voip.production, callkit: never}
)";

TEST(ScenarioLoader, ReadsSetupStepsAndExpectations) {
  const std::string text = std::string("name: n\ntitle: t\nspec: s\ndemonstrates: d\n") + kDevice +
                           R"(steps:
  - install
  - airplane: on
  - advance: 61m
  - send: {as: m1, ext_bytes: 6000}
    note: why
    expect:
      apns: none
      message: {message: m1, state: payload_too_large}
      device: {no_events: [push_arrived], kill_count: 0}
  - fault: {reason: ServiceUnavailable, count: 2}
)";
  auto loaded = parse_scenario(text, "s.yaml", "fallback");
  ASSERT_TRUE(loaded) << loaded.error().detail;
  const auto& sc = *loaded;
  EXPECT_EQ(sc.name, "n");
  ASSERT_EQ(sc.setup.devices.size(), 1u);
  EXPECT_EQ(sc.setup.devices[0].app.config.environment, fake_device::ApsEnvironment::Production);
  EXPECT_EQ(sc.setup.devices[0].app.config.callkit.kind,
            fake_device::CallKitBehaviour::Kind::Never);
  ASSERT_EQ(sc.steps.size(), 5u);
  EXPECT_EQ(sc.steps[0].action, Action::Install);
  EXPECT_EQ(sc.steps[1].action, Action::Airplane);
  EXPECT_TRUE(sc.steps[1].on);
  EXPECT_EQ(sc.steps[2].duration, std::chrono::minutes(61));
  const auto& send = sc.steps[3];
  EXPECT_EQ(send.send.label, "m1");
  EXPECT_EQ(send.send.ext.size(), 6000u);
  EXPECT_EQ(send.note, "why");
  ASSERT_TRUE(send.expect.apns);
  EXPECT_EQ(send.expect.apns->count, 0u);
  ASSERT_TRUE(send.expect.message);
  EXPECT_EQ(send.expect.message->state, pipeline::MessageState::PayloadTooLarge);
  EXPECT_EQ(send.expect.message->where.line, 20); // the line of "message:"
  ASSERT_EQ(send.expect.devices.size(), 1u);
  ASSERT_EQ(send.expect.devices[0].no_events.size(), 1u);
  EXPECT_EQ(send.expect.devices[0].no_events[0].kind, fake_device::DeviceEventKind::PushArrived);
  EXPECT_EQ(sc.steps[4].fault.count, 2);
}

TEST(ScenarioLoader, TheSameStructureLoadsFromJson) {
  auto loaded = parse_scenario(
      R"({"name": "j", "steps": ["install", {"advance": "5s", "expect": {"apns": {"count": 0}}}]})",
      "s.json", "s");
  ASSERT_TRUE(loaded) << loaded.error().detail;
  ASSERT_EQ(loaded->steps.size(), 2u);
  EXPECT_EQ(loaded->steps[1].duration, std::chrono::seconds(5));
  EXPECT_EQ(loaded->steps[1].expect.apns->count, 0u);
}

TEST(ScenarioLoader, AFileAMillionLevelsDeepIsRefusedWithTheLimitNamed) {
  for (const std::string& text : {std::string(1'000'000, '[') + std::string(1'000'000, ']'),
                                  "name: deep\nsteps: " + std::string(1'000'000, '{')}) {
    const auto loaded = parse_scenario(text, "deep.yaml", "deep");
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().detail, "deep.yaml: not accepted: nested deeper than 256 levels");
  }
}

TEST(ScenarioLoader, UnknownKeysNameTheLineAndTheAllowedOnes) {
  const auto e = error_of("steps:\n  - send: {form: alice}\n");
  EXPECT_NE(e.find("s.yaml:2:"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown key 'form' in send"), std::string::npos) << e;
  EXPECT_NE(e.find("allowed: from, to, group, at, ext"), std::string::npos) << e;
  const auto top = error_of("stepz: []\n");
  EXPECT_NE(top.find("unknown key 'stepz' in the scenario"), std::string::npos) << top;
}

// Issue #25: an upload made through the portal's step instead of a PKI stem.
TEST(ScenarioLoader, AnUploadFromACsrNamesAPortalKind) {
  auto loaded = parse_scenario(
      "steps:\n  - upload: {from_csr: {kind: voip-services, with_key: false}, password: \"\"}\n",
      "s.yaml", "s");
  ASSERT_TRUE(loaded) << loaded.error().detail;
  const auto& upload = loaded->steps.at(0).upload;
  ASSERT_TRUE(upload.from_csr);
  EXPECT_EQ(upload.from_csr->kind, "voip-services");
  EXPECT_FALSE(upload.from_csr->with_key);
  EXPECT_EQ(upload.label, "voip-services");
  EXPECT_EQ(upload.password, "");
  const auto kind = error_of("steps:\n  - upload: {from_csr: {kind: plain-client}}\n");
  EXPECT_NE(kind.find("s.yaml:2: 'plain-client' is not a valid kind; allowed: a kind the portal "
                      "issues: voip-services"),
            std::string::npos)
      << kind;
  for (const char* both_or_none :
       {"steps:\n  - upload: {credential: voip-services, from_csr: {kind: voip-services}}\n",
        "steps:\n  - upload: {name: n}\n"}) {
    const auto error = error_of(both_or_none);
    EXPECT_NE(error.find("needs one of 'credential'"), std::string::npos) << error;
  }
  const auto key = error_of("steps:\n  - upload: {from_csr: {kind: voip-services, key: no}}\n");
  EXPECT_NE(key.find("unknown key 'key' in from_csr"), std::string::npos) << key;
}

TEST(ScenarioLoader, BadValuesNameTheAllowedOnes) {
  const auto step = error_of("steps:\n  - jump\n");
  EXPECT_NE(step.find("s.yaml:2: 'jump' is not a valid step; allowed: upload, install"),
            std::string::npos)
      << step;
  const auto state = error_of("steps:\n  - send:\n    expect: {message: {state: delivered}}\n");
  EXPECT_NE(state.find("s.yaml:3: 'delivered' is not a valid message state; allowed: pending, "
                       "accepted"),
            std::string::npos)
      << state;
  const auto reason = error_of("steps:\n  - fault: {reason: Flaky}\n");
  EXPECT_NE(reason.find("'Flaky' is not a valid reason"), std::string::npos) << reason;
  const auto push_type = error_of("steps:\n  - send:\n    expect: {apns: {push_type: viop}}\n");
  EXPECT_NE(push_type.find("s.yaml:3: 'viop' is not a valid push_type; allowed: alert, "
                           "background, voip,"),
            std::string::npos)
      << push_type;
  const auto auth = error_of("steps:\n  - push: {auth: jwt}\n");
  EXPECT_NE(auth.find("'jwt' is not a valid auth; allowed: token, certificate or none"),
            std::string::npos)
      << auth;
  const auto registration =
      error_of("steps:\n  - send:\n    expect: {registration: {state: gone}}\n");
  EXPECT_NE(registration.find("'gone' is not a valid registration state; allowed: none, active,"),
            std::string::npos)
      << registration;
  const auto event = error_of("steps:\n  - send:\n    expect: {device: {events: [rang]}}\n");
  EXPECT_NE(event.find("'rang' is not a valid device event; allowed: app_installed"),
            std::string::npos)
      << event;
  const auto duration = error_of("steps:\n  - advance: 5 minutes\n");
  EXPECT_NE(duration.find("s.yaml:2: advance:"), std::string::npos) << duration;
  const auto flag = error_of("steps:\n  - airplane: maybe\n");
  EXPECT_NE(flag.find("airplane must be true or false"), std::string::npos) << flag;
}

// Names are parsed once, at load: the model holds the enums the runner and checks compare.
TEST(ScenarioLoader, NamedValuesAreReadIntoTheirEnums) {
  const auto loaded = parse_scenario(R"(steps:
  - fault: {reason: ServiceUnavailable, goaway: Shutdown}
  - push: {auth: certificate}
    expect:
      apns: {push_type: voip, reason: BadEnvironmentKeyInToken}
      response: {reason: Unregistered}
      registration: {state: none}
      device: {process: not_running}
  - send:
    expect: {registration: {state: bad_token}}
)",
                                     "s.yaml", "s");
  ASSERT_TRUE(loaded) << loaded.error().detail;
  EXPECT_EQ(loaded->steps[0].fault.reason, core::ApnsReason::ServiceUnavailable);
  EXPECT_EQ(loaded->steps[0].fault.goaway, core::ApnsReason::Shutdown);
  const auto& push = loaded->steps[1];
  EXPECT_EQ(push.push.auth, scenario::PushAuth::Certificate);
  EXPECT_EQ(push.expect.apns->push_type, mock_apns::PushType::Voip);
  // Either spelling of the reason is the one reason.
  EXPECT_EQ(push.expect.apns->reason, core::ApnsReason::BadEnvironmentKeyIdInToken);
  EXPECT_EQ(push.expect.response->reason, core::ApnsReason::Unregistered);
  EXPECT_TRUE(push.expect.registration->none);
  EXPECT_FALSE(push.expect.registration->state);
  EXPECT_EQ(push.expect.devices.at(0).process, fake_device::ProcessState::NotRunning);
  EXPECT_FALSE(loaded->steps[2].expect.registration->none);
  EXPECT_EQ(loaded->steps[2].expect.registration->state, pipeline::RegistrationState::BadToken);
}

TEST(ScenarioLoader, PushAuthWordsRoundTrip) {
  using scenario::PushAuth;
  support::expect_round_trip<PushAuth>(
      {{PushAuth::Token, "token"},
       {PushAuth::Certificate, "certificate"},
       {PushAuth::None, "none"}},
      [](PushAuth a) { return scenario::to_string(a); }, scenario::parse_push_auth);
  EXPECT_EQ(scenario::push_auth_words(), "token, certificate or none");
}

TEST(ScenarioLoader, StructuralMistakesAreErrorsNotCrashes) {
  EXPECT_NE(error_of("").find("one mapping"), std::string::npos);
  EXPECT_NE(error_of("- a\n- b\n").find("one mapping"), std::string::npos);
  EXPECT_NE(error_of("name: x\n").find("needs 'steps'"), std::string::npos);
  EXPECT_NE(error_of("steps: [{install: {}, home: {}}]")
                .find("has one action, this one has install, home"),
            std::string::npos);
  EXPECT_NE(error_of("steps: [{expect: {}}]").find("needs one action"), std::string::npos);
  EXPECT_NE(error_of("steps: [{install: 3}]").find("'install' takes no value"), std::string::npos);
  EXPECT_NE(error_of("steps:\n  - home\n    bad: [\n").find("s.yaml:"), std::string::npos);
  EXPECT_NE(error_of("steps: [{home: null, device: nobody}]").find("no device 'nobody'"),
            std::string::npos);
  EXPECT_NE(error_of("setup: {devices: [{id: a}]}\nsteps: [home]").find("needs 'id' and 'user'"),
            std::string::npos);
  EXPECT_NE(error_of("setup: {devices: [{id: a, user: b}, {id: a, user: c}]}\nsteps: [home]")
                .find("two devices are called 'a'"),
            std::string::npos);
}

TEST(ScenarioLoader, ABareWordIsTheActionWithNoValue) {
  EXPECT_NE(error_of("steps:\n  - advance\n").find("s.yaml:2: advance needs a duration"),
            std::string::npos);
  EXPECT_NE(error_of("steps: [airplane]").find("airplane needs on or off"), std::string::npos);
  EXPECT_NE(error_of("steps: [fault]").find("fault needs"), std::string::npos);
  EXPECT_NE(error_of("steps: [upload]").find("upload needs"), std::string::npos);
  EXPECT_NE(error_of("steps: [{apns: none}]").find("not a valid step"), std::string::npos);
  EXPECT_NE(
      error_of("steps: [{send: {}, expect: {apns: {count: -1}}}]").find("must not be negative"),
      std::string::npos);
}

TEST(ScenarioLoader, AFolderSkipsTheSchemaAndRefusesTwoScenariosOfOneName) {
  support::TempDir dir;
  dir.write("scenario.schema.json",
            R"({"$schema": "https://json-schema.org/draft/2020-12/schema"})");
  dir.write("a.yaml", "name: same\nsteps: [home]\n");
  auto one = scenario::load_scenario_files({dir.path().string()});
  ASSERT_TRUE(one) << one.error().detail;
  EXPECT_EQ(one->size(), 1u);
  dir.write("b.yaml", "name: same\nsteps: [home]\n");
  auto two = scenario::load_scenario_files({dir.path().string()});
  ASSERT_FALSE(two);
  EXPECT_NE(two.error().detail.find("the name 'same' is taken by"), std::string::npos)
      << two.error().detail;
}

TEST(ScenarioLoader, ARepeatedKeyOrAnOutOfRangeNumberIsAnError) {
  const auto twice = error_of("steps:\n  - install:\n    expect: {apns: none}\n    expect: {}\n");
  EXPECT_NE(twice.find("s.yaml:4: 'expect' appears twice in a step"), std::string::npos) << twice;
  EXPECT_NE(error_of("steps: [{send: {}, expect: {device: {kill_count: 4294967296}}}]")
                .find("kill_count must be between 0 and"),
            std::string::npos);
  EXPECT_NE(error_of("steps: [{advance: 3000000h}]").find("longer than a hundred years"),
            std::string::npos);
}

// Issue #23's scenario language: every APNs header of a `push`, as written or left out.
TEST(ScenarioLoader, APushCarriesEveryHeaderAndABodyOfAnySize) {
  const std::string text = std::string(kDevice) + R"(steps:
  - push: {priority: "5", expiration: +30s, collapse_id: c1, apns_id: not-a-uuid, push_type: none}
  - push: {expiration: "1767225630", body: "{}"}
  - push: {body_bytes: 5121}
  - push: {body_bytes: 0}
  - push
)";
  auto loaded = parse_scenario(text, "s.yaml", "s");
  ASSERT_TRUE(loaded) << loaded.error().detail;
  const auto& first = loaded->steps[0].push;
  EXPECT_EQ(first.priority, "5");
  EXPECT_EQ(first.expires_in, std::chrono::seconds(30));
  EXPECT_EQ(first.collapse_id, "c1");
  EXPECT_EQ(first.apns_id, "not-a-uuid");
  EXPECT_FALSE(first.push_type); // `none`: the header is left out
  const auto& second = loaded->steps[1].push;
  EXPECT_EQ(second.expiration, "1767225630");
  EXPECT_FALSE(second.expires_in);
  EXPECT_EQ(second.body, "{}");
  EXPECT_EQ(loaded->steps[2].push.body.size(), 5121u);
  EXPECT_EQ(loaded->steps[2].push.body.substr(0, 16), R"({"aps":{},"pad":)");
  EXPECT_TRUE(loaded->steps[3].push.body.empty());
  const auto& plain = loaded->steps[4].push;
  EXPECT_EQ(plain.priority, "10");
  EXPECT_EQ(plain.expiration, "0");
  EXPECT_EQ(plain.push_type, "voip");
  EXPECT_FALSE(plain.collapse_id);
  EXPECT_FALSE(plain.apns_id);

  EXPECT_NE(error_of("steps: [{push: {body: x, body_bytes: 10}}]").find("'body' or 'body_bytes'"),
            std::string::npos);
  EXPECT_NE(error_of("steps: [{push: {body_bytes: 5}}]").find("body_bytes must be 0 or between"),
            std::string::npos);
  EXPECT_NE(error_of("steps: [{push: {expiration: +soon}}]").find("is not a duration"),
            std::string::npos);
}

TEST(ScenarioLoader, DeviceStepsHandlesAndOneExpectationPerDevice) {
  const std::string text = R"(
setup:
  devices:
    - {id: a, user: bob, allowed_handles: [alice], blocked_handles: spam, app: {unrestricted_voip: true}}
    - {id: b, user: carol}
steps:
  - lock
  - unlock
  - remove_voip
  - reset_aps_identity
  - send:
    expect:
      device:
        - {events: [{event: push_arrived, count: 2}]}
        - {device: b, no_events: [push_arrived]}
)";
  auto loaded = parse_scenario(text, "s.yaml", "s");
  ASSERT_TRUE(loaded) << loaded.error().detail;
  const auto& a = loaded->setup.devices[0];
  EXPECT_EQ(a.allowed_handles, std::vector<std::string>{"alice"});
  EXPECT_EQ(a.blocked_handles, std::vector<std::string>{"spam"});
  EXPECT_TRUE(a.app.config.unrestricted_voip);
  EXPECT_EQ(loaded->steps[0].action, Action::Lock);
  EXPECT_EQ(loaded->steps[1].action, Action::Unlock);
  EXPECT_EQ(loaded->steps[2].action, Action::RemoveVoip);
  EXPECT_EQ(loaded->steps[3].action, Action::ResetApsIdentity);
  const auto& devices = loaded->steps[4].expect.devices;
  ASSERT_EQ(devices.size(), 2u);
  EXPECT_EQ(devices[0].events.at(0).count, 2);
  EXPECT_EQ(devices[1].device, "b");

  EXPECT_NE(error_of("steps: [{send: {}, expect: {device: [{device: b}, {device: b}]}}]")
                .find("expect.device names 'b' twice"),
            std::string::npos);
  EXPECT_NE(error_of("steps: [{send: {}, expect: {device: {no_events: [{event: log, count: 1}]}}}]")
                .find("'count' belongs in events"),
            std::string::npos);
}

// Issue #23: a .json file is strict JSON; the usual YAML slips get a hint.
TEST(ScenarioLoader, JsonIsStrictAndCommonYamlSlipsGetAHint) {
  const auto json = parse_scenario(R"({"steps": ["install",]})", "s.json", "s");
  ASSERT_FALSE(json);
  EXPECT_NE(json.error().detail.find("s.json: not valid JSON"), std::string::npos)
      << json.error().detail;
  EXPECT_NE(json.error().detail.find("line 1, column"), std::string::npos) << json.error().detail;
  EXPECT_TRUE(parse_scenario(R"({"steps": ["install"]})", "s.json", "s"));

  const auto bare = error_of("steps:\n  - install\n  - launch\n    expect:\n      apns: none\n");
  EXPECT_NE(bare.find("did you mean '- launch:' on line 3?"), std::string::npos) << bare;
  const auto under = error_of("steps:\n  - launch:\n      expect: {apns: none}\n");
  EXPECT_NE(under.find("'launch' takes no value ('expect' belongs to the step: indent it to line "
                       "up with the action key)"),
            std::string::npos)
      << under;
  const auto in_send = error_of("steps:\n  - send:\n      note: why\n");
  EXPECT_NE(in_send.find("unknown key 'note' in send"), std::string::npos) << in_send;
  EXPECT_NE(in_send.find("'note' belongs to the step"), std::string::npos) << in_send;
}

TEST(ScenarioLoader, RestartPipelineTakesHowLongItStaysDown) {
  auto loaded = parse_scenario(
      "steps:\n  - restart_pipeline\n  - restart_pipeline: {down_for: 40s}\n", "s.yaml", "s");
  ASSERT_TRUE(loaded) << loaded.error().detail;
  EXPECT_EQ(loaded->steps[0].action, Action::RestartPipeline);
  EXPECT_EQ(loaded->steps[0].duration, core::Duration{});
  EXPECT_EQ(loaded->steps[1].duration, std::chrono::seconds(40));
  EXPECT_NE(error_of("steps: [{restart_pipeline: {for: 4s}}]").find("allowed: down_for"),
            std::string::npos);
}

// Issue #23 defect 4: the label of the upload whose certificate the mock refuses.
TEST(ScenarioLoader, RefuseCertificateTakesAnUploadsLabel) {
  auto loaded = parse_scenario("steps:\n  - refuse_certificate: voip\n", "s.yaml", "s");
  ASSERT_TRUE(loaded) << loaded.error().detail;
  EXPECT_EQ(loaded->steps[0].action, Action::RefuseCertificate);
  EXPECT_EQ(loaded->steps[0].value, "voip");
  for (const char* text :
       {"steps:\n  - refuse_certificate\n", "steps:\n  - refuse_certificate: {label: voip}\n"}) {
    const std::string error = error_of(text);
    EXPECT_NE(error.find("s.yaml:2: refuse_certificate needs the label of an upload"),
              std::string::npos)
        << error;
  }
}

TEST(ScenarioLoader, Durations) {
  EXPECT_EQ(*scenario::parse_duration("250ms"), std::chrono::milliseconds(250));
  EXPECT_EQ(*scenario::parse_duration("5"), std::chrono::seconds(5));
  EXPECT_EQ(*scenario::parse_duration("1h"), std::chrono::hours(1));
  EXPECT_FALSE(scenario::parse_duration("-1s"));
  EXPECT_FALSE(scenario::parse_duration("5d"));
  EXPECT_FALSE(scenario::parse_duration(""));
  // The number is read whole (core::parse_whole): no sign, no spaces, in range.
  EXPECT_FALSE(scenario::parse_duration("+5s"));
  EXPECT_FALSE(scenario::parse_duration(" 5s"));
  EXPECT_FALSE(scenario::parse_duration("5 s"));
  EXPECT_FALSE(scenario::parse_duration("ms"));
  EXPECT_FALSE(scenario::parse_duration("99999999999999999999s"));
  EXPECT_NE(scenario::parse_duration("9999999999h").error().detail.find("a hundred years"),
            std::string::npos);
}

} // namespace

namespace {

// expect.apns on the request the pipeline sent: header values, a time header, the body.
TEST(ScenarioLoader, ReadsTheRequestExpectation) {
  const auto loaded = parse_scenario(std::string(kDevice) + R"(steps:
  - send:
    expect:
      apns:
        headers: {APNS-Priority: "10", apns-expiration: {at: 30s}}
        body_contains: '"ext"'
        body: '{"aps":{}}'
)",
                                     "s.yaml", "s");
  ASSERT_TRUE(loaded) << loaded.error().detail;
  const auto& apns = *loaded->steps[0].expect.apns;
  ASSERT_EQ(apns.headers.size(), 2u);
  EXPECT_EQ(apns.headers[0].name, "apns-priority") << "names in lower case, as HTTP/2 sends them";
  EXPECT_EQ(apns.headers[0].value, "10");
  EXPECT_EQ(apns.headers[1].at, std::chrono::seconds(30));
  EXPECT_EQ(apns.body_contains, "\"ext\"");
  EXPECT_EQ(apns.body, "{\"aps\":{}}");
  const auto bad =
      error_of("steps:\n  - send:\n    expect: {apns: {headers: {apns-expiration: {in: 30s}}}}\n");
  EXPECT_NE(bad.find("allowed: at"), std::string::npos) << bad;
}

// Two phones of one user under the default policy load, with a warning naming both and the fix
// (im-voip-flow.md §3.4); with mobile_instances 2, or two users, there is nothing to warn of.
TEST(ScenarioLoader, TwoPhonesOfOneUserUnderTheDefaultPolicyGetAWarning) {
  const std::string ipad = R"(    - id: bobs-ipad
      user: bob
      app: {environment: production, certificate: voip.production}
)";
  const auto warned =
      parse_scenario(std::string(kDevice) + ipad + "steps: [send]\n", "s.yaml", "s");
  ASSERT_TRUE(warned) << warned.error().detail;
  ASSERT_EQ(warned->warnings.size(), 1u);
  const std::string& warning = warned->warnings[0];
  EXPECT_EQ(warning.rfind("s.yaml:", 0), 0u) << warning;
  EXPECT_NE(warning.find("'bobs-iphone' and 'bobs-ipad' both log in as bob"), std::string::npos)
      << warning;
  EXPECT_NE(warning.find("mobile_instances: 2"), std::string::npos) << warning;

  const auto two = parse_scenario(
      std::string(kDevice) + ipad + "  mobile_instances: 2\nsteps: [send]\n", "s.yaml", "s");
  ASSERT_TRUE(two) << two.error().detail;
  EXPECT_TRUE(two->warnings.empty());
  const auto meant = parse_scenario(
      std::string(kDevice) + ipad + "  mobile_instances: 1\nsteps: [send]\n", "s.yaml", "s");
  ASSERT_TRUE(meant) << meant.error().detail;
  EXPECT_TRUE(meant->warnings.empty()) << "the kick is meant when the file writes the setting";
  std::string carol = ipad;
  carol.replace(carol.find("user: bob"), 9, "user: carol");
  const auto others =
      parse_scenario(std::string(kDevice) + carol + "steps: [send]\n", "s.yaml", "s");
  ASSERT_TRUE(others) << others.error().detail;
  EXPECT_TRUE(others->warnings.empty());
}

// Several phones of one user (im-voip-flow.md §3.4): the setting, per-installation pushes and
// a registration of one device.
TEST(ScenarioLoader, MobileInstancesPushesPerInstallationAndARegistrationsDevice) {
  auto loaded = parse_scenario(std::string(kDevice) + R"(  mobile_instances: 2
steps:
  - send:
    expect:
      message:
        state: accepted
        pushes:
          bobs-iphone: {state: accepted, attempts: 1}
          bobs-ipad: {state: skipped_online, reason: delivered over the IM connection}
      registration: {device: bobs-ipad, state: active}
)",
                               "s.yaml", "s");
  ASSERT_TRUE(loaded) << loaded.error().detail;
  EXPECT_EQ(loaded->setup.mobile_instances, 2);
  const auto& message = *loaded->steps[0].expect.message;
  ASSERT_EQ(message.pushes.size(), 2u);
  EXPECT_EQ(message.pushes[0].key, "bobs-iphone");
  EXPECT_EQ(message.pushes[0].state, pipeline::MessageState::Accepted);
  EXPECT_EQ(message.pushes[0].attempts, 1);
  EXPECT_EQ(message.pushes[1].key, "bobs-ipad");
  EXPECT_EQ(message.pushes[1].reason, "delivered over the IM connection");
  EXPECT_EQ(loaded->steps[0].expect.registration->device, "bobs-ipad");
  const auto plain = parse_scenario(std::string(kDevice) + "steps: [send]\n", "s.yaml", "s");
  ASSERT_TRUE(plain) << plain.error().detail;
  EXPECT_EQ(plain->setup.mobile_instances, 1); // the default

  EXPECT_NE(error_of("setup: {mobile_instances: 0}").find("mobile_instances"), std::string::npos);
  const auto state = error_of(
      "steps:\n  - send:\n    expect: {message: {pushes: {bobs-iphone: {state: rang}}}}\n");
  EXPECT_NE(state.find("'rang' is not a valid message state"), std::string::npos) << state;
  const auto key =
      error_of("steps:\n  - send:\n    expect: {message: {pushes: {bobs-iphone: {token: x}}}}\n");
  EXPECT_NE(key.find("allowed: state, reason, attempts"), std::string::npos) << key;
  const auto list = error_of("steps:\n  - send:\n    expect: {message: {pushes: [bobs-iphone]}}\n");
  EXPECT_NE(list.find("maps device ids to a push"), std::string::npos) << list;
}

// Groups (im-voip-flow.md §4.3 "Group sends"): setup.groups, the group steps, a send to a group
// with @-mentions, and what each receiver's pushes sum up to.
TEST(ScenarioLoader, GroupsTheirStepsAndAGroupSend) {
  auto loaded = parse_scenario(std::string(kDevice) + R"(  groups:
    - {id: team, members: [alice, bob, carol]}
    - {id: live, type: AVChatRoom, members: bob}
steps:
  - create_group: {id: club, type: Public}
  - join_group: {group: club}
  - leave_group: {group: team, user: carol}
  - send: {group: team, at: [bob], as: call}
    expect:
      message:
        receivers:
          bob: {state: accepted}
          carol: {state: skipped_receive_option, reason: RECEIVE_NOT_NOTIFY (group team)}
)",
                               "s.yaml", "s");
  ASSERT_TRUE(loaded) << loaded.error().detail;
  const auto& groups = loaded->setup.groups;
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].group.type, pipeline::GroupType::Work); // the default
  EXPECT_EQ(groups[0].group.members.size(), 3u);
  EXPECT_EQ(groups[1].group.type, pipeline::GroupType::AVChatRoom);
  EXPECT_EQ(groups[1].group.members.size(), 1u);
  const auto& steps = loaded->steps;
  EXPECT_EQ(steps[0].action, scenario::Action::CreateGroup);
  EXPECT_EQ(steps[0].group.group.id, "club");
  EXPECT_EQ(steps[1].action, scenario::Action::JoinGroup);
  EXPECT_EQ(steps[1].membership.user, ""); // the step's device's user
  EXPECT_EQ(steps[2].action, scenario::Action::LeaveGroup);
  EXPECT_EQ(steps[2].membership.user, "carol");
  EXPECT_EQ(steps[3].send.group, "team");
  EXPECT_EQ(steps[3].send.at, std::vector<std::string>{"bob"});
  const auto& receivers = steps[3].expect.message->receivers;
  ASSERT_EQ(receivers.size(), 2u);
  EXPECT_EQ(receivers[1].key, "carol");
  EXPECT_EQ(receivers[1].reason, "RECEIVE_NOT_NOTIFY (group team)");

  EXPECT_NE(error_of("steps:\n  - send: {to: bob, group: team}\n").find("not both"),
            std::string::npos);
  EXPECT_NE(error_of("steps:\n  - send: {at: [bob]}\n").find("needs a 'group'"), std::string::npos);
  EXPECT_NE(error_of("setup:\n  groups: [{id: g, type: Chat}]\n").find("AVChatRoom"),
            std::string::npos);
  EXPECT_NE(error_of("steps:\n  - join_group: {user: bob}\n").find("needs 'group'"),
            std::string::npos);
}

// A scenario that needs the virtual clock says so (issue #21): --live skips it with the reason.
TEST(ScenarioLoader, LiveSkipIsTheReasonAndMayNotBeEmpty) {
  auto loaded = parse_scenario("live_skip: an hour passes\nsteps: [advance: 61m]\n", "s.yaml", "s");
  ASSERT_TRUE(loaded) << loaded.error().detail;
  EXPECT_EQ(loaded->live_skip, "an hour passes");
  const auto plain = parse_scenario("steps: [advance: 1s]\n", "s.yaml", "s");
  ASSERT_TRUE(plain);
  EXPECT_TRUE(plain->live_skip.empty());
  EXPECT_NE(error_of("live_skip: ''\nsteps: [advance: 1s]\n").find("live_skip"), std::string::npos);
}

} // namespace
