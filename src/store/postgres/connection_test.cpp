#include "store/postgres/connection.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/postgres/test_util.h"

namespace redress::store::postgres {
namespace {

using test_support::PgTest;

class PgConnectionTest : public PgTest {};

TEST_F(PgConnectionTest, BindsAndReadsEachTypeByColumnType) {
  auto c = connect();
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->exec_script(
      "CREATE TABLE t (i8 BIGINT, i4 INTEGER, i2 SMALLINT, d DOUBLE PRECISION, r REAL, "
      "n NUMERIC, s TEXT, b BOOLEAN)"));
  auto inserted =
      c->exec("INSERT INTO t VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
              params(std::int64_t{9007199254740993}, 42, 7, 0.1, 2.5, 12.25, "héllo 退款", "t"));
  ASSERT_TRUE(inserted) << inserted.error().message;
  EXPECT_EQ(*inserted, 1);
  auto rows = c->query("SELECT i8, i4, i2, d, r, n, s, b FROM t", {});
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  const SqlRow& r = rows->front();
  EXPECT_EQ(std::get<std::int64_t>(r.at(0)), 9007199254740993);
  EXPECT_EQ(std::get<std::int64_t>(r.at(1)), 42);
  EXPECT_EQ(std::get<std::int64_t>(r.at(2)), 7);
  EXPECT_EQ(std::get<double>(r.at(3)), 0.1);  // exact round trip of the shortest form
  EXPECT_EQ(std::get<double>(r.at(4)), 2.5);
  EXPECT_EQ(std::get<double>(r.at(5)), 12.25);
  EXPECT_EQ(std::get<std::string>(r.at(6)), "héllo 退款");
  EXPECT_EQ(std::get<std::int64_t>(r.at(7)), 1);
}

TEST_F(PgConnectionTest, NullsGoInAndComeBackAsMonostate) {
  auto c = connect();
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->exec_script("CREATE TABLE t (a BIGINT, b TEXT, c DOUBLE PRECISION)"));
  ASSERT_TRUE(c->exec("INSERT INTO t (a, b, c) VALUES ($1, $2, $3)",
                      params(std::optional<std::int64_t>{}, std::optional<std::string>{},
                             std::optional<double>{})));
  auto rows = c->query("SELECT a, b, c FROM t WHERE a IS NULL", {});
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_TRUE(rows->front().is_null(i)) << i;
  EXPECT_EQ(rows->front().opt_i64(0), std::nullopt);
  EXPECT_EQ(rows->front().text(1), "");
}

TEST_F(PgConnectionTest, PlaceholdersMayRepeatAndComeOutOfOrder) {
  auto c = connect();
  ASSERT_NE(c, nullptr);
  auto rows = c->query("SELECT $2 || '!', $1 + 1, $1", params(41, "hi"));
  ASSERT_TRUE(rows) << rows.error().message;
  EXPECT_EQ(rows->front().text(0), "hi!");
  EXPECT_EQ(rows->front().i64(1), 42);
  EXPECT_EQ(rows->front().i64(2), 41);
}

TEST_F(PgConnectionTest, UninferableParametersAreTypedFromTheirValues) {
  auto c = connect();
  ASSERT_NE(c, nullptr);
  auto rows = c->query("SELECT $1 IS NULL", params(5));
  ASSERT_TRUE(rows) << rows.error().message;
  EXPECT_EQ(rows->front().i64(0), 0);
}

TEST_F(PgConnectionTest, KeyViolationsAreConflictsOtherErrorsInternal) {
  auto c = connect();
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->exec_script(
      "CREATE TABLE p (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
      "CREATE TABLE ch (id BIGINT PRIMARY KEY, p BIGINT NOT NULL REFERENCES p(id))"));
  ASSERT_TRUE(c->exec("INSERT INTO p VALUES ($1, $2)", params(1, "a")));
  auto dup = c->exec("INSERT INTO p VALUES ($1, $2)", params(2, "a"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::conflict) << dup.error().message;
  auto orphan = c->exec("INSERT INTO ch VALUES ($1, $2)", params(1, 99));
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code, ErrorCode::conflict) << orphan.error().message;
  auto not_null = c->exec("INSERT INTO p VALUES ($1, $2)", params(3, std::optional<std::string>{}));
  ASSERT_FALSE(not_null);
  EXPECT_EQ(not_null.error().code, ErrorCode::internal);
  auto syntax = c->query("SELEC 1", {});
  ASSERT_FALSE(syntax);
  EXPECT_EQ(syntax.error().code, ErrorCode::internal);
  EXPECT_NE(syntax.error().message.find("SELEC 1"), std::string::npos);
  // The connection is still usable after errors outside a transaction.
  EXPECT_TRUE(c->query("SELECT 1", {}));
}

TEST_F(PgConnectionTest, ExecCountsChangedRowsAndScriptsRunSeveralStatements) {
  auto c = connect();
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->exec_script("CREATE TABLE t (v BIGINT); INSERT INTO t VALUES (1), (2), (3)"));
  auto changed = c->exec("UPDATE t SET v = v + 10 WHERE v >= $1", params(2));
  ASSERT_TRUE(changed);
  EXPECT_EQ(*changed, 2);
  auto none = c->exec("UPDATE t SET v = 0 WHERE v < $1", params(0));
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, 0);
  auto returning = c->query("INSERT INTO t VALUES ($1) RETURNING v * 2", params(21));
  ASSERT_TRUE(returning);
  EXPECT_EQ(returning->front().i64(0), 42);
}

