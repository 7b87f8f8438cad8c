#include "mock_apns/token_registry.hpp"

#include <map>
#include <random>

#include <gtest/gtest.h>

namespace mock_apns {
namespace {

std::string random_token(std::mt19937_64& rng, std::size_t hex_digits = 64) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string token(hex_digits, '0');
  for (char& c : token) {
    c = kDigits[rng() % 16];
  }
  return token;
}

TEST(TokenRegistry, FindsTokensInAnyLetterCaseAndListsThemInLowerCase) {
  TokenRegistry registry;
  const std::string token = "DB3582A31936A10992DCB438C512D71A0CA642B9B58C4FB2357F8C055043EAF6";
  ASSERT_TRUE(registry.put({token, Environment::Sandbox, "com.example.app.voip"}));
  const TokenMatch match = registry.match(
      "db3582a31936a10992dcb438c512d71a0ca642b9b58c4fb2357f8c055043eaf6", "com.example.app.voip");
  EXPECT_TRUE(match.found);
  EXPECT_TRUE(match.topic_matches);
  EXPECT_FALSE(registry.match(token, "com.example.app").topic_matches);
  ASSERT_EQ(registry.list(0, 10).size(), 1u);
  EXPECT_EQ(registry.list(0, 10)[0].token,
            "db3582a31936a10992dcb438c512d71a0ca642b9b58c4fb2357f8c055043eaf6");
}

TEST(TokenRegistry, RejectsRecordsItCannotStoreWithAReason) {
  TokenRegistry registry;
  auto odd = registry.put({"abc", Environment::Sandbox, "t"});
  ASSERT_FALSE(odd);
  EXPECT_NE(odd.error().detail.find("hex"), std::string::npos);
  EXPECT_FALSE(registry.put({"zz", Environment::Sandbox, "t"}));
  EXPECT_FALSE(registry.put({"abcd", Environment::Sandbox, ""}));
  EXPECT_EQ(registry.size(), 0u);
}

TEST(TokenRegistry, StateChangesAreSeenByMatch) {
  TokenRegistry registry;
  const std::string token(64, 'a');
  ASSERT_TRUE(registry.put({token, Environment::Production, "com.example.app"}));
  EXPECT_TRUE(registry.set_state(token, TokenState::Unregistered, 1234));
  const TokenMatch match = registry.match(token, "com.example.app");
  EXPECT_EQ(match.state, TokenState::Unregistered);
  EXPECT_EQ(match.timestamp_ms, 1234);
  EXPECT_EQ(match.environment, Environment::Production);
  EXPECT_FALSE(registry.set_state(std::string(64, 'b'), TokenState::Expired, 1));
}

// Puts, replaces and erases at random, 64-digit and longer tokens mixed, and compares every
// answer with a std::map: the open-addressing index must never lose or invent a token.
TEST(TokenRegistry, AgreesWithAPlainMapUnderRandomChurn) {
  std::mt19937_64 rng(7);
  TokenRegistry registry;
  std::map<std::string, TokenRecord> reference;
  std::vector<std::string> known;
  for (int i = 0; i < 60'000; ++i) {
    const int op = static_cast<int>(rng() % 10);
    if (op < 6 || known.empty()) {
      std::string token = random_token(rng, rng() % 8 == 0 ? 80 : 64);
      TokenRecord record{token, rng() % 2 ? Environment::Sandbox : Environment::Production,
                         "com.example.app" + std::to_string(rng() % 5), TokenState::Active,
                         static_cast<std::int64_t>(i)};
      ASSERT_TRUE(registry.put(record));
      if (reference.emplace(token, record).second) {
        known.push_back(token);
      } else {
        reference[token] = record;
      }
    } else if (op < 9) {
      const std::size_t pick = rng() % known.size();
      EXPECT_TRUE(registry.erase(known[pick]));
      reference.erase(known[pick]);
      known[pick] = known.back();
      known.pop_back();
    } else {
      EXPECT_FALSE(registry.erase(random_token(rng)));
    }
  }
  ASSERT_EQ(registry.size(), reference.size());
  for (const auto& [token, record] : reference) {
    const auto found = registry.find(token);
    ASSERT_TRUE(found) << token;
    EXPECT_EQ(found->topic, record.topic);
    EXPECT_EQ(found->environment, record.environment);
    EXPECT_EQ(found->timestamp_ms, record.timestamp_ms);
  }
  std::size_t listed = 0;
  for (std::size_t offset = 0;; offset += 1000) {
    const auto page = registry.list(offset, 1000);
    listed += page.size();
    if (page.size() < 1000) {
      break;
    }
  }
  EXPECT_EQ(listed, reference.size());
}

// Issue #24.9: the registry (the admin API's POST /v1/tokens, --tokens) takes exactly the tokens
// a push may name, under the default settings and under configured ones.
TEST(TokenRegistry, TakesTheTokensPushesAreCheckedAgainst) {
  for (const TokenSyntax syntax : {TokenSyntax{}, TokenSyntax{8, 16}, TokenSyntax{2, 400}}) {
    TokenRegistry registry(syntax);
    for (std::size_t length = 0; length <= 402; ++length) {
      const std::string token(length, 'a');
      EXPECT_EQ(registry.put({token, Environment::Sandbox, "com.example.app.voip"}).has_value(),
                is_well_formed_token(token, syntax))
          << length << " digits, syntax " << syntax.min_hex << "-" << syntax.max_hex;
    }
  }
  TokenRegistry registry;
  const auto short_token = registry.put({"abcd", Environment::Sandbox, "com.example.app.voip"});
  ASSERT_FALSE(short_token);
  EXPECT_NE(short_token.error().detail.find("64 to 200"), std::string::npos)
      << short_token.error().detail;
  EXPECT_NE(short_token.error().detail.find("tokenMinHex"), std::string::npos)
      << short_token.error().detail;
}

TEST(TokenSyntax, AcceptsEvenLengthHexWithinTheConfiguredRange) {
  const TokenSyntax syntax;
  EXPECT_TRUE(is_well_formed_token(std::string(64, 'A'), syntax));
  EXPECT_TRUE(is_well_formed_token(std::string(200, 'f'), syntax));
  EXPECT_FALSE(is_well_formed_token(std::string(202, 'f'), syntax));
  EXPECT_FALSE(is_well_formed_token(std::string(62, 'f'), syntax));
  EXPECT_FALSE(is_well_formed_token(std::string(65, 'f'), syntax));
  EXPECT_FALSE(is_well_formed_token(std::string(63, 'f') + "g", syntax));
}

} // namespace
} // namespace mock_apns
