#include "fake_device/fake_token_authority.hpp"

#include "fake_device/error.hpp"
#include "fake_device/token_draw.hpp"

namespace fake_device {

core::Result<std::string> FakeTokenAuthority::issue(const TokenRequest& request) {
  if (fail_next_) {
    fail_next_ = false;
    return core::fail(Errc::TokenAuthority, "token authority refused " + request.bundle_id);
  }
  // A collision among 256-bit values would be a generator bug, but a duplicate would silently
  // alias two registrations, so draw again rather than assume.
  std::string hex;
  do {
    hex = draw_token_hex(engine_);
  } while (records_.count(hex) != 0);
  records_.emplace(hex, Record{request, true, std::nullopt});
  order_.push_back(hex);
  return hex;
}

void FakeTokenAuthority::invalidate(std::string_view token_hex, core::TimePoint at) {
  auto it = records_.find(token_hex);
  if (it == records_.end() || !it->second.active) return;
  it->second.active = false;
  it->second.unregistered_at = at;
}

const FakeTokenAuthority::Record* FakeTokenAuthority::find(std::string_view token_hex) const {
  auto it = records_.find(token_hex);
  return it == records_.end() ? nullptr : &it->second;
}

} // namespace fake_device
