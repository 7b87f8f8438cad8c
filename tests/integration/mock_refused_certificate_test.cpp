// A client certificate the mock refuses at the TLS handshake, as APNs refuses a revoked one
// (apns-provider-api.md §5.4; im-voip-flow.md §5 Note 4; issue #23, defect 4): set through the
// admin API, seen by curl under TLS 1.3 and TLS 1.2 as the certificate_revoked alert, while
// another certificate still gets through, and lifted again.
// Spec: docs/spec/apns-provider-api.md
#include "integration/admin_fixture.hpp"
#include "integration/test_server.hpp"
#include "mock_apns/spec_world.hpp"
#include "net/error.hpp"
#include "net/io_threads.hpp"
#include "support/child_process.hpp"
#include "support/openssl_fingerprint.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace integration {
namespace {

using namespace std::chrono_literals;
using mock_apns::Environment;
using nlohmann::json;

class MockRefusesACertificate : public AdminApi {
protected:
  // One VoIP push with curl and the §11.1 certificate `name`, limited to `tls` ("--tlsv1.3", or
  // "--tls-max 1.2"): curl's exit code and what it printed, the status on the last line.
  support::ProcessResult curl_push(const std::string& name, std::vector<std::string> tls) {
    const WirePki& pki = WirePki::get();
    std::vector<std::string> argv = mock_.curl_to(Environment::Sandbox);
    argv.insert(argv.end(), tls.begin(), tls.end());
    argv.insert(argv.end(),
                {"--cert", pki.cert_file(name), "--key", pki.key_file(name), "-H",
                 "apns-push-type: voip", "-H", "apns-topic: com.example.imapp.voip", "-w",
                 "\n%{http_code}", "-d", R"({"aps":{}})",
                 mock_.origin(Environment::Sandbox) + "/3/device/" + mock_apns_test::T_VOIP_SBX});
    return support::run_process(argv, 30s);
  }

