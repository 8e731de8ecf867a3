// A bounded pool of read-only SQLite connections. In WAL mode readers run
// beside the single writer and see the database as of their transaction's
// first read.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/result.h"
#include "store/sqlite/connection.h"
#include "store/thread_annotations.h"

namespace redress::store::sqlite {

struct ReadPoolOptions {
  std::size_t size = 4;          // most connections open at once; 0 is treated as 1
  ConnectionOptions connection;  // for each read-only connection
};

// Hands out read-only connections to `path`, opening them lazily up to
// `size`. The database file must exist by the time the first connection is
// opened (the writer creates it). Thread-safe. The pool must outlive every
// Lease it handed out.
class ReadPool {
 public:
  // Exclusive use of one pooled connection until the Lease is destroyed or
  // moved from. A Lease is used by one thread at a time. If the holder left
  // a transaction open, it is rolled back when the connection goes back.
  class Lease {
   public:
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), connection_(std::move(other.connection_)) {}
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { give_back(); }

    // The leased connection; only valid on a Lease that was not moved from.
    SqliteConnection& connection() const { return *connection_; }
    SqliteConnection* operator->() const { return connection_.get(); }

   private:
    friend class ReadPool;
    Lease(ReadPool* pool, std::unique_ptr<SqliteConnection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    void give_back() noexcept;

    ReadPool* pool_;
    std::unique_ptr<SqliteConnection> connection_;
  };

  // Opens nothing yet.
  ReadPool(std::string path, ReadPoolOptions options);
  // Closes the idle connections. Every Lease must have been returned.
  ~ReadPool();
  ReadPool(const ReadPool&) = delete;
  ReadPool& operator=(const ReadPool&) = delete;

  // Returns an idle connection, or opens one if fewer than `size` exist, or
  // blocks until a Lease is returned. Fails only if opening a connection
  // fails (the error of SqliteConnection::open); the slot is freed again.
  Result<Lease> acquire() EXCLUDES(mu_);

  // Runs fn(SqlSession&) -> Result<T> (or Status) on a leased connection
  // inside BEGIN … COMMIT, so every query of fn sees one consistent snapshot.
  // Returns fn's result, or the error of acquire/BEGIN/COMMIT.
  template <class Fn>
  std::invoke_result_t<Fn&, SqlSession&> with_snapshot(Fn&& fn) {
    using R = std::invoke_result_t<Fn&, SqlSession&>;
    Result<Lease> lease = acquire();
    if (!lease) return R(std::unexpect, std::move(lease).error());
    SqliteConnection& connection = lease->connection();
    if (auto begun = connection.exec_script("BEGIN"); !begun) {
      return R(std::unexpect, std::move(begun).error());
    }
    R result = fn(static_cast<SqlSession&>(connection));
    // A read transaction has nothing to keep: COMMIT only ends the snapshot.
    if (auto ended = connection.exec_script("COMMIT"); !ended && result) {
      return R(std::unexpect, std::move(ended).error());
    }
    return result;
  }

  const std::string& path() const { return path_; }

 private:
  void release(std::unique_ptr<SqliteConnection> connection) EXCLUDES(mu_);

  const std::string path_;
  const ReadPoolOptions options_;
  Mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_ GUARDED_BY(mu_);
  std::size_t open_ GUARDED_BY(mu_) = 0;  // idle + leased + being opened
};

}  // namespace redress::store::sqlite
