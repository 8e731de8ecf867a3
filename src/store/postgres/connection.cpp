#include "store/postgres/connection.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstring>
#include <utility>
#include <vector>

namespace redress::store::postgres {
namespace {

constexpr std::size_t kSqlExcerpt = 120;

// Type OIDs from pg_type.h (stable across PostgreSQL versions).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kTextOid = 25;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

std::string excerpt(std::string_view sql) {
  if (sql.size() <= kSqlExcerpt) return std::string(sql);
  return std::string(sql.substr(0, kSqlExcerpt)) + "...";
}

std::string trimmed(const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// Maps a SQLSTATE to our error kinds; see the class comment in connection.h.
ErrorCode code_for(std::string_view sqlstate) {
  if (sqlstate == "23505" || sqlstate == "23503") return ErrorCode::conflict;
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03" || sqlstate.starts_with("08")) {
    return ErrorCode::unavailable;
  }
  return ErrorCode::internal;
}

// A text parameter for a value; NULL has none.
std::string text_of(const SqlValue& value) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&value)) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);  // shortest exact form
    return std::string(buf, ec == std::errc{} ? end : buf);
  }
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  return {};
}

// The type to declare for a parameter the server could not type itself
// (a NULL there has no better guess than text).
Oid type_of(const SqlValue& value) {
  if (std::holds_alternative<std::int64_t>(value)) return kInt8Oid;
  if (std::holds_alternative<double>(value)) return kFloat8Oid;
  return kTextOid;
}

SqlValue read_cell(PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col) != 0) return std::monostate{};
  const char* text = PQgetvalue(res, row, col);
  const auto length = static_cast<std::size_t>(PQgetlength(res, row, col));
  switch (PQftype(res, col)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      std::int64_t v = 0;
      auto [ptr, ec] = std::from_chars(text, text + length, v);
      if (ec == std::errc{} && ptr == text + length) return v;
      break;
    }
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid: {
      double v = 0;
      auto [ptr, ec] = std::from_chars(text, text + length, v);
      if (ec == std::errc{} && ptr == text + length) return v;
      break;  // e.g. numeric 'NaN' spelled differently: hand back the text
    }
    case kBoolOid:
      return static_cast<std::int64_t>(length > 0 && text[0] == 't' ? 1 : 0);
    default:
      break;
  }
  return std::string(text, length);
}

// The URL without its password, for error messages.
std::string redacted(const std::string& url) {
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
}

}  // namespace

void PgConnection::ResultDeleter::operator()(pg_result* r) const {
  PQclear(r);
}

Result<std::unique_ptr<PgConnection>> PgConnection::open(const std::string& url,
                                                         const ConnectionOptions& options) {
  const std::string timeout = std::to_string(options.connect_timeout.count());
  // Keywords before dbname are defaults the URL may override; those after it
  // win over the URL (Redress speaks UTF-8 only).
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", "client_encoding",
                            nullptr};
  const char* values[] = {timeout.c_str(), "redress", url.c_str(), "UTF8", nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return fail(Error::unavailable("libpq could not allocate a connection"));
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message =
        "cannot connect to PostgreSQL at " + redacted(url) + ": " + trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return fail(Error::unavailable(std::move(message)));
  }
  std::unique_ptr<PgConnection> connection(new PgConnection(conn, options));
  REDRESS_CHECK(connection->configure());
  return connection;
}

PgConnection::PgConnection(pg_conn* conn, ConnectionOptions options)
    : conn_(conn), options_(options) {}

PgConnection::~PgConnection() {
  PQfinish(conn_);
}

Status PgConnection::configure() {
  // Notices ("relation exists, skipping", …) are not errors; keep stderr quiet.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
  return exec_script(
      "SET synchronous_commit = on; SET client_min_messages = warning; SET TIME ZONE 'UTC'");
}

bool PgConnection::connected() const {
  return PQstatus(conn_) == CONNECTION_OK;
}

bool PgConnection::in_transaction() const {
  if (!connected()) return false;
  switch (PQtransactionStatus(conn_)) {
    case PQTRANS_INTRANS:
    case PQTRANS_INERROR:
    case PQTRANS_ACTIVE:
      return true;
    default:
      return false;
  }
}

void PgConnection::forget_statements() {
  lru_.clear();
  cache_.clear();
}

Status PgConnection::ensure_connected() {
  if (connected()) return {};
  // The server ended the session (restart, failover, idle timeout): a
  // transaction that was open is gone anyway, so re-opening loses nothing
  // the caller has not already been told about.
  forget_statements();
  PQreset(conn_);
  if (!connected()) {
    return fail(Error::unavailable("the connection to PostgreSQL is lost: " +
                                   trimmed(PQerrorMessage(conn_))));
  }
  return configure();
}

