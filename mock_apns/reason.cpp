#include "mock_apns/reason.hpp"

#include <array>

namespace mock_apns {
namespace {

struct ReasonInfo {
  Reason reason;
  int status;
  std::string_view text;
};

// One row per Reason, in enum order (checked by reason_test against the spec's table).
constexpr std::array<ReasonInfo, kReasonCount> kReasons{{
    {Reason::BadCollapseId, 400, "BadCollapseId"},
    {Reason::BadDeviceToken, 400, "BadDeviceToken"},
    {Reason::BadExpirationDate, 400, "BadExpirationDate"},
    {Reason::BadMessageId, 400, "BadMessageId"},
    {Reason::BadPriority, 400, "BadPriority"},
    {Reason::BadTopic, 400, "BadTopic"},
    {Reason::DeviceTokenNotForTopic, 400, "DeviceTokenNotForTopic"},
    {Reason::DuplicateHeaders, 400, "DuplicateHeaders"},
    {Reason::IdleTimeout, 400, "IdleTimeout"},
    {Reason::InvalidPushType, 400, "InvalidPushType"},
    {Reason::MissingDeviceToken, 400, "MissingDeviceToken"},
    {Reason::MissingTopic, 400, "MissingTopic"},
    {Reason::PayloadEmpty, 400, "PayloadEmpty"},
    {Reason::TopicDisallowed, 400, "TopicDisallowed"},
    {Reason::BadCertificate, 403, "BadCertificate"},
    {Reason::BadCertificateEnvironment, 403, "BadCertificateEnvironment"},
    {Reason::ExpiredProviderToken, 403, "ExpiredProviderToken"},
    {Reason::Forbidden, 403, "Forbidden"},
    {Reason::InvalidProviderToken, 403, "InvalidProviderToken"},
    {Reason::MissingProviderToken, 403, "MissingProviderToken"},
    {Reason::UnrelatedKeyIdInToken, 403, "UnrelatedKeyIdInToken"},
    {Reason::BadEnvironmentKeyIdInToken, 403, "BadEnvironmentKeyIdInToken"},
    {Reason::BadPath, 404, "BadPath"},
    {Reason::MethodNotAllowed, 405, "MethodNotAllowed"},
    {Reason::ExpiredToken, 410, "ExpiredToken"},
    {Reason::Unregistered, 410, "Unregistered"},
    {Reason::PayloadTooLarge, 413, "PayloadTooLarge"},
    {Reason::TooManyProviderTokenUpdates, 429, "TooManyProviderTokenUpdates"},
    {Reason::TooManyRequests, 429, "TooManyRequests"},
    {Reason::InternalServerError, 500, "InternalServerError"},
    {Reason::ServiceUnavailable, 503, "ServiceUnavailable"},
    {Reason::Shutdown, 503, "Shutdown"},
    {Reason::BadPayload, 400, "BadPayload"},
}};

constexpr bool table_in_enum_order() {
  for (int i = 0; i < kReasonCount; ++i) {
    if (static_cast<int>(kReasons[i].reason) != i) {
      return false;
    }
  }
  return true;
}
static_assert(table_in_enum_order(), "kReasons must list every Reason in enum order");

constexpr std::string_view kObservedEnvKeySpelling = "BadEnvironmentKeyInToken";

} // namespace

int reason_status(Reason reason) {
  return kReasons[static_cast<int>(reason)].status;
}

std::string_view reason_text(Reason reason, ReasonSpelling spelling) {
  if (reason == Reason::BadEnvironmentKeyIdInToken && spelling == ReasonSpelling::Observed) {
    return kObservedEnvKeySpelling;
  }
  return kReasons[static_cast<int>(reason)].text;
}

std::optional<Reason> parse_reason(std::string_view text) {
  if (text == kObservedEnvKeySpelling) {
    return Reason::BadEnvironmentKeyIdInToken;
  }
  for (const ReasonInfo& info : kReasons) {
    if (info.text == text) {
      return info.reason;
    }
  }
  return std::nullopt;
}

bool reason_is_retryable(Reason reason) {
  switch (reason) {
  case Reason::BadDeviceToken:
  case Reason::DeviceTokenNotForTopic:
  case Reason::Forbidden:
  case Reason::ExpiredToken:
  case Reason::Unregistered:
  case Reason::PayloadTooLarge:
    return false;
  default:
    return true;
  }
}

} // namespace mock_apns
