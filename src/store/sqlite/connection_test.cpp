#include "store/sqlite/connection.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <limits>
#include <string>

#include "store/sqlite/test_util.h"

namespace redress::store::sqlite {
namespace {

using test_support::open_or_die;
using test_support::TempDir;

class ConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = open_or_die(dir_.file("test.db"));
    ASSERT_NE(conn_, nullptr);
  }

  std::vector<SqlRow> rows(std::string_view sql, const std::vector<SqlValue>& p = {}) {
    auto r = conn_->query(sql, p);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? std::move(*r) : std::vector<SqlRow>{};
  }

  TempDir dir_;
  std::unique_ptr<SqliteConnection> conn_;
};

TEST_F(ConnectionTest, RepeatedPlaceholderBindsTheSameValue) {
  auto r = rows("SELECT $1 + $1, $1 * 3", params(21));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].i64(0), 42);
  EXPECT_EQ(r[0].i64(1), 63);
}

TEST_F(ConnectionTest, PlaceholdersBindByNumberNotByFirstAppearance) {
  // SQLite numbers `$2` as parameter 1 here; binding by position would swap them.
  auto r = rows("SELECT $2, $1, $2 || $1", params(1, "two"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].text(0), "two");
  EXPECT_EQ(r[0].i64(1), 1);
  EXPECT_EQ(r[0].text(2), "two1");

  ASSERT_TRUE(conn_->exec_script("CREATE TABLE t (a TEXT, b INTEGER)"));
  ASSERT_TRUE(conn_->exec("INSERT INTO t (b, a) VALUES ($2, $1)", params("alpha", 7)));
  auto t = rows("SELECT a, b FROM t");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].text(0), "alpha");
  EXPECT_EQ(t[0].i64(1), 7);
}

TEST_F(ConnectionTest, ValuesRoundTripWithTheirTypes) {
  // Columns without a declared type keep every value's storage class.
  ASSERT_TRUE(conn_->exec_script("CREATE TABLE v (id INTEGER PRIMARY KEY, x)"));
  static constexpr char kWithNul[] = "a\0b ünï 漢字";
  const std::string with_nul(kWithNul, sizeof kWithNul - 1);
  const std::vector<SqlValue> values = {
      SqlValue{},
      SqlValue{std::numeric_limits<std::int64_t>::max()},
      SqlValue{std::numeric_limits<std::int64_t>::min()},
      SqlValue{3.25},
      SqlValue{-0.1},
      SqlValue{std::string()},
      SqlValue{with_nul},
  };
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::vector<SqlValue> p = {SqlValue{static_cast<std::int64_t>(i)}, values[i]};
    auto changed = conn_->exec("INSERT INTO v (id, x) VALUES ($1, $2)", p);
    ASSERT_TRUE(changed) << changed.error().message;
    EXPECT_EQ(*changed, 1);
  }
  auto r = rows("SELECT x FROM v ORDER BY id");
  ASSERT_EQ(r.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(r[i].at(0), values[i]) << "row " << i;
  }
  EXPECT_TRUE(r[0].is_null(0));
  EXPECT_EQ(r[6].text(0).size(), with_nul.size());
}

TEST_F(ConnectionTest, MissingParameterIsAnErrorNotACrash) {
  auto r = conn_->query("SELECT $1, $2", params(1));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::internal);
  EXPECT_NE(r.error().message.find("$2"), std::string::npos) << r.error().message;

  auto none = conn_->query("SELECT $1", {});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::internal);

  // The cached statement was reset: the same SQL works with the right values.
  auto ok = rows("SELECT $1, $2", params(1, 2));
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0].i64(1), 2);
}

TEST_F(ConnectionTest, GapInPlaceholderNumbersIsAnError) {
  // $1 and $3 but no $2: two values leave $3 unbound, three leave $2 without a placeholder.
  auto two = conn_->query("SELECT $1, $3", params(1, 2));
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().code, ErrorCode::internal);
  auto three = conn_->query("SELECT $1, $3", params(1, 2, 3));
  ASSERT_FALSE(three);
  EXPECT_EQ(three.error().code, ErrorCode::internal);
}

TEST_F(ConnectionTest, ExtraParameterIsAnError) {
  auto r = conn_->query("SELECT $1", params(1, 2));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::internal);
  EXPECT_NE(r.error().message.find("$2"), std::string::npos) << r.error().message;
}

TEST_F(ConnectionTest, OtherParameterStylesAreRefused) {
  auto r = conn_->query("SELECT ?", params(1));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::internal);
}

