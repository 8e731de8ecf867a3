// A bounded pool of PostgreSQL connections for read snapshots.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/result.h"
#include "store/postgres/connection.h"
#include "store/thread_annotations.h"

namespace redress::store::postgres {

struct ReadPoolOptions {
  std::size_t size = 4;          // most connections open at once; 0 is treated as 1
  ConnectionOptions connection;  // for each connection
};

// Hands out connections to `url`, opening them lazily up to `size`; a
// caller beyond that waits for one to come back. Thread-safe. The pool must
// outlive every Lease it handed out.
class ReadPool {
 public:
  // Exclusive use of one pooled connection until the Lease is destroyed. A
  // transaction left open is rolled back when it goes back; a connection
  // that broke is dropped (a fresh one is opened for the next caller).
  class Lease {
   public:
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), connection_(std::move(other.connection_)) {}
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
      if (pool_ != nullptr && connection_ != nullptr) pool_->release(std::move(connection_));
    }

    // The leased connection; only valid on a Lease that was not moved from.
    PgConnection& connection() const { return *connection_; }

   private:
    friend class ReadPool;
    Lease(ReadPool* pool, std::unique_ptr<PgConnection> connection)
        : pool_(pool), connection_(std::move(connection)) {}

    ReadPool* pool_;
    std::unique_ptr<PgConnection> connection_;
  };

  // Opens nothing yet.
  ReadPool(std::string url, ReadPoolOptions options);
  ReadPool(const ReadPool&) = delete;
  ReadPool& operator=(const ReadPool&) = delete;

  // Returns an idle connection, or opens one if fewer than `size` exist, or
  // blocks until a Lease is returned. Fails only if opening a connection
  // fails (PgConnection::open's error); the slot is freed again.
  Result<Lease> acquire() EXCLUDES(mu_);

  // Runs fn(SqlSession&) -> Result<T> (or Status) on a leased connection
  // inside BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY … COMMIT: every
  // query of fn sees one snapshot, and a write through it fails (internal).
  // Returns fn's result, or the error of acquire/BEGIN/COMMIT.
  template <class Fn>
  std::invoke_result_t<Fn&, SqlSession&> with_snapshot(Fn&& fn) {
    using R = std::invoke_result_t<Fn&, SqlSession&>;
    Result<Lease> lease = acquire();
    if (!lease) return R(std::unexpect, std::move(lease).error());
    PgConnection& connection = lease->connection();
    if (auto begun = connection.exec_script("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        !begun) {
      return R(std::unexpect, std::move(begun).error());
    }
    R result = fn(static_cast<SqlSession&>(connection));
    // A read transaction has nothing to keep: COMMIT only ends the snapshot
    // (and ROLLBACKs one a failed query aborted).
    if (auto ended = connection.exec_script("COMMIT"); !ended && result) {
      return R(std::unexpect, std::move(ended).error());
    }
    return result;
  }

 private:
  void release(std::unique_ptr<PgConnection> connection) EXCLUDES(mu_);

  const std::string url_;
  const ReadPoolOptions options_;
  Mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<PgConnection>> idle_ GUARDED_BY(mu_);
  std::size_t open_ GUARDED_BY(mu_) = 0;  // idle + leased + being opened
};

}  // namespace redress::store::postgres
