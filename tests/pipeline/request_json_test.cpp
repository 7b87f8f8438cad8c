// The bodies clients POST to the pipeline: what a client writes (pipeline/request_json.hpp) is
// what api.cpp reads, and a missing required field is an error naming it.

#include "pipeline/request_json.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace pipeline {
namespace {

using nlohmann::json;

TEST(RequestJson, AMessageReadsBackAsWritten) {
  MessageToSend m;
  m.sender = "alice";
  m.receiver = "bob";
  m.content = "hi";
  m.online_user_only = true;
  m.offline_push_info = OfflinePushInfo{"voip", R"({"call":"1"})", "Alice", "calling", true};
  for (const auto& info : {m.offline_push_info, std::optional<OfflinePushInfo>{}}) {
    MessageToSend one = m;
    one.offline_push_info = info;
    one.random = info ? std::optional<std::uint64_t>(18'446'744'073'709'551'615u) : std::nullopt;
    const auto back = message_to_send_from_json(to_json(one));
    ASSERT_TRUE(back) << back.error().detail;
    EXPECT_EQ(to_json(*back), to_json(one));
    EXPECT_EQ(back->offline_push_info.has_value(), info.has_value());
  }
}

TEST(RequestJson, AMessageWithoutItsReceiverOrWithAnOddPushInfoIsRefused) {
  auto no_receiver = to_json(MessageToSend{"alice", "bob", "", false, std::nullopt, std::nullopt});
  no_receiver.erase("receiver");
  auto read = message_to_send_from_json(no_receiver);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().detail, "\"receiver\" is required");

  auto odd_info = to_json(MessageToSend{"alice", "bob", "", false, std::nullopt, std::nullopt});
  odd_info["offline_push_info"] = "voip";
  read = message_to_send_from_json(odd_info);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().detail, "\"offline_push_info\" must be a JSON object");
}

TEST(RequestJson, ASetVoipReportReadsBackAsWrittenItsTokenNullable) {
  for (const VoipTokenBody& body : {VoipTokenBody{std::string(64, 'a'), 1001, "bobs-ipad"},
                                    VoipTokenBody{std::nullopt, 1002, kDefaultInstallation}}) {
    const auto back = voip_token_body_from_json(to_json(body));
    ASSERT_TRUE(back) << back.error().detail;
    EXPECT_EQ(back->token, body.token);
    EXPECT_EQ(back->certificate_id, body.certificate_id);
    EXPECT_EQ(back->installation, body.installation);
  }
  // im-voip-flow.md §3.4: a client of one phone names no installation.
  const auto plain = voip_token_body_from_json(json{{"token", nullptr}, {"certificate_id", 1}});
  ASSERT_TRUE(plain) << plain.error().detail;
  EXPECT_EQ(plain->installation, kDefaultInstallation);
  const auto no_token = voip_token_body_from_json(json{{"certificate_id", 1001}});
  ASSERT_FALSE(no_token);
  EXPECT_EQ(no_token.error().detail, "\"token\" is required (null: none)");
}

TEST(RequestJson, APresenceReportReadsBackAsWritten) {
  for (const auto presence : {Presence::Online, Presence::Background, Presence::Killed,
                              Presence::LoggedOut, Presence::Kicked}) {
    PresenceReport report;
    report.state = presence;
    report.installation = "bobs-ipad";
    const auto back = presence_report_from_json(to_json(report));
    ASSERT_TRUE(back) << back.error().detail;
    EXPECT_EQ(back->state, presence);
    EXPECT_EQ(back->installation, "bobs-ipad");
  }
  // im-voip-flow.md §3.4: a client of one phone names no installation.
  const auto plain = presence_report_from_json(json{{"state", "background"}});
  ASSERT_TRUE(plain) << plain.error().detail;
  EXPECT_EQ(plain->installation, kDefaultInstallation);
  const auto odd = presence_report_from_json(json{{"state", "away"}});
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().detail,
            "\"state\" \"away\" is not online, background, killed, logged_out or kicked");
}

} // namespace
} // namespace pipeline
