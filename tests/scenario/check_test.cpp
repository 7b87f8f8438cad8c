// Expectations against observations: what fails, and what the failure says.
#include "scenario/check.hpp"

#include <gtest/gtest.h>

namespace {

using namespace scenario;

EventMatch match(fake_device::DeviceEventKind kind, std::optional<int> code = std::nullopt,
                 std::string detail = "") {
  EventMatch m;
  m.kind = kind;
  m.code = code;
  m.detail = std::move(detail);
  return m;
}

mock_apns::JournalEntry request(int status, std::optional<mock_apns::Reason> reason = {},
                                mock_apns::Environment env = mock_apns::Environment::Sandbox) {
  mock_apns::JournalEntry e;
  e.status = status;
  e.reason = reason;
  e.environment = env;
  return e;
}

TEST(ScenarioCheck, ApnsCountsAndMatchesEveryRequestOfTheStep) {
  ApnsExpectation e;
  e.count = 1;
  e.status = 400;
  e.reason = mock_apns::Reason::BadDeviceToken;
  e.environment = core::ApnsEnvironment::Production;
  const std::vector ok{
      request(400, mock_apns::Reason::BadDeviceToken, mock_apns::Environment::Production)};
  EXPECT_TRUE(check(e, ok, {}).empty());

  const std::vector wrong{request(200)};
  const auto found = check(e, wrong, {});
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].expectation, "expect.apns.status");
  EXPECT_EQ(found[0].expected, "400");
  EXPECT_EQ(found[0].observed, "1 request: sandbox 200");
  EXPECT_EQ(found[1].expectation, "expect.apns.reason");
  EXPECT_EQ(found[2].expectation, "expect.apns.environment");

  const auto none = check(e, std::vector<mock_apns::JournalEntry>{}, {});
  ASSERT_FALSE(none.empty());
  EXPECT_EQ(none[0].expectation, "expect.apns.count");
  EXPECT_EQ(none[0].observed, "no request");
}

TEST(ScenarioCheck, MessageStateReasonAndAttempts) {
  MessageExpectation e;
  e.state = pipeline::MessageState::Accepted;
  e.attempts = 2;
  EXPECT_EQ(check(e, std::nullopt).at(0).observed, "no such message");
  pipeline::MessageRecord m;
  m.state = pipeline::MessageState::Accepted;
  m.attempts = 2;
  EXPECT_TRUE(check(e, m).empty());
  m.state = pipeline::MessageState::Rejected;
  m.reason = "BadDeviceToken";
  m.attempts = 1;
  const auto found = check(e, m);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].expectation, "expect.message.state");
  EXPECT_EQ(found[0].observed, "rejected (BadDeviceToken), attempts 1");
  EXPECT_EQ(found[1].expectation, "expect.message.attempts");
}

// One push per installation (im-voip-flow.md §3.4): each expected push must be there and match.
TEST(ScenarioCheck, MessagePushesPerInstallation) {
  MessageExpectation e;
  scenario::PushExpectation iphone;
  iphone.key = "bobs-iphone";
  iphone.state = pipeline::MessageState::Accepted;
  iphone.attempts = 1;
  scenario::PushExpectation ipad;
  ipad.key = "bobs-ipad";
  ipad.state = pipeline::MessageState::SkippedOnline;
  e.pushes = {iphone, ipad};
  pipeline::MessageRecord m;
  m.state = pipeline::MessageState::Accepted;
  pipeline::PushRecord accepted;
  accepted.installation = "bobs-iphone";
  accepted.state = pipeline::MessageState::Accepted;
  accepted.attempts = 1;
  pipeline::PushRecord online;
  online.installation = "bobs-ipad";
  online.state = pipeline::MessageState::SkippedOnline;
  m.pushes = {online, accepted};
  EXPECT_TRUE(check(e, m).empty());
  m.pushes[1].attempts = 2;
  auto found = check(e, m);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].expectation, "expect.message.pushes.bobs-iphone.attempts");
  EXPECT_EQ(found[0].observed, "accepted, attempts 2");
  m.pushes.pop_back();
  found = check(e, m);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].expectation, "expect.message.pushes.bobs-iphone");
  EXPECT_EQ(found[0].expected, "a push");
}

