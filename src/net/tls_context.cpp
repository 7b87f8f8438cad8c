#include "net/tls_context.hpp"

#include "core/encoding.hpp"
#include "net/error.hpp"
#include "net/tls_material.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace net {
namespace {

namespace ssl = boost::asio::ssl;

constexpr unsigned char kH2[] = {'h', '2'};

// Picks h2 from the client's ALPN list. Without h2 the handshake fails with the fatal
// no_application_protocol alert: APNs has no HTTP/1.1 fallback (apns-provider-api.md §2).
int select_h2(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
              unsigned int inlen, void*) {
  for (unsigned int i = 0; i < inlen;) {
    const unsigned int len = in[i];
    if (i + 1 + len > inlen) break;
    if (len == sizeof(kH2) && std::equal(kH2, kH2 + sizeof(kH2), in + i + 1)) {
      *out = in + i + 1;
      *outlen = static_cast<unsigned char>(len);
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + len;
  }
  return SSL_TLSEXT_ERR_ALERT_FATAL;
}

core::Unexpected<core::Error> tls_error(const boost::system::error_code& ec,
                                        const std::string& what) {
  return core::fail(Errc::InvalidOptions, what + ": " + ec.message());
}

// TLS 1.2 suites HTTP/2 allows (RFC 9113 §9.2.2: ephemeral key exchange, AEAD only). TLS 1.3
// suites all qualify and are configured separately by OpenSSL.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// Lower-case hex of the certificate's SHA-256 (of its DER); empty when OpenSSL cannot compute it.
std::string sha256_fingerprint(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert, EVP_sha256(), md, &len) != 1) return {};
  return core::hex_encode({reinterpret_cast<const char*>(md), len});
}

// The chain stays OpenSSL's to verify. The leaf comes last (depth 0): one the config refuses
// fails with X509_V_ERR_CERT_REVOKED, which OpenSSL sends as the certificate_revoked alert
// (under TLS 1.3 after the client has sent its Finished, apns-provider-api.md §5.4).
struct RefuseListedLeaf {
  std::function<bool(std::string_view)> refuse;

  bool operator()(bool preverified, ssl::verify_context& context) const {
    X509_STORE_CTX* store = context.native_handle();
    if (!preverified || X509_STORE_CTX_get_error_depth(store) != 0) return preverified;
    X509* leaf = X509_STORE_CTX_get_current_cert(store);
    const std::string fingerprint = leaf ? sha256_fingerprint(leaf) : std::string();
    // A leaf that cannot be checked is not let through: the caller asked for a check.
    int error = X509_V_ERR_APPLICATION_VERIFICATION;
    try {
      if (!fingerprint.empty()) {
        if (!refuse(fingerprint)) return true;
        error = X509_V_ERR_CERT_REVOKED;
      }
    } catch (...) {
      // No exception may cross OpenSSL's callback: the handshake fails instead.
    }
    X509_STORE_CTX_set_error(store, error);
    return false;
  }
};

std::shared_ptr<SslContext> new_context(SslContext::method method) {
  auto ctx = std::make_shared<SslContext>(method);
  ctx->set_options(SslContext::default_workarounds | SslContext::no_compression);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  SSL_CTX_set_cipher_list(ctx->native_handle(), kTls12Ciphers);
  return ctx;
}

// OpenSSL's reason for refusing what was just set ("key values mismatch").
core::Unexpected<core::Error> refused(const std::string& what) {
  return core::fail(Errc::InvalidOptions, what + ": " + take_openssl_reason());
}

// `source` read as `role`: a file's path, or the PEM text itself when `in_memory`.
core::Result<std::shared_ptr<const TlsMaterial>> material(PemRole role, const std::string& source,
                                                          bool in_memory, const std::string& what) {
  return in_memory ? tls_material_from_pem(role, source, what)
                   : tls_material_from_file(role, source, what);
}

