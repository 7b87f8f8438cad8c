#include "fuzz/fuzz_targets.hpp"
#include "pki/keys.hpp"
#include "pki/provider_token.hpp"

#include <string_view>

namespace fuzz {
namespace {

// One key for the whole run, registered under the key id the seeds use.
const pki::ProviderTokenVerifier& verifier() {
  static const pki::ProviderTokenVerifier v = [] {
    pki::ProviderTokenVerifier made;
    auto key = pki::generate_private_key(pki::KeyType::EcP256);
    if (key) (void)made.add_key("KB00000001", "TEAMA12345", *key);
    return made;
  }();
  return v;
}

} // namespace

int provider_token(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const core::TimePoint now = core::from_unix_seconds(1767225600);
  if (auto parsed = pki::parse_provider_token(input))
    (void)pki::check_token_time(parsed->issued_at, now, pki::TokenTimeRules{});
  (void)verifier().verify(input, now);
  return 0;
}

} // namespace fuzz

#ifdef VOIPSIM_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::provider_token(data, size);
}
#endif
