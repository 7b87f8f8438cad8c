#pragma once
// TLS settings for listeners and clients. Plain values; the contexts are built once per listener
// or client from these (net/tls_context.cpp). Every listener and client uses TLS 1.2 or later.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace net {

enum class ClientCertMode {
  None,    // do not ask for a client certificate
  Request, // ask; a certificate that is sent must chain to client_ca_file
  Require, // a certificate chaining to client_ca_file is mandatory
};

enum class TlsVersion { Tls12, Tls13 };

struct TlsServerConfig {
  std::string certificate_chain_file; // PEM: the server certificate, then its intermediates
  std::string private_key_file;       // PEM
  ClientCertMode client_certificates = ClientCertMode::None;
  std::string client_ca_file; // PEM trust anchors for client certificates
  // Asked in each handshake whose client certificate chains to client_ca_file, with the leaf's
  // SHA-256 fingerprint (lower-case hex of the DER): true fails the handshake with the
  // certificate_revoked alert, as APNs refuses a revoked certificate. Empty: none is refused.
  // Called on the listener's I/O threads during handshakes only; must be thread-safe and must
  // not throw.
  std::function<bool(std::string_view leaf_sha256)> refuse_client_certificate;
};

struct TlsClientConfig {
  std::string ca_file;          // PEM trust anchors for the server; empty: the system store
  std::string certificate_file; // optional client certificate chain (PEM)
  std::string private_key_file; // its key (PEM); required with certificate_file
  // The same in memory, for a certificate that lives in a database (the pipeline's uploaded
  // .p12): used when certificate_file is empty.
  std::string certificate_pem;
  std::string private_key_pem;
  // Name for SNI and for checking the server certificate; empty: the client's host.
  std::string server_name;
  // Offered via ALPN. Empty offers no ALPN at all, as some APNs clients do
  // (apns-provider-api.md §2).
  std::vector<std::string> alpn = {"h2"};
  // The newest version offered. Tls12 behaves as older clients do: a server's refusal of the
  // client certificate then ends the handshake itself instead of following it.
  TlsVersion max_version = TlsVersion::Tls13;
};

} // namespace net
