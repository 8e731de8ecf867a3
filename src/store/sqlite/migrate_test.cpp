#include "store/migrate.h"

#include <gtest/gtest.h>

#include <vector>

#include "store/sqlite/connection.h"
#include "store/sqlite/test_util.h"

namespace redress::store {
namespace {

using sqlite::SqliteConnection;
using sqlite::test_support::open_or_die;
using sqlite::test_support::TempDir;

// Deliberately not idempotent (no IF NOT EXISTS): running one twice fails.
constexpr Migration kFirst{1, "complaints table",
                           "CREATE TABLE complaint (id INTEGER PRIMARY KEY)"};
constexpr Migration kSecond{2, "complaint title",
                            "ALTER TABLE complaint ADD COLUMN title TEXT NOT NULL DEFAULT '';"
                            "CREATE INDEX complaint_title ON complaint (title);"};
constexpr Migration kThird{5, "events table", "CREATE TABLE event (id INTEGER PRIMARY KEY)"};

class MigrateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = open_or_die(dir_.file("m.db"));
    ASSERT_NE(conn_, nullptr);
  }

  // What the store does at start-up: one transaction around the runner.
  Status migrate(std::span<const Migration> list, std::string_view at = "2024-01-01T00:00:00Z") {
    REDRESS_CHECK(conn_->exec_script("BEGIN IMMEDIATE"));
    Status s = apply_migrations(*conn_, list, at);
    REDRESS_CHECK(conn_->exec_script(s ? "COMMIT" : "ROLLBACK"));
    return s;
  }

  std::vector<std::vector<std::string>> recorded() {
    auto r = conn_->query(
        "SELECT version, reason, applied_at FROM schema_migrations ORDER BY version", {});
    EXPECT_TRUE(r) << r.error().message;
    std::vector<std::vector<std::string>> out;
    if (r) {
      for (const SqlRow& row : *r) out.push_back({row.text(0), row.text(1), row.text(2)});
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<SqliteConnection> conn_;
};

TEST_F(MigrateTest, AppliesInOrderAndRecordsEach) {
  const std::vector<Migration> list = {kFirst, kSecond};
  auto s = migrate(list);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_TRUE(
      conn_->exec("INSERT INTO complaint (id, title) VALUES (1, $1)", params("late parcel")));
  EXPECT_EQ(recorded(), (std::vector<std::vector<std::string>>{
                            {"1", "complaints table", "2024-01-01T00:00:00Z"},
                            {"2", "complaint title", "2024-01-01T00:00:00Z"}}));
}

TEST_F(MigrateTest, SecondRunIsANoOp) {
  const std::vector<Migration> list = {kFirst, kSecond};
  ASSERT_TRUE(migrate(list));
  auto again = migrate(list, "2030-01-01T00:00:00Z");
  ASSERT_TRUE(again) << again.error().message;
  const auto rows = recorded();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][2], "2024-01-01T00:00:00Z");  // not re-recorded
}

TEST_F(MigrateTest, OnlyNewMigrationsRunLater) {
  ASSERT_TRUE(migrate(std::vector<Migration>{kFirst}));
  const std::vector<Migration> list = {kFirst, kSecond, kThird};
  auto s = migrate(list, "2024-02-01T00:00:00Z");
  ASSERT_TRUE(s) << s.error().message;
  const auto rows = recorded();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][2], "2024-01-01T00:00:00Z");
  EXPECT_EQ(rows[1][0], "2");
  EXPECT_EQ(rows[2][0], "5");
  EXPECT_EQ(rows[2][2], "2024-02-01T00:00:00Z");
}

TEST_F(MigrateTest, RefusesADatabaseFromANewerBinary) {
  ASSERT_TRUE(migrate(std::vector<Migration>{kFirst, kSecond, kThird}));
  auto s = migrate(std::vector<Migration>{kFirst, kSecond});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::internal);
  EXPECT_NE(s.error().message.find('5'), std::string::npos) << s.error().message;
  EXPECT_EQ(recorded().size(), 3u);
}

TEST_F(MigrateTest, RefusesVersionsOutOfOrder) {
  for (const std::vector<Migration>& bad :
       {std::vector<Migration>{kSecond, kFirst}, std::vector<Migration>{kFirst, kFirst},
        std::vector<Migration>{Migration{0, "zero", "SELECT 1"}}}) {
    auto s = migrate(bad);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, ErrorCode::internal);
  }
  // Nothing was touched, not even the bookkeeping table.
  auto t = conn_->query("SELECT name FROM sqlite_master WHERE name = 'schema_migrations'", {});
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->empty());
}

TEST_F(MigrateTest, FailingMigrationNamesItselfAndLeavesNothingBehind) {
  const Migration broken{3, "broken step", "CREATE TABLE x (a); CREATE TABLE complaint (id);"};
  auto s = migrate(std::vector<Migration>{kFirst, broken});
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("migration 3 (broken step)"), std::string::npos)
      << s.error().message;
  // The caller's ROLLBACK undid migration 1 too: the database is untouched.
  auto t = conn_->query("SELECT COUNT(*) FROM sqlite_master", {});
  ASSERT_TRUE(t);
  EXPECT_EQ((*t)[0].i64(0), 0);
}

TEST_F(MigrateTest, EmptyListOnAFreshDatabaseIsFine) {
  auto s = migrate(std::span<const Migration>{});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_TRUE(recorded().empty());
}

}  // namespace
}  // namespace redress::store
