// The device reads the mock's delivery feed: what the mock writes (to_json(Delivery)) must come
// back as the same push, and anything else must be refused with the field that was wrong.
#include "fake_device/remote/delivery_follower.hpp"
#include "fake_device/remote/pipeline_link.hpp"
#include "mock_apns/json_codec.hpp"
#include "net/http1_client.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace fake_device::remote {
namespace {

using nlohmann::json;

mock_apns::Delivery sample_delivery() {
  mock_apns::Delivery d;
  d.sequence = 7;
  d.apns_id = "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0";
  d.unique_id = "bf9cce4e-6edc-462f-bf27-9a9630f43128";
  d.environment = mock_apns::Environment::Production;
  d.token = std::string(64, 'a');
  d.topic = "com.example.imapp.voip";
  d.push_type = mock_apns::PushType::Voip;
  d.priority = 5;
  d.expiration = 1'800'000'000;
  d.collapse_id = "call-1";
  d.payload = R"({"aps":{},"caller":"alice"})";
  d.received_at = core::from_unix_seconds(1'767'225'600) + std::chrono::milliseconds(250);
  return d;
}

// A page as the feed writes it: each delivery with its cursor beside it.
std::string page_of(json delivery, std::uint64_t next = 3) {
  delivery["cursor"] = next;
  return json{{"deliveries", json::array({delivery})}, {"next", next}}.dump();
}

TEST(DeliveryPage, WhatTheMockWritesIsWhatTheDeviceReads) {
  const auto page = parse_delivery_page(page_of(mock_apns::to_json(sample_delivery())));
  ASSERT_TRUE(page) << page.error().message();
  EXPECT_EQ(page->next, 3u);
  ASSERT_EQ(page->pushes.size(), 1u);
  const Push& p = page->pushes[0];
  EXPECT_EQ(p.apns_id, "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0");
  EXPECT_EQ(p.unique_id, "bf9cce4e-6edc-462f-bf27-9a9630f43128");
  EXPECT_EQ(p.environment, ApsEnvironment::Production);
  EXPECT_EQ(p.token, std::string(64, 'a'));
  EXPECT_EQ(p.topic, "com.example.imapp.voip");
  EXPECT_EQ(p.push_type, "voip");
  EXPECT_EQ(p.priority, 5);
  EXPECT_EQ(p.expiration, 1'800'000'000);
  EXPECT_EQ(p.collapse_id, "call-1");
  EXPECT_EQ(p.payload, R"({"aps":{},"caller":"alice"})");
  EXPECT_EQ(core::unix_millis(p.accepted_at), 1'767'225'600'250);
}

TEST(DeliveryPage, OptionalFieldsStayAbsentAndBinaryPayloadsDecode) {
  mock_apns::Delivery d = sample_delivery();
  d.unique_id.clear();
  d.collapse_id.clear();
  d.expiration.reset();
  d.environment = mock_apns::Environment::Sandbox;
  d.payload = std::string("\x1f\x8b\x08\x00\xff", 5); // gzip, which Apple forbids, still arrives
  const auto page = parse_delivery_page(page_of(mock_apns::to_json(d)));
  ASSERT_TRUE(page) << page.error().message();
  const Push& p = page->pushes.at(0);
  EXPECT_EQ(p.environment, ApsEnvironment::Sandbox);
  EXPECT_FALSE(p.unique_id);
  EXPECT_FALSE(p.collapse_id);
  EXPECT_FALSE(p.expiration);
  EXPECT_EQ(p.payload, d.payload);
}

TEST(DeliveryPage, PagesNotShapedLikeTheFeedAreRefused) {
  for (const char* body :
       {"not json", R"({"deliveries":[]})", R"({"next":1})", R"({"deliveries":{},"next":1})"}) {
    const auto page = parse_delivery_page(body);
    ASSERT_FALSE(page) << body;
    EXPECT_NE(page.error().detail.find("a delivery page"), std::string::npos)
        << page.error().detail;
  }
  // Which field, or where the text stopped being JSON.
  EXPECT_NE(parse_delivery_page(R"({"deliveries":[]})").error().detail.find("\"next\" is required"),
            std::string::npos);
  EXPECT_NE(parse_delivery_page("not json").error().detail.find("line 1, column"),
            std::string::npos)
      << parse_delivery_page("not json").error().detail;
}

TEST(DeliveryPage, AnUnreadableDeliveryIsSkippedWithItsReasonAndTheRestKept) {
  json good = mock_apns::to_json(sample_delivery());
  good["cursor"] = 7;
  json no_token = good;
  no_token.erase("token");
  json bad_environment = good;
  bad_environment["environment"] = "staging";
  json priority_text = good;
  priority_text["priority"] = "high";
  json no_payload = good;
  no_payload.erase("payload");
  const json body = {
      {"deliveries", json::array({1, no_token, bad_environment, priority_text, no_payload, good})},
      {"next", 12}};
  const auto page = parse_delivery_page(body.dump());
  ASSERT_TRUE(page) << page.error().message();
  ASSERT_EQ(page->pushes.size(), 1u);
  EXPECT_EQ(page->pushes[0].apns_id, sample_delivery().apns_id);
  EXPECT_EQ(page->first_cursor, 7u);
  // The mock's own reader (mock_apns::delivery_from_json) says what was wrong.
  const std::vector<std::string> expected = {
      "must be a JSON object", "\"token\" is required",
      "\"staging\" is not sandbox, development, dev, production or prod",
      "\"priority\" must be an integer", "neither \"payload\" nor \"payload_base64url\""};
  ASSERT_EQ(page->skipped.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_NE(page->skipped[i].find(expected[i]), std::string::npos) << page->skipped[i];
}

TEST(DeliveryPage, ADeliveryWithoutItsCursorIsSkippedSayingSo) {
  const json body = {{"deliveries", json::array({mock_apns::to_json(sample_delivery())})},
                     {"next", 3}};
  const auto page = parse_delivery_page(body.dump());
  ASSERT_TRUE(page) << page.error().message();
  EXPECT_TRUE(page->pushes.empty());
  EXPECT_FALSE(page->first_cursor);
  ASSERT_EQ(page->skipped.size(), 1u);
  EXPECT_NE(page->skipped[0].find("\"cursor\" is required"), std::string::npos) << page->skipped[0];
}

TEST(HttpEndpoint, AcceptsUrlsAndHostPorts) {
  const auto plain = net::parse_http_endpoint("127.0.0.1:8080");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->host, "127.0.0.1");
  EXPECT_EQ(plain->port, 8080);
  const auto url = net::parse_http_endpoint("http://localhost:9/");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->url(), "http://localhost:9");
  const auto v6 = net::parse_http_endpoint("http://[::1]:443");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->url(), "http://[::1]:443");
  const std::pair<const char*, const char*> bad[] = {
      {"https://127.0.0.1:1", "uses TLS"},
      {"127.0.0.1", "no port"},
      {"http://h:1/v1", "has a path"},
      {":80", "no host"},
      {"h:0", "no valid port"},
      {"h:65536", "no valid port"},
      {"h:8x", "no valid port"},
  };
  for (const auto& [text, message] : bad) {
    const auto parsed = net::parse_http_endpoint(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_NE(parsed.error().detail.find(message), std::string::npos) << parsed.error().detail;
  }
}

TEST(PipelinePresence, MapsEachSdkPresenceToThePipelines) {
  EXPECT_EQ(pipeline_presence(ImPresence::Foreground), pipeline::Presence::Online);
  EXPECT_EQ(pipeline_presence(ImPresence::Background), pipeline::Presence::Background);
  EXPECT_EQ(pipeline_presence(ImPresence::Disconnected), pipeline::Presence::Killed);
  EXPECT_EQ(pipeline_presence(ImPresence::LoggedOut), pipeline::Presence::LoggedOut);
  EXPECT_EQ(pipeline_presence(ImPresence::Kicked), pipeline::Presence::Kicked);
}

} // namespace
} // namespace fake_device::remote
