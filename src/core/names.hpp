#pragma once
// One names table per enum: the text each enumerator is written as (stored, logged, shown in
// JSON) and read from, so that writing and reading cannot drift apart, and so that a parser that
// lists the accepted words (the scenario loader, a CLI flag) derives them from the same table.

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace core {

template <class Enum, std::size_t N>
using Names = std::array<std::pair<Enum, std::string_view>, N>;

template <class Enum, std::size_t N>
constexpr std::string_view name_of(const Names<Enum, N>& names, Enum value) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) return name;
  }
  return "invalid"; // only for a value cast from outside the enum's range
}

template <class Enum, std::size_t N>
constexpr std::optional<Enum> value_named(const Names<Enum, N>& names, std::string_view text) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

// "a, b or c": a list of words as a message says it.
inline std::string or_list(std::span<const std::string_view> words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

// "a, b or c": the accepted words, for a message that says what is allowed.
template <class Enum, std::size_t N>
std::string words_of(const Names<Enum, N>& names) {
  std::array<std::string_view, N> words;
  for (std::size_t i = 0; i < N; ++i)
    words[i] = names[i].second;
  return or_list(words);
}

} // namespace core
