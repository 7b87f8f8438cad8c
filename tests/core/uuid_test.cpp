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