TEST_F(PgConnectionTest, TracksTransactionsIncludingAbortedOnes) {
  auto c = connect();
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->in_transaction());
  ASSERT_TRUE(c->exec_script("BEGIN"));
  EXPECT_TRUE(c->in_transaction());
  EXPECT_FALSE(c->query("SELECT 1/0", {}));
  EXPECT_TRUE(c->in_transaction());  // aborted, awaiting ROLLBACK
  auto refused = c->query("SELECT 1", {});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::internal);
  ASSERT_TRUE(c->exec_script("ROLLBACK"));
  EXPECT_FALSE(c->in_transaction());
  EXPECT_TRUE(c->query("SELECT 1", {}));
}

TEST_F(PgConnectionTest, StatementCacheEvictsAndKeepsWorking) {
  auto c = connect(ConnectionOptions{.statement_cache_size = 3});
  ASSERT_NE(c, nullptr);
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 10; ++i) {
      auto rows = c->query("SELECT $1 + " + std::to_string(i), params(round));
      ASSERT_TRUE(rows) << rows.error().message;
      EXPECT_EQ(rows->front().i64(0), round + i);
    }
  }
  auto uncached = connect(ConnectionOptions{.statement_cache_size = 0});
  ASSERT_NE(uncached, nullptr);
  auto rows = uncached->query("SELECT $1 IS NULL", params(std::optional<std::int64_t>{}));
  ASSERT_TRUE(rows) << rows.error().message;
  EXPECT_EQ(rows->front().i64(0), 1);
}

TEST_F(PgConnectionTest, AdvisoryLockIsHeldUntilCommit) {
  auto a = connect();
  auto b = connect();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(a->exec_script("BEGIN"));
  ASSERT_TRUE(a->lock_until_commit(TxLock::event_chain));
  ASSERT_TRUE(b->exec_script("BEGIN; SET LOCAL lock_timeout = '100ms'"));
  auto blocked = b->lock_until_commit(TxLock::event_chain);
  ASSERT_FALSE(blocked);  // 55P03 lock_not_available
  ASSERT_TRUE(b->exec_script("ROLLBACK"));
  ASSERT_TRUE(a->exec_script("COMMIT"));
  ASSERT_TRUE(b->exec_script("BEGIN; SET LOCAL lock_timeout = '100ms'"));
  EXPECT_TRUE(b->lock_until_commit(TxLock::event_chain));
  ASSERT_TRUE(b->exec_script("COMMIT"));
}

// The lock is taken once per transaction (TxMemo), but again after a rollback
// to a savepoint: PostgreSQL releases a lock taken after the savepoint then.
TEST_F(PgConnectionTest, AdvisoryLockIsTakenAgainAfterARollbackToSavepoint) {
  auto a = connect();
  auto b = connect();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  const auto held_by_a = [&] {
    auto free = b->query("SELECT pg_try_advisory_lock($1)",
                         params(static_cast<std::int64_t>(TxLock::event_chain)));
    EXPECT_TRUE(free) << free.error().message;
    const bool got = free && free->front().i64(0) == 1;
    if (got) {
      EXPECT_TRUE(b->query("SELECT pg_advisory_unlock($1)",
                           params(static_cast<std::int64_t>(TxLock::event_chain))));
    }
    return !got;
  };
  ASSERT_TRUE(a->exec_script("BEGIN"));
  ASSERT_TRUE(a->exec_script("SAVEPOINT job"));
  ASSERT_TRUE(a->lock_until_commit(TxLock::event_chain));
  ASSERT_NE(a->tx_memo(), nullptr);
  EXPECT_TRUE(a->tx_memo()->holds(TxLock::event_chain));
  EXPECT_TRUE(held_by_a());
  ASSERT_TRUE(a->exec_script("ROLLBACK TO job"));
  EXPECT_FALSE(a->tx_memo()->holds(TxLock::event_chain));
  EXPECT_FALSE(held_by_a()) << "released with the savepoint";
  ASSERT_TRUE(a->lock_until_commit(TxLock::event_chain));
  EXPECT_TRUE(held_by_a());
  ASSERT_TRUE(a->exec_script("RELEASE job"));
  EXPECT_TRUE(a->tx_memo()->holds(TxLock::event_chain));  // RELEASE keeps what it held
  ASSERT_TRUE(a->exec_script("COMMIT"));
  EXPECT_EQ(a->tx_memo(), nullptr);
  EXPECT_FALSE(held_by_a());
}

TEST_F(PgConnectionTest, ALostConnectionIsUnavailableThenReopened) {
  auto victim = connect();
  auto killer = connect();
  ASSERT_NE(victim, nullptr);
  ASSERT_NE(killer, nullptr);
  auto pid = victim->query("SELECT pg_backend_pid()", {});
  ASSERT_TRUE(pid);
  ASSERT_TRUE(killer->query("SELECT pg_terminate_backend($1)", params(pid->front().i64(0))));
  auto lost = victim->query("SELECT 1", {});
  ASSERT_FALSE(lost);
  EXPECT_EQ(lost.error().code, ErrorCode::unavailable) << lost.error().message;
  EXPECT_FALSE(victim->in_transaction());
  auto again = victim->query("SELECT 2", {});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->front().i64(0), 2);
}

TEST(PgConnectionOpen, AnUnreachableServerIsUnavailable) {
  auto c = PgConnection::open("postgresql://nobody:secret@127.0.0.1:1/none",
                              ConnectionOptions{.connect_timeout = std::chrono::seconds(2)});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::unavailable);
  EXPECT_EQ(c.error().message.find("secret"), std::string::npos) << c.error().message;
}

}  // namespace
}  // namespace redress::store::postgres
