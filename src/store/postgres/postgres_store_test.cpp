#include "store/postgres/postgres_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <set>
#include <thread>
#include <vector>

#include "store/group_writer.h"
#include "store/insight_checks.h"
#include "store/postgres/test_util.h"
#include "store/report_counts_checks.h"
#include "store/search_index_checks.h"
#include "store/tx_memo_checks.h"

namespace redress::store::postgres {
namespace {

using test_support::PgTest;

Instant at(std::int64_t ms) {
  return from_epoch_ms(ms);
}

class PostgresStoreTest : public PgTest {
 protected:
  std::unique_ptr<PostgresStore> open_store() {
    auto s = PostgresStore::open(url(), {}, at(1700000000000));
    EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().message);
    return s ? std::move(*s) : nullptr;
  }

  // Inserts, in `tx`, a customer and a complaint with tracking code `code`.
  static Result<ComplaintId> insert_complaint(WriteTx& tx, const std::string& code) {
    REDRESS_TRY(CustomerId customer, tx.customers().insert(Customer{.name = "C"}));
    Complaint c;
    c.tracking_code = code;
    c.access_token_hash = "h";
    c.customer = customer;
    c.description = "late";
    return tx.complaints().insert(c);
  }

  // A customer and a complaint to hang events on.
  static ComplaintId seed_complaint(Store& store, const std::string& code) {
    auto id = store.write_sync<ComplaintId>(
        [&](WriteTx& tx) -> Result<ComplaintId> { return insert_complaint(tx, code); });
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : ComplaintId{};
  }
};

TEST_F(PostgresStoreTest, MigratesOnceAndRecordsTheReason) {
  { ASSERT_NE(open_store(), nullptr); }
  auto again = open_store();  // a second start applies nothing
  ASSERT_NE(again, nullptr);
  auto c = connect();
  auto rows = c->query("SELECT version, reason FROM schema_migrations ORDER BY version", {});
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), migrations().size());
  EXPECT_EQ(rows->front().i64(0), 1);
  EXPECT_NE(rows->front().text(1).find("complaint lifecycle"), std::string::npos);
}

TEST_F(PostgresStoreTest, RoundTripsThroughTheSharedRepositories) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  const ComplaintId id = seed_complaint(*store, "RD-1");
  auto found = store->read<std::optional<Complaint>>(
      [&](const ReadTx& tx) { return tx.complaints().find(id); });
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->tracking_code, "RD-1");
  EXPECT_EQ((*found)->version, 1);

  // Optimistic concurrency: the stale version is refused as a conflict.
  Complaint c = **found;
  c.subject = "edited";
  auto bumped =
      store->write_sync<std::int64_t>([&](WriteTx& tx) { return tx.complaints().update(c); });
  ASSERT_TRUE(bumped) << bumped.error().message;
  EXPECT_EQ(*bumped, 2);
  auto stale =
      store->write_sync<std::int64_t>([&](WriteTx& tx) { return tx.complaints().update(c); });
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::conflict);

  // A duplicate tracking code is a conflict and rolls back the whole use case.
  auto dup = store->write_sync<ComplaintId>([&](WriteTx& tx) -> Result<ComplaintId> {
    REDRESS_TRY(CustomerId customer, tx.customers().insert(Customer{.name = "D"}));
    Complaint d;
    d.tracking_code = "RD-1";
    d.access_token_hash = "h";
    d.customer = customer;
    d.description = "again";
    return tx.complaints().insert(d);
  });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::conflict);
  auto customers = connect()->query("SELECT count(*) FROM customers", {});
  ASSERT_TRUE(customers);
  EXPECT_EQ(customers->front().i64(0), 1);

  // The listing query with every filter runs unchanged.
  ComplaintFilter f;
  f.state = State::new_;
  f.scope = std::vector<DepartmentId>{DepartmentId{1}};
  f.include_unrouted = true;
  f.received_from = at(0);
  f.before_id = 1000;
  auto listed = store->read<std::vector<Complaint>>(
      [&](const ReadTx& tx) { return tx.complaints().list(f); });
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(listed->size(), 1u);
}

TEST_F(PostgresStoreTest, ReportCountTriggersKeepTheCountsOfEveryWrite) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  report_checks::check_report_counts(*store);
}

