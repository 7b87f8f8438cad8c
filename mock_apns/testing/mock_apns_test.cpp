#include "mock_apns/testing/mock_apns_test.hpp"

#include <stdexcept>

namespace mock_apns::testing {
ScopedMockApns::ScopedMockApns(ServerOptions options) {
  // Valid both at the mock's clock (classification) and at the real time (TLS handshakes).
  const core::TimePoint real = std::chrono::system_clock::now();
  const core::TimePoint mock = options.clock != nullptr ? options.clock->now() : real;
  const auto span =
      std::chrono::duration_cast<std::chrono::hours>(std::max(mock, real) - std::min(mock, real));
  auto pki =
      make_temporary_pki_dir(std::min(mock, real), "voipsim", span + std::chrono::hours(24 * 365));
  if (!pki) {
    throw std::runtime_error("mock PKI: " + pki.error().message());
  }
  pki_ = std::move(*pki);
  use_tls_files(pki_, options);
  server_ = std::make_unique<Server>(options);
  auto registered = register_pki_dir(pki_, server_->keys());
  auto started = registered ? server_->start() : registered;
  if (!started) {
    server_.reset();
    std::filesystem::remove_all(pki_.dir);
    throw std::runtime_error("mock APNs did not start: " + started.error().message());
  }
}

ScopedMockApns::~ScopedMockApns() {
  server_->stop();
  std::error_code ignored;
  std::filesystem::remove_all(pki_.dir, ignored);
}

std::string ScopedMockApns::url(Environment env) const {
  return "https://127.0.0.1:" + std::to_string(server_->port(env));
}

std::string ScopedMockApns::ca_file() const {
  return pki_.ca_bundle_file;
}

std::string ScopedMockApns::certificate_file(const std::string& stem) const {
  return (pki_.dir / (stem + ".pem")).string();
}

std::string ScopedMockApns::key_file(const std::string& stem) const {
  return (pki_.dir / (stem + ".key")).string();
}

std::string ScopedMockApns::provider_token() const {
  auto jwt = mock_apns::provider_token(pki_, server_->clock().now());
  if (!jwt) {
    throw std::runtime_error("provider token: " + jwt.error().message());
  }
  return *jwt;
}

void ScopedMockApns::add_token(const std::string& hex, Environment env, const std::string& topic) {
  if (auto put = server_->tokens().put({hex, env, topic}); !put) {
    throw std::invalid_argument("add_token: " + put.error().detail);
  }
}

::testing::AssertionResult ScopedMockApns::received(const JournalFilter& filter,
                                                    std::uint64_t exactly) const {
  return received(filter, {CountExpectation::Kind::Exactly, exactly});
}

::testing::AssertionResult ScopedMockApns::received(const JournalFilter& filter,
                                                    CountExpectation expected) const {
  const Verification v = server_->journal().verify(filter, expected);
  if (v.ok) {
    return ::testing::AssertionSuccess() << v.matched << " matching request(s)";
  }
  return ::testing::AssertionFailure() << v.message;
}

} // namespace mock_apns::testing
