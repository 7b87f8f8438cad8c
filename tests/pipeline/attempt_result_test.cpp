// How the dispatcher reads each kind of transport failure (im-voip-flow.md §4.5), from the
// typed fields of net::RequestError alone: these errors carry no message text at all, so a
// classification that read text could not pass.
#include "net/error.hpp"
#include "pipeline/attempt_result.hpp"

#include <gtest/gtest.h>

namespace {

using pipeline::attempt_result_of;

// RFC 8446 §6.2 alert numbers.
constexpr int kUnknownCa = 48;
constexpr int kCertificateRequired = 116;

net::RequestError error(net::Errc code, bool retryable = true) {
  return {.code = make_error_code(code), .retryable = retryable};
}

// No answer: retried with back-off until the call is too old; the certificate not flagged.
void expect_transient(const pipeline::AttemptResult& r) {
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.certificate_refused);
  EXPECT_FALSE(r.permanent);
  EXPECT_FALSE(r.unsent);
}

// A failure no retry mends, not the VoIP certificate's: failed at once, nothing flagged.
void expect_failed_at_once(const pipeline::AttemptResult& r) {
  EXPECT_TRUE(r.permanent);
  EXPECT_FALSE(r.certificate_refused);
  EXPECT_FALSE(r.unsent);
}

TEST(AttemptResult, AResetMidHandshakeIsTransient) {
  auto e = error(net::Errc::ConnectionClosed);
  e.cause = std::make_error_code(std::errc::connection_reset);
  expect_transient(attempt_result_of(e));
}

TEST(AttemptResult, AConnectionClosedMidHandshakeIsTransient) {
  expect_transient(attempt_result_of(error(net::Errc::ConnectionClosed)));
}

TEST(AttemptResult, ARefusedConnectionIsTransient) {
  auto e = error(net::Errc::ConnectFailed);
  e.cause = std::make_error_code(std::errc::connection_refused);
  expect_transient(attempt_result_of(e));
}

TEST(AttemptResult, ATimeoutIsTransient) {
  expect_transient(attempt_result_of(error(net::Errc::Timeout, false)));
}

TEST(AttemptResult, ATls12AlertRefusingOurCertificateFlagsIt) {
  auto e = error(net::Errc::CertificateRefused);
  e.tls_alert = kUnknownCa;
  const auto r = attempt_result_of(e);
  EXPECT_TRUE(r.certificate_refused);
  EXPECT_FALSE(r.unsent);
}

// Under TLS 1.3 the refusal comes after the handshake, on a request already sent (so not
// retryable at the transport level): still a refusal, not a lost connection.
TEST(AttemptResult, ATls13RefusalAfterTheHandshakeFlagsTheCertificate) {
  auto e = error(net::Errc::CertificateRefused, /*retryable=*/false);
  e.tls_alert = kCertificateRequired;
  const auto r = attempt_result_of(e);
  EXPECT_TRUE(r.certificate_refused);
  EXPECT_FALSE(r.permanent);
  // The alert by its RFC 8446 name, not the message's host and port: the same text every time.
  EXPECT_EQ(r.reason, "APNs refused our certificate with the TLS alert certificate_required");
}

TEST(AttemptResult, OurTrustStoreRejectingTheServerIsAConfigurationError) {
  const auto r = attempt_result_of(error(net::Errc::PeerCertificateUntrusted));
  EXPECT_TRUE(r.permanent);
  EXPECT_FALSE(r.certificate_refused); // the VoIP certificate is not at fault
  EXPECT_NE(r.reason.find("--ca"), std::string::npos) << "names the CA setting: " << r.reason;
}

// Any other TLS failure (no common version or cipher): our settings and the server's do not
// meet, which no retry mends; the VoIP certificate is not at fault (pipeline/README.md).
TEST(AttemptResult, AnyOtherTlsFailureFailsAtOnceWithoutFlaggingTheCertificate) {
  auto e = error(net::Errc::TlsFailed, /*retryable=*/false);
  e.tls_alert = 70; // protocol_version (RFC 8446 §6.2)
  expect_failed_at_once(attempt_result_of(e));
}

// Client options the transport cannot use (a CA file that does not load, say): a
// configuration error, failed at once, the certificate not flagged.
TEST(AttemptResult, OptionsTheTransportCannotUseFailAtOnce) {
  expect_failed_at_once(attempt_result_of(error(net::Errc::InvalidOptions, false)));
}

