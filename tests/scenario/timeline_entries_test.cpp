// The timeline entries the note sites make: who acted and to whom, for the sequence diagram,
// with the ids in labels shortened.
#include "scenario/timeline_entries.hpp"

#include <gtest/gtest.h>

namespace {

TEST(ScenarioTimelineEntries, IdsAreShortenedInLabels) {
  EXPECT_EQ(scenario::shorten_ids(
                "token 8c7a1d369e788af7220d5592924322a72b6c535cc6675ff651b2879d4930c917 sent"),
            "token 8c7a1d36… sent");
  EXPECT_EQ(scenario::shorten_ids("apns-id b9035617-71fe-5050-adfd-56fcb3ba70ff: ok"),
            "apns-id b9035617…: ok");
  // Short hex words and words that merely contain hex stay.
  EXPECT_EQ(scenario::shorten_ids("certificate 1002, key KB00000001, FRONTBOARD 0xBAADCA11"),
            "certificate 1002, key KB00000001, FRONTBOARD 0xBAADCA11");
}

TEST(ScenarioTimelineEntries, ARefusedRequestFromTheJournal) {
  mock_apns::JournalEntry j;
  j.environment = core::ApnsEnvironment::Production;
  j.method = "POST";
  j.token = std::string(64, 'a');
  j.status = 400;
  j.reason = mock_apns::Reason::BadDeviceToken;
  j.cause = "token was issued in the sandbox";
  const auto e = scenario::apns_entry(j, scenario::kPipelineLane);
  EXPECT_EQ(e.actor, "production");
  EXPECT_EQ(e.cause, "token was issued in the sandbox");
  ASSERT_TRUE(e.arrow);
  EXPECT_EQ(e.arrow->from, "pipeline");
  EXPECT_EQ(e.arrow->to, "apns:production");
  EXPECT_EQ(e.arrow->label, "POST /3/device/aaaaaaaa…");
  EXPECT_EQ(e.arrow->reply, "400 BadDeviceToken");
  EXPECT_TRUE(e.arrow->problem);
}

TEST(ScenarioTimelineEntries, SetVoipGoesToTheBackendADeliveryComesFromApns) {
  fake_device::DeviceEvent reported;
  reported.kind = fake_device::DeviceEventKind::TokenReported;
  reported.detail = "certificate 1001 token " + std::string(64, 'b');
  auto e = scenario::device_entry(reported, "bobs-iphone", core::ApnsEnvironment::Sandbox);
  EXPECT_EQ(e.actor, "bobs-iphone");
  EXPECT_EQ(e.arrow->from, "device:bobs-iphone");
  EXPECT_EQ(e.arrow->to, "pipeline");
  EXPECT_EQ(e.arrow->label, "setVOIP certificate 1001 token bbbbbbbb…");

  fake_device::DeviceEvent arrived;
  arrived.kind = fake_device::DeviceEventKind::PushArrived;
  e = scenario::device_entry(arrived, "bobs-iphone", core::ApnsEnvironment::Sandbox);
  EXPECT_EQ(e.arrow->from, "apns:sandbox");
  EXPECT_EQ(e.arrow->to, "device:bobs-iphone");

  fake_device::DeviceEvent killed;
  killed.kind = fake_device::DeviceEventKind::AppKilled;
  killed.detail = "FRONTBOARD 0xBAADCA11";
  e = scenario::device_entry(killed, "bobs-iphone", core::ApnsEnvironment::Sandbox);
  EXPECT_EQ(e.arrow->from, e.arrow->to);
  EXPECT_EQ(e.arrow->label, "app killed: FRONTBOARD 0xBAADCA11");
  EXPECT_TRUE(e.arrow->problem);
}

} // namespace
