// `voipsim certs issue`: the developer portal's step done locally (apns-provider-api.md
// §7.4a): a CSR of the developer's own key in, the certificate Apple would return out, signed by
// the fake WWDR CA of a folder written by `voipsim certs`.

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "core/file.hpp"
#include "mock_apns/pki_dir.hpp"
#include "pki/developer_portal.hpp"
#include "pki/error.hpp"

#include <fstream>
#include <iostream>

namespace cli {
namespace {

// The latest time an X.509 certificate can state, less the year it is valid for.
constexpr std::uint64_t kLastIssueSecond = 253402300799 - std::uint64_t{366} * 86400;

int usage(const std::string& message) {
  std::cerr << "voipsim certs issue: " << message << "\nRun 'voipsim certs --help' for usage.\n";
  return kExitUsage;
}

// The folder's WWDR CA and team id; errors name the file and what the folder should be.
core::Result<std::pair<pki::CertificateAuthority, std::string>>
load_wwdr(const std::filesystem::path& dir) {
  auto folder = mock_apns::load_pki_dir(dir);
  if (!folder) return core::Unexpected(folder.error());
  auto ca = mock_apns::load_wwdr_ca(*folder);
  if (!ca) return core::Unexpected(ca.error());
  return std::pair{std::move(*ca), folder->team_id};
}

} // namespace

int certs_issue(const std::vector<std::string>& words) {
  const auto args =
      Args::parse(words, {"csr", "kind", "bundle-id", "pki", "out", "now"}, {"force"});
  if (!args) return usage(args.error().detail);
  for (const char* required : {"csr", "kind", "bundle-id", "pki"})
    if (!args->has(required)) return usage(std::string("--") + required + " is required");
  if (!args->positional().empty())
    return usage("unexpected argument '" + args->positional().front() + "'");
  const std::string kind_text = args->get("kind", "");
  const auto kind = pki::portal_kind(kind_text);
  if (!kind)
    return usage("unknown --kind '" + kind_text +
                 "': the portal issues voip-services, apns-development, apns-production and "
                 "apple-push-services");
  const auto now =
      args->number("now", static_cast<std::uint64_t>(core::unix_seconds(core::SystemClock().now())),
                   0, kLastIssueSecond);
  if (!now) return usage(now.error().detail);
  auto csr = core::read_file(args->get("csr", ""));
  if (!csr) return usage("--csr: " + csr.error().detail);
  auto wwdr = load_wwdr(args->get("pki", ""));
  if (!wwdr) return usage("--pki: " + wwdr.error().message());

  const pki::PortalOrder order{std::move(*csr), *kind, args->get("bundle-id", ""), wwdr->second,
                               core::from_unix_seconds(static_cast<std::int64_t>(*now))};
  auto der = pki::issue_from_csr(wwdr->first, order);
  if (!der) {
    // A refused request or bundle id is the user's to fix, as on the portal.
    const bool refused =
        der.error().code == pki::Errc::InvalidInput || der.error().code == pki::Errc::Malformed;
    std::cerr << "voipsim certs issue: " << der.error().detail << "\n";
    return refused ? kExitUsage : kExitFailed;
  }

  const std::filesystem::path out = args->get("out", std::string(pki::download_name(*kind)));
  std::error_code ec;
  if (!args->has("force") && std::filesystem::exists(out, ec))
    return usage("refusing to overwrite " + out.string() + " (use --force to replace it)");
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file.write(der->data(), static_cast<std::streamsize>(der->size()));
  file.close();
  if (!file) {
    std::cerr << "voipsim certs issue: cannot write " << out.string() << "\n";
    return kExitFailed;
  }
  std::cout << "voipsim certs issue: wrote " << out.string() << " (" << kind_text << " for "
            << order.bundle_id << ", DER, valid 365 days)\n";
  return kExitOk;
}

} // namespace cli
