// The search index on SQLite (FTS5 with the redress_terms tokenizer); the
// expectations are shared with the PostgreSQL store test.
#include <gtest/gtest.h>

#include <algorithm>

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

TEST(SqliteSearchIndex, RanksOnlyTheNewestTwoThousandMatches) {
  test_support::TempDir dir;
  auto store = SqliteStore::open(dir.file("t.db"), {}, from_epoch_ms(1700000000000));
  ASSERT_TRUE(store) << store.error().message;
  auto first = (*store)->write_sync<std::int64_t>([&](WriteTx& tx) -> Result<std::int64_t> {
    REDRESS_TRY(CustomerId customer, tx.customers().insert(Customer{.name = "C"}));
    std::int64_t first_id = 0;
    for (int i = 0; i < 2005; ++i) {
      Complaint c;
      c.tracking_code = "K-" + std::to_string(i);
      c.access_token_hash = "h";
      c.customer = customer;
      c.description = i == 0 ? "common and rare" : "common";
      REDRESS_TRY(auto id, tx.complaints().insert(c));
      if (i == 0) first_id = id.value;
    }
    return first_id;
  });
  ASSERT_TRUE(first) << first.error().message;
  auto page = [&](const std::string& q, std::int64_t offset) {
    return search_checks::search_ids(**store, q,
                                     ComplaintFilter{.limit = 200, .search_offset = offset});
  };
  // 2,005 matches: pages end after the newest 2,000, so the five oldest are
  // not among them...
  EXPECT_EQ(page("common", 1900).size(), 100u);
  EXPECT_EQ(page("common", 2000).size(), 0u);
  const auto last = page("common", 1900);
  EXPECT_EQ(std::count(last.begin(), last.end(), *first), 0);
  // ...but a word they alone hold still finds them.
  EXPECT_EQ(page("rare", 0), (std::vector<std::int64_t>{*first}));
}

TEST(SqliteSearchIndex, TokenizerEmitsVariantsAtTheTermsPosition) {
  test_support::TempDir dir;
  auto conn = test_support::open_or_die(dir.file("t.db"));
  ASSERT_NE(conn, nullptr);
  ASSERT_TRUE(conn->exec_script(
      "CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'redress_terms');"
      "INSERT INTO t (rowid, x) VALUES (1, 'hoàn\x1Fhoan tiền\x1Ftien  x'), (2, 'hoan tien');"));
  auto rows = conn->query("SELECT rowid FROM t WHERE t MATCH $1 ORDER BY rowid",
                          std::vector<SqlValue>{"\"hoan tien\""});
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  rows = conn->query("SELECT rowid FROM t WHERE t MATCH $1", std::vector<SqlValue>{"\"tiền x\""});
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().i64(0), 1);
}

}  // namespace
}  // namespace redress::store::sqlite
