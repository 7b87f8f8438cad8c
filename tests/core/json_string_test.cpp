#include "core/json_string.hpp"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

// What the pipeline's VoIP body used before: nlohmann's serialiser, broken UTF-8 replaced.
std::string reference(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string written(const std::string& text) {
  std::string out;
  core::append_json_string(out, text);
  return out;
}

TEST(JsonString, EscapesAsJsonRequires) {
  EXPECT_EQ(written(""), R"("")");
  EXPECT_EQ(written(R"({"entity":{"action":1}})"), R"("{\"entity\":{\"action\":1}}")");
  EXPECT_EQ(written("a\\b\b\f\n\r\t/"), R"("a\\b\b\f\n\r\t/")");
  EXPECT_EQ(written(std::string("\x00\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"");
  EXPECT_EQ(written("\xc3\xa9 \xf0\x9f\x98\x80"), "\"\xc3\xa9 \xf0\x9f\x98\x80\"");
}

TEST(JsonString, ReplacesEachBrokenSequenceOnce) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(written("\x80"), "\"" + fffd + "\"");
  EXPECT_EQ(written("\xe2\x82"), "\"" + fffd + "\"");   // cut short at the end
  EXPECT_EQ(written("\xe2\x82x"), "\"" + fffd + "x\""); // cut short by an ASCII byte
  EXPECT_EQ(written("\xe0\x80\x80"), "\"" + fffd + fffd + fffd + "\"");            // overlong
  EXPECT_EQ(written("\xed\xa0\x80"), "\"" + fffd + fffd + fffd + "\"");            // a surrogate
  EXPECT_EQ(written("\xf4\x90\x80\x80"), "\"" + fffd + fffd + fffd + fffd + "\""); // > U+10FFFF
}

// Every case above and 200,000 random strings, biased towards the bytes that matter, give
// exactly nlohmann's output.
TEST(JsonString, WritesWhatNlohmannWrites) {
  for (const std::string& text :
       {std::string(""), std::string("\xe2\x82"), std::string("\xe0\x80\x80"),
        std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80"), std::string("\xc3\x28"),
        std::string("\xf0\x9f\x98"), std::string("\xf0\x9f\x98\x80\x80")}) {
    EXPECT_EQ(written(text), reference(text)) << testing::PrintToString(text);
  }
  const std::vector<unsigned char> interesting = {
      0x00, 0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x1f, '"',  '\\', '/',  'a',  0x7f,
      0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1,
      0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff};
  std::mt19937 random(20261205);
  for (int n = 0; n < 200'000; ++n) {
    std::string text(random() % 12, '\0');
    for (char& c : text) {
      c = static_cast<char>(random() % 4 == 0 ? random() % 256
                                              : interesting[random() % interesting.size()]);
    }
    ASSERT_EQ(written(text), reference(text)) << testing::PrintToString(text);
  }
}

} // namespace
