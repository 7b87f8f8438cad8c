#include "core/json_fields.hpp"

#include <cstdint>
#include <string>

#include <gtest/gtest.h>

namespace {

// The field `n` of `text` read into a T: its value, or the error's text.
template <typename T>
std::string read(const std::string& text) {
  T out{};
  const auto result = core::read_json_field(nlohmann::json::parse(text), "n", out);
  return result ? std::to_string(out) : result.error().detail;
}

// Integers at the edges of each type are read exactly or refused; none wraps (a uint32 setting
// given 4294967296 must not become 0).
TEST(ReadJsonField, IntegersOutsideTheTypeAreRefusedNotWrapped) {
  EXPECT_EQ(read<std::uint32_t>(R"({"n":4294967295})"), "4294967295");
  EXPECT_EQ(read<std::uint32_t>(R"({"n":4294967296})"), "\"n\" must be at most 4294967295");
  EXPECT_EQ(read<std::uint32_t>(R"({"n":-1})"), "\"n\" must not be negative");
  EXPECT_EQ(read<std::uint64_t>(R"({"n":18446744073709551615})"), "18446744073709551615");
  EXPECT_EQ(read<std::int64_t>(R"({"n":-9223372036854775808})"), "-9223372036854775808");
  EXPECT_EQ(read<std::int64_t>(R"({"n":9223372036854775808})"),
            "\"n\" must be at most 9223372036854775807");
  EXPECT_EQ(read<int>(R"({"n":-2147483649})"), "\"n\" must be at least -2147483648");
  EXPECT_EQ(read<std::int64_t>(R"({"n":1.5})"), "\"n\" must be an integer");
  EXPECT_EQ(read<std::int64_t>(R"({"n":null})"), "0");
}

TEST(JsonFields, ReadsInOrderAndNamesTheFirstProblem) {
  const nlohmann::json body = {{"name", "x"}, {"count", "three"}, {"flag", true}};
  std::string name;
  int count = 0;
  bool flag = false;
  std::string missing;
  core::JsonFields ok(body);
  ok.require("name", name).read("flag", flag).read("nothing", missing);
  EXPECT_FALSE(ok.problem());
  EXPECT_EQ(name, "x");
  EXPECT_TRUE(flag);

  core::JsonFields wrong(body);
  wrong.read("count", count).require("absent", missing);
  ASSERT_TRUE(wrong.problem());
  EXPECT_NE(wrong.problem()->detail.find("\"count\" must be an integer"), std::string::npos);

  core::JsonFields absent(body);
  absent.require("absent", missing);
  ASSERT_TRUE(absent.problem());
  EXPECT_EQ(absent.problem()->detail, "\"absent\" is required");
}

} // namespace
