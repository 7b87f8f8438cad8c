#pragma once
// A push the console's Send form makes (issue #20): a real HTTP/2 request over TLS to the mock's
// own listener, with the PKI folder's VoIP Services certificate or a provider token signed with
// its .p8 key, judged and journaled like any client's. Blocking; for people, not for load.
#include "core/apns_environment.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace mock_apns {

struct PkiDir;

struct TestPush {
  core::ApnsEnvironment environment = core::ApnsEnvironment::Sandbox;
  bool token_auth = false; // else the folder's VoIP Services certificate
  std::string token;
  std::string topic; // empty: the folder's bundle id + ".voip"
  std::string push_type = "voip";
  std::optional<int> priority;
  std::optional<std::int64_t> expiration;
  std::string collapse_id;
  std::string payload = R"({"aps":{}})";
};
// The form's JSON: {"environment","auth":"certificate"|"token","token","topic","push_type",
// "priority","expiration","collapse_id","payload"}; errors name the field.
core::Result<TestPush> test_push_from_json(const nlohmann::json& json);

struct TestPushAnswer {
  int status = 0;
  std::string apns_id;
  std::string body; // the APNs error body, empty on 200
};

// Sends `push` to the listener at 127.0.0.1:`port` (the mock answers as the environment's
// host); the error says why no answer came.
core::Result<TestPushAnswer> send_test_push(const PkiDir& pki, std::uint16_t port,
                                            const TestPush& push, core::TimePoint now);

} // namespace mock_apns
