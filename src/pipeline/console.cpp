// Spec: docs/spec/im-voip-flow.md
#include "pipeline/console.hpp"

#include "core/encoding.hpp"
#include "core/names.hpp"
#include "core/utf8.hpp"
#include "pki/classify.hpp"
#include "pki/error.hpp"
#include "pki/pkcs12.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace pipeline {

namespace {

constexpr std::size_t kLongestName = 64; // [product]

constexpr core::Names<ConsoleCode, 8> kConsoleCodeNames{{
    {ConsoleCode::P12PasswordRequired, "P12_PASSWORD_REQUIRED"},
    {ConsoleCode::P12BadPassword, "P12_BAD_PASSWORD"},
    {ConsoleCode::P12NoPrivateKey, "P12_NO_PRIVATE_KEY"},
    {ConsoleCode::P12Invalid, "P12_INVALID"},
    {ConsoleCode::CertNameInvalid, "CERT_NAME_INVALID"},
    {ConsoleCode::CertExpired, "CERT_EXPIRED"},
    {ConsoleCode::CertNotApple, "CERT_NOT_APPLE"},
    {ConsoleCode::CertNotVoip, "CERT_NOT_VOIP"},
}};

ApiError refuse(ConsoleCode code, std::string message) {
  return {std::string(to_string(code)), std::move(message)};
}

// Code points outside ASCII that are punctuation or symbols rather than letters: Latin-1's
// signs, general punctuation to dingbats, CJK brackets and marks (【】「」…), compatibility forms
// and the full-width copies of ASCII punctuation (（）［］｛｝…). Not every symbol of Unicode, but
// every bracket a console user is likely to type.
bool is_non_ascii_punctuation(char32_t c) {
  return (c >= 0x00A0 && c <= 0x00BF) || c == 0x00D7 || c == 0x00F7 ||
         (c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
         (c >= 0xFE10 && c <= 0xFE6F) || (c >= 0xFF00 && c <= 0xFF0F) ||
         (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
         (c >= 0xFF5B && c <= 0xFF65);
}

// The code points of valid UTF-8 (checked by the caller).
std::vector<char32_t> code_points(const std::string& text) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length =
        static_cast<unsigned char>(text[i]) < 0x80 ? 1 : core::utf8_sequence_at(text, i).length;
    out.push_back(core::utf8_code_point(text, i, length));
    i += length;
  }
  return out;
}

// §2.2: ASCII letters, digits, space, '_', '.', '-'; other letters (Chinese, accented) pass with
// a warning; every other character, brackets first of all, is refused. At most 64 characters.
std::optional<ApiError> check_name(const std::string& name, bool& non_ascii) {
  if (!core::is_valid_utf8(name))
    return refuse(ConsoleCode::CertNameInvalid, "the certificate name is not valid UTF-8 text");
  const auto characters = code_points(name);
  if (characters.empty() || characters.size() > kLongestName) {
    return refuse(ConsoleCode::CertNameInvalid,
                  "the certificate name must be 1 to 64 characters; got " +
                      std::to_string(characters.size()));
  }
  for (const char32_t c : characters) {
    const bool ascii = c < 0x80;
    if (ascii &&
        (std::isalnum(static_cast<int>(c)) || c == ' ' || c == '_' || c == '.' || c == '-'))
      continue;
    if (!ascii && c >= 0xA0 && !is_non_ascii_punctuation(c)) {
      non_ascii = true;
      continue;
    }
    const std::string shown = ascii && c >= 0x20 && c < 0x7F
                                  ? "'" + std::string(1, static_cast<char>(c)) + "'"
                                  : "a punctuation, symbol or control character";
    return refuse(ConsoleCode::CertNameInvalid,
                  "the certificate name may not contain " + shown +
                      ": use English letters, digits, spaces, '_', '.' and "
                      "'-' (no brackets)");
  }
  return std::nullopt;
}

std::optional<ApiError> p12_refusal(const std::error_code& code) {
  if (code == pki::Errc::NoPassword)
    return refuse(ConsoleCode::P12PasswordRequired,
                  "the .p12 opens without a password; export it again from Keychain Access "
                  "with a password (without one, pushes cannot be received)");
  if (code == pki::Errc::WrongPassword)
    return refuse(ConsoleCode::P12BadPassword, "the password does not open this .p12");
  if (code == pki::Errc::NoPrivateKey)
    return refuse(ConsoleCode::P12NoPrivateKey,
                  "the .p12 holds a certificate but no private key; in Keychain Access export "
                  "the certificate together with its key");
  return std::nullopt;
}

std::optional<ApiError> identity_refusal(const core::Error& error) {
  if (error.code == pki::Errc::Expired || error.code == pki::Errc::NotYetValid)
    return refuse(ConsoleCode::CertExpired, "the certificate is not valid now: " + error.detail);
  if (error.code == pki::Errc::UntrustedIssuer)
    return refuse(ConsoleCode::CertNotApple,
                  "the certificate was not issued by Apple WWDR: " + error.detail);
  if (error.code == pki::Errc::NotAppleShaped)
    return refuse(ConsoleCode::CertNotVoip,
                  "this is not an Apple push certificate: " + error.detail);
  return std::nullopt;
}

} // namespace

