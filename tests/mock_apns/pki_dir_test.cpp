// The mock's --pki folder: a manifest.json that is not JSON is reported as bad JSON naming the
// file (issue #24 point 9), not as missing fields; one that lacks a field names the field.

#include "mock_apns/pki_dir.hpp"
#include "support/temp_dir.hpp"

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace {

TEST(PkiDir, ACorruptManifestIsReportedAsBadJsonNamingTheFile) {
  support::TempDir dir;
  const auto manifest = dir.write("manifest.json", "{\"team_id\": \"TEAMA12345\",");
  const auto loaded = mock_apns::load_pki_dir(dir.path());
  ASSERT_FALSE(loaded);
  const std::string message = loaded.error().message();
  EXPECT_NE(message.find(manifest), std::string::npos) << message;
  EXPECT_NE(message.find("not valid JSON"), std::string::npos) << message;
  EXPECT_EQ(message.find("required"), std::string::npos) << message;
}

TEST(PkiDir, AManifestWithoutAFieldNamesIt) {
  support::TempDir dir;
  dir.write("manifest.json", R"({"generator":"voipsim certs","bundle_id":"com.example.imapp",
    "key_id":"KB00000001","generated_at":0,"files":[]})");
  const auto loaded = mock_apns::load_pki_dir(dir.path());
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message().find("\"team_id\" is required"), std::string::npos)
      << loaded.error().message();
}

// $TMPDIR pointed at a folder of the test's own while in scope.
class ScopedTmpdir {
public:
  explicit ScopedTmpdir(const std::filesystem::path& dir) {
    if (const char* old = std::getenv("TMPDIR")) old_ = old;
    setenv("TMPDIR", dir.c_str(), 1);
  }
  ~ScopedTmpdir() {
    if (old_) {
      setenv("TMPDIR", old_->c_str(), 1);
    } else {
      unsetenv("TMPDIR");
    }
  }

private:
  std::optional<std::string> old_;
};

// A temporary PKI folder holds private keys: the next mock removes one whose owner is gone, and
// never one whose owner still runs (read from the "<pid> <start time>" line its maker wrote).
TEST(PkiDir, ATemporaryFolderOutlivesOnlyAGoneOwner) {
  support::TempDir base;
  ScopedTmpdir tmpdir(base.path());
  const auto orphan = base.path() / "voipsim-mock-orphan";
  std::filesystem::create_directory(orphan);
  base.write("voipsim-mock-orphan/owner", "999999999 12345\n"); // past Linux's largest pid
  const auto ownerless = base.path() / "voipsim-mock-nobody";   // no owner file yet: left
  std::filesystem::create_directory(ownerless);

  const auto first =
      mock_apns::make_temporary_pki_dir(core::from_unix_seconds(1'767'225'600), "secret");
  ASSERT_TRUE(first) << first.error().message();
  EXPECT_FALSE(std::filesystem::exists(orphan));
  EXPECT_TRUE(std::filesystem::exists(ownerless));

  const auto second =
      mock_apns::make_temporary_pki_dir(core::from_unix_seconds(1'767'225'600), "secret");
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_TRUE(std::filesystem::exists(first->dir / "manifest.json"))
      << "the folder of a process that still runs was removed";
}

} // namespace
