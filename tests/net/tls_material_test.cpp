// net::tls_material_from_pem / _from_file: what a PEM text holds, parsed once per text and shared
// by every TLS context made from it (tls_material.hpp says why).
#include "core/file.hpp"
#include "net/tls_material.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_pki.hpp"

#include <fstream>

#include <gtest/gtest.h>

namespace {

std::string read(const std::string& path) {
  auto text = core::read_file(path);
  EXPECT_TRUE(text) << path;
  return text ? *text : std::string();
}

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::string subject_of_name(X509_NAME* name) {
  char buf[256];
  X509_NAME_oneline(name, buf, sizeof buf);
  return buf;
}

std::string subject_of(X509* cert) {
  return subject_of_name(X509_get_subject_name(cert));
}

// `pem` with its first base64 characters replaced by `bytes`.
std::string with_first_bytes(std::string pem, const std::string& bytes) {
  return pem.replace(pem.find('\n') + 1, bytes.size(), bytes);
}

using net::PemRole;

// Why `pem` read as `role` is refused: the error's detail, or "accepted".
std::string refusal(PemRole role, const std::string& pem, const std::string& what) {
  auto parsed = net::tls_material_from_pem(role, pem, what);
  return parsed ? "accepted" : parsed.error().detail;
}

TEST(TlsMaterial, ACertificateAndKeyFileHoldWhatTheySay) {
  const auto& pki = support::TestPki::get();
  auto chain = net::tls_material_from_file(PemRole::Chain, pki.client_cert, "client certificate");
  ASSERT_TRUE(chain) << chain.error().message();
  ASSERT_EQ((*chain)->certificates.size(), 1u);
  EXPECT_NE(subject_of((*chain)->certificates[0]).find("voipsim test client"), std::string::npos);
  EXPECT_EQ((*chain)->private_key, nullptr);

  auto key = net::tls_material_from_file(PemRole::PrivateKey, pki.client_key, "client key");
  ASSERT_TRUE(key) << key.error().message();
  EXPECT_TRUE((*key)->certificates.empty());
  ASSERT_NE((*key)->private_key, nullptr);
  EXPECT_EQ(X509_check_private_key((*chain)->certificates[0], (*key)->private_key), 1);
}

// Only what the role asks for is read: a certificate file with a key in it (here an encrypted
// one, which OpenSSL's default would ask a passphrase for on the terminal) is a chain.
TEST(TlsMaterial, OnlyWhatTheRoleNeedsIsRead) {
  const auto& pki = support::TestPki::get();
  support::TempDir dir;
  const auto made = support::run_process({"openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                                          "ec_paramgen_curve:P-256", "-aes256", "-pass",
                                          "pass:secret", "-out", dir.file("enc.pem")},
                                         std::chrono::seconds(30));
  ASSERT_EQ(made.exit_code, 0) << made.describe();
  const std::string encrypted = read(dir.file("enc.pem"));
  const std::string both = read(pki.client_cert) + encrypted;
  auto chain = net::tls_material_from_pem(PemRole::Chain, both, "client certificate");
  ASSERT_TRUE(chain) << chain.error().message();
  EXPECT_EQ((*chain)->certificates.size(), 1u);
  EXPECT_EQ((*chain)->private_key, nullptr);
  EXPECT_EQ(refusal(PemRole::PrivateKey, encrypted, "client key")
                .rfind("client key: bad private key (an encrypted one is not read)", 0),
            0u);
  EXPECT_EQ(refusal(PemRole::PrivateKey, read(pki.client_cert), "client key"),
            "client key: no PEM private key in it");
  EXPECT_EQ(refusal(PemRole::TrustAnchors, read(pki.client_key), "CA 'ca.pem'"),
            "CA 'ca.pem': no PEM certificate or CRL in it");
}

TEST(TlsMaterial, ACaFileBecomesTrustAnchorsAndTheSubjectsAServerNamesOnce) {
  const auto& pki = support::TestPki::get();
  // The CA twice and an unrelated one: two subjects, as SSL_load_client_CA_file lists them.
  const std::string both = read(pki.ca_cert) + read(pki.ca_cert) + read(pki.other_ca_cert);
  auto cas = net::tls_material_from_pem(PemRole::TrustAnchors, both, "client CA");
  ASSERT_TRUE(cas) << cas.error().message();
  ASSERT_EQ(sk_X509_NAME_num((*cas)->subjects), 2);
  EXPECT_NE(subject_of_name(sk_X509_NAME_value((*cas)->subjects, 0)).find("CA"), std::string::npos);
  ASSERT_NE((*cas)->trust, nullptr);
  STACK_OF(X509)* anchors = X509_STORE_get1_all_certs((*cas)->trust);
  EXPECT_EQ(sk_X509_num(anchors), 2);
  sk_X509_pop_free(anchors, X509_free);
}

TEST(TlsMaterial, OneTextIsParsedOnceAndAChangedFileAgain) {
  const auto& pki = support::TestPki::get();
  support::TempDir dir;
  const std::string path = dir.file("server.pem");
  write(path, read(pki.server_cert));
  auto first = net::tls_material_from_file(PemRole::Chain, path, "server certificate");
  auto again = net::tls_material_from_file(PemRole::Chain, path, "server certificate");
  ASSERT_TRUE(first && again);
  EXPECT_EQ(first->get(), again->get());
  // The same text in another role is another parse.
  auto as_anchor = net::tls_material_from_file(PemRole::TrustAnchors, path, "CA");
  ASSERT_TRUE(as_anchor);
  EXPECT_NE(as_anchor->get(), first->get());

  write(path, read(pki.client_cert));
  auto changed = net::tls_material_from_file(PemRole::Chain, path, "server certificate");
  ASSERT_TRUE(changed);
  EXPECT_NE(changed->get(), first->get());
  EXPECT_NE(subject_of((*changed)->certificates[0]).find("voipsim test client"), std::string::npos);
  // The first parse stays whole for whoever still holds it.
  EXPECT_EQ(subject_of((*first)->certificates[0]).find("voipsim test client"), std::string::npos);
}

TEST(TlsMaterial, WhatCannotBeReadIsAnErrorNamingIt) {
  auto missing = net::tls_material_from_file(PemRole::Chain, "/nonexistent/server.pem",
                                             "server certificate '/nonexistent/server.pem'");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().detail,
            "server certificate '/nonexistent/server.pem': the file is missing or cannot be read");

  // Not PEM; not base64; base64 of what is no certificate or key.
  const auto& pki = support::TestPki::get();
  EXPECT_EQ(refusal(PemRole::Chain, "not a certificate\n", "server certificate"),
            "server certificate: no PEM certificate in it");
  EXPECT_EQ(
      refusal(PemRole::TrustAnchors, with_first_bytes(read(pki.ca_cert), "********"), "CA 'ca.pem'")
          .rfind("CA 'ca.pem': bad PEM text", 0),
      0u);
  EXPECT_EQ(
      refusal(PemRole::TrustAnchors, with_first_bytes(read(pki.ca_cert), "AAAAAAAA"), "CA 'ca.pem'")
          .rfind("CA 'ca.pem': bad certificate", 0),
      0u);
  EXPECT_EQ(
      refusal(PemRole::PrivateKey, with_first_bytes(read(pki.client_key), "AAAAAAAA"), "client key")
          .rfind("client key: bad private key", 0),
      0u);
}

} // namespace
