#pragma once
// Fuzz targets as plain functions: libFuzzer calls them through LLVMFuzzerTestOneInput in the
// clang build (tests/fuzz/run.sh), and corpus_test.cpp feeds them their seed corpora in every
// normal build, so the seeds run under the sanitizer builds too.

#include <cstddef>
#include <cstdint>

namespace fuzz {

// parse_provider_token, ProviderTokenVerifier::verify and check_token_time on one input.
int provider_token(const std::uint8_t* data, std::size_t size);
// classify_certificate, read_provider_identity, the Apple extension decoders and the DER
// signature parser on one input (PEM or DER).
int certificate(const std::uint8_t* data, std::size_t size);
// mock_apns::validate on the requests of one input (see push_request_fuzz.cpp for the format),
// on a token and a certificate connection, in both environments.
int push_request(const std::uint8_t* data, std::size_t size);
// fake_device::parse_apns_file on one input; traps when an accepted file breaks the parser's
// promises (payload limits, an "aps" object for alerts, reading back the same) or a refusal
// gives no reason.
int apns_file(const std::uint8_t* data, std::size_t size);
// scenario::parse_scenario on one input (YAML or JSON); traps when an accepted scenario has no
// name or steps, or a refusal does not name the file.
int scenario_loader(const std::uint8_t* data, std::size_t size);
// mock_apns::handle_admin_request on the requests of one input ("METHOD TARGET" line, then the
// body; see request_script.hpp) against a fresh mock, and the JSON codec's parsers on each body;
// traps when an answer breaks the admin API's promises or an accepted value does not read back.
int admin_json(const std::uint8_t* data, std::size_t size);
// pipeline::handle_api_request on the requests of one input (the same format) against a fresh
// pipeline; traps when an answer breaks the API's promises (api.hpp).
int pipeline_api(const std::uint8_t* data, std::size_t size);
// core::is_json_object (the payload check) against nlohmann::json::accept; traps when they
// disagree.
int json_object(const std::uint8_t* data, std::size_t size);

} // namespace fuzz
