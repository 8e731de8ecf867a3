// The single writer of a store, with group commit: use cases queue up while
// the previous batch commits, then run together in one transaction (each in
// its own savepoint) and share one COMMIT, i.e. one fsync. Shared by the
// SQLite and PostgreSQL adapters; the dialect bits (how a write transaction
// begins) come in through Options.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "store/sql.h"
#include "store/thread_annotations.h"

namespace redress::store {

// One unit of write work, typically one use case.
struct WriteJob {
  // Runs the use case inside the batch's transaction, in its own savepoint
  // (none when it is alone in its batch and Options::savepoint_when_alone is
  // false: its "roll back" is then the transaction's ROLLBACK).
  // Returns true to keep its writes, false to roll back this job only; the
  // job reports why through its own result slot (captured state). Runs on
  // the writer thread. Should not throw: an exception is caught, logged to
  // stderr and treated as false. Must not COMMIT or ROLLBACK the transaction
  // itself: the writer then fails the whole batch with done(false), although
  // a COMMIT the job ran may already have kept its batch-mates' writes.
  std::move_only_function<bool(SqlSession&)> run;
  // Called once, after the batch's COMMIT returned. committed=true: the
  // batch is durable, so this job's writes are too if `run` returned true
  // (if it returned false they were rolled back, as it asked).
  // committed=false: nothing of this job was written (the transaction could
  // not start or commit, the writer had stopped and `run` never ran, or
  // `run` asked to keep its writes but they could not be kept — e.g. a
  // statement failed inside it and PostgreSQL aborted the savepoint, or
  // RELEASE failed); the work may be retried. Runs on the writer thread — or on the
  // submitting thread after stop() — and must be cheap: post the result
  // elsewhere. Should not throw (exceptions are caught and logged).
  std::move_only_function<void(bool committed)> done;
  // Bulk work (an import batch of thousands of rows): runs in a transaction of
  // its own, never sharing a batch, so it neither delays others' commits
  // behind its own nor, on SQLite, needs a savepoint (see
  // Options::savepoint_when_alone).
  bool alone = false;
};

// Owns the read-write connection and the one thread that writes through it.
//
// The thread waits for jobs, takes up to max_batch of them in submission
// order, runs Options::begin (`BEGIN IMMEDIATE` on SQLite), then for each
// job `SAVEPOINT job`, run, `RELEASE job` (or `ROLLBACK TO job; RELEASE job`
// if run returned false), then Options::before_commit and one `COMMIT`, then
// calls every job's done(). A job marked `alone` forms a batch by itself; a
// batch of one runs without the savepoint when Options::savepoint_when_alone
// is false. While a batch commits, new jobs queue and form the next batch, so
// batches grow with load without any timer. If COMMIT (or before_commit)
// fails (e.g. a deferred foreign key) the batch is rolled back and every job
// gets done(false); a job that breaks the transaction (SQLite rolled it back
// after an I/O error, the connection was lost, or the job ended it) fails its
// whole batch the same way. The writer keeps going afterwards.
//
// Thread-safety: submit(), stop() and stats() may be called from any thread.
class GroupCommitWriter {
 public:
  struct Options {
    std::size_t max_batch = 256;  // jobs per transaction; 0 is treated as 1
    // The statement that opens each batch's read-write transaction.
    std::string begin = "BEGIN";
    // Whether a batch of one job still runs it in a savepoint. false suits
    // SQLite: a failed statement there never aborts the transaction, so the
    // job's "roll me back" is a plain ROLLBACK; and a savepoint held open
    // across thousands of statements costs SQLite time that grows with the
    // savepoint (each statement's journal is trimmed by walking the whole
    // in-memory sub-journal: an import batch of 5,000 rows spent ~30 % of its
    // CPU there). PostgreSQL keeps it: a failed statement aborts its
    // transaction and COMMIT then silently rolls back, which the savepoint's
    // RELEASE is what detects.
    bool savepoint_when_alone = true;
    // A lock each batch takes right after BEGIN, before any job runs. The
    // PostgreSQL store names the audit chain's (TxLock::event_chain): nearly
    // every batch appends events and so holds it until COMMIT anyway, and
    // taking it first means no batch can hold row locks (a complaint's report
    // counts) while it waits for the chain, which is how two instances
    // deadlocked (one waiting for the chain, the other for its rows).
    std::optional<TxLock> first_lock;
    // Statements run after the last job and before COMMIT, in the batch's
    // transaction; empty for none. The stores fold the report counts of the
    // complaints the batch added here (store/report_pending.h). If they fail,
    // the batch is rolled back like a failed COMMIT.
    std::string before_commit;
  };
  // Counters since construction, for metrics and tests.
  struct Stats {
    std::uint64_t batches_committed = 0;  // COMMITs, and a lone job's asked-for ROLLBACK
    std::uint64_t batches_failed = 0;     // batches that got done(false)
    std::uint64_t jobs_committed = 0;     // jobs whose run returned true in a committed batch
    std::uint64_t jobs_rolled_back = 0;   // jobs whose run returned false or threw
  };

  // Takes ownership of a read-write connection (not null, not inside a
  // transaction) and starts the writer thread.
  GroupCommitWriter(std::unique_ptr<SqlConnection> connection, Options options);
  // stop(), then waits for the thread: every queued job runs first. Must not
  // run on the writer thread (i.e. inside a done() callback).
  ~GroupCommitWriter();
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Queues a job; it runs in a later batch and its done() is called from the
  // writer thread. After stop() the job is not run: done(false) is called at
  // once on the calling thread. Never blocks on the database.
  void submit(WriteJob job) EXCLUDES(mu_);

  // Refuses new jobs, lets the writer run everything already queued, and
  // waits until the thread has ended (every done() has been called).
  // Idempotent; called from a done() callback on the writer thread it only
  // refuses new jobs (and cannot wait for itself).
  void stop() EXCLUDES(mu_);

  Stats stats() const EXCLUDES(mu_);

 private:
  void loop() EXCLUDES(mu_);
  // Runs one batch on the connection and calls every done(). Writer thread only.
  void run_batch(std::deque<WriteJob>& batch) EXCLUDES(mu_);

  std::unique_ptr<SqlConnection> connection_;  // used by the writer thread only
  const std::size_t max_batch_;
  const std::string begin_;
  const std::optional<TxLock> first_lock_;
  const bool savepoint_when_alone_;
  const std::string before_commit_;

  mutable Mutex mu_;
  std::condition_variable wake_;
  std::deque<WriteJob> queue_ GUARDED_BY(mu_);
  bool stopping_ GUARDED_BY(mu_) = false;
  Stats stats_ GUARDED_BY(mu_);

  std::mutex join_mu_;  // serialises joining the thread between concurrent stop() calls
  std::thread thread_;  // last member: starts after everything above is built
};

}  // namespace redress::store