TEST_F(ConnectionTest, UniqueViolationIsConflict) {
  ASSERT_TRUE(conn_->exec_script("CREATE TABLE u (id INTEGER PRIMARY KEY, email TEXT UNIQUE)"));
  ASSERT_TRUE(conn_->exec("INSERT INTO u (id, email) VALUES ($1, $2)", params(1, "a@x")));
  auto dup = conn_->exec("INSERT INTO u (id, email) VALUES ($1, $2)", params(2, "a@x"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::conflict);
  EXPECT_NE(dup.error().message.find("UNIQUE"), std::string::npos) << dup.error().message;

  auto pk = conn_->exec("INSERT INTO u (id, email) VALUES ($1, $2)", params(1, "b@x"));
  ASSERT_FALSE(pk);
  EXPECT_EQ(pk.error().code, ErrorCode::conflict);
}

TEST_F(ConnectionTest, ForeignKeysAreEnforcedAsConflict) {
  ASSERT_TRUE(
      conn_->exec_script("CREATE TABLE parent (id INTEGER PRIMARY KEY);"
                         "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL "
                         "REFERENCES parent(id));"));
  auto orphan = conn_->exec("INSERT INTO child (id, parent_id) VALUES (1, $1)", params(99));
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code, ErrorCode::conflict);
}

TEST_F(ConnectionTest, NotNullViolationIsInternal) {
  ASSERT_TRUE(conn_->exec_script("CREATE TABLE n (x TEXT NOT NULL)"));
  auto r = conn_->exec("INSERT INTO n (x) VALUES ($1)", params(std::monostate{}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::internal);
}

TEST_F(ConnectionTest, SyntaxErrorIsInternal) {
  auto r = conn_->query("SELEKT 1", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::internal);
  EXPECT_FALSE(conn_->exec_script("CREATE TABLE ok (x); CREATE TABLE ok (x);"));
  EXPECT_EQ(rows("SELECT COUNT(*) FROM ok")[0].i64(0), 0);  // the first statement stayed
}

TEST_F(ConnectionTest, QueryRunsExactlyOneStatement) {
  EXPECT_FALSE(conn_->query("SELECT 1; SELECT 2", {}));
  EXPECT_FALSE(conn_->exec("", {}));
  // Trailing whitespace, semicolons and comments are fine.
  EXPECT_EQ(rows("SELECT 5;  -- five\n")[0].i64(0), 5);
}

TEST_F(ConnectionTest, ExecCountsChangedRows) {
  ASSERT_TRUE(conn_->exec_script("CREATE TABLE c (x INTEGER)"));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(conn_->exec("INSERT INTO c (x) VALUES ($1)", params(i)));
  EXPECT_EQ(conn_->last_insert_rowid(), 5);
  auto updated = conn_->exec("UPDATE c SET x = x + 10 WHERE x >= $1", params(2));
  ASSERT_TRUE(updated);
  EXPECT_EQ(*updated, 3);
  auto none = conn_->exec("UPDATE c SET x = 0 WHERE x < 0", {});
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, 0);
  auto ddl = conn_->exec("CREATE TABLE d (y)", {});  // not a row change: 0, not the last UPDATE's 3
  ASSERT_TRUE(ddl);
  EXPECT_EQ(*ddl, 0);
}

TEST_F(ConnectionTest, SameSqlRunsAThousandTimes) {
  ASSERT_TRUE(conn_->exec_script("CREATE TABLE k (x INTEGER NOT NULL)"));
  ASSERT_TRUE(conn_->exec_script("BEGIN"));
  for (int i = 0; i < 1000; ++i) {
    auto r = conn_->exec("INSERT INTO k (x) VALUES ($1)", params(i));
    ASSERT_TRUE(r) << r.error().message;
  }
  ASSERT_TRUE(conn_->exec_script("COMMIT"));
  auto r = rows("SELECT COUNT(*), SUM(x) FROM k");
  EXPECT_EQ(r[0].i64(0), 1000);
  EXPECT_EQ(r[0].i64(1), 999 * 1000 / 2);
}

TEST_F(ConnectionTest, DifferentSqlInTheSameBufferDoesNotCollide) {
  // The cache is keyed by text: reusing one buffer for other SQL must not
  // hand back the old statement.
  std::string sql;
  sql.reserve(64);
  for (int i = 0; i < 50; ++i) {
    sql.assign("SELECT " + std::to_string(i));
    auto r = rows(sql);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].i64(0), i);
  }
  // Near-identical strings stay apart.
  EXPECT_EQ(rows("SELECT $1 + 1", params(1))[0].i64(0), 2);
  EXPECT_EQ(rows("SELECT $1 + 10", params(1))[0].i64(0), 11);
  EXPECT_EQ(rows("SELECT $1 + 1", params(1))[0].i64(0), 2);
}

