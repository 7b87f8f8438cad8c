// fuzz_seed_certificates DIR: writes every certificate of a fresh credential set into DIR as
// PEM and DER, the starting corpus of fuzz_certificate. Seeds are made, never committed.

#include "pki/classify.hpp"
#include "pki/credential_set.hpp"

#include <cstdio>
#include <fstream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seed_certificates DIR\n");
    return 2;
  }
  const pki::CredentialSetOptions options{"com.example.imapp", "TEAMA12345", "KB00000001", "fuzz",
                                          core::from_unix_seconds(1767225600)};
  auto files = pki::make_credential_set(options);
  if (!files) {
    std::fprintf(stderr, "%s\n", files.error().message().c_str());
    return 1;
  }
  int written = 0;
  for (const auto& f : *files) {
    if (!f.contents.starts_with("-----BEGIN CERTIFICATE-----")) continue;
    std::ofstream(std::string(argv[1]) + "/" + f.name, std::ios::binary) << f.contents;
    if (auto der = pki::certificate_pem_to_der(f.contents))
      std::ofstream(std::string(argv[1]) + "/" + f.name + ".der", std::ios::binary) << *der;
    written += 2;
  }
  std::printf("%d seeds\n", written);
  return 0;
}
