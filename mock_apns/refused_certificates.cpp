#include "mock_apns/refused_certificates.hpp"

#include "core/encoding.hpp"
#include "core/error.hpp"

#include <mutex>

namespace mock_apns {

core::Result<std::string> parse_certificate_fingerprint(std::string_view text) {
  std::string digits;
  digits.reserve(64);
  for (std::size_t i = 0; i < text.size(); ++i) {
    // A ':' only between two pairs of digits, as OpenSSL prints it.
    if (text[i] == ':' && i % 3 == 2 && i + 1 < text.size()) continue;
    digits.push_back(text[i]);
  }
  if (digits.size() != 64 || !core::is_hex(digits))
    return core::fail(core::Errc::InvalidArgument,
                      "a certificate fingerprint is the SHA-256 of its DER: 64 hex digits "
                      "(openssl x509 -noout -fingerprint -sha256 prints it with ':')");
  return core::to_lower_ascii(digits);
}

core::Result<bool> RefusedCertificates::refuse(std::string_view fingerprint) {
  auto sha256 = parse_certificate_fingerprint(fingerprint);
  if (!sha256) return core::Unexpected(sha256.error());
  std::unique_lock lock(mutex_);
  return fingerprints_.insert(std::move(*sha256)).second;
}

bool RefusedCertificates::allow(std::string_view fingerprint) {
  const auto sha256 = parse_certificate_fingerprint(fingerprint);
  if (!sha256) return false;
  std::unique_lock lock(mutex_);
  return fingerprints_.erase(*sha256) > 0;
}

std::size_t RefusedCertificates::clear() {
  std::unique_lock lock(mutex_);
  const std::size_t n = fingerprints_.size();
  fingerprints_.clear();
  return n;
}

bool RefusedCertificates::refuses(std::string_view sha256) const {
  std::shared_lock lock(mutex_);
  return fingerprints_.find(sha256) != fingerprints_.end();
}

std::vector<std::string> RefusedCertificates::list() const {
  std::shared_lock lock(mutex_);
  return {fingerprints_.begin(), fingerprints_.end()};
}

std::size_t RefusedCertificates::size() const {
  std::shared_lock lock(mutex_);
  return fingerprints_.size();
}

} // namespace mock_apns
