#include "store/sqlite/connection.h"

#include <sqlite3.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

namespace redress::store::sqlite {
namespace {

constexpr std::size_t kSqlExcerpt = 120;

std::string excerpt(std::string_view sql) {
  if (sql.size() <= kSqlExcerpt) return std::string(sql);
  return std::string(sql.substr(0, kSqlExcerpt)) + "...";
}

// Maps an SQLite (extended) result code to our error kinds. See the class
// comment in connection.h for why only key violations count as conflicts.
ErrorCode code_for(int rc) {
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return ErrorCode::conflict;
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorCode::unavailable;
    default:
      return ErrorCode::internal;
  }
}

const char* synchronous_pragma(Synchronous s) {
  switch (s) {
    case Synchronous::full:
      return "PRAGMA synchronous=FULL";
    case Synchronous::normal:
      return "PRAGMA synchronous=NORMAL";
    case Synchronous::off:
      return "PRAGMA synchronous=OFF";
  }
  return "PRAGMA synchronous=FULL";
}

bool is_memory_path(const std::string& path) {
  return path.empty() || path == ":memory:" || path.starts_with("file::memory:");
}

// Resets a statement and drops its bindings when a call ends, however it ends,
// so a cached statement never holds a read lock or a pointer into the
// caller's parameters.
class StatementGuard {
 public:
  explicit StatementGuard(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~StatementGuard() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  StatementGuard(const StatementGuard&) = delete;
  StatementGuard& operator=(const StatementGuard&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

SqlValue read_cell(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return static_cast<std::int64_t>(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, i);
    case SQLITE_TEXT: {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
    }
    case SQLITE_BLOB: {
      const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
      const auto n = static_cast<std::size_t>(sqlite3_column_bytes(stmt, i));
      return n == 0 ? std::string() : std::string(p, n);
    }
    default:
      return std::monostate{};
  }
}

// ---- the FTS5 tokenizer redress_terms (store/search_index.h) -----------------
// The application tokenizes (src/text); this tokenizer only splits what it
// wrote: terms at spaces, and an accent-folded variant after U+001F is
// emitted at the same position as its term (FTS5_TOKEN_COLOCATED), so "tien"
// finds "tiền" while phrases keep their positions. Queries arrive as single
// terms or space-separated phrases from SearchIndexRepo::match_expression.
int terms_create(void* /*context*/, const char** /*args*/, int /*n_args*/, Fts5Tokenizer** out) {
  static int instance = 0;  // stateless: any non-null handle will do
  *out = reinterpret_cast<Fts5Tokenizer*>(&instance);
  return SQLITE_OK;
}

void terms_delete(Fts5Tokenizer* /*tokenizer*/) {}

int terms_tokenize(Fts5Tokenizer* /*tokenizer*/, void* context, int /*flags*/, const char* text,
                   int length, int (*token)(void*, int, const char*, int, int, int)) {
  int i = 0;
  while (i < length) {
    while (i < length && text[i] == ' ') ++i;
    const int start = i;
    while (i < length && text[i] != ' ') ++i;
    if (start == i) break;
    // [start, i) is "term" or "term\x1Fvariant"
    int piece = start;
    bool first = true;
    for (int k = start; k <= i; ++k) {
      if (k < i && text[k] != '\x1F') continue;
      if (k > piece) {
        const int rc =
            token(context, first ? 0 : FTS5_TOKEN_COLOCATED, text + piece, k - piece, start, i);
        if (rc != SQLITE_OK) return rc;
        first = false;
      }
      piece = k + 1;
    }
  }
  return SQLITE_OK;
}

}  // namespace

Status register_fts5_tokenizer(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) {
    return fail(
        Error::internal("SQLite: FTS5 is not available: " + std::string(sqlite3_errmsg(db))));
  }
  sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (api == nullptr || api->iVersion < 2) {
    return fail(Error::internal("SQLite: no FTS5 API (version 2 or later needed)"));
  }
  fts5_tokenizer tokenizer{terms_create, terms_delete, terms_tokenize};
  if (api->xCreateTokenizer(api, "redress_terms", nullptr, &tokenizer, nullptr) != SQLITE_OK) {
    return fail(Error::internal("SQLite: cannot register the FTS5 tokenizer redress_terms"));
  }
  return {};
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(const std::string& path,
                                                                 OpenMode mode,
                                                                 const ConnectionOptions& options) {
  int flags = SQLITE_OPEN_NOMUTEX;
  if (mode == OpenMode::read_write_create) {
    flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (!is_memory_path(path) && !path.starts_with("file:")) {
      const std::filesystem::path parent = std::filesystem::path(path).parent_path();
      std::error_code ec;
      if (!parent.empty()) std::filesystem::create_directories(parent, ec);
      if (ec) {
        return fail(
            Error::internal("cannot create directory " + parent.string() + ": " + ec.message()));
      }
    }
  } else {
    flags |= SQLITE_OPEN_READONLY;
  }
  if (path.starts_with("file:")) flags |= SQLITE_OPEN_URI;

  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "cannot open SQLite database " + path + ": " +
                          (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close_v2(db);  // a no-op on nullptr
    return fail(Error{code_for(rc), std::move(message), {}});
  }
  sqlite3_extended_result_codes(db, 1);
  // From here on the object owns `db` and closes it on every return path.
  std::unique_ptr<SqliteConnection> conn(
      new SqliteConnection(db, path, mode, options.statement_cache_size));

  sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count()));
  // Before any statement: the search index's table names this tokenizer.
  REDRESS_CHECK(register_fts5_tokenizer(db));
  if (mode == OpenMode::read_write_create) {
    REDRESS_TRY(auto rows, conn->query("PRAGMA journal_mode=WAL", {}));
    const std::string journal = rows.empty() ? std::string() : rows.front().text(0);
    if (journal != "wal" && !(is_memory_path(path) && journal == "memory")) {
      return fail(Error::internal("SQLite database " + path + " refused journal_mode=WAL (got '" +
                                  journal + "')"));
    }
  }
  REDRESS_CHECK(conn->exec_script(synchronous_pragma(options.synchronous)));
  REDRESS_CHECK(conn->exec_script("PRAGMA foreign_keys=ON"));
  REDRESS_CHECK(conn->exec_script("PRAGMA cache_size=-" + std::to_string(options.cache_size_kib)));
  // Savepoints (one per grouped write job) keep their statement journal in a temp
  // file by default: ~27 page writes per imported row went there. In memory it is
  // freed at commit and never touches the disk; durability is unaffected.
  REDRESS_CHECK(conn->exec_script("PRAGMA temp_store=MEMORY"));
  return conn;
}

