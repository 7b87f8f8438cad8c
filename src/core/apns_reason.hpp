#pragma once
// The APNs reason strings and the status each one answers with (spec apns-provider-api.md §5.4).
// Enumerators are spelled exactly as APNs spells them on the wire. In core: the mock answers
// with them and the pipeline acts on them (mock_apns/reason.hpp names them in mock_apns).
#include <optional>
#include <string_view>

namespace core {

enum class ApnsReason {
  BadCollapseId,
  BadDeviceToken,
  BadExpirationDate,
  BadMessageId,
  BadPriority,
  BadTopic,
  DeviceTokenNotForTopic,
  DuplicateHeaders,
  IdleTimeout,
  InvalidPushType,
  MissingDeviceToken,
  MissingTopic,
  PayloadEmpty,
  TopicDisallowed,
  BadCertificate,
  BadCertificateEnvironment,
  ExpiredProviderToken,
  Forbidden,
  InvalidProviderToken,
  MissingProviderToken,
  UnrelatedKeyIdInToken,
  BadEnvironmentKeyIdInToken,
  BadPath,
  MethodNotAllowed,
  ExpiredToken,
  Unregistered,
  PayloadTooLarge,
  TooManyProviderTokenUpdates,
  TooManyRequests,
  InternalServerError,
  ServiceUnavailable,
  Shutdown,
  BadPayload, // mock-only (apns-provider-api.md §4.4, strictJson): never sent by Apple
};

inline constexpr int kReasonCount = static_cast<int>(ApnsReason::BadPayload) + 1;

// Apple's table spells it BadEnvironmentKeyIdInToken; APNs has been seen sending
// BadEnvironmentKeyInToken (apns-provider-api.md §5.4, notes). The mock sends the observed one by
// default.
enum class ReasonSpelling { Observed, Documented };

int reason_status(ApnsReason reason);
std::string_view reason_text(ApnsReason reason, ReasonSpelling spelling = ReasonSpelling::Observed);
// Inverse of reason_text; both spellings of BadEnvironmentKeyIdInToken are recognised.
std::optional<ApnsReason> parse_reason(std::string_view text);
// Apple's retry guidance (apns-provider-api.md §5.4 notes): false for reasons a provider must never
// retry.
bool reason_is_retryable(ApnsReason reason);

} // namespace core
