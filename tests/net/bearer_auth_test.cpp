// The bearer check of the JSON APIs as a pure function: who passes, what a refusal says, the
// open readiness path, and that no answer repeats a secret.
#include "net/bearer_auth.hpp"

#include <gtest/gtest.h>

namespace {

constexpr const char* kSecret = "s3cr3t-Xq9-admin";

net::BearerAuth auth() {
  return {kSecret, {"/v1/health"}, "the secret of --admin-secret-file"};
}

net::Http1Request request(std::string method, std::string target, std::string authorization) {
  return {std::move(method), std::move(target), "", std::move(authorization)};
}

std::string header(const net::Http1Response& r, const std::string& name) {
  for (const auto& [n, v] : r.headers)
    if (n == name) return v;
  return "";
}

TEST(BearerAuth, NoSecretLetsEverythingThrough) {
  EXPECT_FALSE(net::check_bearer({}, request("POST", "/v1/tokens", "")));
  EXPECT_FALSE(net::check_bearer({}, request("GET", "/v1", "Bearer anything")));
}

TEST(BearerAuth, TheRightSecretPassesWhateverTheSchemeCase) {
  for (const char* scheme : {"Bearer ", "bearer ", "BEARER  "}) {
    EXPECT_FALSE(
        net::check_bearer(auth(), request("POST", "/v1/tokens", std::string(scheme) + kSecret)))
        << scheme;
  }
}

struct Refusal {
  const char* name;
  const char* authorization;
  const char* challenge;
  const char* says;
};

TEST(BearerAuth, RefusalsAre401WithAChallengeAndSayWhatToDo) {
  const std::string wrong_secret = std::string(kSecret) + "x";
  const Refusal cases[] = {
      {"no header", "", R"(Bearer realm="voipsim")", "has no Authorization header"},
      {"basic scheme", "Basic dXNlcjpwYXNz", R"(Bearer realm="voipsim")",
       "the Authorization header is not"},
      {"scheme alone", "Bearer", R"(Bearer realm="voipsim")", "the Authorization header is not"},
      {"scheme and spaces", "Bearer   ", R"(Bearer realm="voipsim")",
       "the Authorization header is not"},
      {"wrong secret", "Bearer not-the-secret", R"(Bearer realm="voipsim", error="invalid_token")",
       "not the one this API was started with"},
      {"a prefix of it", "Bearer s3cr3t", R"(Bearer realm="voipsim", error="invalid_token")",
       "not the one"},
      {"longer than it", "Bearer s3cr3t-Xq9-adminx",
       R"(Bearer realm="voipsim", error="invalid_token")", "not the one"},
  };
  for (const auto& c : cases) {
    const auto refused = net::check_bearer(auth(), request("GET", "/v1/journal", c.authorization));
    ASSERT_TRUE(refused) << c.name;
    EXPECT_EQ(refused->status, 401) << c.name;
    EXPECT_EQ(refused->content_type, "application/json") << c.name;
    EXPECT_EQ(header(*refused, "WWW-Authenticate"), c.challenge) << c.name;
    EXPECT_EQ(refused->body.rfind(R"({"error":"UNAUTHORIZED","message":")", 0), 0u)
        << refused->body;
    EXPECT_NE(refused->body.find(c.says), std::string::npos) << refused->body;
    EXPECT_NE(refused->body.find("the secret of --admin-secret-file"), std::string::npos)
        << refused->body;
    EXPECT_EQ(refused->body.find("s3cr3t"), std::string::npos) << "secret echoed: " << c.name;
    EXPECT_EQ(refused->body.find("not-the-secret"), std::string::npos) << "echoed: " << c.name;
  }
}

TEST(BearerAuth, OnlyAGetOfAnOpenPathPassesWithoutTheSecret) {
  EXPECT_FALSE(net::check_bearer(auth(), request("GET", "/v1/health", "")));
  EXPECT_FALSE(net::check_bearer(auth(), request("GET", "/v1/health?wait_idle_ms=10", "")));
  EXPECT_TRUE(net::check_bearer(auth(), request("POST", "/v1/health", "")));
  EXPECT_TRUE(net::check_bearer(auth(), request("GET", "/v1/health/../tokens", "")));
  EXPECT_TRUE(net::check_bearer(auth(), request("GET", "/v1/healthy", "")));
  EXPECT_TRUE(net::check_bearer(auth(), request("GET", "/v1/%68ealth", "")));
}

TEST(BearerAuth, ConstantTimeComparisonIsStillAComparison) {
  EXPECT_TRUE(net::equal_in_constant_time("abc", "abc"));
  EXPECT_FALSE(net::equal_in_constant_time("abd", "abc"));
  EXPECT_FALSE(net::equal_in_constant_time("ab", "abc"));
  EXPECT_FALSE(net::equal_in_constant_time("abcd", "abc"));
  EXPECT_FALSE(net::equal_in_constant_time("", "abc"));
  EXPECT_FALSE(net::equal_in_constant_time(std::string_view("abc\0", 4), "abc"));
}

TEST(BearerAuth, ASecretMustFitInTheHeader) {
  EXPECT_TRUE(net::check_secret_text("0123abcdef+/=_-.~"));
  EXPECT_FALSE(net::check_secret_text(""));
  for (const char* bad : {"two words", "tab\there", "line\nbreak", "caf\xc3\xa9"}) {
    const auto checked = net::check_secret_text(bad);
    ASSERT_FALSE(checked) << bad;
    EXPECT_NE(checked.error().detail.find("visible ASCII"), std::string::npos);
    EXPECT_EQ(checked.error().detail.find(bad), std::string::npos) << "secret shown";
  }
}

} // namespace
