#include "pki/test_ca.hpp"

#include <stdexcept>

namespace pki_test {

using std::chrono::hours;

const TestCa& TestCa::get() {
  static const TestCa ca = [] {
    auto root = pki::CertificateAuthority::create_root(
        {"Test Root", "voipsim tests", "", "US"}, kNow - hours(24 * 400), kNow + hours(24 * 400));
    if (!root) throw std::runtime_error(root.error().message());
    auto wwdr =
        root->issue_intermediate({"Apple Worldwide Developer Relations Certification Authority",
                                  "voipsim tests", "G4", "US"},
                                 kNow - hours(24 * 400), kNow + hours(24 * 400));
    if (!wwdr) throw std::runtime_error(wwdr.error().message());
    return TestCa{std::move(*root), std::move(*wwdr)};
  }();
  return ca;
}

pki::IssuedCertificate TestCa::issue(pki::CertificateKind kind) const {
  auto issued = wwdr.issue_provider({kind, kBundle, kTeam, "Example Inc.", kNow - hours(24 * 30),
                                     kNow + hours(24 * 335), pki::KeyType::EcP256});
  if (!issued) throw std::runtime_error(issued.error().message());
  return std::move(*issued);
}

} // namespace pki_test
