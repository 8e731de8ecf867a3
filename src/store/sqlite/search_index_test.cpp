// The search index on SQLite (FTS5 with the redress_terms tokenizer); the
// expectations are shared with the PostgreSQL store test.
#include <gtest/gtest.h>

#include "store/search_index_checks.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/test_util.h"

namespace redress::store::sqlite {
namespace {

TEST(SqliteSearchIndex, IndexesSearchesAndForgets) {
  test_support::TempDir dir;
  const std::string path = dir.file("t.db");
  auto store = SqliteStore::open(path, {}, from_epoch_ms(1700000000000));
  ASSERT_TRUE(store) << store.error().message;
  search_checks::check_search_index(**store, [&](const std::string& sql) {
    auto conn = test_support::open_or_die(path);
    ASSERT_NE(conn, nullptr);
    auto done = conn->exec_script(sql);
    ASSERT_TRUE(done) << done.error().message;
  });
}

TEST(SqliteSearchIndex, TokenizerEmitsVariantsAtTheTermsPosition) {
  test_support::TempDir dir;
  auto conn = test_support::open_or_die(dir.file("t.db"));
  ASSERT_NE(conn, nullptr);
  ASSERT_TRUE(conn->exec_script(
      "CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'redress_terms');"
      "INSERT INTO t (rowid, x) VALUES (1, 'hoàn\x1Fhoan tiền\x1Ftien  x'), (2, 'hoan tien');"));
  auto rows = conn->query(
      "SELECT rowid FROM t WHERE t MATCH $1 ORDER BY rowid", std::vector<SqlValue>{"\"hoan tien\""});
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  rows = conn->query("SELECT rowid FROM t WHERE t MATCH $1",
                     std::vector<SqlValue>{"\"tiền x\""});
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().i64(0), 1);
}

}  // namespace
}  // namespace redress::store::sqlite
