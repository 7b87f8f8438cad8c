#include "fuzz/fuzz_targets.hpp"
#include "pki/apple_extensions.hpp"
#include "pki/certificate_authority.hpp"
#include "pki/classify.hpp"
#include "pki/es256.hpp"

#include <string_view>

namespace fuzz {
namespace {

const core::TimePoint kNow = core::from_unix_seconds(1767225600);

// A trust store of a CA made at start-up: inputs from other CAs stop at the chain check, so
// read_provider_identity below reaches the field parsers for every input.
const pki::TrustStore* trust() {
  static const std::optional<pki::TrustStore> store = []() -> std::optional<pki::TrustStore> {
    auto ca = pki::CertificateAuthority::create_root({"Fuzz Root", "voipsim", "", "US"},
                                                     kNow - std::chrono::hours(1),
                                                     kNow + std::chrono::hours(1));
    if (!ca) return std::nullopt;
    auto store = pki::TrustStore::from_pem(ca->certificate_pem());
    return store ? std::optional<pki::TrustStore>(std::move(*store)) : std::nullopt;
  }();
  return store ? &*store : nullptr;
}

} // namespace

int certificate(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const auto* store = trust()) (void)pki::classify_certificate(input, *store, kNow);
  (void)pki::read_provider_identity(input);
  (void)pki::decode_topics_extension(input);
  (void)pki::decode_utf8_string(input);
  (void)pki::ecdsa_der_to_jose(input);
  (void)pki::split_topic_list(input);
  return 0;
}

} // namespace fuzz

#ifdef VOIPSIM_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::certificate(data, size);
}
#endif
