#include "pipeline/records.hpp"

#include <gtest/gtest.h>

namespace {

using pipeline::Environment;
using pipeline::MessageState;
using pipeline::Presence;
using pipeline::RegistrationState;

// Every enumerator with the text the store writes for it: rows already on disk depend on these.
template <class Enum>
struct Spelling {
  Enum value;
  std::string_view text;
};

template <class Enum, class Parse>
void expect_spellings(std::initializer_list<Spelling<Enum>> spellings, Parse parse) {
  for (const auto& [value, text] : spellings) {
    EXPECT_EQ(pipeline::to_string(value), text);
    EXPECT_EQ(parse(text), value) << text;
  }
}

TEST(Records, PresenceRoundTrips) {
  expect_spellings<Presence>(
      {
          {Presence::Online, "online"},
          {Presence::Background, "background"},
          {Presence::Killed, "killed"},
          {Presence::LoggedOut, "logged_out"},
          {Presence::Kicked, "kicked"},
      },
      pipeline::parse_presence);
}

TEST(Records, RegistrationStateRoundTrips) {
  expect_spellings<RegistrationState>(
      {
          {RegistrationState::Active, "active"},
          {RegistrationState::Unregistered, "unregistered"},
          {RegistrationState::BadToken, "bad_token"},
          {RegistrationState::Inactive, "inactive"},
      },
      pipeline::parse_registration_state);
}

TEST(Records, MessageStateRoundTrips) {
  expect_spellings<MessageState>(
      {
          {MessageState::Pending, "pending"},
          {MessageState::Accepted, "accepted"},
          {MessageState::Rejected, "rejected"},
          {MessageState::SkippedOnline, "skipped_online"},
          {MessageState::SkippedNoPushRequested, "skipped_no_push_requested"},
          {MessageState::SkippedNoRegistration, "skipped_no_registration"},
          {MessageState::SkippedLoggedOut, "skipped_logged_out"},
          {MessageState::PayloadTooLarge, "payload_too_large"},
          {MessageState::Expired, "expired"},
          {MessageState::Failed, "failed"},
      },
      pipeline::parse_message_state);
}

TEST(Records, UnknownTextParsesToNothing) {
  for (std::string_view text : {"", "Online", "ONLINE", "online ", "sandbox", "skipped", "msg-1"}) {
    EXPECT_FALSE(pipeline::parse_presence(text)) << text;
    EXPECT_FALSE(pipeline::parse_registration_state(text)) << text;
    EXPECT_FALSE(pipeline::parse_message_state(text)) << text;
  }
}

TEST(Records, LoggedInMeansOnlineBackgroundOrKilled) {
  EXPECT_TRUE(pipeline::logged_in(Presence::Online));
  EXPECT_TRUE(pipeline::logged_in(Presence::Background));
  EXPECT_TRUE(pipeline::logged_in(Presence::Killed));
  EXPECT_FALSE(pipeline::logged_in(Presence::LoggedOut));
  EXPECT_FALSE(pipeline::logged_in(Presence::Kicked));
}

} // namespace
