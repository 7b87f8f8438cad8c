#pragma once
// The APNs reason strings and the status each one answers with (spec apns-provider-api.md §5.4):
// the table lives in core (core/apns_reason.hpp), which the pipeline shares; named here as the
// mock has always named them.
#include "core/apns_reason.hpp"

namespace mock_apns {

using Reason = core::ApnsReason;
using core::kReasonCount;
using core::parse_reason;
using core::reason_is_retryable;
using core::reason_status;
using core::reason_text;
using core::ReasonSpelling;

} // namespace mock_apns
