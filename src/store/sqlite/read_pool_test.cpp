#include "store/sqlite/read_pool.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "store/group_writer.h"
#include "store/sqlite/test_util.h"

namespace redress::store::sqlite {
namespace {

using test_support::open_or_die;
using test_support::TempDir;

class ReadPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    writer_conn_ = open_or_die(path_);
    ASSERT_NE(writer_conn_, nullptr);
    ASSERT_TRUE(writer_conn_->exec_script("CREATE TABLE t (x INTEGER NOT NULL)"));
  }

  std::int64_t count(SqlSession& s) {
    auto r = s.query("SELECT COUNT(*) FROM t", {});
    EXPECT_TRUE(r) << r.error().message;
    return r ? (*r)[0].i64(0) : -1;
  }

  TempDir dir_;
  std::string path_ = dir_.file("pool.db");
  std::unique_ptr<SqliteConnection> writer_conn_;
};

TEST_F(ReadPoolTest, SeesWhatTheWriterCommitted) {
  ReadPool pool(path_, {});
  GroupCommitWriter writer(std::move(writer_conn_), {});
  std::promise<bool> committed;
  writer.submit(
      WriteJob{[](SqlSession& s) {
                 return s.exec("INSERT INTO t (x) VALUES ($1), ($1 + 1)", params(7)).has_value();
               },
               [&](bool c) { committed.set_value(c); }});
  ASSERT_TRUE(committed.get_future().get());

  Result<std::int64_t> sum = pool.with_snapshot([](SqlSession& s) -> Result<std::int64_t> {
    REDRESS_TRY(auto rows, s.query("SELECT SUM(x) FROM t", {}));
    return rows[0].i64(0);
  });
  ASSERT_TRUE(sum) << sum.error().message;
  EXPECT_EQ(*sum, 15);
}

TEST_F(ReadPoolTest, ReadConnectionsRefuseWrites) {
  ReadPool pool(path_, {});
  auto lease = pool.acquire();
  ASSERT_TRUE(lease) << lease.error().message;
  auto r = lease->connection().exec("INSERT INTO t (x) VALUES ($1)", params(1));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::internal);
  EXPECT_EQ(count(lease->connection()), 0);

  Status via_snapshot = pool.with_snapshot([](SqlSession& s) -> Status {
    REDRESS_CHECK(s.exec("DELETE FROM t", {}));
    return {};
  });
  EXPECT_FALSE(via_snapshot);
}

TEST_F(ReadPoolTest, SnapshotIgnoresLaterCommitsUntilItEnds) {
  ReadPool pool(path_, {});
  ASSERT_TRUE(writer_conn_->exec("INSERT INTO t (x) VALUES (1)", {}));
  auto lease = pool.acquire();
  ASSERT_TRUE(lease);
  SqliteConnection& reader = lease->connection();
  ASSERT_TRUE(reader.exec_script("BEGIN"));
  EXPECT_EQ(count(reader), 1);
  ASSERT_TRUE(writer_conn_->exec("INSERT INTO t (x) VALUES (2)", {}));  // WAL: not blocked
  EXPECT_EQ(count(reader), 1);                                          // same snapshot
  ASSERT_TRUE(reader.exec_script("COMMIT"));
  EXPECT_EQ(count(reader), 2);
}

TEST_F(ReadPoolTest, AcquireBlocksAtTheBoundUntilALeaseReturns) {
  ReadPool pool(path_, ReadPoolOptions{.size = 2});
  auto a = pool.acquire();
  auto b = pool.acquire();
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  SqliteConnection* first = &a->connection();

  auto third = std::async(std::launch::async, [&] { return pool.acquire(); });
  EXPECT_EQ(third.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);
  { auto released = std::move(*a); }  // the moved-to Lease returns the connection here
  ASSERT_EQ(third.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  auto c = third.get();
  ASSERT_TRUE(c);
  EXPECT_EQ(&c->connection(), first);  // reused, not a third connection
}

TEST_F(ReadPoolTest, ReturnedLeaseIsRolledBack) {
  ReadPool pool(path_, ReadPoolOptions{.size = 1});
  {
    auto lease = pool.acquire();
    ASSERT_TRUE(lease);
    ASSERT_TRUE(lease->connection().exec_script("BEGIN; SELECT COUNT(*) FROM t;"));
    EXPECT_TRUE(lease->connection().in_transaction());
  }
  auto again = pool.acquire();
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->connection().in_transaction());
}

TEST(ReadPoolOpenTest, MissingDatabaseFailsAndFreesTheSlot) {
  TempDir dir;
  ReadPool pool(dir.file("absent.db"), ReadPoolOptions{.size = 1});
  auto first = pool.acquire();
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, ErrorCode::internal);
  auto second = pool.acquire();  // would block forever if the slot leaked
  EXPECT_FALSE(second);
}

}  // namespace
}  // namespace redress::store::sqlite
