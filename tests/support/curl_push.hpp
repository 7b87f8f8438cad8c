#pragma once
// A push sent with `curl --http2` as a provider sends it (certificate auth, one request), for
// tests that need a real client in front of the mock.
#include "support/child_process.hpp"

#include <optional>
#include <string>
#include <vector>

namespace support {

struct CurlPush {
  std::string url; // https://HOST:PORT/3/device/<token>
  std::string ca_file;
  std::string certificate_file;
  std::string key_file;
  std::string topic; // apns-topic
  std::string push_type = "voip";
  std::string payload = R"({"aps":{},"caller":"alice"})";
  std::vector<std::string> extra_args; // e.g. --resolve HOST:PORT:127.0.0.1
};

// Runs curl with the response headers on its output (-D -).
ProcessResult curl_push(const CurlPush& push);

// The apns-id of a 200 answer in that output, or nullopt.
std::optional<std::string> accepted_apns_id(const ProcessResult& result);

} // namespace support
