#include "app/crypto.h"

#include <gtest/gtest.h>

#include <array>
#include <set>

namespace redress::app {
namespace {

TEST(RandomCode, CrockfordLettersAllDrawnAndNoneFavoured) {
  init_crypto();
  constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::array<int, 32> seen{};
  std::set<std::string> codes;
  constexpr int kCodes = 4000, kLength = 8;
  for (int i = 0; i < kCodes; ++i) {
    const std::string code = random_code(kLength);
    ASSERT_EQ(code.size(), static_cast<std::size_t>(kLength));
    for (char c : code) {
      const auto at = kAlphabet.find(c);
      ASSERT_NE(at, std::string_view::npos) << "not Crockford base32: " << code;
      ++seen[at];
    }
    codes.insert(code);
  }
  EXPECT_EQ(codes.size(), static_cast<std::size_t>(kCodes));  // 40 bits: no repeat expected
  // 32,000 letters, 1,000 expected of each; a biased or stuck draw lands far
  // outside [800, 1200] (that range is over 6 standard deviations wide).
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_GT(seen[i], 800) << kAlphabet[i];
    EXPECT_LT(seen[i], 1200) << kAlphabet[i];
  }
}

}  // namespace
}  // namespace redress::app
