// The write transaction's memo (TxMemo) on a real SQLite store: see
// store/tx_memo_checks.h.
#include <gtest/gtest.h>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/test_util.h"
#include "store/tx_memo_checks.h"

namespace redress::store::sqlite {
namespace {

TEST(SqliteTxMemo, ARolledBackAppendLeavesNoTailForTheNextJob) {
  test_support::TempDir dir;
  auto store = SqliteStore::open(dir.file("t.db"), {}, from_epoch_ms(1700000000000));
  ASSERT_TRUE(store) << store.error().message;
  auto complaint = (*store)->write_sync<ComplaintId>([](WriteTx& tx) -> Result<ComplaintId> {
    REDRESS_TRY(CustomerId customer, tx.customers().insert(Customer{.name = "C"}));
    return tx.complaints().insert(
        Complaint{.tracking_code = "RD-M", .access_token_hash = "h", .customer = customer});
  });
  ASSERT_TRUE(complaint) << complaint.error().message;
  tx_memo_checks::check_rolled_back_append_leaves_no_tail(**store, *complaint);
}

TEST(SqliteTxMemo, WebhookWritesRefreshTheMemoisedSubscribers) {
  test_support::TempDir dir;
  auto store = SqliteStore::open(dir.file("t.db"), {}, from_epoch_ms(1700000000000));
  ASSERT_TRUE(store) << store.error().message;
  tx_memo_checks::check_webhook_writes_refresh_the_memo(**store);
}

TEST(SqliteTxMemo, SlaPolicyWritesRefreshTheMemoisedPolicies) {
  test_support::TempDir dir;
  auto store = SqliteStore::open(dir.file("t.db"), {}, from_epoch_ms(1700000000000));
  ASSERT_TRUE(store) << store.error().message;
  tx_memo_checks::check_sla_policy_writes_refresh_the_memo(**store);
}

}  // namespace
}  // namespace redress::store::sqlite
