#include "core/encoding.hpp"

#include <utility>

#include <gtest/gtest.h>

namespace {

struct Vector {
  std::string bytes;
  std::string base64url;
};

// RFC 4648 §10 vectors, without padding, plus the two url-safe characters.
const Vector kVectors[] = {
    {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
    {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}, {"\xfb\xff", "-_8"},
};

TEST(Base64Url, EncodesAndDecodesRfc4648Vectors) {
  for (const auto& v : kVectors) {
    EXPECT_EQ(core::base64url_encode(v.bytes), v.base64url) << v.bytes;
    auto decoded = core::base64url_decode(v.base64url);
    ASSERT_TRUE(decoded) << v.base64url;
    EXPECT_EQ(*decoded, v.bytes);
  }
}

TEST(Base64Url, RejectsWhatJwtForbids) {
  for (const char* bad : {"Zg==", "Zm9v+", "Zm9v/", "Z", "Zh", "a b"}) {
    auto decoded = core::base64url_decode(bad);
    ASSERT_FALSE(decoded) << bad;
    EXPECT_EQ(decoded.error().code, core::Errc::InvalidEncoding);
  }
}

TEST(Base64, EncodesRfc4648VectorsWithPaddingAndReadsWhatPeoplePaste) {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
      {"\xfb\xff", "+/8="},
  };
  for (const auto& [bytes, text] : vectors) {
    EXPECT_EQ(core::base64_encode(bytes), text) << bytes;
    EXPECT_EQ(core::base64_decode(text).value(), bytes) << text;
  }
  // `base64` wraps at 76 columns; padding may be left off; the URL-safe alphabet passes too.
  EXPECT_EQ(core::base64_decode("Zm9v\nYmE").value(), "fooba");
  EXPECT_EQ(core::base64_decode("-_8").value(), "\xfb\xff");
  for (const char* bad : {"Zm9v*", "Z", "a b"})
    EXPECT_FALSE(core::base64_decode(bad)) << bad;
}

TEST(Hex, RoundTripsAndAcceptsBothCases) {
  const std::string bytes("\x00\x01\xab\xff", 4);
  EXPECT_EQ(core::hex_encode(bytes), "0001abff");
  EXPECT_EQ(core::hex_encode(bytes, core::LetterCase::Upper), "0001ABFF");
  EXPECT_EQ(core::hex_decode("0001ABff").value(), bytes);
  EXPECT_TRUE(core::is_hex("0123456789abcdefABCDEF"));
  EXPECT_FALSE(core::is_hex("12g4"));
}

TEST(Hex, RejectsOddLengthAndNonHexWithPosition) {
  auto odd = core::hex_decode("abc");
  ASSERT_FALSE(odd);
  EXPECT_NE(odd.error().detail.find("odd"), std::string::npos);
  auto bad = core::hex_decode("00zz");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().detail.find("offset 2"), std::string::npos);
}

TEST(Utf8, AcceptsWellFormedAndRejectsTheRest) {
  EXPECT_TRUE(core::is_valid_utf8(""));
  EXPECT_TRUE(core::is_valid_utf8("com.example.imapp.voip"));
  EXPECT_TRUE(core::is_valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x9e")); // é € 📞
  for (const char* bad :
       {"\xc3", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xff", "a\x80"})
    EXPECT_FALSE(core::is_valid_utf8(bad)) << core::hex_encode(bad);
}

TEST(Printable, ReplacesBytesOutsidePrintableAsciiAndCuts) {
  EXPECT_EQ(core::printable("KB00000001"), "KB00000001");
  EXPECT_EQ(core::printable(std::string("a\nb\0c\xff", 6)), "a?b?c?");
  EXPECT_EQ(core::printable(std::string(100, 'x'), 5), "xxxxx...");
}

} // namespace

TEST(PercentEncoding, UnreservedStayOthersBecomeHex) {
  EXPECT_EQ(core::percent_encode("alice"), "alice");
  EXPECT_EQ(core::percent_encode("a b/c+d%é"), "a%20b%2Fc%2Bd%25%C3%A9");
  EXPECT_EQ(core::percent_encode("-._~"), "-._~");
}

TEST(PercentEncoding, DecodeIsTheInverseAndToleratesStrayPercents) {
  for (const char* text : {"alice", "a b/c+d%é", "", "%", "100%"})
    EXPECT_EQ(core::percent_decode(core::percent_encode(text)), text) << text;
  EXPECT_EQ(core::percent_decode("a+b%2Bc"), "a b+c");
  EXPECT_EQ(core::percent_decode("%zz%4"), "%zz%4");
  EXPECT_EQ(core::percent_decode("%41%62"), "Ab");
}
