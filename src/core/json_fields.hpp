#pragma once
// The one field reader: request bodies of every API voipsim serves (the mock's admin API, the
// pipeline's) and the documents its parts write for one another are read the same strict way.
// An absent field keeps its default unless required, a field of the wrong type is an error that
// names it, and an unknown field is an error (a misspelt field must not be silently ignored).
// Header-only over nlohmann::json; include it only where JSON is parsed.

#include "core/result.hpp"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace core {

inline Unexpected<Error> json_field_error(std::string what) {
  return fail(Errc::InvalidArgument, std::move(what));
}

// Reads `name` from `object` into `out` (string, bool, integer, number, array of strings, an
// array of anything, which the caller reads item by item, or an object, which the caller reads
// with a JsonFields of its own); an integer outside the range of
// `out`'s type is an error, never wrapped. An `object` that is not an object has no fields.
template <typename T>
Result<void> read_json_field(const nlohmann::json& object, const char* name, T& out) {
  const auto found = object.find(name);
  if (found == object.end() || found->is_null()) return {};
  const std::string quoted = std::string("\"") + name + "\"";
  if constexpr (std::is_same_v<T, std::string>) {
    if (!found->is_string()) return json_field_error(quoted + " must be a string");
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!found->is_boolean()) return json_field_error(quoted + " must be true or false");
  } else if constexpr (std::is_integral_v<T>) {
    if (!found->is_number_integer()) return json_field_error(quoted + " must be an integer");
    // nlohmann keeps a non-negative number as unsigned: get<T> would wrap a value past T's range.
    if (found->is_number_unsigned() ? !std::in_range<T>(found->get<std::uint64_t>())
                                    : !std::in_range<T>(found->get<std::int64_t>())) {
      if (found->is_number_unsigned())
        return json_field_error(quoted + " must be at most " +
                                std::to_string(std::numeric_limits<T>::max()));
      if constexpr (std::is_unsigned_v<T>)
        return json_field_error(quoted + " must not be negative");
      return json_field_error(quoted + " must be at least " +
                              std::to_string(std::numeric_limits<T>::min()));
    }
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!found->is_number()) return json_field_error(quoted + " must be a number");
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    if (!found->is_array()) return json_field_error(quoted + " must be an array of strings");
    for (const auto& item : *found) {
      if (!item.is_string()) return json_field_error(quoted + " must be an array of strings");
    }
  } else if constexpr (std::is_same_v<T, std::vector<nlohmann::json>>) {
    if (!found->is_array()) return json_field_error(quoted + " must be an array");
  } else if constexpr (std::is_same_v<T, nlohmann::json>) {
    if (!found->is_object()) return json_field_error(quoted + " must be a JSON object");
  } else {
    static_assert(!sizeof(T), "read_json_field: no rule for this type");
  }
  out = found->get<T>();
  return {};
}

// `j` is an object with no key outside `known`.
inline Result<void> require_json_object(const nlohmann::json& j, const char* what,
                                        std::initializer_list<std::string_view> known) {
  if (!j.is_object()) return json_field_error(std::string(what) + " must be a JSON object");
  for (const auto& [key, value] : j.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string names;
      for (auto name : known)
        names += (names.empty() ? "" : ", ") + std::string(name);
      return json_field_error(std::string(what) + ": unknown field \"" + key +
                              "\"; known: " + names);
    }
  }
  return {};
}

// Reads fields of one object in order by read_json_field's rules; require() also refuses a
// field that is absent or null. The first problem is kept: read them all, then check once.
class JsonFields {
public:
  explicit JsonFields(const nlohmann::json& object) : object_(object) {}
  // The same after require_json_object(object, what, known): one step for a reader that takes
  // a whole document (its first problem may be the shape).
  JsonFields(const nlohmann::json& object, const char* what,
             std::initializer_list<std::string_view> known)
      : object_(object) {
    if (auto ok = require_json_object(object, what, known); !ok) problem_ = ok.error();
  }
  // It keeps a reference: a temporary document would be gone before the first read.
  explicit JsonFields(const nlohmann::json&&) = delete;
  JsonFields(const nlohmann::json&&, const char*, std::initializer_list<std::string_view>) = delete;

