#include "scenario/push_auth.hpp"

#include "core/names.hpp"

namespace scenario {
namespace {

constexpr core::Names<PushAuth, 3> kPushAuthNames{{
    {PushAuth::Token, "token"},
    {PushAuth::Certificate, "certificate"},
    {PushAuth::None, "none"},
}};

} // namespace

std::string_view to_string(PushAuth auth) {
  return core::name_of(kPushAuthNames, auth);
}

std::optional<PushAuth> parse_push_auth(std::string_view text) {
  return core::value_named(kPushAuthNames, text);
}

std::string push_auth_words() {
  return core::words_of(kPushAuthNames);
}

} // namespace scenario
