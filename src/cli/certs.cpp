// `voipsim certs`: writes the fake Apple PKI and provider credentials a test set-up needs.

#include "cli/certs.hpp"

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
       voipsim certs issue --csr FILE --kind KIND --bundle-id ID --pki DIR
                           [--out FILE] [--now UNIX_SECONDS] [--force]

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
  ca-bundle.pem               both CAs: the mock trusts it for provider certificates (it loads
                              it from the folder: voipsim mock-apns --pki DIR) and clients trust
                              it for the mock's server (curl --cacert, voipsim pipeline --ca)
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

voipsim certs issue: the developer portal's step, with your own key
  Does what the Apple Developer portal does with a Certificate Signing Request: checks it
  (PKCS#10, a valid self-signature, an RSA key of 2048 bits or more, a subject with an email
  address and a common name) and writes the certificate Apple would return for the kind and
  App ID, in DER: the subject, UID, Apple extensions and topics of that kind in DIR (team id
  from DIR's manifest), your key, signed by DIR's fake WWDR CA, valid 365 days from --now.
  Your private key never leaves your machine, as with Apple.

  --csr FILE            the request, PEM or DER (Keychain Access or `openssl req -new`)
  --kind KIND           voip-services, apns-development, apns-production or apple-push-services
  --bundle-id ID        the App ID's bundle id, e.g. com.example.imapp
  --pki DIR             a folder written by `voipsim certs` (required: the certificate is only
                        good where DIR's CA is trusted, e.g. `voipsim mock-apns --pki DIR`)
  --out FILE            where to write (default: Apple's download name in the current folder:
                        voip_services.cer, aps_development.cer, aps.cer for apns-production,
                        aps_sandbox_production.cer for apple-push-services)
  --now UNIX_SECONDS    issue as if at this time (default: the current time)
  --force               replace FILE if it exists
  Exit status: 0 written, 1 could not issue or write, 2 bad usage or a request the portal refuses.

Examples (the seed's Step 1 and Step 2, done locally):
  # Step 1, the portal: a key and CSR (Keychain Access: Request a Certificate From a CA)
  voipsim certs --out pki --bundle-id com.example.imapp --team-id TEAMA12345 \
      --key-id KB00000001 --p12-password-file p12.secret
  openssl req -new -newkey rsa:2048 -nodes -keyout my.key \
      -subj "/emailAddress=dev@example.com/CN=Dev Key" -out my.csr
  voipsim certs issue --csr my.csr --kind voip-services --bundle-id com.example.imapp --pki pki
  # import and export (Keychain Access: export certificate and key as .p12, with a password)
  openssl x509 -inform DER -in voip_services.cer -out voip_services.pem
  openssl x509 -in voip_services.pem -noout -text    # Apple's subject, UID, extensions, topic
  openssl pkcs12 -export -inkey my.key -in voip_services.pem -name "VoIP Services" \
      -out voip.p12 -passout pass:my-export-password
  # Step 2, the IM console: upload the .p12 with its password (answers two certificate IDs)
  curl http://127.0.0.1:PORT/v1/console/certificates --json \
      "{\"name\":\"My VoIP\",\"password\":\"my-export-password\",\"p12_base64\":\"$(base64 -w0 voip.p12)\"}"
  # a VoIP push signed with your key, to `voipsim mock-apns --pki pki`
  curl --http2 --cacert pki/ca-bundle.pem --cert voip_services.pem --key my.key \
      -H "apns-push-type: voip" -H "apns-topic: com.example.imapp.voip" -d '{"aps":{}}' \
      https://localhost:PORT/3/device/TOKEN
  OpenSSL 3's default .p12 (AES-256, SHA-256 MAC) is what the console wants; add -legacy only
  for Go clients such as sideshow/apns2. The console refuses a .p12 made with -nokeys
  (P12_NO_PRIVATE_KEY), with -passout pass: (P12_PASSWORD_REQUIRED), and a certificate of
  another kind where a VoIP one is wanted (CERT_NOT_VOIP).
)";

namespace certs_command {
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

void print_written(const Options& o, std::size_t written,
                   const std::vector<pki::CredentialFile>& files) {
  std::cout << "voipsim certs: wrote " << written << " files to " << o.out_dir << "\n";
  for (const auto& f : files)
    std::cout << "  " << std::left << std::setw(34) << f.name << f.description << "\n";
  std::cout << "  " << std::left << std::setw(34) << "manifest.json"
            << "every file, its role and contents\n";
}

} // namespace

core::Result<Args> args_of(const std::vector<std::string>& words) {
  return Args::parse(
      words,
      {"out", "bundle-id", "team-id", "key-id", "p12-password", "p12-password-file", "days", "now"},
      {"force", "json"});
}

core::Result<Options> options_of(const Args& args) {
  if (auto given = args.require({"out", "bundle-id", "team-id", "key-id"}); !given)
    return core::Unexpected(given.error());
  if (args.has("p12-password") == args.has("p12-password-file")) {
    return core::fail(
        core::Errc::InvalidArgument,
        "give the .p12 password with exactly one of --p12-password and --p12-password-file");
  }
  const auto days = args.number("days", 365, 1, 36500);
  if (!days) return core::Unexpected(days.error());
  const auto now = args.optional_number("now", 0, kLastCertificateSecond);
  if (!now) return core::Unexpected(now.error());
  // The CAs outlive the certificates by a day: all of it must fit before year 10000. (From the
  // current time, 36500 days and one do.)
  if (*now && **now + (*days + 1) * 86400 > kLastCertificateSecond) {
    return core::fail(
        core::Errc::InvalidArgument,
        "--now plus --days reaches past the year 9999, which certificates cannot express");
  }
  if (auto none = no_positional(args); !none) return core::Unexpected(none.error());
  Options o;
  o.out_dir = args.get("out", "");
  o.bundle_id = args.get("bundle-id", "");
  o.team_id = args.get("team-id", "");
  o.key_id = args.get("key-id", "");
  o.p12_password = args.find("p12-password");
  o.p12_password_file = args.find("p12-password-file");
  o.days = *days;
  o.now = *now;
  o.force = args.has("force");
  o.json = args.has("json");
  return o;
}

int run(const Options& o) {
  pki::CredentialSetOptions options;
  if (o.p12_password_file) {
    const auto line = first_line_of(*o.p12_password_file);
    if (!line)
      return fail("certs", "cannot read a password from " + *o.p12_password_file, kExitUsage);
    options.p12_password = *line;
  } else {
    options.p12_password = o.p12_password.value_or("");
  }
  options.bundle_id = o.bundle_id;
  options.team_id = o.team_id;
  options.key_id = o.key_id;
  options.now = time_or_now(o.now);
  options.validity = std::chrono::hours(24 * static_cast<std::int64_t>(o.days));

  auto files = pki::make_credential_set(options);
  if (!files) {
    return files.error().code == pki::Errc::InvalidInput
               ? refuse("certs", files.error().message())
               : fail("certs", files.error().message(), kExitFailed);
  }
  const std::string manifest = pki::credential_manifest(*files, options);
  auto written = pki::write_credential_set(*files, manifest, o.out_dir, o.force);
  if (!written) return fail("certs", written.error().message(), kExitFailed);
  if (o.json)
    std::cout << manifest;
  else
    print_written(o, written->size(), *files);
  return kExitOk;
}

} // namespace certs_command

int certs(const std::vector<std::string>& words) {
  if (!words.empty() && words.front() == "issue")
    return certs_issue(std::vector<std::string>(words.begin() + 1, words.end()));
  return run_words("certs", words, certs_command::args_of, certs_command::options_of,
                   certs_command::run);
}

} // namespace cli
