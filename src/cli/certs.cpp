// `voipsim certs`: writes the fake Apple PKI and provider credentials a test set-up needs.

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "pki/credential_set.hpp"
#include "pki/error.hpp"

#include <fstream>
#include <iomanip>
#include <iostream>

namespace cli {

const char* const kCertsHelp =
    R"(Usage: voipsim certs --out DIR --bundle-id ID --team-id TEAM --key-id KEY
                     (--p12-password PASSWORD | --p12-password-file FILE)
                     [--days N] [--now UNIX_SECONDS] [--force] [--json]

Writes a complete, fake Apple push PKI for one app into DIR, plus manifest.json describing
every file (role, and for provider certificates: kind, environments, topics, validity).
Nothing here is trusted by anything but voipsim and your tests.

Options:
  --out DIR             directory to write (created if missing)
  --bundle-id ID        the app's bundle id, e.g. com.example.imapp
  --team-id TEAM        10-character team id (upper-case letters and digits), the subject OU
  --key-id KEY          10-character key id of the provider token key
  --p12-password PASS   password of every .p12 except voip-services-no-password.p12
  --p12-password-file F read the password from the first line of F instead (keeps it out of
                        the process list and the shell history)
  --days N              validity of the certificates in days (default 365)
  --now UNIX_SECONDS    issue as if at this time (default: the current time)
  --force               replace files that already exist (otherwise nothing is written)
  --json                print the list of written files as JSON
  -h, --help            show this help

Files:
  root-ca.pem / .key          fake Apple root CA; clients trust it for the mock's server certificate
  wwdr-ca.pem / .key          fake "Apple Worldwide Developer Relations" CA; issues the provider certificates
  ca-bundle.pem               both CAs: the mock's trusted client CA and the clients' trust anchor
  server.pem / .key           the mock's TLS certificate: localhost, 127.0.0.1, ::1, api.push.apple.com,
                              api.sandbox.push.apple.com, api.development.push.apple.com
  apns-development.*          "Apple Development IOS Push Services" certificate: sandbox only (.pem, .key, .p12)
  apns-production.*           "Apple Production IOS Push Services" certificate: production only
  apple-push-services.*       "Apple Push Services": both environments, topics <bundle>, .voip, .complication
  voip-services.*             "VoIP Services": both environments, topic <bundle>.voip; what the IM console takes
  voip-services-no-password.p12   the same exported with an empty password: the console must refuse it
  *-legacy.p12                each .p12 again in the legacy form Keychain Access exports (3DES, SHA-1
                              MAC, the certificate and its key only): for Go tools such as
                              sideshow/apns2, which cannot read the others; the console takes both
  voip-services-expired.*     a VoIP Services certificate that expired the day before --now
  plain-client.pem / .key     a WWDR-issued client certificate without Apple's fields (APNs: BadCertificate)
  AuthKey_<KEY>.p8            provider token signing key (EC P-256, PKCS#8), as Apple's portal names it
  AuthKey_<KEY>.pub.pem       its public half, to register with the mock
  manifest.json               all of the above, machine-readable; never contains the password

Private keys, .p12 and .p8 files are written readable by the owner only (0600).
Exit status: 0 written, 1 could not generate or write (nothing is half-written on refusal),
2 bad usage.
)";

namespace {

// The latest time an X.509 certificate can state (RFC 5280 GeneralizedTime 99991231235959Z).
constexpr std::uint64_t kLastCertificateSecond = 253402300799;

std::optional<std::string> first_line_of(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

} // namespace

int certs(const std::vector<std::string>& words) {
  std::string error;
  const auto args = Args::parse(
      words,
      {"out", "bundle-id", "team-id", "key-id", "p12-password", "p12-password-file", "days", "now"},
      {"force", "json"}, error);
  std::optional<std::uint64_t> days, now;
  std::string password;
  if (args) {
    for (const char* required : {"out", "bundle-id", "team-id", "key-id"})
      if (error.empty() && !args->has(required))
        error = std::string("--") + required + " is required";
    if (error.empty() && args->has("p12-password") == args->has("p12-password-file"))
      error = "give the .p12 password with exactly one of --p12-password and --p12-password-file";
    if (error.empty() && args->has("p12-password-file")) {
      const auto line = first_line_of(args->get("p12-password-file", ""));
      if (!line)
        error = "cannot read a password from " + args->get("p12-password-file", "");
      else
        password = *line;
    } else if (error.empty()) {
      password = args->get("p12-password", "");
    }
    if (error.empty()) days = args->number("days", 365, 1, 36500, error);
    if (error.empty())
      now = args->number("now",
                         static_cast<std::uint64_t>(core::unix_seconds(core::SystemClock().now())),
                         0, kLastCertificateSecond, error);
    // The CAs outlive the certificates by a day: all of it must fit before year 10000.
    if (error.empty() && *now + (*days + 1) * 86400 > kLastCertificateSecond)
      error = "--now plus --days reaches past the year 9999, which certificates cannot express";
    if (error.empty() && !args->positional().empty())
      error = "unexpected argument '" + args->positional().front() + "'";
  }
  if (!error.empty()) {
    std::cerr << "voipsim certs: " << error << "\nRun 'voipsim certs --help' for usage.\n";
    return kExitUsage;
  }

  pki::CredentialSetOptions options;
  options.bundle_id = args->get("bundle-id", "");
  options.team_id = args->get("team-id", "");
  options.key_id = args->get("key-id", "");
  options.p12_password = password;
  options.now = core::from_unix_seconds(static_cast<std::int64_t>(*now));
  options.validity = std::chrono::hours(24 * static_cast<std::int64_t>(*days));

  auto files = pki::make_credential_set(options);
  if (!files) {
    std::cerr << "voipsim certs: " << files.error().message() << "\n";
    return files.error().code == pki::Errc::InvalidInput ? kExitUsage : kExitFailed;
  }
  const std::string manifest = pki::credential_manifest(*files, options);
  auto written =
      pki::write_credential_set(*files, manifest, args->get("out", ""), args->has("force"));
  if (!written) {
    std::cerr << "voipsim certs: " << written.error().message() << "\n";
    return kExitFailed;
  }

  if (args->has("json")) {
    std::cout << manifest;
    return kExitOk;
  }
  std::cout << "voipsim certs: wrote " << written->size() << " files to " << args->get("out", "")
            << "\n";
  for (const auto& f : *files)
    std::cout << "  " << std::left << std::setw(34) << f.name << f.description << "\n";
  std::cout << "  " << std::left << std::setw(34) << "manifest.json"
            << "every file, its role and contents\n";
  return kExitOk;
}

} // namespace cli