  template <typename T>
  JsonFields& read(const char* name, T& out) {
    if (!problem_) {
      if (auto ok = read_json_field(object_, name, out); !ok) problem_ = ok.error();
    }
    return *this;
  }
  template <typename T>
  JsonFields& require(const char* name, T& out) {
    if (problem_) return *this;
    if (const auto found = object_.find(name); found == object_.end() || found->is_null()) {
      problem_ = json_field_error(std::string("\"") + name + "\" is required").error();
      return *this;
    }
    return read(name, out);
  }

  // A field that may be absent or null: nullopt then.
  template <typename T>
  JsonFields& read(const char* name, std::optional<T>& out) {
    if (problem_) return *this;
    if (const auto found = object_.find(name); found == object_.end() || found->is_null()) {
      out.reset();
      return *this;
    }
    T value{};
    if (read(name, value); !problem_) out = std::move(value);
    return *this;
  }
  // A field a writer always sends, as null when there is none: absent is a problem.
  template <typename T>
  JsonFields& require_nullable(const char* name, std::optional<T>& out) {
    if (!problem_ && !object_.contains(name))
      problem_ = json_field_error(std::string("\"") + name + "\" is required (null: none)").error();
    return read(name, out);
  }

  // An enum written as one of its names: `parse` (std::optional<E>(std::string_view)) maps a
  // name to its value; other text is a problem that quotes it, "\"kind\" \"x\" is not <allowed>".
  // `out` is an E or a std::optional<E>; presence is checked as by read, require and
  // require_nullable.
  template <typename Out, typename Parse>
  JsonFields& read_named(const char* name, Out& out, Parse parse, std::string_view allowed) {
    std::optional<std::string> text;
    return read(name, text).parse_named(name, text, out, parse, allowed);
  }
  template <typename Out, typename Parse>
  JsonFields& require_named(const char* name, Out& out, Parse parse, std::string_view allowed) {
    std::string text;
    if (require(name, text); problem_) return *this;
    return parse_named(name, std::optional(text), out, parse, allowed);
  }
  template <typename Out, typename Parse>
  JsonFields& require_nullable_named(const char* name, Out& out, Parse parse,
                                     std::string_view allowed) {
    std::optional<std::string> text;
    return require_nullable(name, text).parse_named(name, text, out, parse, allowed);
  }

  // A string field that has one fixed value (a ready line's "event", a health's "status").
  JsonFields& require_value(const char* name, std::string_view expected) {
    std::string text;
    if (require(name, text); !problem_ && text != expected)
      problem_ = json_field_error(std::string("\"") + name + "\" is \"" + text + "\", not \"" +
                                  std::string(expected) + "\"")
                     .error();
    return *this;
  }

  const std::optional<Error>& problem() const { return problem_; }

private:
  template <typename Out, typename Parse>
  JsonFields& parse_named(const char* name, const std::optional<std::string>& text, Out& out,
                          Parse parse, std::string_view allowed) {
    if (problem_ || !text) return *this;
    if (auto value = parse(*text)) {
      out = *value;
    } else {
      problem_ = json_field_error(std::string("\"") + name + "\" \"" + *text + "\" is not " +
                                  std::string(allowed))
                     .error();
    }
    return *this;
  }

  const nlohmann::json& object_;
  std::optional<Error> problem_;
};

// Each item of a list read by `read` (an item's from_json, giving a Result); the first item that
// cannot be read fails the list, named by its place: "<item> 3: <why>".
template <typename Read>
auto read_json_items(const std::vector<nlohmann::json>& items, std::string_view item, Read read)
    -> Result<std::vector<typename std::invoke_result_t<Read, const nlohmann::json&>::value_type>> {
  std::vector<typename std::invoke_result_t<Read, const nlohmann::json&>::value_type> out;
  out.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto value = read(items[i]);
    if (!value)
      return json_field_error(std::string(item) + " " + std::to_string(i) + ": " +
                              value.error().detail);
    out.push_back(std::move(*value));
  }
  return out;
}

// The field when it is there with the type asked for, else nullopt: for documents voipsim did not
// write (a push payload, an APNs answer), where an absent or odd field is simply not used.
template <typename T>
std::optional<T> json_field_if_any(const nlohmann::json& object, const char* name) {
  T value{};
  const auto found = object.find(name); // end() when `object` is not an object
  if (found == object.end() || found->is_null() || !read_json_field(object, name, value))
    return std::nullopt;
  return value;
}

} // namespace core
