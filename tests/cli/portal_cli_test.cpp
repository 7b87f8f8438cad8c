// Issue #25: the developer portal's step done locally, with ordinary tools. A key and CSR made
// by `openssl req`, a certificate from `voipsim certs issue`, a .p12 from `openssl pkcs12
// -export`, uploaded to `voipsim pipeline` with curl and used by curl against `voipsim
// mock-apns` (acceptance 1); the portal's and the console's refusals (acceptance 2).
#include "cli_support.hpp"
#include "support/child_process.hpp"
#include "support/curl_push.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using namespace std::chrono_literals;
using cli_test::curl_status;
using cli_test::event_line;
using cli_test::port_of;
using cli_test::voipsim;
using nlohmann::json;

constexpr const char* kBundle = "com.example.imapp";
constexpr const char* kToken = "5f0c3a9e1b7d42c68a0e9f1d3b5c7a9e2f4d6b8a0c1e3f5a7b9d0c2e4f6a8b0c";
constexpr const char* kExportPassword = "my-export-password";

support::ProcessResult openssl(std::vector<std::string> args) {
  args.insert(args.begin(), "openssl");
  return support::run_process(args, 60s);
}

// The portal's step for one developer: the fake PKI, their key and CSR, and what they issue.
class PortalCli : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(support::find_program("openssl").empty()) << "run scripts/setup.sh";
    ASSERT_FALSE(support::find_program("curl").empty()) << "run scripts/setup.sh";
    const auto made = voipsim({"certs", "--out", pki_, "--bundle-id", kBundle, "--team-id",
                               "TEAMA12345", "--key-id", "KB00000001", "--p12-password", "x"});
    ASSERT_EQ(made.exit_code, 0) << made.describe();
  }

  // `openssl req -new`, as the help shows it; `key_spec` is -newkey's argument.
  std::string make_csr(const std::string& name, const std::string& key_spec,
                       const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"req",
                                     "-new",
                                     "-newkey",
                                     key_spec,
                                     "-nodes",
                                     "-keyout",
                                     dir_.file(name + ".key"),
                                     "-subj",
                                     "/emailAddress=dev@example.com/CN=Dev Key",
                                     "-out",
                                     dir_.file(name + ".csr")};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto made = openssl(args);
    EXPECT_EQ(made.exit_code, 0) << made.describe();
    return dir_.file(name + ".csr");
  }

  support::ProcessResult issue(const std::string& csr, const std::string& kind,
                               const std::string& out) {
    return voipsim({"certs", "issue", "--csr", csr, "--kind", kind, "--bundle-id", kBundle, "--pki",
                    pki_, "--out", out});
  }

  // The issued DER certificate with `key` as a .p12 (`extra`: -nokeys, another -passout).
  std::string export_p12(const std::string& cer, const std::string& key, const std::string& name,
                         const std::vector<std::string>& extra = {}) {
    const std::string pem = dir_.file(name + ".pem");
    const auto converted = openssl({"x509", "-inform", "DER", "-in", cer, "-out", pem});
    EXPECT_EQ(converted.exit_code, 0) << converted.describe();
    std::vector<std::string> args = {
        "pkcs12", "-export", "-inkey",        key,    "-in",
        pem,      "-name",   "VoIP Services", "-out", dir_.file(name + ".p12")};
    args.insert(args.end(), extra.begin(), extra.end());
    if (std::find(extra.begin(), extra.end(), "-passout") == extra.end())
      args.insert(args.end(), {"-passout", std::string("pass:") + kExportPassword});
    const auto exported = openssl(args);
    EXPECT_EQ(exported.exit_code, 0) << exported.describe();
    return dir_.file(name + ".p12");
  }

  support::TempDir dir_;
  const std::string pki_ = dir_.file("pki");
};

// Step 2 through the pipeline's API, as the help shows it: curl --json with the .p12 in base64.
cli_test::CurlAnswer upload(const std::string& api, const support::TempDir& dir,
                            const std::string& p12, const std::string& password) {
  const auto encoded = support::run_process({"base64", "-w0", p12}, 30s);
  EXPECT_EQ(encoded.exit_code, 0) << encoded.describe();
  const std::string body = dir.write(
      "upload.json",
      json{{"name", "My VoIP"}, {"password", password}, {"p12_base64", encoded.output}}.dump());
  return curl_status("http://" + api + "/v1/console/certificates", {"--json", "@" + body});
}

