// The server Store: a PostgreSQL database, one writer thread per process that
// commits use cases in groups, and a pool of REPEATABLE READ snapshots.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "store/group_writer.h"
#include "store/migrate.h"
#include "store/postgres/connection.h"
#include "store/postgres/read_pool.h"
#include "store/store.h"

namespace redress::store::postgres {

struct StoreOptions {
  ConnectionOptions connection;
  std::size_t read_connections = 4;
  std::size_t max_batch = 256;
};

// The numbered PostgreSQL migrations compiled into the binary, in order.
std::span<const Migration> migrations();

// True for the URLs this adapter serves: postgresql://… and postgres://….
bool is_postgres_url(std::string_view database);

// Same semantics as SqliteStore: reads run on the caller's thread in a
// snapshot; writes queue for the one writer thread, which runs each use case
// in its own savepoint and commits the batch once (synchronous_commit=on: a
// `done(true)` means the WAL reached disk). Several processes may share one
// database: their writers interleave by transaction, and the audit chain's
// tail is guarded by an advisory lock (TxLock::event_chain).
class PostgresStore final : public Store {
 public:
  // Connects to `url`, applies pending migrations in one transaction under
  // an advisory lock (so instances starting together migrate once), and
  // starts the writer. Fails with unavailable if the server cannot be
  // reached, internal if a migration fails (nothing is applied then).
  static Result<std::unique_ptr<PostgresStore>> open(const std::string& url,
                                                     const StoreOptions& options, Instant now);
  // close().
  ~PostgresStore() override;

  // Thread-safe; blocks while every read connection is busy.
  Status read_raw(std::move_only_function<Status(ReadTx&)> fn) override;
  // Thread-safe; `done` runs on the writer thread.
  void write_raw(WriteWork work) override;

  // Stops the writer after the queued work; later writes fail as unavailable.
  void close();

 private:
  PostgresStore(std::unique_ptr<GroupCommitWriter> writer, std::unique_ptr<ReadPool> readers)
      : writer_(std::move(writer)), readers_(std::move(readers)) {}
  std::unique_ptr<GroupCommitWriter> writer_;
  std::unique_ptr<ReadPool> readers_;
};

}  // namespace redress::store::postgres
