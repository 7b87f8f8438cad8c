#pragma once
// Failures of the simulated device's driver calls and of the .apns parser, as core::Error codes.

#include "core/error.hpp"

#include <system_error>

namespace fake_device {

enum class Errc {
  UnknownApp = 1,   // no app with that bundle id is installed
  AlreadyInstalled, // install() of a bundle id that is installed
  InvalidState,     // the action does not apply in the app's current lifecycle state
  UnknownCall,      // no call with that UUID
  NoToken,          // the app holds no token to address a push to
  InvalidApnsFile,  // a .apns file that is not what Xcode accepts
  TokenAuthority,   // the token authority refused or failed to issue a token
};

const std::error_category& fake_device_category() noexcept;
std::error_code make_error_code(Errc e) noexcept;

} // namespace fake_device

template <>
struct std::is_error_code_enum<fake_device::Errc> : std::true_type {};
