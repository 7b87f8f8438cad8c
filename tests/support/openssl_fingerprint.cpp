#include "support/openssl_fingerprint.hpp"

#include "support/child_process.hpp"

#include <cctype>
#include <chrono>
#include <stdexcept>

namespace support {

std::string openssl_sha256_fingerprint_text(const std::string& pem_file) {
  const auto run =
      run_process({"openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", pem_file},
                  std::chrono::seconds(30));
  // "sha256 Fingerprint=AB:CD:...\n"
  const auto equals = run.output.find('=');
  if (run.exit_code != 0 || equals == std::string::npos)
    throw std::runtime_error("openssl printed no fingerprint\n" + run.describe());
  std::string text = run.output.substr(equals + 1);
  text.erase(text.find_last_not_of("\r\n") + 1);
  return text;
}

std::string fingerprint_hex(const std::string& openssl_text) {
  std::string hex;
  for (const char c : openssl_text)
    if (c != ':') hex.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return hex;
}

std::string openssl_sha256_fingerprint(const std::string& pem_file) {
  return fingerprint_hex(openssl_sha256_fingerprint_text(pem_file));
}

} // namespace support
