#pragma once
// Expectations against what was observed: pure functions, one per kind of expectation. Each
// returns the expectations that did not hold, with what was expected and what was seen instead,
// in words a person reads and a machine can match.

#include "fake_device/device_event.hpp"
#include "mock_apns/journal.hpp"
#include "pipeline/api_error.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/records.hpp"
#include "scenario/model.hpp"

#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace scenario {

struct Mismatch {
  std::string expectation; // e.g. "expect.apns.reason"
  std::string expected;
  std::string observed;
  Location where;
};

using ConsoleOutcome = std::variant<pipeline::UploadedCertificate, pipeline::ApiError>;

// The device after a step: what it recorded during the step and its state now.
struct DeviceObservation {
  std::vector<fake_device::DeviceEvent> events;
  fake_device::ProcessState process = fake_device::ProcessState::NotInstalled;
  int kill_count = 0;
  bool voip_blocked = false;
  bool has_voip_token = false;
};

// APNs' answer to a `push` step; status 0 when there was none.
struct ResponseObservation {
  int status = 0;
  std::string reason;
};

// What an apns expectation refers to outside the requests themselves.
struct ApnsContext {
  std::optional<std::string> apns_id; // of the message apns_id_of names; nullopt: no such message
  core::TimePoint start;              // the scenario's start, for timestamp_at
  core::Duration tolerance{};         // how far the timestamp may be from it
};

std::vector<Mismatch> check(const ApnsExpectation& e,
                            std::span<const mock_apns::JournalEntry> requests,
                            const ApnsContext& context);
// "call_rejected", "call_rejected code 3", "app_killed with \"0xBAADCA11\"".
std::string describe(const EventMatch& m);
std::vector<Mismatch> check(const MessageExpectation& e,
                            const std::optional<pipeline::MessageRecord>& message);
std::vector<Mismatch> check(const RegistrationExpectation& e,
                            const std::optional<pipeline::Registration>& registration);
std::vector<Mismatch> check(const ConsoleExpectation& e,
                            const std::optional<ConsoleOutcome>& outcome);
std::vector<Mismatch> check(const CertificateExpectation& e,
                            const std::optional<pipeline::CertificateRecord>& record);
std::vector<Mismatch> check(const DeviceExpectation& e, const DeviceObservation& device);
std::vector<Mismatch> check(const ResponseExpectation& e,
                            const std::optional<ResponseObservation>& response);

} // namespace scenario
