#pragma once
// GoogleTest support for a user's own test suite: a mock APNs on ephemeral loopback ports with a
// fresh PKI in a temporary folder, and assertions over its journal. Link
// voipsim::mock_apns_testing.
//
//   class MyPushTest : public mock_apns::testing::MockApnsTest {};
//   TEST_F(MyPushTest, SendsOneVoipPush) {
//     mock().add_token(token, mock_apns::Environment::Sandbox, "com.example.imapp.voip");
//     my_provider.send(mock().url(mock_apns::Environment::Sandbox), mock().ca_file(), ...);
//     EXPECT_TRUE(mock().received({.token = token, .accepted_only = true}, 1));
//   }
#include "mock_apns/journal.hpp"
#include "mock_apns/pki_dir.hpp"
#include "mock_apns/server.hpp"

#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

namespace mock_apns::testing {

// Started in the constructor (a failure throws std::runtime_error with the reason), stopped and
// its PKI folder removed in the destructor. The PKI is the one `voipsim certs` writes for
// com.example.imapp, team TEAMA12345, key KB00000001; its .p12 password is "voipsim".
class ScopedMockApns {
public:
  explicit ScopedMockApns(ServerOptions options = {});
  ~ScopedMockApns();
  ScopedMockApns(const ScopedMockApns&) = delete;
  ScopedMockApns& operator=(const ScopedMockApns&) = delete;

  Server& server() { return *server_; }
  const PkiDir& pki() const { return pki_; }

  // "https://127.0.0.1:PORT" of a listener; its certificate also names Apple's host names.
  std::string url(Environment env) const;
  std::string ca_file() const;                                 // trust this for the server
  std::string certificate_file(const std::string& stem) const; // e.g. "voip-services" → .pem
  std::string key_file(const std::string& stem) const;         // its .key
  // A provider token (JWT) signed with the PKI's .p8, issued at the mock clock's now.
  std::string provider_token() const;

  void add_token(const std::string& hex, Environment env, const std::string& topic);
  // Passes when the journal holds the expected number of requests matching `filter`; on failure
  // the message lists the nearest requests and why each did not match.
  ::testing::AssertionResult received(const JournalFilter& filter, std::uint64_t exactly) const;
  ::testing::AssertionResult received(const JournalFilter& filter, CountExpectation expected) const;

private:
  PkiDir pki_;
  std::unique_ptr<Server> server_;
};

// A fixture with one mock per test.
class MockApnsTest : public ::testing::Test {
protected:
  ScopedMockApns& mock() { return mock_; }

private:
  ScopedMockApns mock_;
};

} // namespace mock_apns::testing
