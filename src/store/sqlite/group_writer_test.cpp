#include "store/group_writer.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "store/sqlite/test_util.h"

namespace redress::store::sqlite {
namespace {

using test_support::open_or_die;
using test_support::TempDir;

// Holds the writer thread inside a job until the test opens it, so the jobs
// submitted meanwhile are known to form the next batch(es).
class Gate {
 public:
  WriteJob job() {
    return WriteJob{[this](SqlSession&) {
                      std::unique_lock lock(mu_);
                      entered_ = true;
                      cv_.notify_all();
                      cv_.wait(lock, [this] { return open_; });
                      return true;
                    },
                    nullptr};
  }
  void wait_entered() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return entered_; });
  }
  void open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool entered_ = false;
  bool open_ = false;
};

// Records each job's done(committed), by job number.
class Tally {
 public:
  std::move_only_function<void(bool)> done(int id) {
    return [this, id](bool committed) {
      std::lock_guard lock(mu_);
      results_.emplace_back(id, committed);
      cv_.notify_all();
    };
  }
  void wait_for(std::size_t n) {
    std::unique_lock lock(mu_);
    ASSERT_TRUE(cv_.wait_for(lock, std::chrono::seconds(30), [&] { return results_.size() >= n; }));
  }
  std::vector<std::pair<int, bool>> results() {
    std::lock_guard lock(mu_);
    auto sorted = results_;
    std::sort(sorted.begin(), sorted.end());
    return sorted;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::pair<int, bool>> results_;
};

int count_commit(void* counter) {
  static_cast<std::atomic<int>*>(counter)->fetch_add(1);
  return 0;  // 0 lets the COMMIT proceed
}

class GroupWriterTest : public ::testing::Test {
 protected:
  // Creates the schema, then hands a fresh connection with a COMMIT counter to a writer.
  std::unique_ptr<GroupCommitWriter> make_writer(GroupCommitWriter::Options options = {}) {
    auto setup = open_or_die(path_);
    EXPECT_TRUE(setup->exec_script(
        "CREATE TABLE IF NOT EXISTS rows (v INTEGER NOT NULL UNIQUE);"
        "CREATE TABLE IF NOT EXISTS parent (id INTEGER PRIMARY KEY);"
        "CREATE TABLE IF NOT EXISTS child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL"
        "  REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);"));
    setup.reset();
    auto conn = open_or_die(path_);
    sqlite3_commit_hook(conn->handle(), &count_commit, &commits_);
    options.begin = "BEGIN IMMEDIATE";  // as SqliteStore runs it
    return std::make_unique<GroupCommitWriter>(std::move(conn), options);
  }

  static WriteJob insert(std::int64_t v, std::move_only_function<void(bool)> done) {
    return WriteJob{[v](SqlSession& s) {
                      return s.exec("INSERT INTO rows (v) VALUES ($1)", params(v)).has_value();
                    },
                    std::move(done)};
  }

  std::vector<std::int64_t> values() {
    auto reader = open_or_die(path_, OpenMode::read_only);
    auto r = reader->query("SELECT v FROM rows ORDER BY v", {});
    EXPECT_TRUE(r) << r.error().message;
    std::vector<std::int64_t> out;
    for (const SqlRow& row : *r) out.push_back(row.i64(0));
    return out;
  }

  TempDir dir_;
  std::string path_ = dir_.file("writer.db");
  std::atomic<int> commits_{0};
};

TEST_F(GroupWriterTest, ConcurrentSubmittersEachRowExactlyOnce) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 300;
  auto writer = make_writer();
  std::atomic<int> committed{0};
  std::atomic<int> not_committed{0};
  std::atomic<int> run_failed{0};

