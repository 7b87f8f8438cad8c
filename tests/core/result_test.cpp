#include "core/result.hpp"

#include <memory>

#include <gtest/gtest.h>

namespace {

core::Result<int> parse_positive(int v) {
  if (v <= 0) return core::fail(core::Errc::InvalidArgument, "must be positive");
  return v;
}

TEST(Result, HoldsAValueOrAnError) {
  auto ok = parse_positive(3);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 3);
  EXPECT_EQ(ok.value_or(7), 3);

  auto bad = parse_positive(-1);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, core::Errc::InvalidArgument);
  EXPECT_EQ(bad.value_or(7), 7);
  EXPECT_EQ(bad.error().message(), "must be positive (voipsim.core: invalid argument)");
}

// Issue #24.9: context added on the way up keeps the code's message once, at the end.
TEST(Result, ContextGoesBeforeTheDetailAndTheCodeIsNamedOnce) {
  const auto bad = parse_positive(-1);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().in_context("outer").in_context("--flag").message(),
            "--flag: outer: must be positive (voipsim.core: invalid argument)");
  const core::Error bare{make_error_code(core::Errc::InvalidEncoding), ""};
  EXPECT_EQ(bare.in_context("token").message(), "token (voipsim.core: invalid encoding)");
}

TEST(Result, WorksWithMoveOnlyValuesAndVoid) {
  core::Result<std::unique_ptr<int>> owned = std::make_unique<int>(5);
  ASSERT_TRUE(owned);
  std::unique_ptr<int> taken = std::move(owned).value();
  EXPECT_EQ(*taken, 5);

  core::Result<void> fine;
  EXPECT_TRUE(fine);
  core::Result<void> failed = core::fail(core::Errc::InvalidEncoding);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message(), "voipsim.core: invalid encoding");
}

TEST(Result, CarriesCustomErrorTypes) {
  struct Why {
    int code;
  };
  core::Result<std::string, Why> r = core::Unexpected(Why{42});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, 42);
}

} // namespace
