// The maintained report counts on SQLite (triggers of migration 0011), and the
// cutting of a received-time range into months, days and partial days.
#include <gtest/gtest.h>

#include <algorithm>

#include "store/insight_checks.h"
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

TEST(SqliteInsight, WarningRecordAndHotspotQueries) {
  test_support::TempDir dir;
  auto store = SqliteStore::open(dir.file("t.db"), {}, from_epoch_ms(1700000000000));
  ASSERT_TRUE(store) << store.error().message;
  insight_checks::check_insight_queries(**store);
}

TEST(SqliteReportCounts, TriggersKeepTheCountsOfEveryWrite) {
  test_support::TempDir dir;
  auto store = SqliteStore::open(dir.file("t.db"), {}, from_epoch_ms(1700000000000));
  ASSERT_TRUE(store) << store.error().message;
  report_checks::check_report_counts(**store);
}

// Migration 0023: a complaint's counts are folded at COMMIT, so changes made in
// the transaction that inserted it move counts that are still pending. The
// folding empties report_pending, and a rolled-back insert leaves no count.
TEST(SqliteReportCounts, ChangesBeforeTheFirstCommitMoveThePendingCounts) {
  test_support::TempDir dir;
  const std::string path = dir.file("t.db");
  auto store = SqliteStore::open(path, {}, from_epoch_ms(1700000000000));
  ASSERT_TRUE(store) << store.error().message;
  report_checks::check_report_counts(**store, report_checks::Batching::one_transaction);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());

  const auto pending_and_counted = [&]() -> std::pair<std::int64_t, std::int64_t> {
    auto conn = test_support::open_or_die(path, OpenMode::read_only);
    auto pending = conn->query("SELECT COUNT(*) FROM report_pending", {});
    auto counted = conn->query(
        "SELECT SUM(n) FROM report_counts WHERE grain = 'd' AND dimension = 'received'", {});
    if (!pending || !counted) return {-1, -1};
    return {pending->front().i64(0), counted->front().i64(0)};
  };
  const auto before = pending_and_counted();
  EXPECT_EQ(before.first, 0);
  auto refused = (*store)->write_sync<bool>([](WriteTx& tx) -> Result<bool> {
    REDRESS_TRY(CustomerId customer, tx.customers().insert(Customer{.name = "R"}));
    Complaint c;
    c.tracking_code = "R-rolled-back";
    c.access_token_hash = "h";
    c.customer = customer;
    c.description = "d";
    c.received_at = from_epoch_ms(1706140800000);
    REDRESS_TRY(c.id, tx.complaints().insert(c));
    return fail(Error::conflict("changed my mind"));
  });
  ASSERT_FALSE(refused);
  EXPECT_EQ(pending_and_counted(), before);

  report_checks::expect_taken_code_writes_nothing(**store);
  EXPECT_EQ(pending_and_counted().first, 0);
}

// A database from before migration 0011 gets its counts from the migration's
// backfill: the complaints are written, 0011 is undone by hand (counts, triggers,
// indexes), and the migration's own text runs again over the stored complaints.
TEST(SqliteReportCounts, MigrationBackfillsTheComplaintsAlreadyStored) {
  test_support::TempDir dir;
  const std::string path = dir.file("t.db");
  std::vector<report_checks::Modelled> model;
  std::vector<DepartmentId> deps;
  {
    auto store = SqliteStore::open(path, {}, from_epoch_ms(1700000000000));
    ASSERT_TRUE(store) << store.error().message;
    report_checks::write_modelled_complaints(**store, model, deps);
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
  }
  {
    auto conn = test_support::open_or_die(path);
    ASSERT_NE(conn, nullptr);
    auto undone = conn->exec_script(R"sql(
      BEGIN;
      DROP TRIGGER complaints_report_insert; DROP TRIGGER complaints_report_delete;
      DROP TRIGGER complaints_report_move; DROP TRIGGER complaints_report_state;
      DROP TRIGGER complaints_report_urgency; DROP TRIGGER complaints_report_category;
      DROP TRIGGER complaints_report_channel; DROP TRIGGER complaints_report_satisfaction;
      DROP TRIGGER complaints_report_resolved; DROP TRIGGER sla_clocks_report_insert;
      DROP TRIGGER sla_clocks_report_delete; DROP TRIGGER sla_clocks_report_update;
      DROP TABLE report_counts;
      DROP INDEX complaints_received_report; DROP INDEX complaints_resolved;
      DROP INDEX sla_clocks_complaint;
      CREATE INDEX sla_clocks_complaint ON sla_clocks(complaint_id, kind);
      COMMIT;)sql");
    ASSERT_TRUE(undone) << undone.error().message;
    const auto all = migrations();
    const auto m = std::ranges::find_if(all, [](const Migration& x) { return x.version == 11; });
    ASSERT_NE(m, all.end());
    auto redone = conn->exec_script(std::string(m->sql));
    ASSERT_TRUE(redone) << redone.error().message;
  }
  auto store = SqliteStore::open(path, {}, from_epoch_ms(1700000000000));
  ASSERT_TRUE(store) << store.error().message;
  report_checks::expect_counts_of_model(**store, model, deps);
}

}  // namespace
}  // namespace redress::store::sqlite