SqliteConnection::SqliteConnection(sqlite3* db, std::string path, OpenMode mode,
                                   std::size_t cache_size)
    : db_(db), path_(std::move(path)), mode_(mode), cache_size_(cache_size) {}

SqliteConnection::~SqliteConnection() {
  for (CachedStatement& entry : lru_) sqlite3_finalize(entry.prepared.stmt);
  // close_v2 defers the close if something (e.g. a backup) still uses the handle.
  sqlite3_close_v2(db_);
}

Error SqliteConnection::error_from(int rc, std::string_view sql) const {
  // With prepare_v2/v3, step returns the specific code; prefer the
  // connection's extended code when it agrees on the primary one.
  const int extended = sqlite3_extended_errcode(db_);
  if ((extended & 0xff) == (rc & 0xff)) rc = extended;
  const ErrorCode code = code_for(rc);
  std::string message = sqlite3_errmsg(db_);
  if (code == ErrorCode::internal && !sql.empty()) message += " [in: " + excerpt(sql) + "]";
  return Error{code, std::move(message), {}};
}

Result<SqliteConnection::Prepared> SqliteConnection::prepare(std::string_view sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->prepared;
  }

  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const unsigned flags = cache_size_ > 0 ? SQLITE_PREPARE_PERSISTENT : 0;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), flags, &stmt, &tail);
  if (rc != SQLITE_OK) return fail(error_from(rc, sql));
  if (stmt == nullptr)
    return fail(Error::internal("empty SQL statement [in: " + excerpt(sql) + "]"));

  // Only whitespace or comments may follow the statement.
  const char* end = sql.data() + sql.size();
  if (tail != nullptr && tail < end) {
    sqlite3_stmt* extra = nullptr;
    rc = sqlite3_prepare_v2(db_, tail, static_cast<int>(end - tail), &extra, nullptr);
    sqlite3_finalize(extra);
    if (rc != SQLITE_OK || extra != nullptr) {
      sqlite3_finalize(stmt);
      return fail(Error::internal(
          "query/exec run exactly one statement; use exec_script [in: " + excerpt(sql) + "]"));
    }
  }

  Prepared prepared{stmt, true};
  char name[24];
  const int count = sqlite3_bind_parameter_count(stmt);
  for (int n = 1; n <= count && prepared.in_order; ++n) {
    std::snprintf(name, sizeof name, "$%d", n);
    const char* nth = sqlite3_bind_parameter_name(stmt, n);
    prepared.in_order = nth != nullptr && std::strcmp(nth, name) == 0;
  }

  if (cache_size_ == 0) {
    // Caching disabled: keep exactly one statement, replaced on every call.
    for (CachedStatement& entry : lru_) sqlite3_finalize(entry.prepared.stmt);
    lru_.clear();
    cache_.clear();
  } else if (lru_.size() >= cache_size_) {
    CachedStatement& oldest = lru_.back();
    cache_.erase(oldest.sql);
    sqlite3_finalize(oldest.prepared.stmt);
    lru_.pop_back();
  }
  lru_.push_front(CachedStatement{std::string(sql), prepared});
  cache_.emplace(lru_.front().sql, lru_.begin());
  return prepared;
}

