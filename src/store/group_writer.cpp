#include "store/group_writer.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace redress::store {
namespace {

// The writer whose loop runs on this thread, so stop() called from a done()
// callback does not try to join its own thread.
thread_local const GroupCommitWriter* current_writer = nullptr;

constexpr std::string_view kSavepoint = "SAVEPOINT redress_job";
constexpr std::string_view kRelease = "RELEASE redress_job";
constexpr std::string_view kRollbackTo = "ROLLBACK TO redress_job";

void log_error(const char* what, std::string_view detail = {}) {
  const std::string text(detail);
  std::fprintf(stderr, "redress group commit: %s%s%s\n", what, text.empty() ? "" : ": ",
               text.c_str());
}

std::unique_ptr<SqlConnection> require(std::unique_ptr<SqlConnection> connection) {
  if (connection == nullptr) throw std::invalid_argument("GroupCommitWriter needs a connection");
  return connection;
}

void call_done(WriteJob& job, bool committed) {
  if (!job.done) return;
  try {
    job.done(committed);
  } catch (const std::exception& e) {
    log_error("done() threw", e.what());
  } catch (...) {
    log_error("done() threw", "a non-standard exception");
  }
}

// kept: RELEASEd as asked; rolled_back: run returned false and its savepoint
// was undone; lost: run asked to keep its writes but they were undone (a
// statement inside it failed and aborted the savepoint, or RELEASE failed);
// broke_transaction: the batch's transaction is gone.
enum class JobOutcome { kept, rolled_back, lost, broke_transaction };

}  // namespace

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<SqlConnection> connection, Options options)
    : connection_(require(std::move(connection))),
      max_batch_(std::max<std::size_t>(1, options.max_batch)),
      begin_(std::move(options.begin)),
      first_lock_(options.first_lock),
      savepoint_when_alone_(options.savepoint_when_alone),
      before_commit_(std::move(options.before_commit)),
      thread_([this] { loop(); }) {}

GroupCommitWriter::~GroupCommitWriter() {
  stop();
}

void GroupCommitWriter::submit(WriteJob job) {
  bool accepted = false;
  {
    MutexLock lock(mu_);
    if (!stopping_) {
      queue_.push_back(std::move(job));
      accepted = true;
    }
  }
  if (accepted) {
    wake_.notify_one();
  } else {
    call_done(job, false);
  }
}

