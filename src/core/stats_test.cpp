#include "core/stats.h"

#include <gtest/gtest.h>

namespace redress::stats {
namespace {

TEST(Percentile, InterpolatesBetweenClosestRanks) {
  // Type 7: rank (n-1)p; for 1..10, p50 is 5.5 and p90 is 9.1.
  std::vector<double> v{10, 3, 1, 7, 2, 9, 4, 8, 6, 5};
  EXPECT_DOUBLE_EQ(*percentile(v, 50), 5.5);
  EXPECT_NEAR(*percentile(v, 90), 9.1, 1e-12);
  EXPECT_DOUBLE_EQ(*percentile(v, 0), 1);
  EXPECT_DOUBLE_EQ(*percentile(v, 100), 10);
}

TEST(Percentile, OddCountMedianIsTheMiddleValueAndEmptyHasNone) {
  EXPECT_DOUBLE_EQ(*percentile({5, 1, 3}, 50), 3);
  EXPECT_DOUBLE_EQ(*percentile({42}, 90), 42);
  EXPECT_FALSE(percentile({}, 50));
}

TEST(Pareto, SortsByCountAndMarksTheVitalFewUpToEightyPercent) {
  auto items = pareto({{"b", 10}, {"a", 60}, {"c", 20}, {"d", 10}, {"zero", 0}});
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].key, "a");
  EXPECT_EQ(items[1].key, "c");
  EXPECT_EQ(items[2].key, "b");  // tie with d, broken by key
  EXPECT_DOUBLE_EQ(items[0].share, 0.6);
  EXPECT_DOUBLE_EQ(items[1].cumulative_share, 0.8);
  EXPECT_DOUBLE_EQ(items[3].cumulative_share, 1.0);
  EXPECT_TRUE(items[0].vital_few);
  EXPECT_TRUE(items[1].vital_few);  // reaches 80 %
  EXPECT_FALSE(items[2].vital_few);
}

TEST(Months, FoldsDaysIntoCalendarMonthsAcrossAYearEnd) {
  const std::int64_t dec_31_2024 = 20088;  // 2024-12-31
  EXPECT_EQ(month_of_day(dec_31_2024).label(), "2024-12");
  EXPECT_EQ(month_of_day(dec_31_2024 + 1).label(), "2025-01");
  EXPECT_EQ(first_day({2025, 1}), dec_31_2024 + 1);
  auto months = months_between(dec_31_2024 - 40, dec_31_2024 + 40);
  ASSERT_EQ(months.size(), 4u);
  EXPECT_EQ(months.front().label(), "2024-11");
  EXPECT_EQ(months.back().label(), "2025-02");
  EXPECT_TRUE(months_between(10, 9).empty());
}

TEST(Trend, LeastSquaresSlopePerStep) {
  EXPECT_DOUBLE_EQ(*trend_slope({1, 3, 5, 7}), 2.0);
  EXPECT_DOUBLE_EQ(*trend_slope({4, 4, 4}), 0.0);
  EXPECT_NEAR(*trend_slope({10, 8, 9, 5}), -1.4, 1e-12);
  EXPECT_FALSE(trend_slope({3}));
}

}  // namespace
}  // namespace redress::stats
