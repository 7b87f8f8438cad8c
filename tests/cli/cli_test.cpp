// The voipsim executable as a user runs it: help, exit statuses, and each command's output.

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

namespace {

using namespace std::chrono_literals;

support::ProcessResult voipsim(std::vector<std::string> args) {
  args.insert(args.begin(), VOIPSIM_BINARY);
  return support::run_process(args, 120s);
}

// `voipsim certs` into DIR/pki; the directory's path. Fails the calling test if it cannot.
std::string write_pki(const support::TempDir& dir) {
  const std::string pki = dir.file("pki");
  const auto r = voipsim({"certs", "--out", pki, "--bundle-id", "com.example.imapp", "--team-id",
                          "TEAMA12345", "--key-id", "KB00000001", "--p12-password", "pw"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  return pki;
}

TEST(Cli, HelpVersionAndUsageErrors) {
  const auto help = voipsim({"--help"});
  EXPECT_EQ(help.exit_code, 0) << help.describe();
  for (const char* command : {"certs", "selftest"})
    EXPECT_NE(help.output.find(command), std::string::npos);
  const auto version = voipsim({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.output.rfind("voipsim ", 0), 0u) << version.output;
  EXPECT_EQ(voipsim({}).exit_code, 2);
  const auto unknown = voipsim({"frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("unknown command 'frobnicate'"), std::string::npos)
      << unknown.describe();
  const auto bad_flag = voipsim({"selftest", "--requests", "lots"});
  EXPECT_EQ(bad_flag.exit_code, 2);
  EXPECT_NE(bad_flag.output.find("--requests must be a whole number"), std::string::npos)
      << bad_flag.describe();
}

// Issue #24.9: every help text has examples; the commands are those `voipsim --help` lists.
TEST(Cli, EveryHelpHasExamples) {
  const auto help = voipsim({"--help"});
  ASSERT_EQ(help.exit_code, 0) << help.describe();
  EXPECT_NE(help.output.find("\nExamples:\n"), std::string::npos) << help.output;
  const auto listed = help.output.find("\nCommands:\n");
  ASSERT_NE(listed, std::string::npos) << help.output;
  const std::string commands =
      help.output.substr(listed, help.output.find("\n\n", listed + 1) - listed);
  const std::regex command_line(R"(\n  ([a-z][a-z-]+) )");
  int checked = 0;
  for (auto it = std::sregex_iterator(commands.begin(), commands.end(), command_line);
       it != std::sregex_iterator(); ++it, ++checked) {
    const std::string command = (*it)[1];
    for (const auto& asked :
         {std::vector<std::string>{"help", command}, std::vector<std::string>{command, "--help"}}) {
      const auto shown = voipsim(asked);
      EXPECT_EQ(shown.exit_code, 0) << shown.describe();
      EXPECT_NE(shown.output.find("\nExamples"), std::string::npos)
          << "'voipsim " << asked[0] << " " << asked[1] << "' has no Examples section";
    }
  }
  EXPECT_EQ(checked, 10) << commands;
}

TEST(Cli, SelftestReportsForPeopleAndMachines) {
  const auto text = voipsim({"selftest", "--requests", "300", "--connections", "2"});
  ASSERT_EQ(text.exit_code, 0) << text.describe();
  EXPECT_NE(text.output.find("300 of 300 requests answered correctly"), std::string::npos)
      << text.describe();
  EXPECT_NE(text.output.find("result: PASS"), std::string::npos);

  const auto json = voipsim({"selftest", "--requests", "300", "--body-bytes", "5000", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.describe();
  const auto summary = nlohmann::json::parse(json.output);
  EXPECT_EQ(summary.at("ok"), 300);
  EXPECT_EQ(summary.at("failed"), 0);
  EXPECT_EQ(summary.at("pass"), true);
}

TEST(Cli, SelftestOverTlsWithTheCertsItWrote) {
  support::TempDir dir;
  const std::string pki = write_pki(dir);
  const auto r = voipsim({"selftest", "--tls-dir", pki, "--requests", "200"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.output.find("h2 over TLS"), std::string::npos) << r.describe();
  EXPECT_NE(r.output.find("server certificate: verified as api.sandbox.push.apple.com"),
            std::string::npos);
  EXPECT_NE(r.output.find(
                "client certificate: voip-services for com.example.imapp (sandbox, production), "
                "topics com.example.imapp.voip"),
            std::string::npos)
      << r.describe();

  const auto missing = voipsim({"selftest", "--tls-dir", dir.file("nothing-here")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.output.find("no such file"), std::string::npos) << missing.describe();
  EXPECT_NE(missing.output.find("voipsim certs --out"), std::string::npos) << missing.describe();
}

TEST(Cli, SelftestFailsWhenTheServerWouldRefuseTheClientCertificate) {
  support::TempDir dir;
  const std::string pki = write_pki(dir);
  // Present the WWDR-issued certificate without Apple's fields instead of the VoIP one.
  std::filesystem::copy_file(pki + "/plain-client.pem", pki + "/voip-services.pem",
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(pki + "/plain-client.key", pki + "/voip-services.key",
                             std::filesystem::copy_options::overwrite_existing);
  const auto r = voipsim({"selftest", "--tls-dir", pki, "--requests", "20"});
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.output.find("client certificate: rejected"), std::string::npos) << r.describe();
  EXPECT_NE(r.output.find("result: FAIL"), std::string::npos) << r.describe();
}

TEST(Cli, CertsTakesThePasswordFromAFileAndRefusesImpossibleDates) {
  support::TempDir dir;
  const std::string password_file = dir.write("pw.txt", "from-a-file\n");
  const std::vector<std::string> base = {
      "certs",     "--out",      dir.file("pki"), "--bundle-id", "com.example.imapp",
      "--team-id", "TEAMA12345", "--key-id",      "KB00000001"};
  auto with_file = base;
  with_file.insert(with_file.end(), {"--p12-password-file", password_file, "--json"});
  const auto ok = voipsim(with_file);
  ASSERT_EQ(ok.exit_code, 0) << ok.describe();
  EXPECT_EQ(ok.output.find("from-a-file"), std::string::npos) << "the password must not be printed";

  auto both = base;
  both.insert(both.end(), {"--p12-password", "x", "--p12-password-file", password_file});
  EXPECT_EQ(voipsim(both).exit_code, 2);
  auto far = base;
  far.insert(far.end(), {"--p12-password", "x", "--now", "253402300000", "--force"});
  const auto refused = voipsim(far);
  EXPECT_EQ(refused.exit_code, 2) << refused.describe();
  EXPECT_NE(refused.output.find("year 9999"), std::string::npos) << refused.describe();
}

// Issue #8 "Security": private keys, .p12 and .p8 files are 0600 whatever the umask, also when
// --force replaces a file someone made wider.
TEST(Cli, CertsWritesKeysOwnerOnlyWhateverTheUmask) {
  const mode_t saved = ::umask(0);
  support::TempDir dir;
  const std::string pki = write_pki(dir);
  const auto mode_of = [](const std::filesystem::path& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 0777;
  };
  std::size_t secrets = 0;
  for (const auto& entry : std::filesystem::directory_iterator(pki)) {
    const std::string name = entry.path().filename().string();
    const bool secret = name.ends_with(".key") || name.ends_with(".p12") || name.ends_with(".p8");
    EXPECT_EQ(mode_of(entry.path()), secret ? 0600u : 0644u) << name;
    secrets += secret ? 1 : 0;
  }
  EXPECT_GE(secrets, 10u);
  ASSERT_EQ(::chmod((pki + "/voip-services.p12").c_str(), 0644), 0);
  const auto forced =
      voipsim({"certs", "--out", pki, "--bundle-id", "com.example.imapp", "--team-id", "TEAMA12345",
               "--key-id", "KB00000001", "--p12-password", "pw", "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.describe();
  EXPECT_EQ(mode_of(pki + "/voip-services.p12"), 0600u);
  ::umask(saved);
}

TEST(Cli, CertsWritesTheSetAndRefusesToOverwrite) {
  support::TempDir dir;
  const std::string out = dir.file("pki");
  const std::vector<std::string> args = {
      "certs",      "--out",    out,          "--bundle-id",    "com.example.imapp", "--team-id",
      "TEAMA12345", "--key-id", "KB00000001", "--p12-password", "cli-test-pw"};
  const auto first = voipsim(args);
  ASSERT_EQ(first.exit_code, 0) << first.describe();
  EXPECT_NE(first.output.find("wrote 33 files"), std::string::npos) << first.describe();
  for (const char* file :
       {"voip-services.p12", "AuthKey_KB00000001.p8", "ca-bundle.pem", "manifest.json"})
    EXPECT_TRUE(std::filesystem::exists(out + "/" + file)) << file;

  const auto again = voipsim(args);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.output.find("--force"), std::string::npos) << again.describe();
  auto forced = args;
  forced.push_back("--force");
  EXPECT_EQ(voipsim(forced).exit_code, 0);

  const auto missing = voipsim({"certs", "--out", out});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("--bundle-id is required"), std::string::npos)
      << missing.describe();
}

TEST(Cli, CertsHelpExplainsEveryFileItWrites) {
  const auto help = voipsim({"help", "certs"});
  ASSERT_EQ(help.exit_code, 0);
  for (const char* option : {"--out", "--bundle-id", "--team-id", "--key-id", "--p12-password ",
                             "--p12-password-file", "--days", "--now", "--force", "--json"}) {
    EXPECT_NE(help.output.find(std::string("\n  ") + option), std::string::npos)
        << option << " does not start its own line in 'voipsim help certs'";
  }
  support::TempDir dir;
  const auto run =
      voipsim({"certs", "--out", dir.file("x"), "--bundle-id", "a.b", "--team-id", "TEAMA12345",
               "--key-id", "KB00000001", "--p12-password", "p", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  const auto manifest =
      nlohmann::json::parse(run.output); // kept: a range-for over a temporary dangles
  for (const auto& entry : manifest.at("files")) {
    std::string name = entry.at("file");
    // The help groups a file's variants: "voip-services.*", "server.pem / .key", "AuthKey_<KEY>",
    // "*-legacy.p12".
    const std::string stem = name.substr(0, name.find('.'));
    const std::string shown = stem.rfind("AuthKey_", 0) == 0 ? "AuthKey_<KEY>"
                              : stem.ends_with("-legacy")    ? "*-legacy.p12"
                                                             : stem;
    EXPECT_NE(help.output.find(shown), std::string::npos)
        << name << " is not explained in 'voipsim help certs'";
  }
}

// Issue #24.9: where the files' descriptions send the user ("voipsim mock-apns --pki DIR"), the
// command has that flag; there is no --client-ca.
TEST(Cli, CertsNamesOnlyFlagsTheCommandsHave) {
  support::TempDir dir;
  const auto run =
      voipsim({"certs", "--out", dir.file("x"), "--bundle-id", "a.b", "--team-id", "TEAMA12345",
               "--key-id", "KB00000001", "--p12-password", "p", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  const auto manifest = nlohmann::json::parse(run.output);
  std::string advice = voipsim({"help", "certs"}).output;
  for (const auto& entry : manifest.at("files"))
    advice += "\n" + entry.at("description").get<std::string>();
  EXPECT_EQ(advice.find("--client-ca"), std::string::npos) << advice;
  const std::regex named(R"(voipsim ([a-z-]+) (--[a-z0-9-]+))");
  int checked = 0;
  for (auto it = std::sregex_iterator(advice.begin(), advice.end(), named);
       it != std::sregex_iterator(); ++it, ++checked) {
    const std::string command = (*it)[1], flag = (*it)[2];
    const auto help = voipsim({"help", command});
    EXPECT_NE(help.output.find("\n  " + flag), std::string::npos)
        << "'voipsim " << command << "' has no " << flag;
  }
  EXPECT_GE(checked, 2) << advice;
}

} // namespace