// Migration 0023: counts of complaints inserted in the same transaction are
// pending until COMMIT; the changes made before it must move them correctly.
TEST_F(PostgresStoreTest, ReportCountsOfChangesBeforeTheFirstCommit) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  report_checks::check_report_counts(*store, report_checks::Batching::one_transaction);
  report_checks::expect_taken_code_writes_nothing(*store);
  auto pending = connect()->query("SELECT count(*) FROM report_pending", {});
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->front().i64(0), 0);
}

TEST_F(PostgresStoreTest, WarningRecordAndHotspotQueries) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  insight_checks::check_insight_queries(*store);
}

TEST_F(PostgresStoreTest, SearchIndexIndexesSearchesAndForgets) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  search_checks::check_search_index(*store, [&](const std::string& sql) {
    auto done = connect()->exec_script(sql);
    ASSERT_TRUE(done) << done.error().message;
  });
}

TEST_F(PostgresStoreTest, EventsAreAppendOnly) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  const ComplaintId id = seed_complaint(*store, "RD-2");
  auto appended = store->write_sync<std::int64_t>([&](WriteTx& tx) -> Result<std::int64_t> {
    REDRESS_TRY(std::string prev, tx.events().last_hash_for_append());
    return tx.events().append(Event{.complaint = id,
                                    .at = at(1),
                                    .actor_kind = "system",
                                    .action = "registered",
                                    .data = "{}",
                                    .prev_hash = prev,
                                    .hash = "h1"});
  });
  ASSERT_TRUE(appended) << appended.error().message;
  auto c = connect();
  auto update = c->exec("UPDATE events SET data = '{\"x\":1}'", {});
  ASSERT_FALSE(update);
  EXPECT_NE(update.error().message.find("append-only"), std::string::npos);
  EXPECT_FALSE(c->exec("DELETE FROM events", {}));
  EXPECT_FALSE(c->exec_script("TRUNCATE events CASCADE"));
}

TEST_F(PostgresStoreTest, ReadsSeeOneSnapshotAndCannotWrite) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  seed_complaint(*store, "RD-3");
  Status s = store->read_raw([&](ReadTx& tx) -> Status {
    REDRESS_TRY(auto before, tx.complaints().list({}));
    // A commit by the writer meanwhile is invisible to this snapshot.
    seed_complaint(*store, "RD-4");
    REDRESS_TRY(auto after, tx.complaints().list({}));
    EXPECT_EQ(before.size(), 1u);
    EXPECT_EQ(after.size(), 1u);
    return {};
  });
  ASSERT_TRUE(s) << s.error().message;
  auto all = store->read<std::vector<Complaint>>(
      [](const ReadTx& tx) { return tx.complaints().list({}); });
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 2u);

  Status write = store->read_raw([](ReadTx& tx) -> Status {
    // ReadTx offers const repositories only; go around it to prove the
    // snapshot itself refuses writes.
    auto& repo = const_cast<CustomerRepo&>(tx.customers());
    REDRESS_TRY(auto id, repo.insert(Customer{.name = "sneaky"}));
    (void)id;
    return {};
  });
  ASSERT_FALSE(write);
  EXPECT_EQ(write.error().code, ErrorCode::internal);  // 25006 read-only transaction
}

