// core::parse_json and core::nests_deeper_than: the depth bound every JSON entry point shares
// (issue #26: a document 100,000 levels deep crashed the mock).
#include "core/json_parse.hpp"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

std::string nested(std::size_t depth, char open = '[', char close = ']') {
  return std::string(depth, open) + std::string(depth, close);
}

TEST(JsonParse, ADocumentAMillionLevelsDeepIsRefusedWithTheLimitNamed) {
  const auto parsed = core::parse_json(nested(1'000'000));
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().detail.find("nested deeper than 256 levels"), std::string::npos)
      << parsed.error().detail;
  EXPECT_FALSE(core::parse_ordered_json(nested(1'000'000, '{', '}')));
}

TEST(JsonParse, TheLimitItselfIsAccepted) {
  EXPECT_TRUE(core::parse_json(nested(core::kMaxJsonDepth)));
  EXPECT_FALSE(core::parse_json(nested(core::kMaxJsonDepth + 1)));
}

TEST(JsonParse, BracketsInStringsDoNotCount) {
  const std::string text = R"({"a":")" + std::string(1000, '[') + R"(\"[[["})";
  EXPECT_FALSE(core::nests_deeper_than(text, 1));
  const auto parsed = core::parse_json(text);
  ASSERT_TRUE(parsed) << parsed.error().detail;
  EXPECT_EQ((*parsed)["a"].get<std::string>().size(), 1004u);
}

TEST(JsonParse, UnclosedBracketsCountToo) {
  EXPECT_TRUE(core::nests_deeper_than(std::string(300, '['), 256));
  EXPECT_FALSE(core::nests_deeper_than("]]]]" + nested(3), 3));
}

TEST(JsonParse, ASyntaxErrorSaysWhere) {
  const auto parsed = core::parse_json("{\"a\": tru}");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().detail.rfind("not valid JSON: ", 0), 0u) << parsed.error().detail;
  EXPECT_NE(parsed.error().detail.find("column"), std::string::npos) << parsed.error().detail;
}

TEST(JsonParse, OrderedParsingKeepsTheMembersOrder) {
  const auto parsed = core::parse_ordered_json(R"({"b":1,"a":2})");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->dump(), R"({"b":1,"a":2})");
}

} // namespace
