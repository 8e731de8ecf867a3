// The embedded Store: one SQLite file in WAL mode, one writer thread that
// commits use cases in groups (one fsync for many), and a pool of read-only
// connections for snapshots beside it.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "store/group_writer.h"
#include "store/migrate.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/read_pool.h"
#include "store/store.h"

namespace redress::store::sqlite {

struct StoreOptions {
  ConnectionOptions connection;  // synchronous=FULL by default: a commit survives power loss
  std::size_t read_connections = 4;
  std::size_t max_batch = 256;
};

// The numbered migrations compiled into the binary, in order.
std::span<const Migration> migrations();

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) the database at `path`, applies pending
  // migrations in one transaction, and starts the writer. Fails if the file
  // cannot be opened or a migration fails (nothing is applied then).
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path,
                                                   const StoreOptions& options, Instant now);
  ~SqliteStore() override;

  Status read_raw(std::move_only_function<Status(ReadTx&)> fn) override;
  void write_raw(WriteWork work) override;

  // Stops the writer after the queued work; later writes fail as unavailable.
  void close();

 private:
  SqliteStore(std::unique_ptr<GroupCommitWriter> writer, std::unique_ptr<ReadPool> readers)
      : writer_(std::move(writer)), readers_(std::move(readers)) {}
  std::unique_ptr<GroupCommitWriter> writer_;
  std::unique_ptr<ReadPool> readers_;
};

}  // namespace redress::store::sqlite
