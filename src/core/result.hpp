#pragma once
// core::Result<T, E>: a value or an error, with std::expected's interface (C++23) so it can be
// swapped for it once the toolchain has it. g++ 12 in C++20 mode lacks <expected>.

#include "core/error.hpp"

#include <cassert>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace core {

template <class E>
class Unexpected {
public:
  explicit Unexpected(E error) : error_(std::move(error)) {}
  const E& error() const& noexcept { return error_; }
  E&& error() && noexcept { return std::move(error_); }

private:
  E error_;
};

template <class E>
Unexpected(E) -> Unexpected<E>;

// Shorthand for the common case: fail(Errc::InvalidArgument, "why").
inline Unexpected<Error> fail(std::error_code code, std::string detail = {}) {
  return Unexpected<Error>(Error{code, std::move(detail)});
}

template <class T, class E = Error>
class [[nodiscard]] Result {
public:
  using value_type = T;
  using error_type = E;

  // The requires clause keeps this from hiding the copy and move constructors; clang-tidy 14
  // does not read it.
  template <class U = T>
  requires(!std::is_same_v<std::remove_cvref_t<U>, Result> && std::is_constructible_v<T, U&&>)
      Result(U&& value) // NOLINT(bugprone-forwarding-reference-overload)
      : state_(std::in_place_index<0>, std::forward<U>(value)) {}
  template <class G>
  Result(Unexpected<G> unexpected)
      : state_(std::in_place_index<1>, std::move(unexpected).error()) {}

  bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { return checked_value(); }
  const T& value() const& { return const_cast<Result*>(this)->checked_value(); }
  T&& value() && { return std::move(checked_value()); }
  T& operator*() & { return checked_value(); }
  const T& operator*() const& { return const_cast<Result*>(this)->checked_value(); }
  T&& operator*() && { return std::move(checked_value()); }
  T* operator->() { return &checked_value(); }
  const T* operator->() const { return &const_cast<Result*>(this)->checked_value(); }

  const E& error() const& {
    assert(!has_value());
    return std::get<1>(state_);
  }
  E&& error() && {
    assert(!has_value());
    return std::get<1>(std::move(state_));
  }

  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(state_) : static_cast<T>(std::forward<U>(fallback));
  }

private:
  T& checked_value() {
    assert(has_value());
    return std::get<0>(state_);
  }

  std::variant<T, E> state_;
};

template <class E>
class [[nodiscard]] Result<void, E> {
public:
  using value_type = void;
  using error_type = E;

  Result() = default;
  template <class G>
  Result(Unexpected<G> unexpected) : error_(std::move(unexpected).error()) {}

  bool has_value() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }
  void value() const { assert(has_value()); }
  const E& error() const& {
    assert(!has_value());
    return *error_;
  }
  E&& error() && {
    assert(!has_value());
    return std::move(*error_);
  }

private:
  std::optional<E> error_;
};

} // namespace core
