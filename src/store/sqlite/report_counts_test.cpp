// The maintained report counts on SQLite (triggers of migration 0011), and the
// cutting of a received-time range into months, days and partial days.
#include <gtest/gtest.h>

#include "store/report_counts_checks.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/test_util.h"

namespace redress::store::sqlite {
namespace {

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kJan1 = 19723;  // 2024-01-01 as days since 1970-01-01
constexpr std::int64_t kJan2024 = (2024 - 1970) * 12;

std::optional<Instant> day_at(std::int64_t day, std::int64_t ms = 0) {
  return from_epoch_ms(day * kDay + ms);
}

TEST(SplitReceivedRange, WholeMonthsNeedNoDays) {
  const RangePieces p = split_received_range(day_at(kJan1), day_at(kJan1 + 31 + 29));
  EXPECT_EQ(p.months, (PeriodRange{kJan2024, kJan2024 + 2}));
  EXPECT_TRUE(p.days.empty());
  EXPECT_TRUE(p.partial.empty());
  EXPECT_EQ(p.whole_days, (PeriodRange{kJan1, kJan1 + 60}));
}

TEST(SplitReceivedRange, DaysAroundTheMonthsAndPartialDaysAtTheEnds) {
  // 2024-01-10T06:00 to 2024-03-05T12:00.
  const RangePieces p = split_received_range(day_at(kJan1 + 9, 6 * 3'600'000),
                                             day_at(kJan1 + 60 + 4, 12 * 3'600'000));
  EXPECT_EQ(p.months, (PeriodRange{kJan2024 + 1, kJan2024 + 2}));  // February only
  ASSERT_EQ(p.days.size(), 2u);
  EXPECT_EQ(p.days[0], (PeriodRange{kJan1 + 10, kJan1 + 31}));
  EXPECT_EQ(p.days[1], (PeriodRange{kJan1 + 60, kJan1 + 64}));
  ASSERT_EQ(p.partial.size(), 2u);
  EXPECT_EQ(p.partial[0], (PeriodRange{(kJan1 + 9) * kDay + 6 * 3'600'000, (kJan1 + 10) * kDay}));
  EXPECT_EQ(p.partial[1], (PeriodRange{(kJan1 + 64) * kDay, (kJan1 + 64) * kDay + 12 * 3'600'000}));
}

TEST(SplitReceivedRange, WithinOneDayIsOnePartialPiece) {
  const RangePieces p = split_received_range(day_at(kJan1, 5), day_at(kJan1, 500));
  EXPECT_FALSE(p.months);
  EXPECT_TRUE(p.days.empty());
  EXPECT_EQ(p.partial, (std::vector<PeriodRange>{{kJan1 * kDay + 5, kJan1 * kDay + 500}}));
  EXPECT_EQ(p.whole_days, (PeriodRange{0, 0}));
}

TEST(SplitReceivedRange, OpenEndsUseOpenMonthRanges) {
  const RangePieces all = split_received_range(std::nullopt, std::nullopt);
  EXPECT_EQ(all.months, (PeriodRange{std::nullopt, std::nullopt}));
  EXPECT_TRUE(all.days.empty() && all.partial.empty());
  const RangePieces until = split_received_range(std::nullopt, day_at(kJan1 + 40));
  EXPECT_EQ(until.months, (PeriodRange{std::nullopt, kJan2024 + 1}));
  EXPECT_EQ(until.days, (std::vector<PeriodRange>{{kJan1 + 31, kJan1 + 40}}));
  const RangePieces since = split_received_range(day_at(kJan1 + 40), std::nullopt);
  EXPECT_EQ(since.months, (PeriodRange{kJan2024 + 2, std::nullopt}));
  EXPECT_EQ(since.days, (std::vector<PeriodRange>{{kJan1 + 40, kJan1 + 60}}));
}

TEST(SplitReceivedRange, EmptyAndReversedRangesHaveNoPieces) {
  const RangePieces p = split_received_range(day_at(kJan1 + 3), day_at(kJan1 + 3));
  EXPECT_FALSE(p.months);
  EXPECT_TRUE(p.days.empty() && p.partial.empty());
}

TEST(SqliteReportCounts, TriggersKeepTheCountsOfEveryWrite) {
  test_support::TempDir dir;
  auto store = SqliteStore::open(dir.file("t.db"), {}, from_epoch_ms(1700000000000));
  ASSERT_TRUE(store) << store.error().message;
  report_checks::check_report_counts(**store);
}

}  // namespace
}  // namespace redress::store::sqlite
