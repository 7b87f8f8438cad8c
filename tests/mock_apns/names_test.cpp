// The mock's names tables: the words of its admin API's JSON and of the apns-push-type header.
#include "mock_apns/faults.hpp"
#include "mock_apns/journal.hpp"
#include "mock_apns/push_type.hpp"
#include "mock_apns/token_registry.hpp"
#include "support/names_round_trip.hpp"

#include <gtest/gtest.h>

namespace mock_apns {
namespace {

using support::expect_round_trip;

TEST(MockApnsNames, FaultScopes) {
  expect_round_trip<FaultScope>({{FaultScope::Any, "any"},
                                 {FaultScope::Token, "token"},
                                 {FaultScope::Topic, "topic"},
                                 {FaultScope::Team, "team"}},
                                fault_scope_name, parse_fault_scope);
  EXPECT_EQ(fault_scope_words(), "any, token, topic or team");
}

TEST(MockApnsNames, TokenStates) {
  expect_round_trip<TokenState>({{TokenState::Active, "active"},
                                 {TokenState::Unregistered, "unregistered"},
                                 {TokenState::Expired, "expired"}},
                                token_state_name, parse_token_state);
  EXPECT_EQ(token_state_words(), "active, unregistered or expired");
}

TEST(MockApnsNames, AuthKinds) {
  expect_round_trip<AuthKind>({{AuthKind::None, "none"},
                               {AuthKind::Certificate, "certificate"},
                               {AuthKind::Token, "token"}},
                              auth_kind_name, parse_auth_kind);
  EXPECT_EQ(auth_kind_words(), "none, certificate or token");
}

TEST(MockApnsNames, PushTypesAndTheirTopicSuffixes) {
  expect_round_trip<PushType>({{PushType::Alert, "alert"},
                               {PushType::Background, "background"},
                               {PushType::Voip, "voip"},
                               {PushType::Complication, "complication"},
                               {PushType::Fileprovider, "fileprovider"},
                               {PushType::Location, "location"},
                               {PushType::Liveactivity, "liveactivity"},
                               {PushType::Pushtotalk, "pushtotalk"},
                               {PushType::Mdm, "mdm"},
                               {PushType::Controls, "controls"},
                               {PushType::Widgets, "widgets"}},
                              push_type_name, parse_push_type);
  EXPECT_EQ(push_type_words().substr(0, 24), "alert, background, voip,");
  EXPECT_EQ(topic_suffix(PushType::Pushtotalk), ".voip-ptt");
  EXPECT_EQ(split_topic("com.example.imapp.voip-ptt").suffix_type, PushType::Pushtotalk);
  EXPECT_EQ(split_topic("com.example.imapp.voip").bundle_id, "com.example.imapp");
  EXPECT_FALSE(split_topic("com.example.imapp").suffix_type);
}

} // namespace
} // namespace mock_apns
