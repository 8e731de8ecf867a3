// The write transaction's memo (TxMemo, store/sql.h) against a real store: what
// a job that was rolled back learned must not outlive its savepoint, and what a
// transaction writes must not be hidden by what it memoised before. Shared by
// the SQLite and PostgreSQL store tests so both adapters forget alike.
#pragma once

#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <string>
#include <vector>

#include "store/store.h"

namespace redress::store::tx_memo_checks {

// Three appends queued behind a job that holds the writer, so they share one
// batch: the first is kept, the second rolled back after its append, the third
// kept. The third must chain onto the first, not onto the rolled-back second.
inline void check_rolled_back_append_leaves_no_tail(Store& store, ComplaintId complaint) {
  auto before = store.read<std::string>([](const ReadTx& tx) { return tx.events().last_hash(); });
  ASSERT_TRUE(before) << before.error().message;

  std::promise<void> gate;
  std::shared_future<void> open = gate.get_future().share();
  std::vector<std::future<void>> finished;
  auto submit = [&](std::move_only_function<bool(WriteTx&)> run) {
    auto done = std::make_shared<std::promise<void>>();
    finished.push_back(done->get_future());
    store.write_raw(WriteWork{std::move(run), [done](bool) { done->set_value(); }});
  };
  auto append = [complaint](WriteTx& tx, const std::string& hash) {
    auto prev = tx.events().last_hash_for_append();
    if (!prev) return false;
    return tx.events()
        .append(Event{.complaint = complaint,
                      .at = from_epoch_ms(1),
                      .actor_kind = "system",
                      .action = "note",
                      .data = "{}",
                      .prev_hash = *prev,
                      .hash = hash})
        .has_value();
  };
  submit([open](WriteTx&) {
    open.wait();
    return true;
  });
  submit([&append](WriteTx& tx) { return append(tx, "memo-kept-1"); });
  submit([&append](WriteTx& tx) {
    (void)append(tx, "memo-undone");
    return false;  // roll this job back after its append
  });
  submit([&append](WriteTx& tx) { return append(tx, "memo-kept-2"); });
  gate.set_value();
  for (auto& f : finished) f.get();

  auto events = store.read<std::vector<Event>>(
      [complaint](const ReadTx& tx) { return tx.events().for_complaint(complaint); });
  ASSERT_TRUE(events) << events.error().message;
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].hash, "memo-kept-1");
  EXPECT_EQ((*events)[0].prev_hash, *before);
  EXPECT_EQ((*events)[1].hash, "memo-kept-2");
  EXPECT_EQ((*events)[1].prev_hash, "memo-kept-1") << "chained onto a rolled-back event";
}

// In one transaction: the subscribers to an event type are asked (and memoised),
// then a webhook is added, then deactivated; every later ask sees the change.
inline void check_webhook_writes_refresh_the_memo(Store& store) {
  auto counts = store.write_sync<std::vector<std::size_t>>(
      [](WriteTx& tx) -> Result<std::vector<std::size_t>> {
        std::vector<std::size_t> seen;
        REDRESS_TRY(auto none, tx.webhooks().subscribed("complaint.created"));
        seen.push_back(none.size());
        Webhook w{.url = "https://hooks.example/memo",
                  .events = {"complaint.created"},
                  .active = true,
                  .secret = "s",
                  .created_at = from_epoch_ms(1),
                  .updated_at = from_epoch_ms(1)};
        REDRESS_TRY(w.id, tx.webhooks().insert(w));
        REDRESS_TRY(auto one, tx.webhooks().subscribed("complaint.created"));
        seen.push_back(one.size());
        w.active = false;
        REDRESS_CHECK(tx.webhooks().update(w));
        REDRESS_TRY(auto after, tx.webhooks().subscribed("complaint.created"));
        seen.push_back(after.size());
        return seen;
      });
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(*counts, (std::vector<std::size_t>{0, 1, 0}));
}

// The SLA policies are read once per write transaction; adding, changing and
// deleting one in the same transaction must show in the next read.
inline void check_sla_policy_writes_refresh_the_memo(Store& store) {
  auto names = store.write_sync<std::vector<std::string>>(
      [](WriteTx& tx) -> Result<std::vector<std::string>> {
        std::vector<std::string> seen;
        auto mine = [&]() -> Status {
          REDRESS_TRY(auto all, tx.sla().policies());
          std::string found = "-";
          for (const auto& p : all) {
            if (p.name.starts_with("memo ")) found = p.name;
          }
          seen.push_back(found);
          return {};
        };
        REDRESS_CHECK(mine());
        SlaPolicy p;
        p.name = "memo one";
        p.first_response = Millis{60'000};
        REDRESS_TRY(p.id, tx.sla().add_policy(p));
        REDRESS_CHECK(mine());
        p.name = "memo two";
        REDRESS_CHECK(tx.sla().update_policy(p));
        REDRESS_CHECK(mine());
        REDRESS_CHECK(tx.sla().delete_policy(p.id));
        REDRESS_CHECK(mine());
        return seen;
      });
  ASSERT_TRUE(names) << names.error().message;
  EXPECT_EQ(*names, (std::vector<std::string>{"-", "memo one", "memo two", "-"}));
}

}  // namespace redress::store::tx_memo_checks
