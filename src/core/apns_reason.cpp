#include "core/apns_reason.hpp"

#include <array>

namespace core {
namespace {

struct ReasonInfo {
  ApnsReason reason;
  int status;
  std::string_view text;
};

// One row per ApnsReason, in enum order (checked by reason_test against the spec's table).
constexpr std::array<ReasonInfo, kReasonCount> kReasons{{
    {ApnsReason::BadCollapseId, 400, "BadCollapseId"},
    {ApnsReason::BadDeviceToken, 400, "BadDeviceToken"},
    {ApnsReason::BadExpirationDate, 400, "BadExpirationDate"},
    {ApnsReason::BadMessageId, 400, "BadMessageId"},
    {ApnsReason::BadPriority, 400, "BadPriority"},
    {ApnsReason::BadTopic, 400, "BadTopic"},
    {ApnsReason::DeviceTokenNotForTopic, 400, "DeviceTokenNotForTopic"},
    {ApnsReason::DuplicateHeaders, 400, "DuplicateHeaders"},
    {ApnsReason::IdleTimeout, 400, "IdleTimeout"},
    {ApnsReason::InvalidPushType, 400, "InvalidPushType"},
    {ApnsReason::MissingDeviceToken, 400, "MissingDeviceToken"},
    {ApnsReason::MissingTopic, 400, "MissingTopic"},
    {ApnsReason::PayloadEmpty, 400, "PayloadEmpty"},
    {ApnsReason::TopicDisallowed, 400, "TopicDisallowed"},
    {ApnsReason::BadCertificate, 403, "BadCertificate"},
    {ApnsReason::BadCertificateEnvironment, 403, "BadCertificateEnvironment"},
    {ApnsReason::ExpiredProviderToken, 403, "ExpiredProviderToken"},
    {ApnsReason::Forbidden, 403, "Forbidden"},
    {ApnsReason::InvalidProviderToken, 403, "InvalidProviderToken"},
    {ApnsReason::MissingProviderToken, 403, "MissingProviderToken"},
    {ApnsReason::UnrelatedKeyIdInToken, 403, "UnrelatedKeyIdInToken"},
    {ApnsReason::BadEnvironmentKeyIdInToken, 403, "BadEnvironmentKeyIdInToken"},
    {ApnsReason::BadPath, 404, "BadPath"},
    {ApnsReason::MethodNotAllowed, 405, "MethodNotAllowed"},
    {ApnsReason::ExpiredToken, 410, "ExpiredToken"},
    {ApnsReason::Unregistered, 410, "Unregistered"},
    {ApnsReason::PayloadTooLarge, 413, "PayloadTooLarge"},
    {ApnsReason::TooManyProviderTokenUpdates, 429, "TooManyProviderTokenUpdates"},
    {ApnsReason::TooManyRequests, 429, "TooManyRequests"},
    {ApnsReason::InternalServerError, 500, "InternalServerError"},
    {ApnsReason::ServiceUnavailable, 503, "ServiceUnavailable"},
    {ApnsReason::Shutdown, 503, "Shutdown"},
    {ApnsReason::BadPayload, 400, "BadPayload"},
}};

constexpr bool table_in_enum_order() {
  for (int i = 0; i < kReasonCount; ++i) {
    if (static_cast<int>(kReasons[i].reason) != i) {
      return false;
    }
  }
  return true;
}
static_assert(table_in_enum_order(), "kReasons must list every ApnsReason in enum order");

constexpr std::string_view kObservedEnvKeySpelling = "BadEnvironmentKeyInToken";

} // namespace

int reason_status(ApnsReason reason) {
  return kReasons[static_cast<int>(reason)].status;
}

std::string_view reason_text(ApnsReason reason, ReasonSpelling spelling) {
  if (reason == ApnsReason::BadEnvironmentKeyIdInToken && spelling == ReasonSpelling::Observed) {
    return kObservedEnvKeySpelling;
  }
  return kReasons[static_cast<int>(reason)].text;
}

std::optional<ApnsReason> parse_reason(std::string_view text) {
  if (text == kObservedEnvKeySpelling) {
    return ApnsReason::BadEnvironmentKeyIdInToken;
  }
  for (const ReasonInfo& info : kReasons) {
    if (info.text == text) {
      return info.reason;
    }
  }
  return std::nullopt;
}

bool reason_is_retryable(ApnsReason reason) {
  switch (reason) {
  case ApnsReason::BadDeviceToken:
  case ApnsReason::DeviceTokenNotForTopic:
  case ApnsReason::Forbidden:
  case ApnsReason::ExpiredToken:
  case ApnsReason::Unregistered:
  case ApnsReason::PayloadTooLarge:
    return false;
  default:
    return true;
  }
}

} // namespace core