  std::vector<std::thread> submitters;
  for (int t = 0; t < kThreads; ++t) {
    submitters.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::int64_t v = t * 100000 + i;
        writer->submit(
            WriteJob{[v, &run_failed](SqlSession& s) {
                       bool ok = s.exec("INSERT INTO rows (v) VALUES ($1)", params(v)).has_value();
                       if (!ok) run_failed.fetch_add(1);
                       return ok;
                     },
                     [&](bool c) { (c ? committed : not_committed).fetch_add(1); }});
      }
    });
  }
  for (auto& t : submitters) t.join();
  writer->stop();

  EXPECT_EQ(committed.load(), kThreads * kPerThread);
  EXPECT_EQ(not_committed.load(), 0);
  EXPECT_EQ(run_failed.load(), 0);

  std::vector<std::int64_t> expected;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) expected.push_back(t * 100000 + i);
  }
  EXPECT_EQ(values(), expected);

  const auto stats = writer->stats();
  EXPECT_EQ(stats.jobs_committed, static_cast<std::uint64_t>(kThreads * kPerThread));
  EXPECT_EQ(stats.batches_failed, 0u);
  EXPECT_EQ(stats.batches_committed, static_cast<std::uint64_t>(commits_.load()));
  // Group commit: far fewer COMMITs than jobs.
  EXPECT_LT(commits_.load(), kThreads * kPerThread / 2) << "batches did not group";
  ::testing::Test::RecordProperty("commits", commits_.load());
}

TEST_F(GroupWriterTest, JobsQueuedDuringACommitFormOneBatch) {
  auto writer = make_writer();
  Gate gate;
  Tally tally;
  writer->submit(gate.job());
  gate.wait_entered();
  for (int i = 0; i < 10; ++i) writer->submit(insert(i, tally.done(i)));
  gate.open();
  tally.wait_for(10);
  writer->stop();
  EXPECT_EQ(commits_.load(), 2);  // the gate's batch, then all ten together
  EXPECT_EQ(values().size(), 10u);
}

TEST_F(GroupWriterTest, MaxBatchBoundsEachTransaction) {
  GroupCommitWriter::Options options;
  options.max_batch = 3;
  auto writer = make_writer(options);
  Gate gate;
  Tally tally;
  writer->submit(gate.job());
  gate.wait_entered();
  for (int i = 0; i < 10; ++i) writer->submit(insert(i, tally.done(i)));
  gate.open();
  writer->stop();
  EXPECT_EQ(commits_.load(), 1 + 4);  // gate, then 3 + 3 + 3 + 1
  EXPECT_EQ(tally.results().size(), 10u);
  EXPECT_EQ(values().size(), 10u);
}

TEST_F(GroupWriterTest, FailedJobLeavesNoTraceWhileBatchMatesCommit) {
  auto writer = make_writer();
  Gate gate;
  Tally tally;
  std::optional<ErrorCode> duplicate_error;
  writer->submit(gate.job());
  gate.wait_entered();
  writer->submit(insert(1, tally.done(1)));
  writer->submit(WriteJob{[](SqlSession& s) {
                            EXPECT_TRUE(s.exec("INSERT INTO rows (v) VALUES (2)", {}));
                            return false;  // the use case failed after writing
                          },
                          tally.done(2)});
  writer->submit(WriteJob{[](SqlSession& s) -> bool {
                            EXPECT_TRUE(s.exec("INSERT INTO rows (v) VALUES (3)", {}));
                            throw std::runtime_error("use case bug (expected by the test)");
                          },
                          tally.done(3)});
  writer->submit(WriteJob{[&](SqlSession& s) {
                            EXPECT_TRUE(s.exec("INSERT INTO rows (v) VALUES (5)", {}));
                            auto dup = s.exec("INSERT INTO rows (v) VALUES (1)", {});
                            if (!dup) duplicate_error = dup.error().code;
                            return dup.has_value();
                          },
                          tally.done(5)});
  writer->submit(insert(4, tally.done(4)));
  gate.open();
  writer->stop();

  EXPECT_EQ(values(), (std::vector<std::int64_t>{1, 4}));
  EXPECT_EQ(duplicate_error, ErrorCode::conflict);
  // The batch committed, so every job hears committed=true; failed ones know
  // from their own result that their writes were rolled back.
  EXPECT_EQ(tally.results(), (std::vector<std::pair<int, bool>>{
                                 {1, true}, {2, true}, {3, true}, {4, true}, {5, true}}));
  EXPECT_EQ(commits_.load(), 2);  // all five shared one COMMIT
  const auto stats = writer->stats();
  EXPECT_EQ(stats.jobs_rolled_back, 3u);
  EXPECT_EQ(stats.jobs_committed, 1u + 2u);  // gate + 1 + 4
}

