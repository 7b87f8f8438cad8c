#pragma once
// voipsim certs issue, in two steps: its flags read into Options (pure, so tests check every flag
// without reading the request), then run(), which reads the CSR and the folder and issues.

#include "cli/args.hpp"
#include "core/result.hpp"
#include "pki/certificate.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cli::certs_issue_command {

struct Options {
  std::string csr_file;
  pki::CertificateKind kind = pki::CertificateKind::VoipServices;
  std::string bundle_id;
  std::string pki_dir;              // a folder written by `voipsim certs`
  std::string out_file;             // default: Apple's download name for the kind
  std::optional<std::uint64_t> now; // unix seconds; else the time it runs
  bool force = false;
};

// The words after `voipsim certs issue`, split by the command's flags.
core::Result<Args> args_of(const std::vector<std::string>& words);
// Every flag checked; the error says which one and why. Reads no file.
core::Result<Options> options_of(const Args& args);
// Issues and writes the certificate; returns the exit status (1 could not issue or write, 2 an
// unusable CSR or folder, or a request the portal refuses).
int run(const Options& options);

} // namespace cli::certs_issue_command
