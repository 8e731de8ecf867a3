// One SQLite connection (C API) behind the SqlSession seam, with the pragmas
// Redress relies on and a cache of prepared statements.
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

struct sqlite3;
struct sqlite3_stmt;

namespace redress::store::sqlite {

// How a connection opens its file.
enum class OpenMode {
  read_write_create,  // creates the file and its parent directory if missing; switches to WAL
  read_only,          // the file must exist; every write fails (ErrorCode::internal)
};

// PRAGMA synchronous. `full` syncs the WAL on every commit (durable against
// power loss); `normal` may lose the last commits on power loss but never
// corrupts; `off` is for tests and bulk imports only.
enum class Synchronous { full, normal, off };

struct ConnectionOptions {
  Synchronous synchronous = Synchronous::full;
  // How long a statement waits for another connection's lock before failing
  // with ErrorCode::unavailable.
  std::chrono::milliseconds busy_timeout{5000};
  // Prepared statements kept per connection (least recently used are dropped).
  std::size_t statement_cache_size = 256;
  // Page cache per connection, in KiB (PRAGMA cache_size=-N). SQLite's default
  // (2 MiB) makes a large write transaction spill dirty pages into the WAL again
  // and again: importing 7k complaints in one batch wrote ~30 WAL pages per row.
  int cache_size_kib = 32 * 1024;
};

// Registers the FTS5 tokenizer `redress_terms` that the search index table
// (migration 0009, store/search_index.h) is declared with. open() calls it on
// every connection; a connection without it fails every statement touching
// complaint_search ("no such tokenizer"), which is also why the sqlite3 shell
// cannot query that one table. Fails (internal) when FTS5 is missing.
Status register_fts5_tokenizer(sqlite3* db);

// An open SQLite database connection implementing SqlSession.
//
// Placeholders are `$1`, `$2`…; they are bound by name, so `$2` may come
// before `$1` and `$1` may appear several times. Binding fails with
// ErrorCode::internal if a placeholder has no value, if a value has no
// placeholder, or if the SQL holds any other kind of parameter (`?`, `:x`).
// Errors: UNIQUE, PRIMARY KEY and FOREIGN KEY violations are
// ErrorCode::conflict (message: SQLite's); SQLITE_BUSY and SQLITE_LOCKED are
// ErrorCode::unavailable (safe to retry); everything else, including NOT NULL
// and CHECK violations (bugs: validation should have caught them), is
// ErrorCode::internal. Nothing throws for SQL errors.
//
// Thread-safety: none. Opened with SQLITE_OPEN_NOMUTEX: one thread at a time
// may use a connection; it may be handed between threads with proper
// synchronisation (the writer thread and the read pool do that).
class SqliteConnection final : public SqlConnection {
 public:
  // Opens `path` (":memory:" for a private in-memory database) and applies
  // busy_timeout, journal_mode=WAL (read-write only; the mode is stored in
  // the file, so read-only connections inherit it), synchronous and
  // foreign_keys=ON. Fails with ErrorCode::internal if the directory cannot
  // be created, the file cannot be opened (read_only and missing, bad
  // permissions, not a database) or a pragma is refused; with
  // ErrorCode::unavailable if the database stays locked past busy_timeout.
  static Result<std::unique_ptr<SqliteConnection>> open(const std::string& path, OpenMode mode,
                                                        const ConnectionOptions& options = {});

  // Finalizes the cached statements and closes the database. An open
  // transaction is rolled back by SQLite.
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Runs one statement and returns all its rows. Text and BLOB cells both
  // come back as std::string. More than one statement in `sql` is an error.
  Result<std::vector<SqlRow>> query(std::string_view sql,
                                    std::span<const SqlValue> params) override;
  // Runs one statement to completion (rows it returns are discarded) and
  // yields the rows it inserted, updated or deleted (0 for other statements).
  Result<std::int64_t> exec(std::string_view sql, std::span<const SqlValue> params) override;
  // Runs any number of parameterless statements (uncached), stopping at the
  // first error; statements before it stay applied.
  Status exec_script(std::string_view sql) override;

  // The rowid of the most recent successful INSERT on this connection.
  std::int64_t last_insert_rowid() const;
  // True while a transaction is open (BEGIN not yet matched by COMMIT/ROLLBACK,
  // and SQLite did not roll it back on its own after an I/O or disk-full error).
  bool in_transaction() const override;
  // The raw handle, e.g. for the online-backup API. Still owned by this object.
  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }
  OpenMode mode() const { return mode_; }

 private:
  SqliteConnection(sqlite3* db, std::string path, OpenMode mode, std::size_t cache_size);

  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // A prepared statement and whether its parameters are `$1`…`$N` in order of
  // first appearance (SQLite's numbering), so `$n` binds to index n without a
  // look-up: SQLite finds a parameter's name or index by scanning them all,
  // which made binding a multi-row INSERT of 1,500 values quadratic.
  struct Prepared {
    sqlite3_stmt* stmt;
    bool in_order;
  };
  struct CachedStatement {
    std::string sql;
    Prepared prepared;
  };
  using Lru = std::list<CachedStatement>;  // front = most recently used

  // Yields a prepared statement for `sql`, from the cache or freshly prepared.
  Result<Prepared> prepare(std::string_view sql);
  // Binds `params` to `$1`…`$N`: by position when the statement numbers them
  // in order (Prepared::in_order), else by name; checks that every parameter
  // is bound.
  Status bind(const Prepared& prepared, std::span<const SqlValue> params);
  Error error_from(int rc, std::string_view sql) const;

  sqlite3* db_;
  std::string path_;
  OpenMode mode_;
  std::size_t cache_size_;
  Lru lru_;
  std::unordered_map<std::string, Lru::iterator, StringHash, std::equal_to<>> cache_;
};

}  // namespace redress::store::sqlite