TEST_F(PortalCli, IssuedFromTheDevelopersCsrIsAcceptedByTheConsoleAndTheMock) {
  const std::string csr = make_csr("my", "rsa:2048");
  const std::string cer = dir_.file("voip_services.cer");
  const auto issued = issue(csr, "voip-services", cer);
  ASSERT_EQ(issued.exit_code, 0) << issued.describe();

  // Apple's fields, read back by openssl from the DER download.
  const auto text = openssl({"x509", "-inform", "DER", "-in", cer, "-noout", "-text"});
  ASSERT_EQ(text.exit_code, 0) << text.describe();
  for (const char* expected :
       {"Issuer: CN = Apple Worldwide Developer Relations Certification Authority",
        "Subject: UID = com.example.imapp.voip, CN = VoIP Services: com.example.imapp, "
        "OU = TEAMA12345",
        "Public-Key: (2048 bit)", "1.2.840.113635.100.6.3.1:", "1.2.840.113635.100.6.3.2:",
        "1.2.840.113635.100.6.3.4: \n                ..com.example.imapp.voip"})
    EXPECT_NE(text.output.find(expected), std::string::npos) << expected << "\n" << text.output;
  // The certificate holds the developer's key: the one in my.key.
  const auto cert_key = openssl({"x509", "-inform", "DER", "-in", cer, "-noout", "-pubkey"});
  const auto own_key = openssl({"pkey", "-in", dir_.file("my.key"), "-pubout"});
  EXPECT_EQ(cert_key.output, own_key.output);

  const std::string p12 = export_p12(cer, dir_.file("my.key"), "voip");

  support::BackgroundProcess mock({VOIPSIM_BINARY, "mock-apns", "--pki", pki_, "--seed", "5"});
  ASSERT_TRUE(mock.wait_for_output("\"event\":\"ready\"", 60s)) << mock.output();
  const json ready = event_line(mock.output(), "ready");
  support::BackgroundProcess pipeline(
      {VOIPSIM_BINARY, "pipeline", "--apns-sandbox", ready["sandbox"], "--apns-production",
       ready["production"], "--ca", pki_ + "/ca-bundle.pem", "--db", dir_.file("pipeline.db")});
  ASSERT_TRUE(pipeline.wait_for_output("\"event\":\"ready\"", 60s)) << pipeline.output();
  const std::string api = event_line(pipeline.output(), "ready")["listen"];

  const auto uploaded = upload(api, dir_, p12, kExportPassword);
  EXPECT_EQ(uploaded.status, 201) << uploaded.body;
  const json record = json::parse(uploaded.body, nullptr, false);
  EXPECT_TRUE(record["development_id"].is_number()) << uploaded.body;
  EXPECT_TRUE(record["production_id"].is_number()) << uploaded.body;
  EXPECT_NE(record["development_id"], record["production_id"]) << uploaded.body;

  const std::string admin = "http://" + ready["admin"].get<std::string>();
  const auto registered = curl_status(
      admin + "/v1/tokens",
      {"--json",
       json{{"token", kToken}, {"environment", "sandbox"}, {"topic", "com.example.imapp.voip"}}
           .dump()});
  ASSERT_EQ(registered.status / 100, 2) << registered.body;
  const std::string port = port_of(ready["sandbox"]);
  const auto pushed =
      support::curl_push({"https://api.sandbox.push.apple.com:" + port + "/3/device/" + kToken,
                          pki_ + "/ca-bundle.pem",
                          dir_.file("voip.pem"),
                          dir_.file("my.key"),
                          "com.example.imapp.voip",
                          "voip",
                          R"({"aps":{}})",
                          {"--resolve", "api.sandbox.push.apple.com:" + port + ":127.0.0.1"}});
  EXPECT_TRUE(support::accepted_apns_id(pushed)) << pushed.describe(); // a 200 with its apns-id

  // The seed's Step 1 mistakes, through the same console.
  const auto no_key = upload(api, dir_, export_p12(cer, dir_.file("my.key"), "nokey", {"-nokeys"}),
                             kExportPassword);
  EXPECT_EQ(no_key.status, 400);
  EXPECT_NE(no_key.body.find("P12_NO_PRIVATE_KEY"), std::string::npos) << no_key.body;
  const auto no_password =
      upload(api, dir_, export_p12(cer, dir_.file("my.key"), "nopass", {"-passout", "pass:"}), "");
  EXPECT_EQ(no_password.status, 400);
  EXPECT_NE(no_password.body.find("P12_PASSWORD_REQUIRED"), std::string::npos) << no_password.body;
  const std::string production_cer = dir_.file("aps.cer");
  const auto production = issue(csr, "apns-production", production_cer);
  ASSERT_EQ(production.exit_code, 0) << production.describe();
  const auto wrong_kind =
      upload(api, dir_, export_p12(production_cer, dir_.file("my.key"), "aps"), kExportPassword);
  EXPECT_EQ(wrong_kind.status, 400);
  EXPECT_NE(wrong_kind.body.find("CERT_NOT_VOIP"), std::string::npos) << wrong_kind.body;
}