namespace {

Error error_from(PGconn* conn, const PGresult* res, std::string_view sql) {
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = trimmed(res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  if (message.empty()) message = trimmed(PQerrorMessage(conn));
  ErrorCode code = ErrorCode::internal;
  if (state != nullptr) {
    code = code_for(state);
  } else if (PQstatus(conn) != CONNECTION_OK) {
    code = ErrorCode::unavailable;  // no SQLSTATE: the connection broke
  }
  if (code == ErrorCode::internal && !sql.empty()) message += " [in: " + excerpt(sql) + "]";
  return Error{code, std::move(message), {}};
}

bool ok_status(const PGresult* res) {
  const ExecStatusType status = PQresultStatus(res);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

}  // namespace

Result<std::string> PgConnection::prepare(std::string_view sql, std::span<const SqlValue> params) {
  if (auto it = cache_.find(sql); it != cache_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->name;
  }
  const std::string text(sql);
  std::string name = "redress_" + std::to_string(++next_statement_);
  PgResult res(
      PQprepare(conn_, name.c_str(), text.c_str(), static_cast<int>(params.size()), nullptr));
  if (res == nullptr || !ok_status(res.get())) {
    const char* state = res != nullptr ? PQresultErrorField(res.get(), PG_DIAG_SQLSTATE) : nullptr;
    const bool untyped =
        state != nullptr && (std::strcmp(state, "42P18") == 0 || std::strcmp(state, "42725") == 0);
    // Outside a transaction the failed PREPARE left nothing to undo; inside
    // one, it aborted the transaction and a retry would fail anyway.
    if (!untyped || in_transaction()) return fail(error_from(conn_, res.get(), sql));
    std::vector<Oid> types;
    types.reserve(params.size());
    for (const SqlValue& v : params) types.push_back(type_of(v));
    res.reset(
        PQprepare(conn_, name.c_str(), text.c_str(), static_cast<int>(types.size()), types.data()));
    if (res == nullptr || !ok_status(res.get())) return fail(error_from(conn_, res.get(), sql));
  }
  if (lru_.size() >= options_.statement_cache_size) {
    const std::string deallocate = "DEALLOCATE " + lru_.back().name;
    // Best effort: in an aborted transaction this fails and the statement
    // stays allocated on the server until the connection closes.
    PgResult ignored(PQexec(conn_, deallocate.c_str()));
    cache_.erase(lru_.back().sql);
    lru_.pop_back();
  }
  lru_.push_front(CachedStatement{text, name});
  cache_.emplace(lru_.front().sql, lru_.begin());
  return name;
}

Result<PgConnection::PgResult> PgConnection::run(std::string_view sql,
                                                 std::span<const SqlValue> params) {
  if (!in_transaction()) REDRESS_CHECK(ensure_connected());
  std::vector<std::string> texts;
  std::vector<const char*> values;
  texts.reserve(params.size());
  values.reserve(params.size());
  for (const SqlValue& v : params) texts.push_back(text_of(v));
  for (std::size_t i = 0; i < params.size(); ++i) {
    values.push_back(std::holds_alternative<std::monostate>(params[i]) ? nullptr
                                                                       : texts[i].c_str());
  }
  const int n = static_cast<int>(params.size());
  PgResult res;
  if (options_.statement_cache_size > 0) {
    REDRESS_TRY(std::string name, prepare(sql, params));
    res.reset(PQexecPrepared(conn_, name.c_str(), n, values.data(), nullptr, nullptr, 0));
  } else {
    const std::string text(sql);
    res.reset(PQexecParams(conn_, text.c_str(), n, nullptr, values.data(), nullptr, nullptr, 0));
    if (res != nullptr && !ok_status(res.get()) && !in_transaction()) {
      const char* state = PQresultErrorField(res.get(), PG_DIAG_SQLSTATE);
      if (state != nullptr &&
          (std::strcmp(state, "42P18") == 0 || std::strcmp(state, "42725") == 0)) {
        std::vector<Oid> types;
        for (const SqlValue& v : params) types.push_back(type_of(v));
        res.reset(
            PQexecParams(conn_, text.c_str(), n, types.data(), values.data(), nullptr, nullptr, 0));
      }
    }
  }
  if (res == nullptr || !ok_status(res.get())) {
    Error e = error_from(conn_, res.get(), sql);
    // A statement prepared before a schema change may be refused once
    // ("cached plan must not change result type"); prepare it afresh next time.
    if (auto it = cache_.find(sql); it != cache_.end() && e.code == ErrorCode::internal) {
      lru_.erase(it->second);
      cache_.erase(it);
    }
    return fail(std::move(e));
  }
  return res;
}

Result<std::vector<SqlRow>> PgConnection::query(std::string_view sql,
                                                std::span<const SqlValue> params) {
  REDRESS_TRY(PgResult res, run(sql, params));
  std::vector<SqlRow> rows;
  const int n_rows = PQntuples(res.get());
  const int n_cols = PQnfields(res.get());
  rows.reserve(static_cast<std::size_t>(n_rows));
  for (int r = 0; r < n_rows; ++r) {
    std::vector<SqlValue> cells;
    cells.reserve(static_cast<std::size_t>(n_cols));
    for (int c = 0; c < n_cols; ++c) cells.push_back(read_cell(res.get(), r, c));
    rows.emplace_back(std::move(cells));
  }
  return rows;
}

Result<std::int64_t> PgConnection::exec(std::string_view sql, std::span<const SqlValue> params) {
  REDRESS_TRY(PgResult res, run(sql, params));
  const char* tuples = PQcmdTuples(res.get());
  std::int64_t changed = 0;
  if (tuples != nullptr && *tuples != '\0') {
    std::from_chars(tuples, tuples + std::strlen(tuples), changed);
  }
  return changed;
}

Status PgConnection::exec_script(std::string_view sql) {
  forget_memo_unless_savepoint(sql);
  if (!in_transaction()) REDRESS_CHECK(ensure_connected());
  const std::string text(sql);
  PgResult res(PQexec(conn_, text.c_str()));
  if (res == nullptr || !ok_status(res.get())) {
    // PQexec keeps only the last result: with several statements, that of
    // the first one to fail.
    return fail(error_from(conn_, res.get(), sql));
  }
  return {};
}

Status PgConnection::lock_until_commit(TxLock lock) {
  TxMemo* memo = tx_memo();
  if (memo != nullptr && memo->holds(lock)) return {};  // re-taking it would only cost a round trip
  REDRESS_TRY(auto rows,
              query("SELECT pg_advisory_xact_lock($1)", params(static_cast<std::int64_t>(lock))));
  (void)rows;
  if (memo != nullptr) memo->held_locks.push_back(lock);
  return {};
}

}  // namespace redress::store::postgres