// The leaf and the certificates after it, as SSL_CTX_use_certificate_chain_file sets them.
core::Result<void> use_chain(SslContext& ctx, const std::string& source, bool in_memory,
                             const std::string& what) {
  auto chain = material(PemRole::Chain, source, in_memory, what);
  if (!chain) return core::Unexpected(chain.error());
  SSL_CTX* native = ctx.native_handle();
  const auto& certificates = (*chain)->certificates;
  bool ok = SSL_CTX_use_certificate(native, certificates.front()) == 1;
  for (std::size_t i = 1; ok && i < certificates.size(); ++i)
    ok = SSL_CTX_add1_chain_cert(native, certificates[i]) == 1;
  if (!ok) return refused(what);
  return {};
}

// The key, checked against the certificate set before it.
core::Result<void> use_key(SslContext& ctx, const std::string& source, bool in_memory,
                           const std::string& what) {
  auto key = material(PemRole::PrivateKey, source, in_memory, what);
  if (!key) return core::Unexpected(key.error());
  if (SSL_CTX_use_PrivateKey(ctx.native_handle(), (*key)->private_key) != 1) return refused(what);
  return {};
}

// The CA file's certificates and CRLs as the context's trust anchors (a store shared with every
// context made from the same file: none of them adds to it).
core::Result<std::shared_ptr<const TlsMaterial>>
use_trust_anchors(SslContext& ctx, const std::string& file, const std::string& what) {
  auto anchors = material(PemRole::TrustAnchors, file, false, what);
  if (anchors) SSL_CTX_set1_cert_store(ctx.native_handle(), (*anchors)->trust);
  return anchors;
}

} // namespace

core::Result<std::shared_ptr<SslContext>> make_server_tls_context(const TlsServerConfig& config) {
  auto ctx = new_context(SslContext::tls_server);
  if (auto used = use_chain(*ctx, config.certificate_chain_file, false,
                            "server certificate '" + config.certificate_chain_file + "'");
      !used)
    return core::Unexpected(used.error());
  if (auto used = use_key(*ctx, config.private_key_file, false,
                          "server private key '" + config.private_key_file + "'");
      !used)
    return core::Unexpected(used.error());
  SSL_CTX_set_alpn_select_cb(ctx->native_handle(), select_h2, nullptr);

  if (config.client_certificates != ClientCertMode::None) {
    if (config.client_ca_file.empty())
      return core::fail(Errc::InvalidOptions, "client certificate mode needs client_ca_file");
    auto cas =
        use_trust_anchors(*ctx, config.client_ca_file, "client CA '" + config.client_ca_file + "'");
    if (!cas) return core::Unexpected(cas.error());
    // Tells clients which CA we accept, so they pick the right certificate.
    if (STACK_OF(X509_NAME)* names = SSL_dup_CA_list((*cas)->subjects))
      SSL_CTX_set_client_CA_list(ctx->native_handle(), names);
    // Session resumption with client verification needs a session id context.
    static constexpr unsigned char kSessionContext[] = "voipsim";
    SSL_CTX_set_session_id_context(ctx->native_handle(), kSessionContext,
                                   sizeof(kSessionContext) - 1);
    auto mode = ssl::verify_peer;
    if (config.client_certificates == ClientCertMode::Require)
      mode |= ssl::verify_fail_if_no_peer_cert;
    ctx->set_verify_mode(mode);
    // Keeps the mode just set: Asio's callback is installed with SSL_CTX_get_verify_mode.
    if (config.refuse_client_certificate)
      ctx->set_verify_callback(RefuseListedLeaf{config.refuse_client_certificate});
  } else {
    ctx->set_verify_mode(ssl::verify_none);
  }
  return ctx;
}

