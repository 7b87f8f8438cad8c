// TLS policy of the listener (apns-provider-api.md §2) and of our client: TLS >= 1.2, ALPN h2 or
// nothing, certificate and name checks.

#include "integration/test_server.hpp"
#include "net/error.hpp"
#include "pki/certificate_authority.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_pki.hpp"
#include "support/wait.hpp"

#include <fstream>

#include <gtest/gtest.h>

namespace integration {
namespace {

using namespace std::chrono_literals;
using support::run_process;

net::ServerOptions echo_over_tls(net::ClientCertMode mode = net::ClientCertMode::None) {
  auto o = tls_server_options(mode);
  o.handler = echo_handler();
  return o;
}

net::Request get(const std::string& path) {
  net::Request r;
  r.method = "GET";
  r.path = path;
  return r;
}

TEST(TlsPolicy, AnAlpnOfferWithoutH2IsRefusedWithAFatalAlert) {
  TestServer server(echo_over_tls());
  const auto& pki = support::TestPki::get();
  // curl --http1.1 offers only "http/1.1"; APNs has no HTTP/1.1 fallback.
  const auto r = run_process(
      {"curl", "-sS", "--http1.1", "--cacert", pki.ca_cert, server.url("https", "/")}, 30s);
  EXPECT_NE(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.output.find("no application protocol"), std::string::npos) << r.describe();
  EXPECT_EQ(server.server().stats().requests, 0u);
}

TEST(TlsPolicy, AClientOfferingNoAlpnIsServedHttp2) {
  TestServer server(echo_over_tls());
  net::IoThreads io;
  auto options = client_options(server.port(), true);
  options.tls->alpn.clear();
  net::Client client(io, options);
  auto future = client.submit(get("/no-alpn"));
  auto result = await(future);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(*net::find_header(result->headers, "x-alpn"), "");
}

TEST(TlsPolicy, Tls11HandshakeIsRefusedByTheServer) {
  support::Counter refused;
  std::string reason;
  auto options = echo_over_tls();
  options.on_handshake_failure = [&](const net::PeerInfo&, const std::string& why) {
    reason = why;
    refused.add();
  };
  TestServer server(options);
  // SECLEVEL=0 lets the client really offer TLS 1.1, so the refusal is the server's.
  const auto r =
      run_process({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()),
                   "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"},
                  30s, "Q\n");
  EXPECT_NE(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.output.find("protocol version"), std::string::npos) << r.describe();
  ASSERT_TRUE(refused.wait_for_at_least(1));
  EXPECT_NE(reason.find("unsupported protocol"), std::string::npos) << reason;
  EXPECT_EQ(server.server().stats().handshake_failures, 1u);
}

TEST(TlsPolicy, OurClientPresentsItsCertificateWhenRequired) {
  TestServer server(echo_over_tls(net::ClientCertMode::Require));
  const auto& pki = support::TestPki::get();
  net::IoThreads io;
  auto options = client_options(server.port(), true);
  options.tls->certificate_file = pki.client_cert;
  options.tls->private_key_file = pki.client_key;
  net::Client client(io, options);
  auto future = client.submit(get("/"));
  auto result = await(future);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(*net::find_header(result->headers, "x-client-subject"),
            "CN=voipsim test client,O=voipsim");
  EXPECT_EQ(*net::find_header(result->headers, "x-alpn"), "h2");
}

TEST(TlsPolicy, OurClientRefusesAServerFromAnotherCa) {
  TestServer server(echo_over_tls());
  net::IoThreads io;
  auto options = client_options(server.port(), true);
  options.tls->ca_file = support::TestPki::get().other_ca_cert;
  net::Client client(io, options);
  auto future = client.submit(get("/"));
  auto result = await(future);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, net::Errc::PeerCertificateUntrusted) << result.error().message;
  EXPECT_TRUE(result.error().retryable);
}

TEST(TlsPolicy, OurClientChecksTheServerName) {
  TestServer server(echo_over_tls());
  net::IoThreads io;
  auto options = client_options(server.port(), true);
  options.tls->server_name = "api.push.apple.com"; // not in the test certificate's SANs
  net::Client client(io, options);
  auto future = client.submit(get("/"));
  auto result = await(future);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, net::Errc::PeerCertificateUntrusted);
  EXPECT_NE(result.error().message.find("hostname mismatch"), std::string::npos)
      << result.error().message;
}

// A listener whose certificate file is the leaf and an intermediate sends both (a client that
// trusts only the root gets through), and names its client CA file's subjects, each once, to
// clients (openssl s_client prints them): what SSL_CTX_use_certificate_chain_file and
// SSL_load_client_CA_file did before the contexts shared one parse of each file.
TEST(TlsPolicy, TheListenerSendsItsIntermediateAndNamesItsClientCas) {
  const auto now = std::chrono::system_clock::now();
  auto root = pki::CertificateAuthority::create_root({"voipsim chain root", "voipsim", "", "US"},
                                                     now - 1h, now + 24h);
  ASSERT_TRUE(root) << root.error().message();
  auto middle = root->issue_intermediate({"voipsim chain intermediate", "voipsim", "", "US"},
                                         now - 1h, now + 24h);
  ASSERT_TRUE(middle) << middle.error().message();
  auto leaf = middle->issue_server({"localhost", "127.0.0.1"}, now - 1h, now + 24h);
  ASSERT_TRUE(leaf) << leaf.error().message();
  support::TempDir dir;
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir.file(name), std::ios::binary) << text;
    return dir.file(name);
  };
  const auto& test_pki = support::TestPki::get();
  std::ifstream ca_in(test_pki.ca_cert);
  const std::string test_ca((std::istreambuf_iterator<char>(ca_in)), {});

  net::ServerOptions o;
  net::TlsServerConfig tls;
  tls.certificate_chain_file =
      write("chain.pem", leaf->certificate_pem + middle->certificate_pem());
  tls.private_key_file = write("leaf.key", leaf->private_key_pem);
  tls.client_certificates = net::ClientCertMode::Request;
  tls.client_ca_file = write("client-cas.pem", test_ca + root->certificate_pem() + test_ca);
  o.tls = tls;
  o.handler = echo_handler();
  TestServer server(o);

  const auto r = run_process(
      {"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), "-CAfile",
       write("root.pem", root->certificate_pem()), "-verify_return_error", "-alpn", "h2"},
      30s, "Q\n");
  EXPECT_NE(r.output.find("Verify return code: 0 (ok)"), std::string::npos) << r.describe();
  EXPECT_NE(r.output.find("CN = voipsim chain intermediate"), std::string::npos) << r.describe();
  const auto names = r.output.find("Acceptable client certificate CA names");
  ASSERT_NE(names, std::string::npos) << r.describe();
  const std::string listed =
      r.output.substr(names, r.output.find("Requested Signature Algorithms", names) - names);
  // Three certificates, two subjects: the test CA once.
  EXPECT_EQ(listed, "Acceptable client certificate CA names\nCN = voipsim test CA\n"
                    "CN = voipsim chain root, O = voipsim, C = US\n");
}

TEST(TlsPolicy, ListenerWithMissingCertificateFailsToStartWithTheFileName) {
  net::ServerOptions o;
  o.tls.emplace();
  o.tls->certificate_chain_file = "/nonexistent/server.pem";
  o.tls->private_key_file = "/nonexistent/server.key";
  o.handler = echo_handler();
  net::Server server(o);
  auto started = server.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, net::Errc::InvalidOptions);
  EXPECT_NE(started.error().message().find("/nonexistent/server.pem"), std::string::npos);
}

} // namespace
} // namespace integration
