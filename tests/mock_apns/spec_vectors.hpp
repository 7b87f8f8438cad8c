#pragma once
// The request-level test vectors of spec apns-provider-api.md §11.2 as data, run both through
// the pure validation function and over TLS against a running mock. Frame-level vectors
// (V67, V68, V72–V78) need a connection and live in the server tests.
#include "mock_apns/faults.hpp"
#include "mock_apns/push_type.hpp"
#include "mock_apns/settings.hpp"
#include "spec_world.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace mock_apns_test {

struct Step {
  std::int64_t at = 0; // seconds after NOW when it is sent
  TestRequest request;
};

struct Expected {
  int status = 200;
  std::string reason;                    // wire spelling; empty for 200
  std::optional<std::int64_t> timestamp; // 410 only
  bool goaway = false; // the connection is closed with GOAWAY {"reason": reason}, no response
  std::optional<mock_apns::PushType> push_type; // accepted: the type recorded
  std::optional<std::int64_t> expiration;       // accepted: the expiration recorded
};

struct SpecVector {
  std::string id;
  mock_apns::Environment environment = mock_apns::Environment::Sandbox;
  std::string certificate; // "C_UNIV", ...; empty: a token connection
  std::vector<Step> steps; // all but the last must answer 200; the last is checked
  Expected expected;
  std::optional<mock_apns::FaultRule> fault;
  std::function<void(mock_apns::Settings&)> configure; // changes to the default settings
};

const std::vector<SpecVector>& spec_vectors();

// GoogleTest prints a parameter by its id.
inline void PrintTo(const SpecVector& vector, std::ostream* out) {
  *out << vector.id;
}

// A JSON object body of exactly `size` bytes.
std::string json_body_of_size(std::size_t size);

} // namespace mock_apns_test