// The generic group-commit writer on a PostgreSQL connection, 8 threads.
TEST_F(PostgresStoreTest, GroupWriterCommitsEveryJobFromEightThreads) {
  auto setup = connect();
  ASSERT_TRUE(setup->exec_script("CREATE TABLE rows (v BIGINT NOT NULL UNIQUE)"));
  auto conn = connect();
  GroupCommitWriter writer(std::move(conn), {.max_batch = 64, .begin = "BEGIN"});
  constexpr int kThreads = 8;
  constexpr int kPerThread = 100;
  std::atomic<int> committed{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<std::future<bool>> waits;
      for (int i = 0; i < kPerThread; ++i) {
        auto done = std::make_shared<std::promise<bool>>();
        waits.push_back(done->get_future());
        const std::int64_t v = t * kPerThread + i;
        writer.submit(
            WriteJob{[v](SqlSession& s) {
                       return s.exec("INSERT INTO rows (v) VALUES ($1)", params(v)).has_value();
                     },
                     [done](bool ok) { done->set_value(ok); }});
      }
      for (auto& w : waits) (w.get() ? committed : refused)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(committed.load(), kThreads * kPerThread);
  EXPECT_EQ(refused.load(), 0);
  const auto stats = writer.stats();
  EXPECT_EQ(stats.jobs_committed, static_cast<std::uint64_t>(kThreads * kPerThread));
  EXPECT_LE(stats.batches_committed, stats.jobs_committed);
  auto count = setup->query("SELECT count(*), count(DISTINCT v) FROM rows", {});
  ASSERT_TRUE(count);
  EXPECT_EQ(count->front().i64(0), kThreads * kPerThread);
  EXPECT_EQ(count->front().i64(1), kThreads * kPerThread);
}

TEST_F(PostgresStoreTest, GroupWriterRollsBackOneJobAndReportsLostWrites) {
  auto setup = connect();
  ASSERT_TRUE(setup->exec_script("CREATE TABLE rows (v BIGINT NOT NULL UNIQUE)"));
  GroupCommitWriter writer(connect(), {.begin = "BEGIN"});
  std::promise<void> gate;
  std::shared_future<void> open = gate.get_future().share();
  std::vector<std::future<bool>> results;
  auto submit = [&](std::move_only_function<bool(SqlSession&)> run) {
    auto done = std::make_shared<std::promise<bool>>();
    results.push_back(done->get_future());
    writer.submit(WriteJob{std::move(run), [done](bool ok) { done->set_value(ok); }});
  };
  // Holds the writer so the next four jobs form one batch.
  submit([open](SqlSession&) {
    open.wait();
    return true;
  });
  submit([](SqlSession& s) { return s.exec("INSERT INTO rows VALUES (1)", {}).has_value(); });
  // A duplicate: the job sees the conflict and asks to roll back.
  submit([](SqlSession& s) { return s.exec("INSERT INTO rows VALUES (1)", {}).has_value(); });
  // Ignores a failed statement and asks to keep: PostgreSQL aborted its
  // savepoint, so it must learn that nothing was kept.
  submit([](SqlSession& s) {
    (void)s.exec("INSERT INTO rows VALUES (2)", {});
    (void)s.exec("INSERT INTO rows VALUES (1)", {});
    return true;
  });
  submit([](SqlSession& s) { return s.exec("INSERT INTO rows VALUES (3)", {}).has_value(); });
  gate.set_value();
  std::vector<bool> got;
  for (auto& r : results) got.push_back(r.get());
  EXPECT_EQ(got, (std::vector<bool>{true, true, true, false, true}));
  auto rows = setup->query("SELECT v FROM rows ORDER BY v", {});
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].i64(0), 1);
  EXPECT_EQ((*rows)[1].i64(0), 3);
}

