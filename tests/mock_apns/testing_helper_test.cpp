// mock_apns::testing as a user's suite would use it: a fixture, a push with curl using the
// fixture's files, and the journal assertion (passing, and failing with the nearest requests).
#include "mock_apns/testing/mock_apns_test.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace std::chrono_literals;
using mock_apns::Environment;

constexpr const char* kToken = "db3582a31936a10992dcb438c512d71a0ca642b9b58c4fb2357f8c055043eaf6";

class UserSuite : public mock_apns::testing::MockApnsTest {
protected:
  // What the user's provider would do: one VoIP push with token auth.
  int push_voip() {
    support::TempDir dir;
    const std::string port = mock().url(Environment::Sandbox).substr(18);
    const auto run =
        support::run_process({"curl",
                              "-sS",
                              "--http2",
                              "--cacert",
                              mock().ca_file(),
                              "--resolve",
                              "api.sandbox.push.apple.com:" + port + ":127.0.0.1",
                              "-H",
                              "authorization: bearer " + mock().provider_token(),
                              "-H",
                              "apns-push-type: voip",
                              "-H",
                              "apns-topic: com.example.imapp.voip",
                              "-o",
                              "/dev/null",
                              "-w",
                              "%{http_code}",
                              "--data-binary",
                              R"({"aps":{}})",
                              "https://api.sandbox.push.apple.com:" + port + "/3/device/" + kToken},
                             30s);
    EXPECT_EQ(run.exit_code, 0) << run.describe();
    return std::atoi(run.output.c_str());
  }
};

TEST_F(UserSuite, APushIsSeenInTheJournal) {
  mock().add_token(kToken, Environment::Sandbox, "com.example.imapp.voip");
  EXPECT_EQ(push_voip(), 200);
  mock_apns::JournalFilter filter;
  filter.token = kToken;
  filter.accepted_only = true;
  EXPECT_TRUE(mock().received(filter, 1));
}

TEST_F(UserSuite, AFailedExpectationNamesTheNearestRequests) {
  EXPECT_EQ(push_voip(), 400) << "the token is unknown to the strict registry";
  mock_apns::JournalFilter filter;
  filter.token = kToken;
  filter.accepted_only = true;
  const auto result = mock().received(filter, 1);
  ASSERT_FALSE(result);
  EXPECT_NE(std::string(result.message()).find("BadDeviceToken"), std::string::npos)
      << result.message();
}

TEST(ScopedMockApns, RunsOnAVirtualClockWithCertificatesValidForRealHandshakes) {
  core::VirtualClock clock(core::from_unix_seconds(1767225600));
  mock_apns::ServerOptions options;
  options.clock = &clock;
  mock_apns::testing::ScopedMockApns mock(options);
  EXPECT_NE(mock.server().port(Environment::Production), 0);
  EXPECT_TRUE(std::filesystem::exists(mock.certificate_file("voip-services")));
  EXPECT_TRUE(std::filesystem::exists(mock.key_file("voip-services")));
}

} // namespace
