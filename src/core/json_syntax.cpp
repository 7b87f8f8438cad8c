#include "core/json_syntax.hpp"

#include "core/encoding.hpp"
#include "core/utf8.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace core {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Which containers are open, innermost last: one bit each (1 = object). 4096 levels inline,
// deeper ones on the heap.
class ContainerStack {
public:
  std::size_t depth() const { return depth_; }
  bool top_is_object() const { return bit(depth_ - 1); }
  void push(bool object) {
    const std::size_t word = depth_ / 64;
    if (word >= kInlineWords && heap_.size() <= word - kInlineWords) {
      heap_.push_back(0);
    }
    std::uint64_t& w = word < kInlineWords ? inline_[word] : heap_[word - kInlineWords];
    const std::uint64_t mask = std::uint64_t{1} << (depth_ % 64);
    w = object ? (w | mask) : (w & ~mask);
    ++depth_;
  }
  void pop() { --depth_; }

private:
  static constexpr std::size_t kInlineWords = 64;
  bool bit(std::size_t i) const {
    const std::size_t word = i / 64;
    const std::uint64_t w = word < kInlineWords ? inline_[word] : heap_[word - kInlineWords];
    return (w >> (i % 64)) & 1;
  }
  std::uint64_t inline_[kInlineWords] = {};
  std::vector<std::uint64_t> heap_;
  std::size_t depth_ = 0;
};

class Checker {
public:
  explicit Checker(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool object_text() {
    skip_space();
    if (p_ == end_ || *p_ != '{') {
      return false;
    }
    for (;;) { // at the start of a value
      if (!value_start()) {
        return false;
      }
      for (;;) { // after a complete value
        skip_space();
        if (stack_.depth() == 0) {
          return p_ == end_;
        }
        if (p_ == end_) {
          return false;
        }
        const char c = *p_++;
        if (c == ',') {
          if (stack_.top_is_object() && !member_name()) {
            return false;
          }
          skip_space();
          break;
        }
        if (c != (stack_.top_is_object() ? '}' : ']')) {
          return false;
        }
        stack_.pop();
      }
    }
  }

private:
  void skip_space() {
    while (p_ != end_ && is_space(*p_))
      ++p_;
  }

  // Parses a scalar, or opens a container (and an empty one closes at once). Leaves p_ after
  // a complete value, or at the start of the first value of an opened container.
  bool value_start() {
    for (;;) {
      if (p_ == end_) {
        return false;
      }
      switch (*p_) {
      case '{':
      case '[': {
        const bool object = *p_++ == '{';
        skip_space();
        if (p_ != end_ && *p_ == (object ? '}' : ']')) {
          ++p_;
          return true;
        }
        stack_.push(object);
        if (object && !member_name()) {
          return false;
        }
        skip_space();
        continue;
      }
      case '"':
        ++p_;
        return string_rest();
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
      }
    }
  }

  // At an object's member: "name", whitespace, ':'.
  bool member_name() {
    skip_space();
    if (p_ == end_ || *p_ != '"') {
      return false;
    }
    ++p_;
    if (!string_rest()) {
      return false;
    }
    skip_space();
    if (p_ == end_ || *p_ != ':') {
      return false;
    }
    ++p_;
    return true;
  }

  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        std::string_view(p_, word.size()) != word) {
      return false;
    }
    p_ += word.size();
    return true;
  }

  // Four hex digits after "\u".
  bool code_unit(int& unit) {
    if (end_ - p_ < 4) {
      return false;
    }
    unit = 0;
    for (int i = 0; i < 4; ++i) {
      const int digit = hex_value(*p_++);
      if (digit < 0) {
        return false;
      }
      unit = unit * 16 + digit;
    }
    return true;
  }

  // After the opening quote, up to and including the closing one.
  bool string_rest() {
    for (;;) {
      if (p_ == end_) {
        return false;
      }
      const auto b = static_cast<unsigned char>(*p_++);
      if (b == '"') {
        return true;
      }
      if (b < 0x20) {
        return false;
      }
      if (b == '\\') {
        if (p_ == end_) {
          return false;
        }
        switch (*p_++) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
          continue;
        case 'u': {
          int unit = 0;
          if (!code_unit(unit) || (unit >= 0xDC00 && unit <= 0xDFFF)) {
            return false;
          }
          if (unit >= 0xD800 && unit <= 0xDBFF) { // a high surrogate needs its low half
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') {
              return false;
            }
            p_ += 2;
            if (!code_unit(unit) || unit < 0xDC00 || unit > 0xDFFF) {
              return false;
            }
          }
          continue;
        }
        default:
          return false;
        }
      }
      if (b < 0x80) {
        continue;
      }
      const char* lead = p_ - 1;
      const Utf8Sequence sequence = utf8_sequence_at(std::string_view(lead, end_ - lead), 0);
      if (!sequence.valid) {
        return false;
      }
      p_ = lead + sequence.length;
    }
  }

  bool digits() {
    if (p_ == end_ || !is_digit(*p_)) {
      return false;
    }
    while (p_ != end_ && is_digit(*p_))
      ++p_;
    return true;
  }

  bool number() {
    const char* const start = p_;
    if (*p_ == '-') ++p_;
    if (p_ == end_ || !is_digit(*p_)) {
      return false;
    }
    if (*p_ == '0') {
      ++p_;
    } else {
      digits();
    }
    if (p_ != end_ && *p_ == '.') {
      ++p_;
      if (!digits()) {
        return false;
      }
    }
    bool exponent = false;
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      exponent = true;
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!digits()) {
        return false;
      }
    }
    // A number must fit a double (nlohmann refuses what overflows to infinity). Without an
    // exponent, 300 digits cannot overflow; otherwise ask from_chars.
    if (!exponent && p_ - start <= 300) {
      return true;
    }
    return fits_double(start, p_);
  }

  static bool fits_double(const char* first, const char* last) {
    double value = 0;
    const auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec != std::errc::result_out_of_range) {
      return ec == std::errc{} && std::isfinite(value);
    }
    // Out of range means overflow (refused) or underflow to zero (fine): the magnitude of the
    // leading nonzero digit says which.
    return decimal_magnitude(first, last) < 0;
  }

  // Roughly log10 of |number|: where its first nonzero digit stands, plus the exponent
  // (saturated). Only its sign matters, and only for out-of-range numbers.
  static long decimal_magnitude(const char* p, const char* last) {
    if (*p == '-') ++p;
    long position = 0; // of the first nonzero digit: 0 = units, 1 = tens, -1 = tenths
    long integer_digits = 0;
    bool found = false;
    while (p != last && is_digit(*p)) {
      if (found || *p != '0') {
        found = true;
        ++integer_digits;
      }
      ++p;
    }
    if (found) {
      position = integer_digits - 1;
    } else if (p != last && *p == '.') {
      ++p;
      for (long i = 1; p != last && is_digit(*p); ++p, ++i) {
        if (*p != '0') {
          position = -i;
          found = true;
          break;
        }
      }
    }
    while (p != last && *p != 'e' && *p != 'E')
      ++p;
    long exponent = 0;
    if (p != last) {
      ++p;
      const bool negative = *p == '-';
      if (*p == '+' || *p == '-') ++p;
      for (; p != last; ++p) {
        exponent = std::min(exponent * 10 + (*p - '0'), 1'000'000L);
      }
      if (negative) exponent = -exponent;
    }
    return found ? position + exponent : -1;
  }

  const char* p_;
  const char* end_;
  ContainerStack stack_;
};

} // namespace

bool is_json_object(std::string_view text) {
  return Checker(text).object_text();
}

} // namespace core