  static std::string pem(const std::string& name) {
    return support::read_file(WirePki::get().cert_file(name));
  }
};

// RFC 8446 §6.2: what X509_V_ERR_CERT_REVOKED is sent as.
constexpr int kCertificateRevoked = 44;

const std::vector<std::string> kTls13 = {"--tlsv1.3"};
const std::vector<std::string> kTls12 = {"--tlsv1.2", "--tls-max", "1.2"};

TEST_F(MockRefusesACertificate, ItIsRefusedAtTheHandshakeUnderTls13AndTls12WhileOthersGetThrough) {
  const auto refused =
      call("POST", "/v1/certificates/refused", json{{"certificate", pem("C_UNIV")}}.dump());
  ASSERT_EQ(refused.status, 200) << refused.body;
  const std::string sha256 =
      support::openssl_sha256_fingerprint(WirePki::get().cert_file("C_UNIV"));
  ASSERT_EQ(sha256.size(), 64u);
  EXPECT_EQ(refused.parsed()["sha256"], sha256) << refused.body;
  EXPECT_EQ(call("GET", "/v1/certificates/refused").parsed(), json({{"refused", {sha256}}}));

  for (const auto& tls : {kTls13, kTls12}) {
    SCOPED_TRACE(tls.front());
    const auto run = curl_push("C_UNIV", tls);
    EXPECT_NE(run.exit_code, 0) << run.describe();
    // OpenSSL's text for the alert curl received: "sslv3 alert certificate revoked".
    EXPECT_NE(run.output.find("certificate revoked"), std::string::npos) << run.describe();
    const auto other = curl_push("C_VOIP", tls);
    EXPECT_EQ(other.exit_code, 0) << other.describe();
    EXPECT_TRUE(other.output.ends_with("\n200")) << other.describe();
  }
  // Refused handshakes carry no request: only the two of the other certificate are journaled.
  EXPECT_EQ(call("GET", "/v1/journal").parsed()["entries"].size(), 2u);
  const auto metrics = call("GET", "/metrics");
  EXPECT_NE(metrics.body.find("apns_tls_handshake_failures_total{environment=\"sandbox\"} 2"),
            std::string::npos)
      << metrics.body;

  const auto lifted = call("DELETE", "/v1/certificates/refused/" + sha256);
  EXPECT_EQ(lifted.status, 200) << lifted.body;
  const auto again = curl_push("C_UNIV", kTls13);
  EXPECT_EQ(again.exit_code, 0) << again.describe();
  EXPECT_TRUE(again.output.ends_with("\n200")) << again.describe();
}

// Our client (the pipeline's) reads the alert as a refusal of its certificate in both versions:
// under TLS 1.3 after its side of the handshake is done and its request is sent.
TEST_F(MockRefusesACertificate, OurClientReadsTheCertificateRevokedAlertUnderTls13AndTls12) {
  ASSERT_TRUE(mock_.server().refuse_certificate(pem("C_UNIV")));
  const WirePki& pki = WirePki::get();
  for (const auto version : {net::TlsVersion::Tls13, net::TlsVersion::Tls12}) {
    SCOPED_TRACE(version == net::TlsVersion::Tls13 ? "TLS 1.3" : "TLS 1.2");
    net::ClientOptions options;
    options.port = mock_.port(Environment::Sandbox);
    options.authority = "api.sandbox.push.apple.com";
    net::TlsClientConfig tls;
    tls.ca_file = pki.ca_bundle;
    tls.server_name = options.authority;
    tls.certificate_file = pki.cert_file("C_UNIV");
    tls.private_key_file = pki.key_file("C_UNIV");
    tls.max_version = version;
    options.tls = tls;
    net::IoThreads io;
    net::Client client(io, options);
    net::Request push;
    push.method = "POST";
    push.path = std::string("/3/device/") + mock_apns_test::T_VOIP_SBX;
    push.headers = {{"apns-push-type", "voip"}, {"apns-topic", "com.example.imapp.voip"}};
    push.body = R"({"aps":{}})";
    auto answer = client.submit(std::move(push));
    const auto result = await(answer);
    ASSERT_FALSE(result) << "status " << result->status;
    EXPECT_EQ(result.error().code, net::Errc::CertificateRefused) << result.error().message;
    EXPECT_EQ(result.error().tls_alert, kCertificateRevoked) << result.error().message;
  }
}

TEST_F(MockRefusesACertificate, AFingerprintInOpensslsFormIsTakenAndBadInputIsRefusedByName) {
  const std::string file = WirePki::get().cert_file("C_VOIP");
  const std::string colons = support::openssl_sha256_fingerprint_text(file); // "AB:CD:...:EF"
  const auto added = call("POST", "/v1/certificates/refused", json{{"sha256", colons}}.dump());
  ASSERT_EQ(added.status, 200) << added.body;
  const std::string sha256 = support::fingerprint_hex(colons);
  EXPECT_EQ(added.parsed()["sha256"], sha256);
  EXPECT_NE(curl_push("C_VOIP", kTls13).exit_code, 0);

  const auto neither = call("POST", "/v1/certificates/refused", "{}");
  EXPECT_EQ(neither.status, 400);
  EXPECT_EQ(neither.parsed()["error"], "BAD_REQUEST") << neither.body;
  const auto not_pem =
      call("POST", "/v1/certificates/refused", R"({"certificate":"-----BEGIN nonsense"})");
  EXPECT_EQ(not_pem.status, 400);
  EXPECT_NE(not_pem.body.find("not a PEM certificate"), std::string::npos) << not_pem.body;
  const auto short_hex = call("POST", "/v1/certificates/refused", R"({"sha256":"abcd"})");
  EXPECT_EQ(short_hex.status, 400);
  EXPECT_NE(short_hex.body.find("64 hex digits"), std::string::npos) << short_hex.body;
  const auto unknown = call("DELETE", "/v1/certificates/refused/" + std::string(64, '0'));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.parsed()["error"], "NO_SUCH_CERTIFICATE") << unknown.body;
  EXPECT_EQ(call("GET", "/v1/certificates/refused").parsed()["refused"], json({sha256}));
  // The same through the C++ method, from the PEM.
  const auto in_process = mock_.server().refuse_certificate(pem("C_VOIP"));
  ASSERT_TRUE(in_process) << in_process.error().message();
  EXPECT_EQ(*in_process, sha256);
  EXPECT_EQ(mock_.server().refused_certificates().size(), 1u);

  // Reset keeps a refusal by default (it is set up like a key, not caused by traffic); all: gone.
  ASSERT_EQ(call("POST", "/v1/reset").status, 200);
  EXPECT_EQ(call("GET", "/v1/certificates/refused").parsed()["refused"].size(), 1u);
  const auto all = call("POST", "/v1/reset?scope=all");
  EXPECT_NE(all.body.find("refused certificates"), std::string::npos) << all.body;
  EXPECT_TRUE(call("GET", "/v1/certificates/refused").parsed()["refused"].empty());
  const auto cleared = call("DELETE", "/v1/certificates/refused");
  EXPECT_EQ(cleared.parsed()["deleted"], 0) << cleared.body;
}

} // namespace
} // namespace integration
