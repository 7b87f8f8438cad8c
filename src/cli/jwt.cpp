// `voipsim jwt`: a provider token for APNs token authentication (apns-provider-api.md §6),
// signed with the PKI folder's .p8 key, so that curl and client libraries can use token auth
// against the mock without writing one with openssl.

#include "cli/jwt.hpp"

#include "cli/commands.hpp"
#include "mock_apns/pki_dir.hpp"

#include <iostream>

namespace cli {

const char* const kJwtHelp =
    R"help(Usage: voipsim jwt --pki DIR [--key-id K] [--team-id T] [--iat SECONDS|now] [--header]

Prints a provider token (a JWT, ES256) for APNs token authentication, signed with the .p8 key
of a PKI folder: one written by 'voipsim certs', or the one 'voipsim mock-apns' names in its
ready line ("pki"). The mock knows that key, so the token is accepted on its token
connections for the folder's team and app (docs/spec/apns-provider-api.md §6).

Options:
  --pki DIR          the PKI folder (required)
  --key-id K         the header's kid; default: the folder's key (KB00000001 unless made
                     otherwise). Any other id gets 403 InvalidProviderToken from the mock
  --team-id T        the iss claim; default: the folder's team (TEAMA12345)
  --iat SECONDS|now  issued at, in UNIX seconds; default now. APNs refuses a token older than
                     an hour (403 ExpiredProviderToken)
  --header           print the whole header line, "authorization: bearer <token>"
  -h, --help         show this help

Examples:
  voipsim mock-apns --pki ./pki &            # after: voipsim certs --out ./pki ...
  curl --http2 --cacert ./pki/ca-bundle.pem \
       --resolve api.sandbox.push.apple.com:PORT:127.0.0.1 \
       -H "$(voipsim jwt --pki ./pki --header)" \
       -H 'apns-topic: com.example.imapp.voip' -H 'apns-push-type: voip' -d '{"aps":{}}' \
       https://api.sandbox.push.apple.com:PORT/3/device/TOKEN
  voipsim jwt --pki ./pki --iat 1767225600   # a token issued at a fixed time
  voipsim jwt --pki ./pki --key-id XXXXXXXXXX  # one the mock refuses: InvalidProviderToken
)help";

namespace jwt_command {
namespace {

constexpr const char* kCommand = "jwt";

// The latest second a 64-bit signed iat claim can carry.
constexpr std::uint64_t kLastSecond = std::uint64_t{1} << 62;

} // namespace

core::Result<Args> args_of(const std::vector<std::string>& words) {
  return Args::parse(words, {"pki", "key-id", "team-id", "iat"}, {"header"});
}

core::Result<Options> options_of(const Args& args) {
  if (auto given = args.require({"pki"}); !given) return core::Unexpected(given.error());
  if (auto none = no_positional(args); !none) return core::Unexpected(none.error());
  Options o;
  o.pki_dir = args.get("pki", "");
  o.key_id = args.find("key-id");
  o.team_id = args.find("team-id");
  if (args.get("iat", "now") != "now") { // "now" is the default said out loud
    const auto iat = args.optional_number("iat", 0, kLastSecond);
    if (!iat) return core::Unexpected(iat.error());
    o.iat = *iat;
  }
  for (const auto* flag : {"key-id", "team-id"}) {
    if (args.has(flag) && args.get(flag, "").empty())
      return core::fail(core::Errc::InvalidArgument, std::string("--") + flag + " is empty");
  }
  o.header = args.has("header");
  return o;
}

int run(const Options& o) {
  auto folder = mock_apns::load_pki_dir(o.pki_dir);
  if (!folder) return fail(kCommand, folder.error().message(), kExitFailed);
  auto token = mock_apns::provider_token(*folder, time_or_now(o.iat), {o.key_id, o.team_id});
  if (!token) return fail(kCommand, token.error().message(), kExitFailed);
  std::cout << (o.header ? "authorization: bearer " : "") << *token << "\n";
  return kExitOk;
}

} // namespace jwt_command

int jwt(const std::vector<std::string>& words) {
  return run_words("jwt", words, jwt_command::args_of, jwt_command::options_of, jwt_command::run);
}

} // namespace cli
