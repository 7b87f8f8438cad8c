#include "core/uuid.hpp"

#include <set>

#include <gtest/gtest.h>

namespace {

TEST(Uuid, SameSeedSameSequence) {
  core::UuidGenerator a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next();
    EXPECT_EQ(x, b.next());
    EXPECT_NE(x, c.next());
  }
}

TEST(Uuid, IsVersion4InCanonicalForm) {
  core::UuidGenerator gen(7);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string text = gen.next().to_string();
    ASSERT_EQ(text.size(), 36u);
    EXPECT_EQ(text[8], '-');
    EXPECT_EQ(text[14], '4') << text;
    EXPECT_NE(std::string("89ab").find(text[19]), std::string::npos) << text;
    seen.insert(text);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

// RFC 9562 Appendix A.4: version 5 of "www.example.com" in the DNS namespace, from its SHA-1.
TEST(Uuid, Version5FromTheSha1OfNamespaceAndName) {
  const std::array<std::uint8_t, 20> sha1 = {0x2e, 0xd6, 0x65, 0x7d, 0xe9, 0x27, 0x46,
                                             0x8b, 0x55, 0xe1, 0x26, 0x65, 0xa8, 0xae,
                                             0xa6, 0xa2, 0x2d, 0xee, 0x3e, 0x35};
  EXPECT_EQ(core::Uuid::version5(sha1).to_string(), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
}

TEST(Uuid, ParsesEitherCaseAndRoundTrips) {
  const auto lower = core::Uuid::parse("eabeae54-14a8-11e5-b60b-1697f925ec7b");
  const auto upper = core::Uuid::parse("EABEAE54-14A8-11E5-B60B-1697F925EC7B");
  ASSERT_TRUE(lower && upper);
  EXPECT_EQ(*lower, *upper);
  EXPECT_EQ(upper->to_string(), "eabeae54-14a8-11e5-b60b-1697f925ec7b");
  EXPECT_EQ(lower->to_string(core::LetterCase::Upper), "EABEAE54-14A8-11E5-B60B-1697F925EC7B");
}

TEST(Uuid, RejectsNonCanonicalText) {
  for (const char* bad :
       {"", "eabeae5414a811e5b60b1697f925ec7b", "eabeae54-14a8-11e5-b60b-1697f925ec7",
        "eabeae54-14a8-11e5-b60b-1697f925ec7bb", "eabeae54_14a8-11e5-b60b-1697f925ec7b",
        "gabeae54-14a8-11e5-b60b-1697f925ec7b", "{eabeae54-14a8-11e5-b60b-1697f925ec}"})
    EXPECT_FALSE(core::Uuid::parse(bad)) << bad;
}

} // namespace
