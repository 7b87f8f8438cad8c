#pragma once
// A names table's round trip (core/names.hpp): every enumerator, its word, and back. The test
// lists the words itself, so a changed spelling (which files and JSON already on disk depend
// on) fails here.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

namespace support {

template <class Enum, class Name, class Parse>
void expect_round_trip(std::initializer_list<std::pair<Enum, std::string_view>> every, Name name,
                       Parse parse) {
  for (const auto& [value, word] : every) {
    EXPECT_EQ(name(value), word);
    const auto back = parse(word);
    ASSERT_TRUE(back) << word;
    EXPECT_EQ(*back, value) << word;
    EXPECT_EQ(name(*back), word);
  }
  EXPECT_FALSE(parse("")) << "the empty word";
  EXPECT_FALSE(parse("no-such-word"));
}

} // namespace support