TEST(ConnectionCacheTest, EvictionKeepsWorkingPastTheBound) {
  TempDir dir;
  ConnectionOptions options;
  options.statement_cache_size = 8;
  auto conn = open_or_die(dir.file("cache.db"), OpenMode::read_write_create, options);
  ASSERT_NE(conn, nullptr);
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 40; ++i) {
      auto r = conn->query("SELECT $1 * " + std::to_string(i), params(round));
      ASSERT_TRUE(r) << r.error().message;
      EXPECT_EQ((*r)[0].i64(0), round * i);
    }
  }
}

TEST(ConnectionOpenTest, CreatesParentDirectoryAndAppliesPragmas) {
  TempDir dir;
  const std::string path = dir.file("a/b/c/redress.db");
  ConnectionOptions options;
  options.synchronous = Synchronous::normal;
  auto conn = open_or_die(path, OpenMode::read_write_create, options);
  ASSERT_NE(conn, nullptr);
  EXPECT_TRUE(std::filesystem::exists(path));
  auto journal = conn->query("PRAGMA journal_mode", {});
  ASSERT_TRUE(journal);
  EXPECT_EQ((*journal)[0].text(0), "wal");
  auto sync = conn->query("PRAGMA synchronous", {});
  ASSERT_TRUE(sync);
  EXPECT_EQ((*sync)[0].i64(0), 1);  // NORMAL
  auto fk = conn->query("PRAGMA foreign_keys", {});
  ASSERT_TRUE(fk);
  EXPECT_EQ((*fk)[0].i64(0), 1);
  auto timeout = conn->query("PRAGMA busy_timeout", {});
  ASSERT_TRUE(timeout);
  EXPECT_EQ((*timeout)[0].i64(0), 5000);
}

TEST(ConnectionOpenTest, SynchronousDefaultsToFull) {
  TempDir dir;
  auto conn = open_or_die(dir.file("full.db"));
  ASSERT_NE(conn, nullptr);
  auto sync = conn->query("PRAGMA synchronous", {});
  ASSERT_TRUE(sync);
  EXPECT_EQ((*sync)[0].i64(0), 2);  // FULL
}

TEST(ConnectionOpenTest, ReadOnlyRefusesMissingFileAndWrites) {
  TempDir dir;
  const std::string path = dir.file("ro.db");
  auto missing = SqliteConnection::open(path, OpenMode::read_only, {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::internal);
  EXPECT_FALSE(std::filesystem::exists(path));

  auto writer = open_or_die(path);
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->exec_script("CREATE TABLE t (x); INSERT INTO t VALUES (1);"));

  auto reader = open_or_die(path, OpenMode::read_only);
  ASSERT_NE(reader, nullptr);
  auto r = reader->query("SELECT x FROM t", {});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)[0].i64(0), 1);
  auto write = reader->exec("INSERT INTO t VALUES ($1)", params(2));
  ASSERT_FALSE(write);
  EXPECT_EQ(write.error().code, ErrorCode::internal);
  EXPECT_FALSE(reader->exec_script("CREATE TABLE u (y)"));
}

TEST(ConnectionOpenTest, LockedDatabaseIsUnavailable) {
  TempDir dir;
  const std::string path = dir.file("busy.db");
  auto first = open_or_die(path);
  ConnectionOptions impatient;
  impatient.busy_timeout = std::chrono::milliseconds(0);
  auto second = open_or_die(path, OpenMode::read_write_create, impatient);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  ASSERT_TRUE(first->exec_script("BEGIN IMMEDIATE"));
  EXPECT_TRUE(first->in_transaction());
  auto r = second->exec_script("BEGIN IMMEDIATE");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::unavailable);
  EXPECT_FALSE(second->in_transaction());
  ASSERT_TRUE(first->exec_script("COMMIT"));
}

TEST(ConnectionOpenTest, HandleIsUsable) {
  TempDir dir;
  auto conn = open_or_die(dir.file("h.db"));
  ASSERT_NE(conn, nullptr);
  ASSERT_NE(conn->handle(), nullptr);
  EXPECT_EQ(sqlite3_db_readonly(conn->handle(), "main"), 0);
}

}  // namespace
}  // namespace redress::store::sqlite
