// Every fuzz target's seeds, run as a normal test (and so under ASan+UBSan and TSan in CI).
// Certificate seeds are made here, never committed; the other seeds are checked-in files.

#include "fuzz/fuzz_targets.hpp"
#include "pki/classify.hpp"
#include "pki/credential_set.hpp"
#include "pki/provider_token.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>

#include <gtest/gtest.h>

namespace {

using Target = int (*)(const std::uint8_t*, std::size_t);

int run(Target target, const std::string& input) {
  return target(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

std::vector<std::string> checked_in(const std::string& target) {
  std::vector<std::string> seeds;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(VOIPSIM_FUZZ_CORPUS) + "/" + target)) {
    seeds.push_back(support::read_file(entry.path().string()));
  }
  return seeds;
}

// Runs `target` over its checked-in seeds, of which there are at least `at_least`.
void expect_seeds_pass(const std::string& name, Target target, std::size_t at_least) {
  const auto seeds = checked_in(name);
  ASSERT_GE(seeds.size(), at_least);
  for (const auto& s : seeds)
    EXPECT_EQ(run(target, s), 0);
}

// Each certificate of a fresh credential set, as PEM and DER, and truncated.
std::vector<std::string> certificate_seeds() {
  const pki::CredentialSetOptions options{"com.example.imapp", "TEAMA12345", "KB00000001", "fuzz",
                                          core::from_unix_seconds(1767225600)};
  std::vector<std::string> seeds;
  // Kept in a variable: a range-for over a temporary's value() would dangle (until C++23).
  const auto files = pki::make_credential_set(options);
  for (const auto& f : files.value()) {
    if (!f.contents.starts_with("-----BEGIN CERTIFICATE-----")) continue;
    seeds.push_back(f.contents);
    auto der = pki::certificate_pem_to_der(f.contents).value();
    seeds.push_back(der.substr(0, der.size() / 2));
    seeds.push_back(std::move(der));
  }
  return seeds;
}

TEST(FuzzCorpus, ProviderTokenSeeds) {
  expect_seeds_pass("provider_token", fuzz::provider_token, 5);
}

TEST(FuzzCorpus, CertificateSeeds) {
  const auto seeds = certificate_seeds();
  ASSERT_GE(seeds.size(), 20u);
  for (const auto& s : seeds)
    EXPECT_EQ(run(fuzz::certificate, s), 0);
}

TEST(FuzzCorpus, PushRequestSeeds) {
  expect_seeds_pass("push_request", fuzz::push_request, 5);
}

TEST(FuzzCorpus, JsonObjectSeeds) {
  expect_seeds_pass("json_object", fuzz::json_object, 5);
}

TEST(FuzzCorpus, ScenarioLoaderSeedsAndTheLibrary) {
  auto seeds = checked_in("scenario_loader");
  ASSERT_GE(seeds.size(), 5u);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(VOIPSIM_SCENARIOS_DIR)) {
    if (entry.path().extension() == ".yaml") seeds.push_back(support::read_file(entry.path()));
  }
  ASSERT_GE(seeds.size(), 30u);
  for (const auto& s : seeds)
    EXPECT_EQ(run(fuzz::scenario_loader, s), 0);
}

TEST(FuzzCorpus, ApnsFileSeeds) {
  expect_seeds_pass("apns_file", fuzz::apns_file, 5);
}

TEST(FuzzCorpus, AdminJsonSeeds) {
  expect_seeds_pass("admin_json", fuzz::admin_json, 8);
}

TEST(FuzzCorpus, PipelineApiSeeds) {
  expect_seeds_pass("pipeline_api", fuzz::pipeline_api, 5);
}

} // namespace
