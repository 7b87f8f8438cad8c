// The APNs request built for one offline VoIP push (im-voip-flow.md §4.4).
#include "core/uuid.hpp"
#include "pipeline/push_request.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using namespace std::chrono_literals;

pipeline::MessageRecord sample() {
  pipeline::MessageRecord m;
  m.message_id = "msg-7";
  m.sender = "alice";
  m.receiver = "bob";
  // The seed pretty-prints ext: newlines and spaces are part of it and count toward the size.
  m.ext = "{\n  \"entity\" : {\n    \"action\" : 1,\n    \"sender\" : \"alice\"\n  }\n}";
  m.created_at = core::from_unix_seconds(1'767'225'600) + 250ms;
  m.token_hex = std::string(64, 'a');
  m.bundle_id = "com.example.imapp";
  return m;
}

const std::string* header(const net::Request& r, std::string_view name) {
  return net::find_header(r.headers, name);
}

TEST(VoipRequest, HeadersAndPathFollowTheSpec) {
  const auto request = pipeline::voip_request(sample());
  ASSERT_TRUE(request);
  EXPECT_EQ(request->method, "POST");
  EXPECT_EQ(request->path, "/3/device/" + std::string(64, 'a'));
  ASSERT_NE(header(*request, "apns-push-type"), nullptr);
  EXPECT_EQ(*header(*request, "apns-push-type"), "voip");
  EXPECT_EQ(*header(*request, "apns-topic"), "com.example.imapp.voip");
  EXPECT_EQ(*header(*request, "apns-priority"), "10");
  EXPECT_EQ(*header(*request, "apns-expiration"), std::to_string(1'767'225'600 + 30));
  EXPECT_EQ(*header(*request, "apns-id"), pipeline::apns_id_for("msg-7"));
}

TEST(VoipRequest, BodyCarriesExtVerbatimAndTheMessageFields) {
  const auto m = sample();
  const std::string body = pipeline::voip_body(m);
  const auto parsed = nlohmann::json::parse(body);
  EXPECT_EQ(parsed["ext"], m.ext); // byte for byte, newlines included
  EXPECT_EQ(parsed["msgId"], "msg-7");
  EXPECT_EQ(parsed["sender"], "alice");
  EXPECT_EQ(parsed["chatType"], 1);
  EXPECT_EQ(parsed["sentAt"], 1'767'225'600'250);
  EXPECT_EQ(body.rfind("{\"ext\":", 0), 0u); // in the spec's order
}

// The body is written by hand (no JSON value per message); it must stay what nlohmann wrote,
// broken UTF-8 in `ext` included.
TEST(VoipRequest, BodyIsWhatAJsonLibraryWrites) {
  auto m = sample();
  for (const std::string& ext :
       {std::string(R"({"entity":{"action":1}})"), std::string("line\n\t\"q\""),
        std::string("\xe2\x82 broken \xff"), std::string()}) {
    m.ext = ext;
    nlohmann::ordered_json body;
    body["ext"] = m.ext;
    body["msgId"] = m.message_id;
    body["sender"] = m.sender;
    body["chatType"] = 1;
    body["sentAt"] = 1'767'225'600'250;
    EXPECT_EQ(pipeline::voip_body(m),
              body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  }
}

TEST(VoipRequest, BodyLimitIsExactly5120Bytes) {
  auto m = sample();
  m.ext.clear();
  const std::size_t overhead = pipeline::voip_body(m).size();
  m.ext = std::string(pipeline::kVoipPayloadLimit - overhead, 'x');
  ASSERT_EQ(pipeline::voip_body(m).size(), pipeline::kVoipPayloadLimit);
  EXPECT_TRUE(pipeline::voip_request(m));
  m.ext += 'x';
  EXPECT_FALSE(pipeline::voip_request(m));
}

TEST(ApnsId, StablePerMessageDistinctAcrossMessagesAndVersion5) {
  const std::string id = pipeline::apns_id_for("msg-1");
  EXPECT_EQ(id, pipeline::apns_id_for("msg-1"));
  EXPECT_NE(id, pipeline::apns_id_for("msg-2"));
  ASSERT_TRUE(core::Uuid::parse(id));
  EXPECT_EQ(id[14], '5');                                         // version
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos); // RFC variant
}

// A group message's push (im-voip-flow.md §4.2 chatType V2TIM_GROUP = 2, §4.3 "Group sends"):
// the body names the group, and each member's push has an id of its own even when two members'
// installations have the same name.
TEST(VoipRequest, AGroupMessagesPushSaysChatType2AndNamesTheGroup) {
  auto m = sample();
  m.group = "team";
  const auto parsed = nlohmann::json::parse(pipeline::voip_body(m));
  EXPECT_EQ(parsed["chatType"], 2);
  EXPECT_EQ(parsed["groupId"], "team");
  EXPECT_EQ(parsed["sender"], "alice");
  EXPECT_EQ(parsed["ext"], m.ext);

  pipeline::PushRecord bobs, carols;
  bobs.receiver = "bob";
  carols.receiver = "carol";
  bobs.installation = carols.installation = pipeline::kDefaultInstallation;
  auto id_of = [&](const pipeline::PushRecord& p) {
    return pipeline::apns_id_for(m, p.receiver, p.installation);
  };
  EXPECT_NE(id_of(bobs), id_of(carols));
  EXPECT_NE(id_of(bobs), pipeline::apns_id_for("msg-7"));
  // A one-to-one message's push keeps the id it always had.
  m.group.clear();
  EXPECT_EQ(id_of(bobs), pipeline::apns_id_for("msg-7"));
}

} // namespace
