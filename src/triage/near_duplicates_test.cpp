#include "triage/near_duplicates.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace redress::triage {
namespace {

// "w0 w1 … w{n-1}", with the words at `changed` replaced.
std::string words(int n, const std::vector<int>& changed = {}) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    const bool swap = std::find(changed.begin(), changed.end(), i) != changed.end();
    out += (swap ? "x" : "w") + std::to_string(i) + " ";
  }
  return out;
}

TEST(NearDuplicates, IdenticalTextsAreSimilarOneAndShareEveryBand) {
  const auto a = minhash("The kettle arrived with a cracked lid.");
  const auto b = minhash("the KETTLE arrived, with a cracked lid!");
  EXPECT_FALSE(a.empty);
  EXPECT_DOUBLE_EQ(similarity(a, b), 1.0);
  EXPECT_EQ(band_keys(a), band_keys(b));
}

TEST(NearDuplicates, EstimateFollowsTheJaccardOfTheShingles) {
  // 100 words, 10 changed far apart: each change removes 2 of 99 shingles and
  // adds 2, so J = 79 / 119 = 0.66.
  const auto a = minhash(words(100));
  const auto b = minhash(words(100, {5, 15, 25, 35, 45, 55, 65, 75, 85, 95}));
  EXPECT_NEAR(similarity(a, b), 79.0 / 119.0, 0.15);
  // Disjoint texts: J = 0.
  EXPECT_LT(similarity(minhash(words(50)),
                       minhash(words(
                           50, {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
                                17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33,
                                34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49}))),
            0.05);
}

TEST(NearDuplicates, ChinesePairIsNearAndUnrelatedTextIsNot) {
  const auto a =
      minhash("我在三月三日购买的电水壶收到时盖子已经裂开，订单号551234，请尽快为我更换或者退款。");
  const auto b = minhash(
      "我在三月三日购买的电水壶收到时盖子已经裂开了，订单号 551234，请尽快给我更换或者退款！");
  const auto other = minhash("客服人员态度很差，我询问账单问题时两次挂断了我的电话。");
  EXPECT_GE(similarity(a, b), 0.5);
  EXPECT_LT(similarity(a, other), 0.2);
}

TEST(NearDuplicates, VietnamesePairWithAndWithoutToneMarksIsNear) {
  const auto a = minhash(
      "Tôi đặt mua một ấm đun nước màu xanh ngày 3 tháng 3, khi nhận hàng thì nắp bị nứt, tôi "
      "muốn được đổi hàng hoặc hoàn tiền.");
  // Typed again without diacritics and with one word changed.
  const auto b = minhash(
      "Toi dat mua mot am dun nuoc mau xanh ngay 3 thang 3, khi nhan hang thi nap bi nut, toi "
      "muon duoc doi hang hoac hoan lai tien.");
  const auto other = minhash(
      "Nhân viên tổng đài rất thô lỗ và đã cúp máy hai lần khi tôi hỏi về hóa đơn của mình.");
  EXPECT_GE(similarity(a, b), 0.5);
  EXPECT_LT(similarity(a, other), 0.2);
}

TEST(NearDuplicates, EmptyTextMatchesNothing) {
  const auto empty = minhash(" ,.!? ");
  EXPECT_TRUE(empty.empty);
  EXPECT_EQ(similarity(empty, empty), 0.0);
  EXPECT_EQ(to_hex(empty), "");
}

TEST(NearDuplicates, HexRoundTripsAndRejectsForeignText) {
  const auto a = minhash("refund for order 42 please");
  const std::string hex = to_hex(a);
  EXPECT_EQ(hex.size(), kMinHashes * 8);
  auto back = signature_from_hex(hex);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->mins, a.mins);
  EXPECT_FALSE(back->empty);
  EXPECT_FALSE(signature_from_hex("xyz"));
  EXPECT_FALSE(signature_from_hex(std::string(kMinHashes * 8, 'G')));
}

TEST(NearDuplicates, SignaturesAreStableAcrossBuilds) {
  // Stored signatures must keep matching new ones: the first two min-hashes of
  // a one-term text, computed independently (FNV-1a of "refund", splitmix64).
  EXPECT_EQ(to_hex(minhash("Refund")).substr(0, 16), "7dd00562e3163236");
  const auto keys = band_keys(minhash("refund for order 42 please"));
  EXPECT_EQ(keys, band_keys(minhash("Refund for order 42, please.")));
}

}  // namespace
}  // namespace redress::triage
