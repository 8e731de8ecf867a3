#include "store/postgres/postgres_store.h"

#include "store/report_pending.h"
#include "store/transactions.h"

namespace redress::store::postgres {
namespace {

// Advisory-lock key serialising schema migrations across instances.
constexpr std::int64_t kMigrationLock = 0x5245445245535300;

}  // namespace

bool is_postgres_url(std::string_view database) {
  return database.starts_with("postgresql://") || database.starts_with("postgres://");
}

Result<std::unique_ptr<PostgresStore>> PostgresStore::open(const std::string& url,
                                                           const StoreOptions& options,
                                                           Instant now) {
  REDRESS_TRY(auto connection, PgConnection::open(url, options.connection));
  REDRESS_CHECK(connection->exec_script("BEGIN"));
  Status applied = [&]() -> Status {
    REDRESS_TRY(auto locked,
                connection->query("SELECT pg_advisory_xact_lock($1)", params(kMigrationLock)));
    (void)locked;
    REDRESS_CHECK(apply_migrations(*connection, migrations(), format_iso8601(now)));
    // Rows a writer outside this store left pending are folded before anyone reads.
    return connection->exec_script(kFoldReportPendingPostgres);
  }();
  if (!applied) {
    // The migration's own error is the one worth reporting; if ROLLBACK
    // fails too, closing the connection below rolls back on the server.
    const Status rolled_back = connection->exec_script("ROLLBACK");
    static_cast<void>(rolled_back);
    return fail(applied.error());
  }
  REDRESS_CHECK(connection->exec_script("COMMIT"));
  auto writer = std::make_unique<GroupCommitWriter>(
      std::move(connection),
      GroupCommitWriter::Options{.max_batch = options.max_batch,
                                 .begin = "BEGIN",
                                 .first_lock = TxLock::event_chain,
                                 .before_commit = kFoldReportPendingPostgres});
  auto readers = std::make_unique<ReadPool>(
      url, ReadPoolOptions{.size = options.read_connections, .connection = options.connection});
  return std::unique_ptr<PostgresStore>(new PostgresStore(std::move(writer), std::move(readers)));
}

PostgresStore::~PostgresStore() {
  close();
}

void PostgresStore::close() {
  writer_->stop();
}

Status PostgresStore::read_raw(std::move_only_function<Status(ReadTx&)> fn) {
  return readers_->with_snapshot([&](SqlSession& session) { return run_read(session, fn); });
}

void PostgresStore::write_raw(WriteWork work) {
  writer_->submit(to_write_job(std::move(work)));
}

}  // namespace redress::store::postgres
