#include "support/curl_push.hpp"

#include <chrono>

namespace support {

ProcessResult curl_push(const CurlPush& push) {
  std::vector<std::string> argv = {"curl",
                                   "-sS",
                                   "--http2",
                                   "--cacert",
                                   push.ca_file,
                                   "--cert",
                                   push.certificate_file,
                                   "--key",
                                   push.key_file,
                                   "-H",
                                   "apns-push-type: " + push.push_type,
                                   "-H",
                                   "apns-topic: " + push.topic,
                                   "-o",
                                   "/dev/null",
                                   "-D",
                                   "-",
                                   "--data-binary",
                                   push.payload};
  argv.insert(argv.end(), push.extra_args.begin(), push.extra_args.end());
  argv.push_back(push.url);
  return run_process(argv, std::chrono::seconds(30));
}

std::optional<std::string> accepted_apns_id(const ProcessResult& result) {
  constexpr std::string_view kHeader = "apns-id: ";
  const auto at = result.output.find(kHeader);
  if (result.exit_code != 0 || result.output.find("HTTP/2 200") == std::string::npos ||
      at == std::string::npos || result.output.size() < at + kHeader.size() + 36)
    return std::nullopt;
  return result.output.substr(at + kHeader.size(), 36);
}

} // namespace support