// Two stores on one database stand for two instances: the advisory lock on
// the chain's tail keeps the audit chain linear under concurrent appends.
TEST_F(PostgresStoreTest, TwoInstancesAppendOneLinearEventChain) {
  auto a = open_store();
  auto b = open_store();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  const ComplaintId id = seed_complaint(*a, "RD-5");
  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  auto append_many = [&](Store& store) {
    for (int i = 0; i < 40; ++i) {
      auto r = store.write_sync<std::int64_t>([&](WriteTx& tx) -> Result<std::int64_t> {
        REDRESS_TRY(std::string prev, tx.events().last_hash_for_append());
        return tx.events().append(Event{.complaint = id,
                                        .at = at(1),
                                        .actor_kind = "system",
                                        .action = "note",
                                        .data = "{}",
                                        .prev_hash = prev,
                                        .hash = "h" + std::to_string(next++)});
      });
      if (!r) failures++;
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back(append_many, std::ref(t % 2 == 0 ? *a : *b));
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto rows = connect()->query("SELECT prev_hash, hash FROM events ORDER BY id", {});
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 160u);
  std::string prev;
  std::set<std::string> prevs;
  for (const auto& r : *rows) {
    EXPECT_EQ(r.text(0), prev) << "the chain forked";
    prevs.insert(r.text(0));
    prev = r.text(1);
  }
  EXPECT_EQ(prevs.size(), 160u);
}

// Two administrators demoting each other at once on two instances: the second
// change waits at lock_administrators until the first commits, so when it
// counts the remaining administrators it sees the first one's change (under
// READ COMMITTED it would otherwise count a colleague already demoted).
TEST_F(PostgresStoreTest, AdministratorChangesAreSerialisedAcrossInstances) {
  auto a = open_store();
  auto b = open_store();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  auto seeded = a->write_sync<UserId>([&](WriteTx& tx) -> Result<UserId> {
    return tx.directory().add_user(User{.username = "second-admin",
                                        .password_hash = "x",
                                        .display_name = "Second",
                                        .roles = {Role::admin}});
  });
  ASSERT_TRUE(seeded) << seeded.error().message;
  const UserId second = *seeded;
  std::promise<void> locked;
  auto first = std::async(std::launch::async, [&] {
    return a->write_sync<bool>([&](WriteTx& tx) -> Result<bool> {
      REDRESS_CHECK(tx.directory().lock_administrators());
      REDRESS_TRY(auto u, tx.directory().user(second));
      if (!u) return fail(Error::not_found("user"));
      User demoted = *u;
      demoted.active = false;
      REDRESS_CHECK(tx.directory().update_user(demoted));
      locked.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      return true;
    });
  });
  locked.get_future().wait();
  auto seen = b->write_sync<bool>([&](WriteTx& tx) -> Result<bool> {
    REDRESS_CHECK(tx.directory().lock_administrators());
    REDRESS_TRY(auto u, tx.directory().user(second));
    if (!u) return fail(Error::not_found("user"));
    const bool active = u->active;
    return active;
  });
  ASSERT_TRUE(first.get());
  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_FALSE(*seen) << "the second change counted an administrator the first had demoted";
}

// Two instances whose batches insert a complaint (its report counts lock rows)
// and append an event (the audit chain's lock), interleaved the way that
// deadlocked under load: A held the rows and waited for the chain, B held the
// chain and waited for the rows. Each batch now takes the chain's lock right
// after BEGIN (GroupCommitWriter::Options::first_lock), so B's batch waits for
// A's to commit and both succeed.
TEST_F(PostgresStoreTest, TwoInstancesCannotDeadlockOnTheChainAndTheReportCounts) {
  auto a = open_store();
  auto b = open_store();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  const ComplaintId seed = seed_complaint(*a, "RD-DL0");
  auto append = [seed](WriteTx& tx, const std::string& hash) -> Status {
    REDRESS_TRY(auto prev, tx.events().last_hash_for_append());
    REDRESS_TRY(auto id, tx.events().append(Event{.complaint = seed,
                                                  .at = from_epoch_ms(1),
                                                  .actor_kind = "system",
                                                  .action = "note",
                                                  .data = "{}",
                                                  .prev_hash = prev,
                                                  .hash = hash}));
    (void)id;
    return {};
  };
  std::promise<void> a_inserted;
  std::promise<void> b_started;
  std::shared_future<void> b_running = b_started.get_future().share();
  auto first = std::async(std::launch::async, [&] {
    return a->write_sync<bool>([&](WriteTx& tx) -> Result<bool> {
      REDRESS_TRY(auto inserted, insert_complaint(tx, "RD-DL1"));
      (void)inserted;
      a_inserted.set_value();
      // Without the first lock B's batch starts now and takes the chain.
      (void)b_running.wait_for(std::chrono::milliseconds(1500));
      REDRESS_CHECK(append(tx, "deadlock-a"));
      return true;
    });
  });
  a_inserted.get_future().wait();
  auto second = b->write_sync<bool>([&](WriteTx& tx) -> Result<bool> {
    b_started.set_value();
    REDRESS_CHECK(append(tx, "deadlock-b"));
    REDRESS_TRY(auto inserted, insert_complaint(tx, "RD-DL2"));
    (void)inserted;
    return true;
  });
  auto first_result = first.get();
  EXPECT_TRUE(first_result) << first_result.error().message;
  EXPECT_TRUE(second) << second.error().message;
}

// The chain lock, tail and subscribers memoised per transaction (TxMemo) are
// forgotten with a job's savepoint and refreshed by webhook writes.
TEST_F(PostgresStoreTest, ARolledBackAppendLeavesNoTailForTheNextJob) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  tx_memo_checks::check_rolled_back_append_leaves_no_tail(*store, seed_complaint(*store, "RD-M"));
}

TEST_F(PostgresStoreTest, WebhookWritesRefreshTheMemoisedSubscribers) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  tx_memo_checks::check_webhook_writes_refresh_the_memo(*store);
}

TEST_F(PostgresStoreTest, SlaPolicyWritesRefreshTheMemoisedPolicies) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  tx_memo_checks::check_sla_policy_writes_refresh_the_memo(*store);
}

TEST(PostgresUrl, RecognisesBothSchemes) {
  EXPECT_TRUE(is_postgres_url("postgresql://u@h/db"));
  EXPECT_TRUE(is_postgres_url("postgres://h"));
  EXPECT_FALSE(is_postgres_url("./data/redress.db"));
  EXPECT_FALSE(is_postgres_url("postgresql.db"));
}

}  // namespace
}  // namespace redress::store::postgres
