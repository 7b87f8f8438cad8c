// The mock's --pki folder: a manifest.json that is not JSON is reported as bad JSON naming the
// file (issue #24 point 9), not as missing fields; one that lacks a field names the field.

#include "mock_apns/pki_dir.hpp"
#include "support/temp_dir.hpp"

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

} // namespace
