// The durable job queue: one row per job (kind, JSON payload, due time,
// attempts, lease). jobs/ claims due rows with a lease, runs them and marks
// them done, retries them later, or buries them as dead.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/time.h"
#include "store/sql.h"

namespace redress::store {

struct Job {
  std::int64_t id = 0;
  std::string kind;               // e.g. "mail.deliver", "sla.check"
  std::string payload;            // JSON object
  std::string state = "pending";  // pending | done | dead
  Instant due_at;
  int attempts = 0;  // claims so far, including the one running now
  std::optional<Instant> lease_until;
  std::string last_error;
  Instant created_at;
  std::optional<Instant> finished_at;
};

// A job to queue: its JSON payload and when it is due.
struct JobDraft {
  std::string payload;
  Instant due_at;
};

class JobRepo {
 public:
  explicit JobRepo(SqlSession& s) : s_(s) {}
  // Queues a job due at `due_at`; returns its id.
  Result<std::int64_t> enqueue(const std::string& kind, const std::string& payload, Instant due_at,
                               Instant now);
  // Queues every one of `jobs` as a job of `kind`, in one statement (the
  // checks of all the clocks a registration starts).
  Status enqueue_all(const std::string& kind, std::span<const JobDraft> jobs, Instant now);
  // Claims up to `limit` pending jobs of one of `kinds` that are due at `now`
  // and not leased (or whose lease ran out, e.g. after a crash): each gets
  // `lease_until = now + lease` and one more attempt. Must run in a write
  // transaction; the single writer (SQLite) or `FOR UPDATE SKIP LOCKED`
  // (when the session has concurrent writers: PostgreSQL) makes two claimers
  // never get the same row.
  Result<std::vector<Job>> claim(std::span<const std::string> kinds, Instant now, Millis lease,
                                 int limit);
  // Whether claim() would find a job now; a cheap read so an idle runner
  // does not commit (and fsync) an empty write every poll.
  Result<bool> any_due(std::span<const std::string> kinds, Instant now) const;
  // Marks the job done.
  Status complete(std::int64_t id, Instant now);
  // Releases the lease and schedules another attempt at `next`.
  Status retry(std::int64_t id, Instant next, const std::string& error);
  // Marks the job dead: it will not run again.
  Status bury(std::int64_t id, Instant now, const std::string& error);
  Result<std::optional<Job>> find(std::int64_t id) const;
  // How many jobs of `kind` are pending (e.g. whether a recurring job is scheduled).
  Result<std::int64_t> pending_count(const std::string& kind) const;
  // Jobs in `state` (all when unset), newest first, at most `limit`.
  Result<std::vector<Job>> list(const std::optional<std::string>& state, int limit) const;

 private:
  SqlSession& s_;
};

}  // namespace redress::store