TEST_F(GroupWriterTest, AloneJobGetsATransactionOfItsOwn) {
  auto writer = make_writer();
  Gate gate;
  Tally tally;
  writer->submit(gate.job());
  gate.wait_entered();
  writer->submit(insert(1, tally.done(1)));
  writer->submit(insert(2, tally.done(2)));
  WriteJob bulk = insert(3, tally.done(3));
  bulk.alone = true;
  writer->submit(std::move(bulk));
  writer->submit(insert(4, tally.done(4)));
  writer->submit(insert(5, tally.done(5)));
  gate.open();
  writer->stop();
  EXPECT_EQ(values(), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(commits_.load(), 4);  // gate, then {1, 2}, {3} alone, {4, 5}
}

// SQLite's writer runs a batch of one job without a savepoint (a savepoint
// held over an import batch costs time that grows with the batch); the job's
// "roll me back" is then the transaction's ROLLBACK.
TEST_F(GroupWriterTest, LoneJobWithoutSavepointStillRollsBackWhenAsked) {
  GroupCommitWriter::Options options;
  options.savepoint_when_alone = false;
  auto writer = make_writer(options);
  Tally tally;
  bool had_savepoint = true;
  auto job = [&](std::int64_t v, bool keep) {
    return WriteJob{[&had_savepoint, v, keep](SqlSession& s) {
                      EXPECT_TRUE(s.exec("INSERT INTO rows (v) VALUES ($1)", params(v)));
                      // RELEASE of the writer's savepoint fails when there is none.
                      had_savepoint = s.exec_script("RELEASE redress_job").has_value();
                      return keep;
                    },
                    nullptr};
  };
  for (auto [v, keep] : {std::pair{1, true}, std::pair{2, false}, std::pair{3, true}}) {
    WriteJob j = job(v, keep);
    j.done = tally.done(v);
    j.alone = true;
    writer->submit(std::move(j));
  }
  WriteJob throws{[](SqlSession& s) -> bool {
                    EXPECT_TRUE(s.exec("INSERT INTO rows (v) VALUES (4)", {}));
                    throw std::runtime_error("use case bug (expected by the test)");
                  },
                  tally.done(4), true};
  writer->submit(std::move(throws));
  writer->stop();
  EXPECT_FALSE(had_savepoint);
  EXPECT_EQ(values(), (std::vector<std::int64_t>{1, 3}));
  // Each batch ended well: the rolled-back jobs know from their own answer.
  EXPECT_EQ(tally.results(),
            (std::vector<std::pair<int, bool>>{{1, true}, {2, true}, {3, true}, {4, true}}));
  EXPECT_EQ(commits_.load(), 2);
  const auto stats = writer->stats();
  EXPECT_EQ(stats.jobs_committed, 2u);
  EXPECT_EQ(stats.jobs_rolled_back, 2u);
  EXPECT_EQ(stats.batches_failed, 0u);
}

TEST_F(GroupWriterTest, FailedCommitFailsTheWholeBatchAndTheWriterGoesOn) {
  auto writer = make_writer();
  Gate gate;
  Tally tally;
  writer->submit(gate.job());
  gate.wait_entered();
  writer->submit(insert(1, tally.done(1)));
  // A deferred foreign key passes the statement and fails at COMMIT.
  writer->submit(
      WriteJob{[](SqlSession& s) {
                 return s.exec("INSERT INTO child (id, parent_id) VALUES (1, 42)", {}).has_value();
               },
               tally.done(2)});
  gate.open();
  tally.wait_for(2);
  writer->submit(insert(3, tally.done(3)));
  writer->stop();

  EXPECT_EQ(tally.results(),
            (std::vector<std::pair<int, bool>>{{1, false}, {2, false}, {3, true}}));
  EXPECT_EQ(values(), (std::vector<std::int64_t>{3}));
  EXPECT_EQ(writer->stats().batches_failed, 1u);
}

// Options::before_commit runs once per batch, after its jobs and inside its
// transaction; if it fails, the batch is rolled back like a failed COMMIT.
TEST_F(GroupWriterTest, BeforeCommitRunsInTheBatchAndItsFailureFailsTheBatch) {
  GroupCommitWriter::Options options;
  // One row per batch, 1000 above the batch's largest value: it sees the jobs'
  // rows, and repeats itself (a UNIQUE violation) when a batch adds no larger one.
  options.before_commit = "INSERT INTO rows (v) SELECT 1000 + MAX(v) FROM rows WHERE v < 1000";
  auto writer = make_writer(options);
  Tally tally;
  writer->submit(insert(1, tally.done(1)));
  tally.wait_for(1);
  writer->submit(insert(2, tally.done(2)));
  tally.wait_for(2);
  writer->submit(insert(-7, tally.done(3)));  // max stays 2: 1002 again
  tally.wait_for(3);
  writer->submit(insert(5, tally.done(4)));
  writer->stop();

  EXPECT_EQ(tally.results(),
            (std::vector<std::pair<int, bool>>{{1, true}, {2, true}, {3, false}, {4, true}}));
  EXPECT_EQ(values(), (std::vector<std::int64_t>{1, 2, 5, 1001, 1002, 1005}));
  EXPECT_EQ(writer->stats().batches_failed, 1u);
}

TEST_F(GroupWriterTest, JobThatEndsTheTransactionFailsItsBatch) {
  auto writer = make_writer();
  Gate gate;
  Tally tally;
  std::atomic<bool> later_job_ran{false};
  writer->submit(gate.job());
  gate.wait_entered();
  writer->submit(insert(1, tally.done(1)));
  writer->submit(
      WriteJob{[](SqlSession& s) { return s.exec_script("ROLLBACK").has_value(); }, tally.done(2)});
  writer->submit(WriteJob{[&](SqlSession&) {
                            later_job_ran = true;
                            return true;
                          },
                          tally.done(3)});
  gate.open();
  tally.wait_for(3);
  writer->submit(insert(4, tally.done(4)));
  writer->stop();

  EXPECT_EQ(tally.results(),
            (std::vector<std::pair<int, bool>>{{1, false}, {2, false}, {3, false}, {4, true}}));
  EXPECT_FALSE(later_job_ran.load());
  EXPECT_EQ(values(), (std::vector<std::int64_t>{4}));
}

TEST_F(GroupWriterTest, SubmitAfterStopReportsNotCommittedWithoutRunning) {
  auto writer = make_writer();
  writer->stop();
  writer->stop();  // idempotent
  bool ran = false;
  std::optional<bool> result;
  std::thread::id done_thread;
  writer->submit(WriteJob{[&](SqlSession&) {
                            ran = true;
                            return true;
                          },
                          [&](bool c) {
                            result = c;
                            done_thread = std::this_thread::get_id();
                          }});
  // Called at once, on this thread.
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(*result);
  EXPECT_FALSE(ran);
  EXPECT_EQ(done_thread, std::this_thread::get_id());
  EXPECT_TRUE(values().empty());
}

TEST_F(GroupWriterTest, StopRunsWhatIsAlreadyQueued) {
  auto writer = make_writer();
  Gate gate;
  Tally tally;
  writer->submit(gate.job());
  gate.wait_entered();
  for (int i = 0; i < 20; ++i) writer->submit(insert(i, tally.done(i)));
  std::thread stopper([&] { writer->stop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  gate.open();
  stopper.join();  // stop() returns only once the queue has drained
  const auto results = tally.results();
  ASSERT_EQ(results.size(), 20u);
  for (const auto& [id, committed] : results) EXPECT_TRUE(committed) << id;
  EXPECT_EQ(values().size(), 20u);
}

TEST_F(GroupWriterTest, StopFromADoneCallbackDoesNotDeadlock) {
  auto writer = make_writer();
  Tally tally;
  writer->submit(insert(1, [&](bool c) {
    writer->stop();  // on the writer thread
    tally.done(1)(c);
  }));
  tally.wait_for(1);
  writer->stop();
  bool refused = false;
  writer->submit(WriteJob{[](SqlSession&) { return true; }, [&](bool c) { refused = !c; }});
  EXPECT_TRUE(refused);
  EXPECT_EQ(values(), (std::vector<std::int64_t>{1}));
}

TEST_F(GroupWriterTest, DestructorDrainsTheQueue) {
  Tally tally;
  {
    auto writer = make_writer();
    for (int i = 0; i < 50; ++i) writer->submit(insert(i, tally.done(i)));
  }
  EXPECT_EQ(tally.results().size(), 50u);
  EXPECT_EQ(values().size(), 50u);
}

}  // namespace
}  // namespace redress::store::sqlite
