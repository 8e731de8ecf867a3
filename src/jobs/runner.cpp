#include "jobs/runner.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>

namespace redress::jobs {

Runner::Runner(store::Store& store, const Clock& clock, RunnerOptions options)
    : store_(store), clock_(clock), options_(options) {}

Runner::~Runner() {
  stop();
}

void Runner::add_handler(std::string kind, std::unique_ptr<JobHandler> handler) {
  kinds_.push_back(kind);
  handlers_[std::move(kind)] = std::move(handler);
}

Millis Runner::backoff(int attempts) const {
  Millis wait = options_.base_backoff;
  for (int i = 1; i < attempts && wait < options_.max_backoff; ++i) wait *= 2;
  return std::min(wait, options_.max_backoff);
}

Result<int> Runner::run_once() {
  const Instant now = clock_.now();
  auto due =
      store_.read<bool>([&](const store::ReadTx& tx) { return tx.jobs().any_due(kinds_, now); });
  if (!due) return fail(due.error());
  if (!*due) return 0;
  auto claimed = store_.write_sync<std::vector<store::Job>>([&](store::WriteTx& tx) {
    return tx.jobs().claim(kinds_, now, options_.lease, options_.batch);
  });
  if (!claimed) return fail(claimed.error());
  int ran = 0;
  for (const store::Job& job : *claimed) {
    JobHandler& handler = *handlers_.at(job.kind);
    Status outcome;
    auto commit = handler.run(job);
    if (commit) {
      auto done = store_.write_sync<bool>([&](store::WriteTx& tx) -> Result<bool> {
        REDRESS_CHECK((*commit)(tx));
        REDRESS_CHECK(tx.jobs().complete(job.id, clock_.now()));
        return true;
      });
      if (!done) outcome = fail(done.error());
    } else {
      outcome = fail(commit.error());
    }
    if (!outcome) {
      const std::string error = outcome.error().message;
      const Instant at = clock_.now();
      const bool dead = job.attempts >= options_.max_attempts;
      auto recorded = store_.write_sync<bool>([&](store::WriteTx& tx) -> Result<bool> {
        REDRESS_CHECK(handler.on_failure(tx, job, error, dead));
        if (dead) {
          REDRESS_CHECK(tx.jobs().bury(job.id, at, error));
        } else {
          REDRESS_CHECK(tx.jobs().retry(job.id, at + backoff(job.attempts), error));
        }
        return true;
      });
      if (!recorded) {
        std::cerr << "redress jobs: could not record the failure of job " << job.id << ": "
                  << recorded.error().message << "\n";
      }
    }
    ++ran;
  }
  return ran;
}

void Runner::start(std::optional<std::string> lock_path) {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this, lock_path] { loop(lock_path); });
}

void Runner::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Runner::loop(std::optional<std::string> lock_path) {
  std::unique_ptr<ProcessLock> held;
  bool said_waiting = false;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (stopping_) return;
    }
    if (lock_path && !held) {
      held = ProcessLock::try_acquire(*lock_path);
      if (!held && !said_waiting) {
        std::cerr << "redress jobs: another process runs the jobs of this database (" << *lock_path
                  << " is locked); this one serves HTTP only until it can take over\n";
        said_waiting = true;
      }
    }
    int ran = 0;
    if (!lock_path || held) {
      auto r = run_once();
      if (!r) {
        std::cerr << "redress jobs: " << r.error().message << "\n";
      } else {
        ran = *r;
      }
    }
    if (ran > 0) continue;  // more may be due
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_; });
  }
}

std::unique_ptr<ProcessLock> ProcessLock::try_acquire(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return nullptr;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<ProcessLock>(new ProcessLock(fd));
}

ProcessLock::~ProcessLock() {
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
}

}  // namespace redress::jobs
