#pragma once
// A certificate's SHA-256 fingerprint as the real `openssl x509 -fingerprint -sha256` prints it,
// so that tests hold our own computation (the listener's, the mock's) to the tool's.

#include <string>

namespace support {

// As openssl prints it: upper-case pairs split by ':' ("AB:CD:..."). Throws, with openssl's
// output, when it fails (a test then fails with that message).
std::string openssl_sha256_fingerprint_text(const std::string& pem_file);

// openssl's "AB:CD:..." as lower-case hex without ':'.
std::string fingerprint_hex(const std::string& openssl_text);

// openssl's fingerprint of the file, as fingerprint_hex writes it.
std::string openssl_sha256_fingerprint(const std::string& pem_file);

} // namespace support