TEST_F(PortalCli, RefusesWhatThePortalRefusesWithHowToFixIt) {
  // A DER request whose signature, its last field, has one bit flipped.
  const std::string der = make_csr("der", "rsa:2048", {"-outform", "DER"});
  std::string bytes = support::read_file(der);
  ASSERT_GT(bytes.size(), 20u);
  bytes[bytes.size() - 8] = static_cast<char>(bytes[bytes.size() - 8] ^ 0x01);
  const std::string broken = dir_.write("broken.csr", bytes);

  const struct {
    std::string csr;
    std::string kind;
    std::string says;
  } cases[] = {
      {broken, "voip-services", "the request's signature does not verify"},
      {make_csr("ec", "ec", {"-pkeyopt", "ec_paramgen_curve:P-256"}), "voip-services",
       "the portal accepts RSA 2048-bit keys, and this request's key is not RSA"},
      {make_csr("small", "rsa:1024"), "voip-services",
       "the portal accepts RSA 2048-bit keys, and this request's key has 1024 bits"},
      {make_csr("good", "rsa:2048"), "voip", "unknown --kind 'voip'"},
      {dir_.file("missing.csr"), "voip-services", "--csr: cannot read"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.says);
    const auto refused = issue(c.csr, c.kind, dir_.file("refused.cer"));
    EXPECT_EQ(refused.exit_code, 2) << refused.describe();
    EXPECT_NE(refused.output.find(c.says), std::string::npos) << refused.describe();
    EXPECT_FALSE(std::filesystem::exists(dir_.file("refused.cer")));
  }
  // The key refusals say how to make a request the portal takes.
  const auto ec = issue(dir_.file("ec.csr"), "voip-services", dir_.file("refused.cer"));
  EXPECT_NE(ec.output.find("openssl req -new -newkey rsa:2048"), std::string::npos);
}

TEST(PortalCliUsage, NeedsAPkiFolderAndSaysWhatItIs) {
  support::TempDir dir;
  const auto missing = voipsim(
      {"certs", "issue", "--csr", "x.csr", "--kind", "voip-services", "--bundle-id", kBundle});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("--pki is required"), std::string::npos) << missing.describe();
  const auto not_a_folder =
      voipsim({"certs", "issue", "--csr", dir.write("x.csr", "x"), "--kind", "voip-services",
               "--bundle-id", kBundle, "--pki", dir.path().string()});
  EXPECT_EQ(not_a_folder.exit_code, 2);
  EXPECT_NE(not_a_folder.output.find("a folder written by 'voipsim certs'"), std::string::npos)
      << not_a_folder.describe();
  const auto help = voipsim({"certs", "issue", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* step : {"voipsim certs issue --csr my.csr --kind voip-services",
                           "openssl req -new -newkey rsa:2048 -nodes -keyout my.key",
                           "openssl x509 -inform DER -in voip_services.cer -out voip_services.pem",
                           "openssl pkcs12 -export -inkey my.key -in voip_services.pem",
                           "/v1/console/certificates --json"})
    EXPECT_NE(help.output.find(step), std::string::npos) << step;
}

} // namespace
