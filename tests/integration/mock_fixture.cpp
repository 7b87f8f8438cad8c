#include "integration/mock_fixture.hpp"

#include "pki/certificate_authority.hpp"

#include <algorithm>
#include <stdexcept>

namespace integration {
namespace {

using std::chrono::hours;

template <typename T>
T must(core::Result<T> result) {
  if (!result) {
    throw std::runtime_error(result.error().message());
  }
  return std::move(*result);
}

std::string host_of(mock_apns::Environment env) {
  return env == mock_apns::Environment::Sandbox ? "api.sandbox.push.apple.com"
                                                : "api.push.apple.com";
}

} // namespace

WirePki::WirePki() {
  const core::TimePoint spec_now = core::from_unix_seconds(mock_apns_test::kNowSeconds);
  const core::TimePoint real_now = std::chrono::system_clock::now();
  const core::TimePoint from = std::min(spec_now, real_now) - hours(24 * 30);
  const core::TimePoint to = std::max(spec_now, real_now) + hours(24 * 365);
  auto root = must(pki::CertificateAuthority::create_root(
      {"Wire Test Root", "voipsim tests", "", "US"}, from, to));
  auto wwdr = must(root.issue_intermediate(
      {"Apple Worldwide Developer Relations Certification Authority", "voipsim tests", "G4", "US"},
      from, to));
  ca_bundle = dir_.write("ca-bundle.pem", root.certificate_pem() + wwdr.certificate_pem());
  auto server = must(root.issue_server(pki::default_server_names(), from, to));
  server_cert = dir_.write("server.pem", server.certificate_pem);
  server_key = dir_.write("server.key", server.private_key_pem);
  const std::pair<const char*, pki::CertificateKind> kinds[] = {
      {"C_UNIV", pki::CertificateKind::ApplePushServices},
      {"C_VOIP", pki::CertificateKind::VoipServices},
      {"C_DEV", pki::CertificateKind::ApnsDevelopment},
      {"C_PROD", pki::CertificateKind::ApnsProduction},
      {"C_BARE", pki::CertificateKind::PlainClient}};
  for (const auto& [name, kind] : kinds) {
    auto issued = must(wwdr.issue_provider({kind, "com.example.imapp", mock_apns_test::kTeamA,
                                            "Example Inc.", from, to, pki::KeyType::EcP256}));
    dir_.write(std::string(name) + ".pem", issued.certificate_pem);
    dir_.write(std::string(name) + ".key", issued.private_key_pem);
  }
}

const WirePki& WirePki::get() {
  static const WirePki pki;
  return pki;
}

std::string WirePki::cert_file(const std::string& name) const {
  return dir_.file(name + ".pem");
}
std::string WirePki::key_file(const std::string& name) const {
  return dir_.file(name + ".key");
}

MockFixture::MockFixture(std::function<void(mock_apns::ServerOptions&)> configure) {
  const WirePki& pki = WirePki::get();
  mock_apns::ServerOptions options;
  options.certificate_chain_file = pki.server_cert;
  options.private_key_file = pki.server_key;
  options.client_ca_file = pki.ca_bundle;
  options.clock = &clock_;
  options.seed = 42;
  if (configure) {
    configure(options);
  }
  server_ = std::make_unique<mock_apns::Server>(options);
  const mock_apns_test::SpecWorld& world = mock_apns_test::SpecWorld::get();
  world.load_keys(server_->keys());
  world.load_tokens(server_->tokens());
  if (auto started = server_->start(); !started) {
    throw std::runtime_error("mock did not start: " + started.error().message());
  }
}

MockFixture::~MockFixture() {
  server_->stop();
}

std::string MockFixture::origin(mock_apns::Environment env) const {
  return "https://" + host_of(env) + ":" + std::to_string(port(env));
}

std::vector<std::string> MockFixture::curl_to(mock_apns::Environment env) const {
  return {"curl",           "-sS", "--http2", "--cacert", WirePki::get().ca_bundle, "--resolve",
          curl_resolve(env)};
}

std::string MockFixture::curl_resolve(mock_apns::Environment env) const {
  return host_of(env) + ":" + std::to_string(port(env)) + ":127.0.0.1";
}

} // namespace integration
