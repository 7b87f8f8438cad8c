#include "net/tls_context.hpp"

#include "core/encoding.hpp"
#include "net/error.hpp"

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

} // namespace

core::Result<std::shared_ptr<SslContext>> make_server_tls_context(const TlsServerConfig& config) {
  auto ctx = new_context(SslContext::tls_server);
  boost::system::error_code ec;
  if (ctx->use_certificate_chain_file(config.certificate_chain_file, ec); ec)
    return tls_error(ec, "server certificate '" + config.certificate_chain_file + "'");
  if (ctx->use_private_key_file(config.private_key_file, SslContext::pem, ec); ec)
    return tls_error(ec, "server private key '" + config.private_key_file + "'");
  SSL_CTX_set_alpn_select_cb(ctx->native_handle(), select_h2, nullptr);

  if (config.client_certificates != ClientCertMode::None) {
    if (config.client_ca_file.empty())
      return core::fail(Errc::InvalidOptions, "client certificate mode needs client_ca_file");
    if (ctx->load_verify_file(config.client_ca_file, ec); ec)
      return tls_error(ec, "client CA '" + config.client_ca_file + "'");
    // Tells clients which CA we accept, so they pick the right certificate.
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(config.client_ca_file.c_str()))
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
  if (config.ca_file.empty())
    ctx->set_default_verify_paths(ec);
  else
    ctx->load_verify_file(config.ca_file, ec);
  if (ec) return tls_error(ec, "CA '" + config.ca_file + "'");
  ctx->set_verify_mode(ssl::verify_peer);
  if (config.max_version == TlsVersion::Tls12)
    SSL_CTX_set_max_proto_version(ctx->native_handle(), TLS1_2_VERSION);

  if (!config.certificate_file.empty()) {
    if (config.private_key_file.empty())
      return core::fail(Errc::InvalidOptions, "client certificate given without private_key_file");
    if (ctx->use_certificate_chain_file(config.certificate_file, ec); ec)
      return tls_error(ec, "client certificate '" + config.certificate_file + "'");
    if (ctx->use_private_key_file(config.private_key_file, SslContext::pem, ec); ec)
      return tls_error(ec, "client private key '" + config.private_key_file + "'");
  } else if (!config.certificate_pem.empty()) {
    if (config.private_key_pem.empty())
      return core::fail(Errc::InvalidOptions, "client certificate given without private_key_pem");
    if (ctx->use_certificate_chain(boost::asio::buffer(config.certificate_pem), ec); ec)
      return tls_error(ec, "client certificate (PEM in memory)");
    if (ctx->use_private_key(boost::asio::buffer(config.private_key_pem), SslContext::pem, ec); ec)
      return tls_error(ec, "client private key (PEM in memory)");
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