core::Result<std::shared_ptr<SslContext>> make_client_tls_context(const TlsClientConfig& config) {
  auto ctx = new_context(SslContext::tls_client);
  boost::system::error_code ec;
  if (config.ca_file.empty()) {
    if (ctx->set_default_verify_paths(ec); ec) return tls_error(ec, "the system's CA store");
  } else if (auto cas = use_trust_anchors(*ctx, config.ca_file, "CA '" + config.ca_file + "'");
             !cas) {
    return core::Unexpected(cas.error());
  }
  ctx->set_verify_mode(ssl::verify_peer);
  if (config.max_version == TlsVersion::Tls12)
    SSL_CTX_set_max_proto_version(ctx->native_handle(), TLS1_2_VERSION);

  const bool in_memory = config.certificate_file.empty();
  const std::string& certificate = in_memory ? config.certificate_pem : config.certificate_file;
  const std::string& key = in_memory ? config.private_key_pem : config.private_key_file;
  if (!certificate.empty()) {
    if (key.empty())
      return core::fail(Errc::InvalidOptions,
                        in_memory ? "client certificate given without private_key_pem"
                                  : "client certificate given without private_key_file");
    if (auto used = use_chain(*ctx, certificate, in_memory,
                              in_memory ? std::string("client certificate (PEM in memory)")
                                        : "client certificate '" + certificate + "'");
        !used)
      return core::Unexpected(used.error());
    if (auto used = use_key(*ctx, key, in_memory,
                            in_memory ? std::string("client private key (PEM in memory)")
                                      : "client private key '" + key + "'");
        !used)
      return core::Unexpected(used.error());
  }

  if (!config.alpn.empty()) {
    std::string wire;
    for (const auto& p : config.alpn) {
      if (p.empty() || p.size() > 255)
        return core::fail(Errc::InvalidOptions, "ALPN protocol names are 1 to 255 bytes");
      wire.push_back(static_cast<char>(p.size()));
      wire += p;
    }
    if (SSL_CTX_set_alpn_protos(ctx->native_handle(),
                                reinterpret_cast<const unsigned char*>(wire.data()),
                                static_cast<unsigned int>(wire.size())) != 0)
      return core::fail(Errc::InvalidOptions, "cannot set ALPN protocols");
  }
  return ctx;
}

core::Result<void> expect_server_name(SSL* ssl, const std::string& name) {
  boost::system::error_code not_ip;
  boost::asio::ip::make_address(name, not_ip);
  const bool ok = not_ip ? SSL_set_tlsext_host_name(ssl, name.c_str()) == 1 &&
                               SSL_set1_host(ssl, name.c_str()) == 1
                         : X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name.c_str()) == 1;
  if (!ok) return core::fail(Errc::InvalidOptions, "cannot use '" + name + "' as the server name");
  return {};
}

std::string negotiated_alpn(SSL* ssl) {
  const unsigned char* data = nullptr;
  unsigned int len = 0;
  SSL_get0_alpn_selected(ssl, &data, &len);
  return data ? std::string(reinterpret_cast<const char*>(data), len) : std::string();
}

void describe_tls_peer(SSL* ssl, PeerInfo& peer) {
  peer.tls = true;
  peer.tls_version = SSL_get_version(ssl);
  peer.alpn = negotiated_alpn(ssl);
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (!cert) return;
  peer.has_client_certificate = true;
  if (BIO* bio = BIO_new(BIO_s_mem())) {
    X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
    char* text = nullptr;
    const long len = BIO_get_mem_data(bio, &text);
    peer.client_subject.assign(text, static_cast<std::size_t>(len));
    BIO_free(bio);
  }
  unsigned char* der = nullptr;
  const int der_len = i2d_X509(cert, &der);
  if (der_len > 0) {
    peer.client_certificate_der.assign(reinterpret_cast<const char*>(der),
                                       static_cast<std::size_t>(der_len));
    OPENSSL_free(der);
  }
  X509_free(cert);
}

std::string describe_tls_failure(SSL* ssl, const boost::system::error_code& ec) {
  std::string text = ec.message();
  if (ssl) {
    const long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK)
      text += " (certificate: " + std::string(X509_verify_cert_error_string(verify)) + ")";
  }
  return text;
}

} // namespace net