// A group message (im-voip-flow.md §4.3 "Group sends"): `receivers` checks what each member's
// pushes sum up to; a member without a push, or a one-to-one message decided as a whole, too.
TEST(ScenarioCheck, MessageReceiversSumUpEachMembersPushes) {
  pipeline::MessageRecord m;
  m.receiver = m.group = "team";
  m.state = pipeline::MessageState::Accepted;
  auto push = [](std::string user, std::string installation, pipeline::MessageState state,
                 std::string reason = "") {
    pipeline::PushRecord p;
    p.receiver = std::move(user);
    p.installation = std::move(installation);
    p.state = state;
    p.reason = std::move(reason);
    p.attempts = state == pipeline::MessageState::Accepted ? 1 : 0;
    return p;
  };
  m.pushes = {push("bob", "bobs-ipad", pipeline::MessageState::SkippedOnline),
              push("bob", "bobs-iphone", pipeline::MessageState::Accepted),
              push("carol", "", pipeline::MessageState::SkippedReceiveOption,
                   "RECEIVE_NOT_NOTIFY (group team)")};
  auto expect = [](std::string user, pipeline::MessageState state) {
    scenario::PushExpectation x;
    x.key = std::move(user);
    x.state = state;
    return x;
  };
  MessageExpectation e;
  e.receivers = {expect("bob", pipeline::MessageState::Accepted),
                 expect("carol", pipeline::MessageState::SkippedReceiveOption)};
  e.receivers[1].reason = "RECEIVE_NOT_NOTIFY (group team)";
  EXPECT_TRUE(check(e, m).empty());
  e.receivers = {expect("carol", pipeline::MessageState::Accepted), expect("dave", {})};
  auto found = check(e, m);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].expectation, "expect.message.receivers.carol.state");
  EXPECT_EQ(found[0].observed,
            "skipped_receive_option (RECEIVE_NOT_NOTIFY (group team)), attempts 0");
  EXPECT_EQ(found[1].expectation, "expect.message.receivers.dave");
  EXPECT_EQ(found[1].expected, "a receiver");

  pipeline::MessageRecord one_to_one;
  one_to_one.receiver = "bob";
  one_to_one.state = pipeline::MessageState::SkippedReceiveOption;
  e.receivers = {expect("bob", pipeline::MessageState::SkippedReceiveOption)};
  EXPECT_TRUE(check(e, one_to_one).empty());
}

TEST(ScenarioCheck, RegistrationNoneIsAState) {
  RegistrationExpectation e;
  e.none = true;
  EXPECT_TRUE(check(e, std::nullopt).empty());
  pipeline::Registration r;
  EXPECT_EQ(check(e, r).at(0).observed, "active");
  e.none = false;
  e.state = pipeline::RegistrationState::BadToken;
  EXPECT_EQ(check(e, std::nullopt).at(0).observed, "none");
  e.reason = "ENV_OR_TOKEN_INVALID";
  r.state = pipeline::RegistrationState::BadToken;
  r.reason = "ENV_OR_TOKEN_INVALID";
  EXPECT_TRUE(check(e, r).empty());
}

TEST(ScenarioCheck, ConsoleRefusalOrIds) {
  ConsoleExpectation e;
  e.error = "P12_PASSWORD_REQUIRED";
  ConsoleOutcome refused = pipeline::ApiError{"P12_PASSWORD_REQUIRED", "set a password", 400};
  EXPECT_TRUE(check(e, refused).empty());
  pipeline::UploadedCertificate up;
  up.record.cert_id_dev = 1001;
  up.record.cert_id_prod = 1002;
  const auto found = check(e, ConsoleOutcome{up});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].observed, "accepted with IDs 1001 and 1002");
  ConsoleExpectation ids;
  ids.error = "none";
  ids.development_id = 1001;
  ids.production_id = 1002;
  EXPECT_TRUE(check(ids, ConsoleOutcome{up}).empty());
  EXPECT_EQ(check(ids, refused).size(), 3u);
  EXPECT_EQ(check(ids, std::nullopt).at(0).observed, "no upload");
}

