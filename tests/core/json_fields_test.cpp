#include "core/json_fields.hpp"
#include "core/names.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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

TEST(JsonFields, AFixedValueIsRequiredAndQuotedWhenWrong) {
  const nlohmann::json ready = {{"event", "ready"}};
  EXPECT_FALSE(core::JsonFields(ready).require_value("event", "ready").problem());
  const nlohmann::json stopped = {{"event", "stopped"}};
  core::JsonFields wrong(stopped);
  ASSERT_TRUE(wrong.require_value("event", "ready").problem());
  EXPECT_EQ(wrong.problem()->detail, "\"event\" is \"stopped\", not \"ready\"");
  core::JsonFields absent(ready);
  ASSERT_TRUE(absent.require_value("status", "ok").problem());
  EXPECT_EQ(absent.problem()->detail, "\"status\" is required");
}

// The shape and the fields in one step: a wrong shape is the first problem, and no field is read.
TEST(JsonFields, ChecksTheShapeFirstWhenGivenTheKnownFields) {
  std::string name;
  const nlohmann::json misspelt = {{"name", "x"}, {"nmae", "y"}},
                       array_body = nlohmann::json::array();
  core::JsonFields unknown(misspelt, "a thing", {"name"});
  unknown.require("name", name);
  ASSERT_TRUE(unknown.problem());
  EXPECT_EQ(unknown.problem()->detail, "a thing: unknown field \"nmae\"; known: name");
  EXPECT_EQ(name, "");

  core::JsonFields array(array_body, "a thing", {"name"});
  ASSERT_TRUE(array.require("name", name).problem());
  EXPECT_EQ(array.problem()->detail, "a thing must be a JSON object");
}

enum class Colour { Red, Green };
constexpr core::Names<Colour, 2> kColours{{{Colour::Red, "red"}, {Colour::Green, "green"}}};
std::optional<Colour> parse_colour(std::string_view text) {
  return core::value_named(kColours, text);
}

TEST(JsonFields, AnEnumIsReadByItsNameAndAnOtherWordIsQuoted) {
  const nlohmann::json body = {{"a", "green"}, {"b", "blue"}, {"c", nullptr}};
  Colour a = Colour::Red;
  std::optional<Colour> c;
  core::JsonFields ok(body);
  ok.require_named("a", a, parse_colour, core::words_of(kColours))
      .read_named("c", c, parse_colour, "red or green")
      .read_named("absent", c, parse_colour, "red or green");
  EXPECT_FALSE(ok.problem());
  EXPECT_EQ(a, Colour::Green);
  EXPECT_FALSE(c);

  core::JsonFields wrong(body);
  wrong.read_named("b", a, parse_colour, core::words_of(kColours));
  ASSERT_TRUE(wrong.problem());
  EXPECT_EQ(wrong.problem()->detail, "\"b\" \"blue\" is not red or green");

  core::JsonFields absent(body);
  absent.require_named("absent", a, parse_colour, "red or green");
  ASSERT_TRUE(absent.problem());
  EXPECT_EQ(absent.problem()->detail, "\"absent\" is required");

  core::JsonFields nullable(body);
  nullable.require_nullable_named("c", c, parse_colour, "red or green")
      .require_nullable_named("absent", c, parse_colour, "red or green");
  ASSERT_TRUE(nullable.problem());
  EXPECT_EQ(nullable.problem()->detail, "\"absent\" is required (null: none)");
}

// Another part's document (a push payload, an APNs answer): what is not there with the type
// asked for is simply not used.
TEST(JsonFieldIfAny, GivesTheFieldOnlyWhenItIsThereWithTheType) {
  const nlohmann::json body = {{"s", "x"}, {"n", 3}, {"z", nullptr}};
  EXPECT_EQ(core::json_field_if_any<std::string>(body, "s"), "x");
  EXPECT_EQ(core::json_field_if_any<std::string>(body, "n"), std::nullopt);
  EXPECT_EQ(core::json_field_if_any<std::string>(body, "z"), std::nullopt);
  EXPECT_EQ(core::json_field_if_any<std::string>(body, "absent"), std::nullopt);
  EXPECT_EQ(core::json_field_if_any<std::string>(nlohmann::json("s"), "s"), std::nullopt);
  EXPECT_EQ(core::json_field_if_any<int>(body, "n"), 3);
}

TEST(ReadJsonField, AnArrayOfAnythingIsReadForTheCallerToWalk) {
  std::vector<nlohmann::json> items;
  ASSERT_TRUE(core::read_json_field(nlohmann::json{{"a", {1, "x"}}}, "a", items));
  EXPECT_EQ(items.size(), 2u);
  const auto not_array = core::read_json_field(nlohmann::json{{"a", 1}}, "a", items);
  ASSERT_FALSE(not_array);
  EXPECT_EQ(not_array.error().detail, "\"a\" must be an array");
}

TEST(ReadJsonField, AnObjectIsReadForTheCallerToReadItsFields) {
  std::optional<nlohmann::json> inner;
  const auto document = nlohmann::json::parse(R"({"a":{"b":1},"c":[1]})");
  core::JsonFields f(document);
  ASSERT_FALSE(f.read("a", inner).problem());
  ASSERT_TRUE(inner);
  EXPECT_EQ(inner->at("b"), 1);
  ASSERT_TRUE(f.read("c", inner).problem());
  EXPECT_EQ(f.problem()->detail, "\"c\" must be a JSON object");
}

} // namespace
