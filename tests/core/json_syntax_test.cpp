#include "core/json_syntax.hpp"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

// What validation used before: nlohmann's full parser behind a '{' check. nlohmann ends its
// input at a NUL byte and so accepts "{}\0anything"; RFC 8259 does not, nor does the mock now.
bool reference(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string::npos && text[first] == '{' && text.find('\0') == std::string::npos &&
         nlohmann::json::accept(text);
}

TEST(JsonObject, AcceptsObjects) {
  for (const std::string& text : std::vector<std::string>{
           R"({})",
           " \t\r\n{ } \n",
           R"({"aps":{},"call":"bench"})",
           R"({"a":[1,-0,0.5,1e5,1E-5,-2.5e+300,[],[[]],{"b":null}],"t":true,"f":false})",
           R"({"s":"\" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00"})",
           "{\"utf8\":\"\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbf\"}",
           R"({"tiny":1e-400,"zero":0e999999,"max":1.7976931348623157e308})",
           R"({"":""})",
       }) {
    EXPECT_TRUE(core::is_json_object(text)) << text;
    EXPECT_TRUE(reference(text)) << text;
  }
}

TEST(JsonObject, RefusesWhatIsNotExactlyOneObject) {
  for (const std::string& text : std::vector<std::string>{
           "",
           " ",
           "[]",
           "\"s\"",
           "1",
           "null",
           "{",
           "}",
           "{}{}",
           "{} x",
           "{,}",
           R"({"a"})",
           R"({"a":})",
           R"({"a":1,})",
           R"({"a":1 "b":2})",
           R"({a:1})",
           R"({'a':1})",
           R"({"a":[1,]})",
           R"({"a":[1 2]})",
           R"({"a":]})",
           R"({"a":[}])",
           R"({"a":{]})",
           R"({"a":01})",
           R"({"a":1.})",
           R"({"a":.5})",
           R"({"a":+1})",
           R"({"a":-})",
           R"({"a":1e})",
           R"({"a":1e+})",
           R"({"a":tru})",
           R"({"a":True})",
           R"({"a":nul})",
           R"({"a":1e400})",
           R"({"a":-1e309})",
           R"({"a":"\x"})",
           R"({"a":"\u12"})",
           R"({"a":"\ud83d"})",
           R"({"a":"\ude00"})",
           R"({"a":"\ud83d\u0041"})",
           "{\"a\":\"\x01\"}",
           "{\"a\":\"\xc0\xaf\"}",
           "{\"a\":\"\xed\xa0\x80\"}",
           "{\"a\":\"\xf4\x90\x80\x80\"}",
           "{\"a\":\"\xe2\x82\"}",
           "{\"a\":\"\x80\"}",
           "\xef\xbb\xbf{}",
           std::string("{\"a\":1}\0", 8),
           "{\"a\":\"unterminated}",
       }) {
    EXPECT_FALSE(core::is_json_object(text)) << text;
    EXPECT_FALSE(reference(text)) << text;
  }
}

TEST(JsonObject, DeepNestingNeedsNoRecursion) {
  const std::size_t depth = 100'000; // past the inline stack, onto the heap
  std::string text = "{\"a\":" + std::string(depth, '[') + std::string(depth, ']') + "}";
  EXPECT_TRUE(core::is_json_object(text));
  text.pop_back();
  EXPECT_FALSE(core::is_json_object(text));
}

TEST(JsonObject, AgreesWithNlohmannOnMutatedPayloads) {
  // Single-byte mutations of realistic payloads, from bytes that matter to the grammar.
  const std::string seeds[] = {
      R"({"aps":{"alert":{"title":"Hi","body":"x"},"badge":1},"ext":"{\"k\":[1,2.5e3]}"})",
      R"({"a":[true,false,null,-0.0,"\u00e9\ud83d\ude00"],"b":{}})",
  };
  const char alphabet[] = "{}[]:,\"\\/-+.eE0159tfnu \x01\x7f\x80\xc3\xed\xf4";
  std::mt19937 random(7);
  for (const auto& seed : seeds) {
    for (int round = 0; round < 20'000; ++round) {
      std::string text = seed;
      for (int edits = 1 + random() % 3; edits > 0; --edits) {
        const std::size_t at = random() % text.size();
        const char c = alphabet[random() % (sizeof alphabet - 1)];
        switch (random() % 3) {
        case 0:
          text[at] = c;
          break;
        case 1:
          text.insert(text.begin() + at, c);
          break;
        default:
          if (text.size() > 1) text.erase(at, 1);
          break;
        }
      }
      ASSERT_EQ(core::is_json_object(text), reference(text)) << text;
    }
  }
}

} // namespace