TEST(ScenarioCheck, DeviceEventsAndState) {
  DeviceExpectation e;
  e.events = {match(fake_device::DeviceEventKind::CallShown)};
  e.no_events = {match(fake_device::DeviceEventKind::AppKilled)};
  e.kill_count = 0;
  e.voip_blocked = false;
  DeviceObservation d;
  for (auto kind :
       {fake_device::DeviceEventKind::PushArrived, fake_device::DeviceEventKind::AppKilled}) {
    fake_device::DeviceEvent event;
    event.kind = kind;
    d.events.push_back(event);
  }
  d.kill_count = 1;
  const auto found = check(e, d);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].expectation, "expect.device.events");
  EXPECT_EQ(found[0].expected, "call_shown");
  EXPECT_EQ(found[0].observed, "push_arrived, app_killed");
  EXPECT_EQ(found[1].expectation, "expect.device.no_events");
  EXPECT_EQ(found[2].expectation, "expect.device.kill_count");
}

// What the pipeline sent (issue #23): header values, a time header relative to the start, the
// body and a part of it; a mismatch shows what each request carried.
TEST(ScenarioCheck, TheRequestsHeadersAndBody) {
  const core::TimePoint start = core::from_unix_seconds(1'767'225'600);
  auto r = request(200, std::nullopt);
  r.request_headers = {{"apns-priority", "10"}, {"apns-expiration", "1767225630"}};
  r.body = R"({"aps":{},"ext":"{\"entity\":1}"})";
  ApnsExpectation e;
  e.headers = {{"apns-priority", "10", std::nullopt},
               {"apns-expiration", std::nullopt, std::chrono::seconds(30)}};
  e.body = r.body;
  e.body_contains = R"("ext":"{\"entity\":1}")";
  const std::vector one{r};
  EXPECT_TRUE(check(e, one, {std::nullopt, start}).empty());

  e.headers = {{"apns-priority", "5", std::nullopt},
               {"apns-expiration", std::nullopt, std::chrono::seconds(60)},
               {"apns-collapse-id", "call-1", std::nullopt}};
  e.body = "{}";
  e.body_contains = "entity\":2";
  const auto found = check(e, one, {std::nullopt, start});
  ASSERT_EQ(found.size(), 5u);
  EXPECT_EQ(found[0].expectation, "expect.apns.headers.apns-priority");
  EXPECT_EQ(found[0].expected, "apns-priority: 5");
  EXPECT_EQ(found[0].observed, "10");
  EXPECT_EQ(found[1].expected, "apns-expiration: 1767225660 (+0:01:00.000)");
  EXPECT_EQ(found[1].observed, "1767225630");
  EXPECT_EQ(found[2].observed, "(not sent)");
  EXPECT_EQ(found[3].expectation, "expect.apns.body");
  EXPECT_EQ(found[4].expectation, "expect.apns.body_contains");
  EXPECT_EQ(found[4].observed, "body " + r.body);
}

TEST(ScenarioCheck, ApnsIdsTopicsAndTimestamps) {
  const core::TimePoint start = core::from_unix_seconds(1'767'225'600);
  auto r = request(410, mock_apns::Reason::Unregistered);
  r.apns_id = "A-1";
  r.topic = "com.example.imapp.voip";
  r.push_type = mock_apns::PushType::Voip;
  r.timestamp_ms = core::unix_millis(start + std::chrono::seconds(5));
  ApnsExpectation e;
  e.topic = "com.example.imapp.voip";
  e.push_type = mock_apns::PushType::Voip;
  e.apns_id_of = "m1";
  e.timestamp_at = std::chrono::seconds(5);
  const std::vector one{r};
  EXPECT_TRUE(check(e, one, {"A-1", start}).empty());
  e.timestamp_at = std::chrono::seconds(6);
  const auto found = check(e, one, {"B-2", start});
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].expectation, "expect.apns.apns_id_of");
  EXPECT_EQ(found[0].expected, "B-2 (message m1)");
  EXPECT_NE(found[0].observed.find("apns-id A-1"), std::string::npos) << found[0].observed;
  EXPECT_EQ(found[1].expectation, "expect.apns.timestamp_at");
  // Offsets from the start, as the file writes them, not epoch milliseconds.
  EXPECT_EQ(found[1].expected, "timestamp +0:00:06.000");
  EXPECT_NE(found[1].observed.find("timestamp +0:00:05.000"), std::string::npos)
      << found[1].observed;
  EXPECT_EQ(check(e, one, {std::nullopt, start}).at(0).observed, "no such message");
}

