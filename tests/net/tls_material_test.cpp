// net::tls_material_from_pem / _from_file: what a PEM text holds, parsed once per text and shared
// by every TLS context made from it (tls_material.hpp says why).
#include "core/file.hpp"
#include "net/tls_material.hpp"
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

std::string subject_of(X509* cert) {
  char buf[256];
  X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof buf);
  return buf;
}

// `pem` with its first base64 characters replaced by `bytes`.
std::string with_first_bytes(std::string pem, const std::string& bytes) {
  return pem.replace(pem.find('\n') + 1, bytes.size(), bytes);
}

// Why `pem` is refused: the error's detail, or "accepted".
std::string refusal(const std::string& pem, const std::string& what) {
  auto parsed = net::tls_material_from_pem(pem, what);
  return parsed ? "accepted" : parsed.error().detail;
}

TEST(TlsMaterial, ACertificateAndKeyFileHoldWhatTheySay) {
  const auto& pki = support::TestPki::get();
  auto chain = net::tls_material_from_file(pki.client_cert, "client certificate");
  ASSERT_TRUE(chain) << chain.error().message();
  ASSERT_EQ((*chain)->certificates.size(), 1u);
  EXPECT_NE(subject_of((*chain)->certificates[0]).find("voipsim test client"), std::string::npos);
  EXPECT_EQ((*chain)->private_key, nullptr);

  auto key = net::tls_material_from_file(pki.client_key, "client key");
  ASSERT_TRUE(key) << key.error().message();
  EXPECT_TRUE((*key)->certificates.empty());
  ASSERT_NE((*key)->private_key, nullptr);
  EXPECT_EQ(X509_check_private_key((*chain)->certificates[0], (*key)->private_key), 1);
}

TEST(TlsMaterial, ACaFileBecomesTrustAnchorsAndTheSubjectsAServerNamesOnce) {
  const auto& pki = support::TestPki::get();
  // The CA twice and an unrelated one: two subjects, as SSL_load_client_CA_file lists them.
  const std::string both = read(pki.ca_cert) + read(pki.ca_cert) + read(pki.other_ca_cert);
  auto cas = net::tls_material_from_pem(both, "client CA");
  ASSERT_TRUE(cas) << cas.error().message();
  EXPECT_EQ((*cas)->certificates.size(), 3u);
  EXPECT_EQ(sk_X509_NAME_num((*cas)->subjects), 2);
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
  auto first = net::tls_material_from_file(path, "server certificate");
  auto again = net::tls_material_from_file(path, "server certificate");
  ASSERT_TRUE(first && again);
  EXPECT_EQ(first->get(), again->get());

  write(path, read(pki.client_cert));
  auto changed = net::tls_material_from_file(path, "server certificate");
  ASSERT_TRUE(changed);
  EXPECT_NE(changed->get(), first->get());
  EXPECT_NE(subject_of((*changed)->certificates[0]).find("voipsim test client"), std::string::npos);
  // The first parse stays whole for whoever still holds it.
  EXPECT_EQ(subject_of((*first)->certificates[0]).find("voipsim test client"), std::string::npos);
}

TEST(TlsMaterial, WhatCannotBeReadIsAnErrorNamingIt) {
  auto missing = net::tls_material_from_file("/nonexistent/server.pem", "server certificate 'x'");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("server certificate 'x'"), std::string::npos);
  EXPECT_NE(missing.error().message().find("/nonexistent/server.pem"), std::string::npos);

  // Not PEM; not base64; base64 of what is no certificate or key.
  const auto& pki = support::TestPki::get();
  EXPECT_EQ(refusal("not a certificate\n", "CA 'ca.pem'"),
            "CA 'ca.pem': no PEM certificate or private key in it");
  EXPECT_EQ(refusal(with_first_bytes(read(pki.ca_cert), "********"), "CA 'ca.pem'")
                .rfind("CA 'ca.pem': bad PEM text", 0),
            0u);
  EXPECT_EQ(refusal(with_first_bytes(read(pki.ca_cert), "AAAAAAAA"), "CA 'ca.pem'")
                .rfind("CA 'ca.pem': bad certificate", 0),
            0u);
  EXPECT_EQ(refusal(with_first_bytes(read(pki.client_key), "AAAAAAAA"), "client key")
                .rfind("client key: bad private key", 0),
            0u);
}

} // namespace
