#pragma once
// Reading JSON request bodies the same strict way in every API voipsim serves (the mock's admin
// API, the pipeline's): an absent field keeps its default, a field of the wrong type is an error
// that names it, and an unknown field is an error (a misspelt field must not be silently
// ignored). Header-only over nlohmann::json; include it only where JSON is parsed.

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

// Reads `name` from `object` into `out` (string, bool, integer, number or array of strings); an
// integer outside the range of `out`'s type is an error, never wrapped.
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
  }
  out = found->get<T>();
  return {};
}

// Reads fields of one object in order by read_json_field's rules; require() also refuses a
// field that is absent or null. The first problem is kept: read them all, then check once.
class JsonFields {
public:
  explicit JsonFields(const nlohmann::json& object) : object_(object) {}

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

  const std::optional<Error>& problem() const { return problem_; }

private:
  const nlohmann::json& object_;
  std::optional<Error> problem_;
};

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

} // namespace core
