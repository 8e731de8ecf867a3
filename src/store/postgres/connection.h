// One PostgreSQL connection (libpq) behind the SqlSession seam, with a cache
// of prepared statements.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"
#include "store/sql.h"

struct pg_conn;
struct pg_result;

namespace redress::store::postgres {

struct ConnectionOptions {
  // Prepared statements kept per connection (least recently used are
  // deallocated); 0 runs every statement unprepared.
  std::size_t statement_cache_size = 256;
  // How long opening the connection may take, unless the URL says
  // (connect_timeout=…).
  std::chrono::seconds connect_timeout{10};
};

// An open PostgreSQL connection implementing SqlConnection.
//
// `url` is a libpq connection URI (postgresql://user:password@host:port/db?…)
// or key=value string. After connecting, the session runs with
// synchronous_commit=on (a COMMIT returns only once the WAL is flushed),
// client_encoding UTF8 and server notices discarded.
//
// Parameters: `$1`, `$2`… are sent as text with their types left to the
// server, which infers each from its use in the statement; a statement whose
// parameter types cannot be inferred (SQLSTATE 42P18/42725, e.g. `$1 IS NULL`
// alone) is prepared again with types taken from the values (int8, float8,
// text; text for NULL). Only outside a transaction: inside one the failed
// attempt has aborted it, so such SQL should say CAST($1 AS BIGINT) instead. Result cells are
// converted by column type: int2/int4/int8 to int64, float4/float8/numeric to double, bool to 0/1,
// NULL to monostate, everything else to text.
//
// Errors: SQLSTATE 23505 (unique) and 23503 (foreign key) are
// ErrorCode::conflict; 40001 (serialization), 40P01 (deadlock), 57P01-57P03
// (shutdown), class 08 (connection) and a lost connection are
// ErrorCode::unavailable (retry); everything else, including NOT NULL and
// CHECK violations, is ErrorCode::internal. A failed statement inside a
// transaction aborts it until ROLLBACK (TO SAVEPOINT), as PostgreSQL does.
// Nothing throws for SQL errors.
//
// A connection found broken before a statement, outside a transaction, is
// re-opened once (a restarted server is picked up by the next statement).
//
// Thread-safety: none; one thread at a time, handed over with proper
// synchronisation (the writer thread and the read pool do that).
class PgConnection final : public SqlConnection {
 public:
  // Connects to `url`. Fails with ErrorCode::unavailable if the server
  // cannot be reached or refuses the connection (libpq's message, password
  // removed), with ErrorCode::internal if the session settings are refused.
  static Result<std::unique_ptr<PgConnection>> open(const std::string& url,
                                                    const ConnectionOptions& options = {});

  // Closes the connection; an open transaction is rolled back by the server.
  ~PgConnection() override;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement and returns all its rows (none for a statement
  // without a result set).
  Result<std::vector<SqlRow>> query(std::string_view sql,
                                    std::span<const SqlValue> params) override;
  // Runs one statement; yields the rows it inserted, updated or deleted (0
  // for other statements).
  Result<std::int64_t> exec(std::string_view sql, std::span<const SqlValue> params) override;
  // Runs any number of parameterless statements in one round trip (simple
  // query protocol). Outside a transaction they form one implicit
  // transaction; inside one, the first error aborts it.
  Status exec_script(std::string_view sql) override;
  // SELECT pg_advisory_xact_lock(key): held until the transaction ends.
  Status lock_until_commit(TxLock lock) override;
  bool has_concurrent_writers() const override { return true; }
  SqlDialect dialect() const override { return SqlDialect::postgresql; }
  // True in an open transaction, including an aborted one awaiting ROLLBACK.
  bool in_transaction() const override;

  // True while the connection to the server is up (as far as libpq knows).
  bool connected() const;
  // The raw handle, still owned by this object.
  pg_conn* handle() const { return conn_; }

 private:
  PgConnection(pg_conn* conn, ConnectionOptions options);

  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct CachedStatement {
    std::string sql;
    std::string name;
  };
  using Lru = std::list<CachedStatement>;  // front = most recently used

  // Re-opens a broken connection when no transaction can be lost by it.
  Status ensure_connected();
  // Applies the session settings (after connecting and after a reset).
  Status configure();
  // Runs `sql` with `params` (prepared and cached when the cache is on) and
  // returns libpq's result, or the mapped error.
  struct ResultDeleter {
    void operator()(::pg_result* r) const;
  };
  using PgResult = std::unique_ptr<::pg_result, ResultDeleter>;
  Result<PgResult> run(std::string_view sql, std::span<const SqlValue> params);
  Result<std::string> prepare(std::string_view sql, std::span<const SqlValue> params);
  void forget_statements();

  pg_conn* conn_;
  ConnectionOptions options_;
  std::uint64_t next_statement_ = 0;
  Lru lru_;
  std::unordered_map<std::string, Lru::iterator, StringHash, std::equal_to<>> cache_;
};

}  // namespace redress::store::postgres
