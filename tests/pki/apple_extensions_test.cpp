#include "core/encoding.hpp"
#include "pki/apple_extensions.hpp"
#include "pki/error.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;

const std::vector<pki::TopicEntry> kUniversalTopics = {
    {"com.example.imapp", "app"},
    {"com.example.imapp.voip", "voip"},
    {"com.example.imapp.complication", "complication"}};

TEST(TopicsExtension, MatchesWhatOpensslBuildsFromTheSameLayout) {
  // The layout of pushy's apns-extensions.cnf, built by the real openssl tool.
  support::TempDir dir;
  const std::string conf = dir.write("topics.cnf", R"(asn1 = SEQUENCE:topics
[topics]
t.0 = UTF8String:com.example.imapp
t.1 = SEQWRAP,UTF8String:app
t.2 = UTF8String:com.example.imapp.voip
t.3 = SEQWRAP,UTF8String:voip
t.4 = UTF8String:com.example.imapp.complication
t.5 = SEQWRAP,UTF8String:complication
)");
  const auto r = support::run_process(
      {"openssl", "asn1parse", "-genconf", conf, "-out", dir.file("topics.der"), "-noout"}, 30s);
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const std::string expected = support::read_file(dir.file("topics.der"));

  auto ours = pki::encode_topics_extension(kUniversalTopics);
  ASSERT_TRUE(ours) << ours.error().message();
  EXPECT_EQ(*ours, expected);
  auto decoded = pki::decode_topics_extension(expected);
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_EQ(*decoded, kUniversalTopics);
}

TEST(TopicsExtension, RejectsWhatIsNotTheLayout) {
  const std::string valid = pki::encode_topics_extension(kUniversalTopics).value();
  const std::vector<std::string> bad = {
      "",                                          // nothing
      std::string("\x05\x00", 2),                  // NULL, not a SEQUENCE
      valid.substr(0, valid.size() - 1),           // truncated
      valid + "x",                                 // trailing byte
      pki::der_utf8_string("com.example").value(), // a bare UTF8String
  };
  for (const auto& der : bad) {
    auto decoded = pki::decode_topics_extension(der);
    ASSERT_FALSE(decoded) << der.size();
    EXPECT_EQ(decoded.error().code, pki::Errc::Malformed);
  }
  // A type with no topic before it.
  auto wrapped = pki::encode_topics_extension({{"a", "app"}}).value();
  auto type_first = pki::decode_topics_extension(std::string("\x30\x07") + wrapped.substr(5));
  EXPECT_FALSE(type_first);
}

TEST(TopicsExtension, RejectsTopicsNoPushCouldUse) {
  const std::vector<std::string> topics = {"", "com.example\nvoip", "com.\xff"};
  for (const auto& topic : topics) {
    auto der = pki::encode_topics_extension({{topic, "app"}}).value();
    auto decoded = pki::decode_topics_extension(der);
    ASSERT_FALSE(decoded) << core::printable(topic);
    EXPECT_EQ(decoded.error().code, pki::Errc::Malformed);
  }
}

TEST(TopicsExtension, EmptyListRoundTrips) {
  auto der = pki::encode_topics_extension({});
  ASSERT_TRUE(der);
  auto decoded = pki::decode_topics_extension(*der);
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(decoded->empty());
}

TEST(Utf8Extension, RoundTripsAndRejectsOtherTypes) {
  auto der = pki::der_utf8_string("com.example.imapp.voip");
  ASSERT_TRUE(der);
  EXPECT_EQ(pki::decode_utf8_string(*der).value(), "com.example.imapp.voip");
  EXPECT_FALSE(pki::decode_utf8_string(pki::der_null()));
  EXPECT_FALSE(pki::decode_utf8_string(*der + "x")) << "trailing bytes";
  EXPECT_EQ(pki::der_null(), std::string("\x05\x00", 2));
}

TEST(TopicList, SplitsOnCommasAndTrims) {
  EXPECT_EQ(pki::split_topic_list("a.voip, b.voip,,c "),
            (std::vector<std::string>{"a.voip", "b.voip", "c"}));
  EXPECT_EQ(pki::split_topic_list("com.example.imapp.voip"),
            (std::vector<std::string>{"com.example.imapp.voip"}));
  EXPECT_TRUE(pki::split_topic_list(" , ").empty());
}

} // namespace