TEST(ScenarioCheck, DeviceEventCodeAndDetail) {
  DeviceExpectation e;
  e.events = {
      match(fake_device::DeviceEventKind::CallRejected, 3),
      match(fake_device::DeviceEventKind::Log, std::nullopt, "never posted an incoming call")};
  DeviceObservation d;
  d.events.push_back({{}, fake_device::DeviceEventKind::CallRejected, "", "", "", 3, "dnd"});
  d.events.push_back({{},
                      fake_device::DeviceEventKind::Log,
                      "",
                      "",
                      "",
                      0,
                      "Killing app because it never posted an incoming call to the system"});
  EXPECT_TRUE(check(e, d).empty());
  e.events = {match(fake_device::DeviceEventKind::CallRejected, 1)};
  const auto found = check(e, d);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].expected, "call_rejected code 1");
  EXPECT_EQ(found[0].observed, "call_rejected (code 3: dnd)");
}

// `count`: exactly that many, so "the phone rang once, not twice" can be said.
TEST(ScenarioCheck, ADeviceEventCountIsExact) {
  DeviceObservation d;
  fake_device::DeviceEvent arrived;
  arrived.kind = fake_device::DeviceEventKind::PushArrived;
  d.events = {arrived, arrived};
  DeviceExpectation e;
  e.events = {match(fake_device::DeviceEventKind::PushArrived)};
  e.events[0].count = 2;
  EXPECT_TRUE(check(e, d).empty());
  e.events[0].count = 1;
  const auto found = check(e, d);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].expected, "push_arrived exactly 1 time");
  EXPECT_EQ(found[0].observed, "2 times: push_arrived, push_arrived");
}

// An event tied to a message matches that message's push only (its apns-id).
TEST(ScenarioCheck, ADeviceEventTiedToAMessageMatchesItsPushOnly) {
  DeviceObservation d;
  fake_device::DeviceEvent arrived;
  arrived.kind = fake_device::DeviceEventKind::PushArrived;
  arrived.apns_id = "A-1";
  d.events = {arrived};
  DeviceExpectation e;
  e.events = {match(fake_device::DeviceEventKind::PushArrived)};
  e.events[0].message = "call";
  e.events[0].apns_id = "A-1";
  EXPECT_TRUE(check(e, d).empty());
  e.events[0].apns_id = "B-2";
  ASSERT_EQ(check(e, d).size(), 1u);
  EXPECT_EQ(check(e, d)[0].expected, "push_arrived for message call");
  e.events[0].apns_id.clear(); // the label names no message with a push
  EXPECT_EQ(check(e, d).at(0).expected, "push_arrived for message call (it has no apns-id)");
}

TEST(ScenarioCheck, ConsoleWarnings) {
  ConsoleExpectation e;
  e.warning = "universal";
  pipeline::UploadedCertificate up;
  EXPECT_EQ(check(e, ConsoleOutcome{up}).at(0).observed, "no warning");
  up.warnings = {"a universal Apple Push Services certificate"};
  EXPECT_TRUE(check(e, ConsoleOutcome{up}).empty());
}

TEST(ScenarioCheck, ProviderResponse) {
  ResponseExpectation e;
  e.status = 403;
  e.reason = mock_apns::Reason::ExpiredProviderToken;
  EXPECT_TRUE(check(e, ResponseObservation{403, "ExpiredProviderToken"}).empty());
  const auto found = check(e, ResponseObservation{200, ""});
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].observed, "200");
  EXPECT_EQ(check(e, ResponseObservation{0, "connection refused"}).at(0).observed,
            "no answer: connection refused");
}

} // namespace