// A server that does not offer h2 by ALPN (an HTTP/1.1 server at the APNs address): our
// settings and its do not meet, which no retry mends; the certificate is not flagged.
TEST(AttemptResult, AServerWithoutHttp2FailsAtOnce) {
  expect_failed_at_once(attempt_result_of(error(net::Errc::NotHttp2, false)));
}

// The server broke the connection (an HTTP/2 protocol error, an answer past our size limit):
// no answer for this push, retried with back-off like any lost connection.
TEST(AttemptResult, AProtocolErrorIsTransient) {
  expect_transient(attempt_result_of(error(net::Errc::ProtocolError, false)));
}

TEST(AttemptResult, AnAnswerPastTheSizeLimitIsTransient) {
  expect_transient(attempt_result_of(error(net::Errc::BodyTooLarge, false)));
}

// Too many requests already wait for the connection: not sent, but replaying at once would
// spin against the same full queue, so it backs off.
TEST(AttemptResult, AFullQueueBacksOff) {
  expect_transient(attempt_result_of(error(net::Errc::QueueFull)));
}

// The client was closed with the request pending (the dispatcher stopping): no answer; the
// dispatcher leaves the message pending for the next start instead of applying this result.
TEST(AttemptResult, ACancelledRequestIsTransient) {
  expect_transient(attempt_result_of(error(net::Errc::Cancelled)));
}

// REFUSED_STREAM: the server did not process the request, so it is sent again at once
// (im-voip-flow.md §4.4 "follow GOAWAY, replay"); the certificate is not flagged.
TEST(AttemptResult, ARefusedStreamReplaysTheRequest) {
  auto e = error(net::Errc::StreamReset);
  e.h2_error = 0x7; // REFUSED_STREAM (RFC 9113 §7)
  const auto r = attempt_result_of(e);
  EXPECT_TRUE(r.unsent);
  EXPECT_FALSE(r.permanent);
  EXPECT_FALSE(r.certificate_refused);
}

// Any other reset (the server may have processed it): no answer, retried with back-off.
TEST(AttemptResult, AStreamResetAfterProcessingIsTransient) {
  auto e = error(net::Errc::StreamReset, /*retryable=*/false);
  e.h2_error = 0x2; // INTERNAL_ERROR
  expect_transient(attempt_result_of(e));
}

TEST(AttemptResult, AGoawayBadCertificateEnvironmentFlagsTheCertificate) {
  auto e = error(net::Errc::GoAway);
  e.goaway = net::GoawayInfo{0, 0, R"({"reason":"BadCertificateEnvironment"})"};
  const auto r = attempt_result_of(e);
  EXPECT_TRUE(r.certificate_refused);
  EXPECT_EQ(r.reason, "BadCertificateEnvironment");
  e.goaway->debug_data = R"({"reason":"BadCertificate"})";
  EXPECT_TRUE(attempt_result_of(e).certificate_refused);
}

// A GOAWAY for any other reason above the request's stream: never processed, sent again now.
TEST(AttemptResult, AGoawayShutdownReplaysTheRequest) {
  auto e = error(net::Errc::GoAway);
  e.goaway = net::GoawayInfo{1, 0, R"({"reason":"Shutdown"})"};
  const auto r = attempt_result_of(e);
  EXPECT_FALSE(r.certificate_refused);
  EXPECT_TRUE(r.unsent);
  // The text of the message plays no part: a reason spelled only there is not read.
  e.goaway->debug_data.clear();
  e.message = "GOAWAY: BadCertificateEnvironment";
  EXPECT_FALSE(attempt_result_of(e).certificate_refused);
}

TEST(AttemptResult, AnswersKeepTheirReasonAndTimestamp) {
  net::Response gone;
  gone.status = 410;
  gone.body = R"({"reason":"Unregistered","timestamp":1767225600000})";
  const auto r = attempt_result_of(gone);
  EXPECT_EQ(r.status, 410);
  EXPECT_EQ(r.reason, "Unregistered");
  EXPECT_EQ(r.timestamp_ms, 1767225600000);
  net::Response bare;
  bare.status = 502;
  EXPECT_EQ(attempt_result_of(bare).reason, "HTTP 502");
}

} // namespace