std::string_view to_string(ConsoleCode code) {
  return core::name_of(kConsoleCodeNames, code);
}

std::optional<ConsoleCode> parse_console_code(std::string_view text) {
  return core::value_named(kConsoleCodeNames, text);
}

std::string console_code_words() {
  return core::words_of(kConsoleCodeNames);
}

std::variant<AcceptedUpload, ApiError> check_upload(const CertificateUpload& upload,
                                                    const pki::TrustStore& apple_ca,
                                                    core::TimePoint now) {
  AcceptedUpload out;
  bool non_ascii = false;
  if (auto refused = check_name(upload.name, non_ascii)) return *refused;
  if (non_ascii)
    out.warnings.push_back("the certificate name has non-English letters; English is recommended");
  if (upload.password.empty())
    return refuse(ConsoleCode::P12PasswordRequired,
                  "give the .p12's password (a .p12 without one cannot be used for pushes)");

  auto contents = pki::read_pkcs12(upload.p12_der, upload.password);
  if (!contents) {
    if (auto refused = p12_refusal(contents.error().code)) return *refused;
    return refuse(ConsoleCode::P12Invalid,
                  "not a readable .p12 file: " + contents.error().message());
  }
  auto identity = pki::classify_certificate(contents->certificate_pem, apple_ca, now);
  if (!identity) {
    if (auto refused = identity_refusal(identity.error())) return *refused;
    return refuse(ConsoleCode::P12Invalid,
                  "cannot read the certificate: " + identity.error().message());
  }

  // §2.2 "Type must be VoIP": a VoIP Services certificate, or (warning only) one whose topics
  // include <bundle>.voip, such as a universal Apple Push Services certificate.
  const std::string voip_topic = identity->bundle_id + ".voip";
  const bool lists_voip = std::find(identity->topics.begin(), identity->topics.end(), voip_topic) !=
                          identity->topics.end();
  if (identity->kind != pki::CertificateKind::VoipServices) {
    const std::string what = "\"" + identity->common_name + "\" is not a VoIP Services certificate";
    if (!lists_voip && !upload.allow_other_types)
      return refuse(ConsoleCode::CertNotVoip,
                    what + "; create a VoIP Services Certificate for the App ID in the Apple "
                           "Developer portal (VoIP pushes cannot use the ordinary APNs one)");
    out.warnings.push_back(what + (lists_voip ? "; it lists " + voip_topic + ", so VoIP pushes work"
                                              : "; accepted because other types were allowed: "
                                                "APNs will refuse its VoIP pushes (BadTopic)"));
  }

  CertificateRecord& record = out.record;
  record.name = upload.name;
  record.bundle_id = identity->bundle_id;
  record.not_before = identity->not_before;
  record.not_after = identity->not_after;
  record.certificate_pem = contents->certificate_pem;
  for (const auto& pem : contents->chain_pems)
    record.certificate_pem += pem;
  record.private_key_pem = contents->private_key_pem;
  record.created_at = now;
  return out;
}

} // namespace pipeline