Status SqliteConnection::bind(const Prepared& prepared, std::span<const SqlValue> params) {
  sqlite3_stmt* stmt = prepared.stmt;
  const int count = sqlite3_bind_parameter_count(stmt);
  char name[24];
  for (std::size_t n = 1; n <= params.size(); ++n) {
    int index = static_cast<int>(n);
    if (!prepared.in_order || index > count) {
      std::snprintf(name, sizeof name, "$%zu", n);
      index = sqlite3_bind_parameter_index(stmt, name);
    }
    if (index == 0) {
      std::snprintf(name, sizeof name, "$%zu", n);
      return fail(Error::internal(
          "parameter " + std::string(name) +
          " has no placeholder in the statement [in: " + excerpt(sqlite3_sql(stmt)) + "]"));
    }
    const SqlValue& value = params[n - 1];
    int rc = SQLITE_OK;
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
      rc = sqlite3_bind_int64(stmt, index, *i);
    } else if (const auto* d = std::get_if<double>(&value)) {
      rc = sqlite3_bind_double(stmt, index, *d);
    } else if (const auto* s = std::get_if<std::string>(&value)) {
      // SQLITE_STATIC: `params` outlives the statement's use, and the
      // StatementGuard clears the bindings before the call returns.
      rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else {
      rc = sqlite3_bind_null(stmt, index);
    }
    if (rc != SQLITE_OK) return fail(error_from(rc, sqlite3_sql(stmt)));
  }
  // Each distinct `$N` name gets its own index, so once params.size() distinct
  // names are bound, any further index is a placeholder without a value.
  if (static_cast<std::size_t>(count) > params.size()) {
    std::string missing;
    for (int i = 1; i <= count; ++i) {
      const char* pname = sqlite3_bind_parameter_name(stmt, i);
      const std::string shown = pname != nullptr ? pname : "?" + std::to_string(i);
      bool bound = false;
      for (std::size_t n = 1; n <= params.size() && !bound; ++n)
        bound = shown == "$" + std::to_string(n);
      if (!bound) missing += (missing.empty() ? "" : ", ") + shown;
    }
    return fail(Error::internal("no value for parameter " + missing + " (" +
                                std::to_string(params.size()) +
                                " given) [in: " + excerpt(sqlite3_sql(stmt)) + "]"));
  }
  return {};
}

Result<std::vector<SqlRow>> SqliteConnection::query(std::string_view sql,
                                                    std::span<const SqlValue> params) {
  REDRESS_TRY(const Prepared prepared, prepare(sql));
  sqlite3_stmt* stmt = prepared.stmt;
  StatementGuard guard(stmt);
  REDRESS_CHECK(bind(prepared, params));

  std::vector<SqlRow> rows;
  const int columns = sqlite3_column_count(stmt);
  for (;;) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return fail(error_from(rc, sql));
    std::vector<SqlValue> cells;
    cells.reserve(static_cast<std::size_t>(columns));
    for (int i = 0; i < columns; ++i) cells.push_back(read_cell(stmt, i));
    rows.emplace_back(std::move(cells));
  }
  return rows;
}

Result<std::int64_t> SqliteConnection::exec(std::string_view sql,
                                            std::span<const SqlValue> params) {
  REDRESS_TRY(const Prepared prepared, prepare(sql));
  sqlite3_stmt* stmt = prepared.stmt;
  StatementGuard guard(stmt);
  REDRESS_CHECK(bind(prepared, params));

  // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE even
  // across other statements; the total only moves when this one changed rows.
  const sqlite3_int64 total_before = sqlite3_total_changes64(db_);
  for (;;) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return fail(error_from(rc, sql));
  }
  if (sqlite3_total_changes64(db_) == total_before) return std::int64_t{0};
  return static_cast<std::int64_t>(sqlite3_changes64(db_));
}

Status SqliteConnection::exec_script(std::string_view sql) {
  forget_memo_unless_savepoint(sql);
  const std::string text(sql);  // sqlite3_exec wants a NUL-terminated string
  char* errmsg = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &errmsg);
  if (rc == SQLITE_OK) return {};
  sqlite3_free(errmsg);  // sqlite3_errmsg(db_) holds the same text
  return fail(error_from(rc, sql));
}

std::int64_t SqliteConnection::last_insert_rowid() const {
  return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_));
}

bool SqliteConnection::in_transaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

}  // namespace redress::store::sqlite
