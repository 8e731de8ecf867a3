// The durable job runner (SPEC §4: timers survive restarts and run once).
// Jobs are rows in the store (store/job_repo.h). A worker claims due jobs
// with a lease, runs each through its handler, and in ONE transaction
// applies the handler's effects and marks the job done; a failure is
// retried later with exponential backoff and, after `max_attempts`, buried
// as dead (the handler is told each time, e.g. to count the outbox row's
// attempts and mark it dead).
//
// Exactly once within a process: claims go through the store's single
// writer, and a job's effects commit together with its completion. Across
// processes on one SQLite file, only the holder of the ProcessLock runs jobs
// (the PostgreSQL store will lease rows with FOR UPDATE SKIP LOCKED instead).
// Effects outside the store (an SMTP delivery) can repeat only if the process
// dies between the remote accept and the commit; mail carries a stable
// Message-ID so such a duplicate is recognisable.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/time.h"
#include "store/store.h"

namespace redress::jobs {

// The part of a job that runs inside the completing transaction.
using Commit = std::move_only_function<Status(store::WriteTx&)>;

// Runs jobs of one kind. Implementations must be thread-compatible: the
// runner calls one job at a time.
class JobHandler {
 public:
  virtual ~JobHandler() = default;
  // Does the work that cannot be in a transaction (reads, network) and
  // returns what to commit with the job's completion. An error means "try
  // again later" (its message is kept as last_error).
  virtual Result<Commit> run(const store::Job& job) = 0;
  // Called in the transaction that records a failed attempt: `dead` when it
  // was the last one and the job is buried.
  virtual Status on_failure(store::WriteTx& tx, const store::Job& job, const std::string& error,
                            bool dead) {
    (void)tx;
    (void)job;
    (void)error;
    (void)dead;
    return {};
  }
};

struct RunnerOptions {
  int max_attempts = 5;
  Millis base_backoff{1000};     // attempt n waits base * 2^(n-1) …
  Millis max_backoff{3600'000};  // … up to this
  Millis lease{60'000};          // a claimed job is invisible this long
  Millis poll_interval{200};     // the loop's sleep when no job is due
  int batch = 16;                // jobs claimed at once
};

class Runner {
 public:
  // Borrows `store` and `clock`; both outlive the runner.
  Runner(store::Store& store, const Clock& clock, RunnerOptions options);
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Registers the handler of `kind`; only registered kinds are claimed, so a
  // kind without a handler (mail with no SMTP configured) stays queued.
  // Call before start().
  void add_handler(std::string kind, std::unique_ptr<JobHandler> handler);

  // Claims the jobs due now and runs them; returns how many ran (succeeded,
  // retried or buried). For tests with a FixedClock, and for the loop.
  Result<int> run_once();

  // Starts the worker thread: run_once until nothing is due, then sleep for
  // the poll interval (or until stop()). When `lock_path` is set, jobs run
  // only while this process holds the lock file (re-tried every interval).
  void start(std::optional<std::string> lock_path = std::nullopt);
  // Stops the thread after the running job; idempotent.
  void stop();

 private:
  void loop(std::optional<std::string> lock_path);
  Millis backoff(int attempts) const;

  store::Store& store_;
  const Clock& clock_;
  RunnerOptions options_;
  std::map<std::string, std::unique_ptr<JobHandler>> handlers_;
  std::vector<std::string> kinds_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

// An exclusive advisory lock (flock) on a file, held until destruction.
class ProcessLock {
 public:
  // Tries once; nullopt when another process holds it or the file cannot be
  // opened.
  static std::unique_ptr<ProcessLock> try_acquire(const std::string& path);
  ~ProcessLock();
  ProcessLock(const ProcessLock&) = delete;
  ProcessLock& operator=(const ProcessLock&) = delete;

 private:
  explicit ProcessLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace redress::jobs
