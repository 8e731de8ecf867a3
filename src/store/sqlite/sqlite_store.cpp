#include "store/sqlite/sqlite_store.h"

#include "store/report_pending.h"
#include "store/search_index.h"
#include "store/transactions.h"

namespace redress::store::sqlite {

namespace {
// What every COMMIT of the writer is preceded by: the batch's report counts
// and search-index rows, both kept pending until then (report_pending.h,
// search_index.h).
const std::string& before_commit() {
  static const std::string kScript =
      std::string(kFoldReportPendingSqlite) + kFoldSearchPendingSqlite;
  return kScript;
}
}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path,
                                                       const StoreOptions& options, Instant now) {
  REDRESS_TRY(auto connection,
              SqliteConnection::open(path, OpenMode::read_write_create, options.connection));
  REDRESS_CHECK(connection->exec_script("BEGIN IMMEDIATE"));
  auto applied = apply_migrations(*connection, migrations(), format_iso8601(now));
  // Rows a writer outside this store left pending are folded before anyone reads.
  if (applied) applied = connection->exec_script(before_commit());
  if (!applied) {
    // The migration's own error is the one worth reporting.
    if (auto rolled_back = connection->exec_script("ROLLBACK"); !rolled_back) {
      return fail(rolled_back.error());
    }
    return fail(applied.error());
  }
  REDRESS_CHECK(connection->exec_script("COMMIT"));
  auto writer = std::make_unique<GroupCommitWriter>(
      std::move(connection), GroupCommitWriter::Options{.max_batch = options.max_batch,
                                                        .begin = "BEGIN IMMEDIATE",
                                                        .savepoint_when_alone = false,
                                                        .before_commit = before_commit()});
  auto readers = std::make_unique<ReadPool>(
      path, ReadPoolOptions{.size = options.read_connections, .connection = options.connection});
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(writer), std::move(readers)));
}

SqliteStore::~SqliteStore() {
  close();
}

void SqliteStore::close() {
  writer_->stop();
}

Status SqliteStore::read_raw(std::move_only_function<Status(ReadTx&)> fn) {
  return readers_->with_snapshot([&](SqlSession& session) { return run_read(session, fn); });
}

void SqliteStore::write_raw(WriteWork work) {
  writer_->submit(to_write_job(std::move(work)));
}

}  // namespace redress::store::sqlite
