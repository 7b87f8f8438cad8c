// `voipsim certs issue`: the developer portal's step done locally (apns-provider-api.md
// §7.4a): a CSR of the developer's own key in, the certificate Apple would return out, signed by
// the fake WWDR CA of a folder written by `voipsim certs`.

#include "cli/certs_issue.hpp"

#include "cli/commands.hpp"
#include "core/file.hpp"
#include "mock_apns/pki_dir.hpp"
#include "pki/developer_portal.hpp"
#include "pki/error.hpp"

#include <fstream>
#include <iostream>

namespace cli {
namespace certs_issue_command {
namespace {

// The latest time an X.509 certificate can state, less the year it is valid for.
constexpr std::uint64_t kLastIssueSecond = 253402300799 - std::uint64_t{366} * 86400;

constexpr const char* kCommand = "certs issue";

// The folder's WWDR CA and team id; errors name the file and what the folder should be.
core::Result<std::pair<pki::CertificateAuthority, std::string>>
load_wwdr(const std::filesystem::path& dir) {
  auto folder = mock_apns::load_pki_dir(dir);
  if (!folder) return core::Unexpected(folder.error());
  auto ca = mock_apns::load_wwdr_ca(*folder);
  if (!ca) return core::Unexpected(ca.error());
  return std::pair{std::move(*ca), folder->team_id};
}

// Writes `der` to `out`, unless it exists and `force` is not set; the exit status.
int write_certificate(const std::filesystem::path& out, const std::string& der, bool force) {
  std::error_code ec;
  if (!force && std::filesystem::exists(out, ec))
    return fail(kCommand, "refusing to overwrite " + out.string() + " (use --force to replace it)",
                kExitUsage);
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file.write(der.data(), static_cast<std::streamsize>(der.size()));
  file.close();
  if (!file) return fail(kCommand, "cannot write " + out.string(), kExitFailed);
  return kExitOk;
}

} // namespace

core::Result<Args> args_of(const std::vector<std::string>& words) {
  return Args::parse(words, {"csr", "kind", "bundle-id", "pki", "out", "now"}, {"force"});
}

core::Result<Options> options_of(const Args& args) {
  if (auto given = args.require({"csr", "kind", "bundle-id", "pki"}); !given)
    return core::Unexpected(given.error());
  if (auto none = no_positional(args); !none) return core::Unexpected(none.error());
  const std::string kind_text = args.get("kind", "");
  const auto kind = pki::portal_kind(kind_text);
  if (!kind) {
    return core::fail(core::Errc::InvalidArgument, "unknown --kind '" + kind_text +
                                                       "': the portal issues " +
                                                       pki::portal_kind_words());
  }
  const auto now = args.optional_number("now", 0, kLastIssueSecond);
  if (!now) return core::Unexpected(now.error());
  Options o;
  o.csr_file = args.get("csr", "");
  o.kind = *kind;
  o.bundle_id = args.get("bundle-id", "");
  o.pki_dir = args.get("pki", "");
  o.out_file = args.get("out", std::string(pki::download_name(*kind)));
  o.now = *now;
  o.force = args.has("force");
  return o;
}

int run(const Options& o) {
  auto csr = core::read_file(o.csr_file);
  if (!csr) return fail(kCommand, "--csr: " + csr.error().detail, kExitUsage);
  auto wwdr = load_wwdr(o.pki_dir);
  if (!wwdr) return fail(kCommand, "--pki: " + wwdr.error().message(), kExitUsage);
  const pki::PortalOrder order{std::move(*csr), o.kind, o.bundle_id, wwdr->second,
                               time_or_now(o.now)};
  auto der = pki::issue_from_csr(wwdr->first, order);
  if (!der) {
    // A refused request or bundle id is the user's to fix, as on the portal.
    const bool refused =
        der.error().code == pki::Errc::InvalidInput || der.error().code == pki::Errc::Malformed;
    return refused ? refuse(kCommand, der.error().detail)
                   : fail(kCommand, der.error().detail, kExitFailed);
  }
  if (const int written = write_certificate(o.out_file, *der, o.force); written != kExitOk)
    return written;
  std::cout << "voipsim certs issue: wrote " << o.out_file << " (" << pki::kind_name(o.kind)
            << " for " << order.bundle_id << ", DER, valid 365 days)\n";
  return kExitOk;
}

} // namespace certs_issue_command

int certs_issue(const std::vector<std::string>& words) {
  return run_words(certs_issue_command::kCommand, words, certs_issue_command::args_of,
                   certs_issue_command::options_of, certs_issue_command::run);
}

} // namespace cli
