#include "core/stats.h"

#include <gtest/gtest.h>

#include <cmath>

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

TEST(BinomialUpperTail, MatchesExactSums) {
  // P(X >= 3), X ~ Bin(4, 0.5) = (4 + 1) / 16.
  EXPECT_NEAR(binomial_upper_tail(3, 4, 0.5), 5.0 / 16.0, 1e-12);
  // P(X >= 1), X ~ Bin(10, 0.1) = 1 − 0.9^10 (the lower-tail branch).
  EXPECT_NEAR(binomial_upper_tail(1, 10, 0.1), 1 - std::pow(0.9, 10), 1e-12);
  // P(X >= 5), X ~ Bin(5, 1/7) = (1/7)^5: everything recent, nothing before.
  EXPECT_NEAR(binomial_upper_tail(5, 5, 1.0 / 7.0), std::pow(1.0 / 7.0, 5), 1e-15);
  EXPECT_DOUBLE_EQ(binomial_upper_tail(0, 10, 0.3), 1.0);
  EXPECT_DOUBLE_EQ(binomial_upper_tail(11, 10, 0.3), 0.0);
  // Large n stays finite and tiny: 2,000 of 10,000 where 1,000 are expected.
  const double p = binomial_upper_tail(2000, 10000, 0.1);
  EXPECT_GT(p, 0.0);
  EXPECT_LT(p, 1e-100);
}

TEST(Rises, FlagsARisingSeriesAndNotAFlatOne) {
  // 30-day window against the 180 days before: a flat category keeps its rate
  // (10 a month: 60 before, 10 now); a rising one triples it (60 before, 30 now).
  const auto out = rises({{"flat", 10, 60}, {"rising", 30, 60}, {"quiet", 0, 12}}, 30, 180, {});
  ASSERT_EQ(out.size(), 2u);  // nothing recent: not tested
  EXPECT_EQ(out[0].key, "rising");
  EXPECT_TRUE(out[0].flagged);
  EXPECT_DOUBLE_EQ(out[0].expected, 10.0);
  EXPECT_DOUBLE_EQ(*out[0].rate_ratio, 3.0);
  // Python: sum(comb(90, i) * (1/7)**i * (6/7)**(90 - i) for i in range(30, 91)).
  EXPECT_NEAR(out[0].p_value, 4.19975634601266e-06, 1e-15);
  EXPECT_EQ(out[1].key, "flat");
  EXPECT_FALSE(out[1].flagged);
  EXPECT_NEAR(out[1].p_value, 0.5518198592483535, 1e-12);  // the same sum for 10 of 70
}

TEST(Rises, NeedsTheMinimumCountAndHandlesAnEmptyBaseline) {
  // Three complaints from nothing is improbable but below the minimum of five.
  const auto few = rises({{"new", 3, 0}}, 30, 180, {0.01, 5});
  ASSERT_EQ(few.size(), 1u);
  EXPECT_LT(few[0].p_value, 0.01);
  EXPECT_FALSE(few[0].flagged);
  EXPECT_FALSE(few[0].rate_ratio);
  const auto many = rises({{"new", 6, 0}}, 30, 180, {0.01, 5});
  EXPECT_TRUE(many[0].flagged);
  // A stricter alpha turns the same rise off.
  EXPECT_FALSE(rises({{"k", 30, 60}}, 30, 180, {1e-12, 5})[0].flagged);
}

TEST(Repeats, SameCustomerOrObjectWithinTheWindow) {
  constexpr std::int64_t day = 86'400'000;
  std::vector<RecordEntry> e{
      {1, 0 * day, 100, "ORD-1"},    // first: no repeat
      {2, 10 * day, 100, ""},        // same customer 10 days later
      {3, 20 * day, 200, "ORD-1"},   // same object as 1, 20 days later
      {4, 200 * day, 100, "ORD-1"},  // past the 90-day window of both
      {5, 5 * day, std::nullopt, "ORD-9"},
      {6, 5 * day, std::nullopt, "ORD-9"},  // same instant: the lower id is earlier
  };
  const auto marks = repeats(e, 90 * day);
  ASSERT_EQ(marks.size(), e.size());
  EXPECT_FALSE(marks[0].repeat_of);
  EXPECT_EQ(marks[1].repeat_of, 1);
  EXPECT_EQ(marks[1].reason, "customer");
  EXPECT_EQ(marks[2].repeat_of, 1);
  EXPECT_EQ(marks[2].reason, "object");
  EXPECT_FALSE(marks[3].repeat_of);
  EXPECT_FALSE(marks[4].repeat_of);
  EXPECT_EQ(marks[5].repeat_of, 5);
}

}  // namespace
}  // namespace redress::stats
