// A user's own test: a mock APNs from the installed voipsim, a push with curl and a provider
// token, the journal's verification.
#include "mock_apns/testing/mock_apns_test.hpp"

#include <cstdio>
#include <string>

namespace {

const std::string kToken = "db3582a31936a10992dcb438c512d71a0ca642b9b58c4fb2357f8c055043eaf6";

class InstalledMock : public mock_apns::testing::MockApnsTest {};

TEST_F(InstalledMock, AcceptsAVoipPushAndJournalsIt) {
  mock().add_token(kToken, mock_apns::Environment::Sandbox, "com.example.imapp.voip");
  const std::string command =
      "curl -sS --http2 -o /dev/null -w '%{http_code}' --cacert " + mock().ca_file() +
      " -H 'authorization: bearer " + mock().provider_token() +
      "' -H 'apns-push-type: voip' -H 'apns-topic: com.example.imapp.voip' -d '{\"aps\":{}}' " +
      mock().url(mock_apns::Environment::Sandbox) + "/3/device/" + kToken;
  FILE* curl = popen(command.c_str(), "r");
  ASSERT_NE(curl, nullptr);
  char status[8] = {};
  const std::size_t read = std::fread(status, 1, sizeof status - 1, curl);
  pclose(curl);
  EXPECT_EQ(std::string(status, read), "200");
  mock_apns::JournalFilter filter;
  filter.token = kToken;
  filter.accepted_only = true;
  EXPECT_TRUE(mock().received(filter, 1));
}

} // namespace
