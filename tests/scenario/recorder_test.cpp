// The recorder: journal entries become a scenario the loader reads, with a device per VoIP
// token, the answers as expectations, the pauses and the token deaths in place.
#include "scenario/loader.hpp"
#include "scenario/recorder.hpp"

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using scenario::Action;

const core::TimePoint kStart = core::from_unix_seconds(1'767'225'600);
const std::string kLive(64, 'a');
const std::string kDead(64, 'b');
const std::string kUnknown(64, 'c');

mock_apns::JournalEntry entry(core::Duration at, const std::string& token, int status,
                              std::optional<mock_apns::Reason> reason = {}) {
  mock_apns::JournalEntry e;
  e.time = kStart + at;
  e.method = "POST";
  e.token = token;
  e.topic = "com.example.imapp.voip";
  e.push_type = mock_apns::PushType::Voip;
  e.auth = "token KB00000001 (TEAMA12345)";
  e.auth_kind = mock_apns::AuthKind::Token;
  e.status = status;
  e.reason = reason;
  return e;
}

TEST(ScenarioRecorder, WritesAScenarioTheLoaderReads) {
  scenario::Recording rec;
  rec.recorded_at = kStart + 1h;
  rec.requests = {entry(0s, kLive, 200),
                  entry(10ms, kUnknown, 400, mock_apns::Reason::BadDeviceToken),
                  entry(90s, kDead, 410, mock_apns::Reason::Unregistered)};
  // The prose is for people: the recorder decides on the typed fields alone.
  rec.requests[2].auth = "certificate for people";
  rec.requests[2].auth_kind = mock_apns::AuthKind::Certificate;
  rec.requests[2].certificate_kind = pki::CertificateKind::ApplePushServices;
  auto goaway = entry(91s, kLive, 403, mock_apns::Reason::BadCertificateEnvironment);
  goaway.goaway = true;
  rec.requests.push_back(goaway);
  rec.find_token = [](std::string_view t) -> std::optional<mock_apns::TokenRecord> {
    if (t == kLive)
      return mock_apns::TokenRecord{kLive, mock_apns::Environment::Sandbox,
                                    "com.example.imapp.voip"};
    if (t == kDead)
      return mock_apns::TokenRecord{kDead, mock_apns::Environment::Production,
                                    "com.example.imapp.voip", mock_apns::TokenState::Unregistered,
                                    core::unix_millis(kStart + 60s)};
    return std::nullopt;
  };
  rec.dropped = 5;
  const std::string text = scenario::record_scenario(rec);
  auto sc = scenario::parse_scenario(text, "recorded.yaml", "recorded");
  ASSERT_TRUE(sc) << sc.error().detail << "\n" << text;
  EXPECT_NE(text.find("5 older requests had left the journal ring"), std::string::npos);
  EXPECT_NE(text.find("# not replayable as a push step: POST  -> 403 BadCertificateEnvironment "
                      "(GOAWAY)"),
            std::string::npos)
      << text;

  ASSERT_EQ(sc->setup.devices.size(), 2u);
  EXPECT_EQ(sc->setup.devices[1].app.config.environment, fake_device::ApsEnvironment::Production);
  std::vector<Action> actions;
  for (const auto& s : sc->steps)
    actions.push_back(s.action);
  const std::vector<Action> expected = {Action::Install,   Action::Consent, Action::Launch,
                                        Action::Install,   Action::Consent, Action::Launch,
                                        Action::Push,      Action::Push,    Action::Advance,
                                        Action::Uninstall, Action::Push,    Action::Advance};
  EXPECT_EQ(actions, expected) << text;
  const auto& first = sc->steps[6];
  EXPECT_EQ(first.push.token, "voip");
  EXPECT_EQ(first.device, "device-1");
  EXPECT_EQ(first.expect.response->status, 200);
  const auto& unknown = sc->steps[7];
  EXPECT_EQ(unknown.push.token, kUnknown);
  EXPECT_EQ(unknown.push.environment, core::ApnsEnvironment::Sandbox);
  EXPECT_EQ(unknown.expect.response->reason, mock_apns::Reason::BadDeviceToken);
  EXPECT_EQ(unknown.push.auth, scenario::PushAuth::Token);
  EXPECT_EQ(sc->steps[8].duration, 90s - 10ms);
  EXPECT_EQ(sc->steps[9].device, "device-2");
  const auto& dead = sc->steps[10];
  EXPECT_EQ(dead.push.token, "last_voip"); // its app was uninstalled just before
  EXPECT_EQ(dead.push.auth, scenario::PushAuth::Certificate);
  EXPECT_EQ(dead.push.credential, "apple-push-services");
  EXPECT_EQ(dead.expect.response->status, 410);
}

TEST(ScenarioRecorder, NothingRecordedIsStillAScenario) {
  scenario::Recording rec;
  EXPECT_TRUE(scenario::parse_scenario(scenario::record_scenario(rec), "r.yaml", "r"));
}

// A certificate the mock refused has no PKI credential to replay it with; an Apple certificate
// of no known kind is replayed with the VoIP one.
TEST(ScenarioRecorder, ReplaysAuthByTheJournalsTypedFields) {
  scenario::Recording rec;
  rec.recorded_at = kStart;
  rec.requests = {entry(0s, kUnknown, 403, mock_apns::Reason::BadCertificate),
                  entry(1s, kUnknown, 400, mock_apns::Reason::BadDeviceToken)};
  rec.requests[0].auth = "refused certificate: no Apple fields";
  rec.requests[0].auth_kind = mock_apns::AuthKind::Certificate;
  rec.requests[1].auth_kind = mock_apns::AuthKind::Certificate;
  rec.requests[1].certificate_kind = pki::CertificateKind::Other;
  const auto sc = scenario::parse_scenario(scenario::record_scenario(rec), "r.yaml", "r");
  ASSERT_TRUE(sc) << sc.error().detail;
  ASSERT_EQ(sc->steps.size(), 3u); // push, advance 1s, push
  EXPECT_EQ(sc->steps[0].push.auth, scenario::PushAuth::None);
  EXPECT_EQ(sc->steps[2].push.auth, scenario::PushAuth::Certificate);
  EXPECT_EQ(sc->steps[2].push.credential, "voip-services");
}

} // namespace