void GroupCommitWriter::stop() {
  {
    MutexLock lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (current_writer == this) return;  // a done() callback cannot wait for its own thread
  std::lock_guard<std::mutex> join_lock(join_mu_);
  if (thread_.joinable()) thread_.join();
}

GroupCommitWriter::Stats GroupCommitWriter::stats() const {
  MutexLock lock(mu_);
  return stats_;
}

void GroupCommitWriter::loop() {
  current_writer = this;
  std::deque<WriteJob> batch;
  for (;;) {
    {
      MutexLock lock(mu_);
      while (queue_.empty() && !stopping_) lock.wait(wake_);
      if (queue_.empty()) break;  // stopping, and everything queued has run
      // In submission order, up to max_batch jobs; a job marked alone goes
      // in a batch by itself (it ends the batch forming before it).
      while (!queue_.empty() && batch.size() < max_batch_) {
        if (queue_.front().alone && !batch.empty()) break;
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
        if (batch.back().alone) break;
      }
    }
    run_batch(batch);
    batch.clear();
  }
  current_writer = nullptr;
}

namespace {

// Runs the job and returns its answer: keep its writes? An exception is a no.
bool run_guarded(SqlConnection& connection, WriteJob& job) {
  try {
    return job.run ? job.run(connection) : false;
  } catch (const std::exception& e) {
    log_error("a job threw; rolling it back", e.what());
  } catch (...) {
    log_error("a job threw; rolling it back", "a non-standard exception");
  }
  return false;
}

// The only job of its transaction, without a savepoint: "roll me back" is the
// transaction's ROLLBACK, which run_batch does for a batch that is not ok.
JobOutcome run_lone_job(SqlConnection& connection, WriteJob& job) {
  const bool keep = run_guarded(connection, job);
  if (!connection.in_transaction()) return JobOutcome::broke_transaction;
  return keep ? JobOutcome::kept : JobOutcome::rolled_back;
}

JobOutcome run_job(SqlConnection& connection, WriteJob& job) {
  if (auto begun = connection.exec_script(kSavepoint); !begun) {
    log_error("SAVEPOINT failed", begun.error().message);
    return JobOutcome::broke_transaction;
  }
  const bool keep = run_guarded(connection, job);
  // SQLite ends the whole transaction on some errors (I/O, disk full), a lost
  // PostgreSQL connection ends it too, and a buggy job may have ended it;
  // then the savepoints are gone too.
  if (!connection.in_transaction()) return JobOutcome::broke_transaction;
  bool lost = false;
  if (keep) {
    auto released = connection.exec_script(kRelease);
    if (released) return JobOutcome::kept;
    // On PostgreSQL a statement that failed inside the job (and was ignored
    // by it) leaves the savepoint aborted; RELEASE then fails. The job's
    // writes cannot be kept, so it must not be told they were.
    log_error("RELEASE failed; rolling the job back", released.error().message);
    lost = true;
  }
  auto rolled_back = connection.exec_script(kRollbackTo);
  if (rolled_back) rolled_back = connection.exec_script(kRelease);
  if (!rolled_back) {
    log_error("ROLLBACK TO failed", rolled_back.error().message);
    return JobOutcome::broke_transaction;
  }
  return lost ? JobOutcome::lost : JobOutcome::rolled_back;
}

}  // namespace

void GroupCommitWriter::run_batch(std::deque<WriteJob>& batch) {
  SqlConnection& connection = *connection_;
  std::uint64_t kept = 0;
  std::uint64_t rolled_back = 0;
  std::vector<bool> lost(batch.size(), false);

  bool ok = true;
  if (auto begun = connection.exec_script(begin_); !begun) {
    log_error("BEGIN failed", begun.error().message);
    ok = false;
  } else if (first_lock_) {
    if (auto locked = connection.lock_until_commit(*first_lock_); !locked) {
      log_error("taking the batch's first lock failed", locked.error().message);
      ok = false;
    }
  }
  const bool without_savepoint = batch.size() == 1 && !savepoint_when_alone_;
  bool roll_back_alone = false;  // the lone job asked to be rolled back
  for (std::size_t i = 0; ok && i < batch.size(); ++i) {
    const JobOutcome outcome =
        without_savepoint ? run_lone_job(connection, batch[i]) : run_job(connection, batch[i]);
    if (without_savepoint && outcome == JobOutcome::rolled_back) roll_back_alone = true;
    switch (outcome) {
      case JobOutcome::kept:
        ++kept;
        break;
      case JobOutcome::rolled_back:
        ++rolled_back;
        break;
      case JobOutcome::lost:
        ++rolled_back;
        lost[i] = true;
        break;
      case JobOutcome::broke_transaction:
        log_error("the transaction ended inside a job; failing the batch");
        ok = false;
        break;
    }
  }
  if (ok && roll_back_alone) {
    // Nothing to keep; the batch still succeeded (the job's done() learns
    // committed=true with its own "rolled back as asked").
    if (auto undone = connection.exec_script("ROLLBACK"); !undone) {
      log_error("ROLLBACK failed", undone.error().message);
    }
  } else if (ok && !before_commit_.empty()) {
    if (auto finished = connection.exec_script(before_commit_); !finished) {
      log_error("the statements before COMMIT failed; rolling the batch back",
                finished.error().message);
      ok = false;
    }
  }
  if (ok && !roll_back_alone) {
    if (auto committed = connection.exec_script("COMMIT"); !committed) {
      log_error("COMMIT failed; rolling the batch back", committed.error().message);
      ok = false;
    }
  }
  if (!ok && connection.in_transaction()) {
    if (auto undone = connection.exec_script("ROLLBACK"); !undone) {
      log_error("ROLLBACK failed", undone.error().message);
    }
  }

  {
    MutexLock lock(mu_);
    if (ok) {
      ++stats_.batches_committed;
      stats_.jobs_committed += kept;
    } else {
      ++stats_.batches_failed;
    }
    stats_.jobs_rolled_back += rolled_back;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) call_done(batch[i], ok && !lost[i]);
}

}  // namespace redress::store
