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

// Index rows wait in complaint_search_pending until their transaction commits
// (migration 0025): a message extends a row written in the same transaction or
// an already committed one, a rolled-back write leaves nothing behind, and
// nothing stays pending after COMMIT.
TEST(SqliteSearchIndex, PendingRowsEnterTheIndexAtCommitOnly) {
  test_support::TempDir dir;
  const std::string path = dir.file("t.db");
  auto store = SqliteStore::open(path, {}, from_epoch_ms(1700000000000));
  ASSERT_TRUE(store) << store.error().message;
  auto add = [](WriteTx& tx, const std::string& code,
                const std::string& description) -> Result<ComplaintId> {
    REDRESS_TRY(CustomerId customer, tx.customers().insert(Customer{.name = "C"}));
    Complaint c;
    c.tracking_code = code;
    c.access_token_hash = "h";
    c.customer = customer;
    c.subject = "Subject";
    c.description = description;
    return tx.complaints().insert(c);
  };
  auto note = [](WriteTx& tx, ComplaintId id, const std::string& body) -> Status {
    REDRESS_TRY(auto m,
                tx.records().add_message(Message{.complaint = id, .kind = "note", .body = body}));
    (void)m;
    return {};
  };
  auto committed =
      (*store)->write_sync<ComplaintId>([&](WriteTx& tx) { return add(tx, "P-1", "parcel lost"); });
  ASSERT_TRUE(committed) << committed.error().message;
  auto fresh = (*store)->write_sync<ComplaintId>([&](WriteTx& tx) -> Result<ComplaintId> {
    REDRESS_TRY(ComplaintId id, add(tx, "P-2", "alpha"));
    REDRESS_CHECK(note(tx, id, "omega"));
    REDRESS_CHECK(note(tx, *committed, "gamma"));
    REDRESS_CHECK(note(tx, *committed, "delta"));
    return id;
  });
  ASSERT_TRUE(fresh) << fresh.error().message;
  auto refused = (*store)->write_sync<ComplaintId>([&](WriteTx& tx) -> Result<ComplaintId> {
    REDRESS_TRY(ComplaintId id, add(tx, "P-3", "beta"));
    REDRESS_CHECK(note(tx, *committed, "epsilon"));
    (void)id;
    return fail(Error::conflict("refused on purpose"));
  });
  ASSERT_FALSE(refused);

  using Ids = std::vector<std::int64_t>;
  EXPECT_EQ(search_checks::search_ids(**store, "alpha omega"), (Ids{fresh->value}));
  EXPECT_EQ(search_checks::search_ids(**store, "parcel gamma delta"), (Ids{committed->value}));
  Ids both = search_checks::search_ids(**store, "subject");  // the replaced row kept its subject
  std::sort(both.begin(), both.end());
  EXPECT_EQ(both, (Ids{committed->value, fresh->value}));
  EXPECT_EQ(search_checks::search_ids(**store, "beta"), Ids{});
  EXPECT_EQ(search_checks::search_ids(**store, "epsilon"), Ids{});
  auto conn = test_support::open_or_die(path);
  ASSERT_NE(conn, nullptr);
  auto pending = conn->query("SELECT count(*) FROM complaint_search_pending", {});
  ASSERT_TRUE(pending) << pending.error().message;
  EXPECT_EQ(pending->front().i64(0), 0);
  // One index row per complaint: the committed complaint's row was replaced.
  auto rows = conn->query("SELECT count(*) FROM complaint_search_docsize", {});
  ASSERT_TRUE(rows) << rows.error().message;
  EXPECT_EQ(rows->front().i64(0), 2);
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
