// The SQL driver seam. Repositories are written once against SqlSession and
// run on SQLite and PostgreSQL. SQL uses `$1`, `$2`… placeholders in
// both dialects; the SQLite driver binds them by name, because SQLite numbers
// `$N` parameters by first appearance, not by N.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

namespace redress::store {

// One bound parameter or result cell. NULL is std::monostate.
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;

// A result row. Accessors assume the column holds the named type; NULL reads
// as 0 / "" through i64()/text() and as nullopt through opt_*().
class SqlRow {
 public:
  explicit SqlRow(std::vector<SqlValue> cells) : cells_(std::move(cells)) {}
  std::size_t size() const { return cells_.size(); }
  bool is_null(std::size_t i) const { return std::holds_alternative<std::monostate>(cells_.at(i)); }
  std::int64_t i64(std::size_t i) const;
  double f64(std::size_t i) const;
  std::string text(std::size_t i) const;
  std::optional<std::int64_t> opt_i64(std::size_t i) const;
  std::optional<double> opt_f64(std::size_t i) const;
  std::optional<std::string> opt_text(std::size_t i) const;
  const SqlValue& at(std::size_t i) const { return cells_.at(i); }

 private:
  std::vector<SqlValue> cells_;
};

// Transaction-scoped locks for invariants that span rows and that several
// writer processes on one database must not interleave. The values are the
// PostgreSQL advisory-lock keys: persisted in behaviour, never reused.
enum class TxLock : std::int64_t {
  // The audit hash chain's tail: held from reading the newest event's hash
  // until the appended event commits.
  event_chain = 0x5245445245535301,
  // The set of active administrators: held by a change that may remove one,
  // from counting the others until it commits, so two administrators cannot
  // demote each other at once and leave none.
  administrators = 0x5245445245535302,
};

// What a write transaction has learned that stays true until it ends, kept so
// that a complaint's write, which appends several events, locks the audit chain,
// reads its tail and lists the webhooks once rather than once per event (each a
// round trip on PostgreSQL). A connection forgets it when its transaction ends
// and when it rolls back to a savepoint (a lock taken after the savepoint is
// released then, and what was read or written after it is undone); SAVEPOINT
// and RELEASE keep it. A repository that changes what it memoised updates or
// forgets that entry in the same transaction.
struct TxMemo {
  // Locks taken by lock_until_commit in this transaction.
  std::vector<TxLock> held_locks;
  // The newest event's hash, once read under TxLock::event_chain or appended.
  std::optional<std::string> event_chain_tail;
  // The rows of the active webhooks (WebhookRepo::subscribed).
  std::optional<std::vector<SqlRow>> active_webhook_rows;
  // The SLA policies (SlaRepo::policies): every registration and state change asks.
  std::optional<std::vector<SqlRow>> sla_policy_rows;

  // True if lock_until_commit(lock) already ran in this transaction.
  bool holds(TxLock lock) const;
  // Forgets everything.
  void clear();
};

// The SQL dialect behind a session, for the few statements that cannot be
// written once (full-text search: FTS5 against tsvector).
enum class SqlDialect { sqlite, postgresql };

// A connection inside a transaction. Not thread-safe: one session is used by
// one thread at a time (the store guarantees that). Errors: unique or
// foreign-key violations are ErrorCode::conflict; a lost connection, a
// serialization failure or deadlock (PostgreSQL) or a busy database (SQLite)
// is ErrorCode::unavailable (retry); everything else internal.
class SqlSession {
 public:
  virtual ~SqlSession() = default;
  // Runs a statement that returns rows.
  virtual Result<std::vector<SqlRow>> query(std::string_view sql,
                                            std::span<const SqlValue> params) = 0;
  // Runs a statement that returns no rows; yields the number of rows changed.
  virtual Result<std::int64_t> exec(std::string_view sql, std::span<const SqlValue> params) = 0;
  // Runs one or more parameterless statements (DDL, migrations).
  virtual Status exec_script(std::string_view sql) = 0;
  // Takes `lock` until the current transaction ends, waiting while another
  // transaction (of any process on the same database) holds it. Only
  // meaningful inside a write transaction. The default does nothing: an
  // embedded store has one writer, whose database lock already serialises
  // everything (SQLite). PostgreSQL takes pg_advisory_xact_lock.
  virtual Status lock_until_commit(TxLock lock) {
    (void)lock;
    return {};
  }
  // True when other processes' transactions may write at the same time as this
  // one (PostgreSQL). A statement that claims rows for itself (job leases) must
  // then lock what it takes and skip what others hold: FOR UPDATE SKIP LOCKED.
  // False for an embedded store whose single writer excludes all others (SQLite).
  virtual bool has_concurrent_writers() const { return false; }
  // Which SQL the session speaks. SQLite unless overridden.
  virtual SqlDialect dialect() const { return SqlDialect::sqlite; }
  // The open transaction's memo (see TxMemo), or nullptr outside a transaction
  // or when the session keeps none (the default). Callers must not keep the
  // pointer beyond the statement at hand.
  virtual TxMemo* tx_memo() { return nullptr; }
};

// A connection the store drives itself: it also knows whether a transaction
// is open, which the group-commit writer and the read pools need to recover
// after errors. Same threading rules as SqlSession.
class SqlConnection : public SqlSession {
 public:
  // True while a transaction is open (BEGIN not yet matched by COMMIT or
  // ROLLBACK, including one a failed statement has aborted on PostgreSQL),
  // false once the database ended it on its own or the connection was lost.
  virtual bool in_transaction() const = 0;
  // The memo of the open transaction; outside one, forgets it and yields nullptr.
  TxMemo* tx_memo() override;

 protected:
  // Called by exec_script before it runs `sql`: forgets the memo unless `sql`
  // is a SAVEPOINT or RELEASE (which end nothing and undo nothing). Anything
  // else run as a script (BEGIN, COMMIT, ROLLBACK [TO], DDL) may end the
  // transaction or undo part of it.
  void forget_memo_unless_savepoint(std::string_view sql);

 private:
  TxMemo memo_;
};

// Appends one parameter per item of `items` (converted by `to_value`) to `params` and
// returns their placeholders, "$3, $4, $5", for an IN (…) list. Empty `items` give ""
// (the caller must not write IN ()).
template <typename Range, typename ToValue>
std::string append_in_list(std::vector<SqlValue>& params, const Range& items, ToValue to_value) {
  std::string list;
  for (const auto& item : items) {
    params.emplace_back(to_value(item));
    list += (list.empty() ? "$" : ", $") + std::to_string(params.size());
  }
  return list;
}

// Helpers to build parameter lists: params(1, "x", std::nullopt).
inline SqlValue sql_value(std::monostate) {
  return {};
}
inline SqlValue sql_value(std::int64_t v) {
  return v;
}
inline SqlValue sql_value(int v) {
  return static_cast<std::int64_t>(v);
}
inline SqlValue sql_value(bool v) {
  return static_cast<std::int64_t>(v ? 1 : 0);
}
inline SqlValue sql_value(double v) {
  return v;
}
inline SqlValue sql_value(std::string v) {
  return v;
}
inline SqlValue sql_value(std::string_view v) {
  return std::string(v);
}
inline SqlValue sql_value(const char* v) {
  return std::string(v);
}
template <class T>
SqlValue sql_value(const std::optional<T>& v) {
  return v ? sql_value(*v) : SqlValue{};
}
template <class... Args>
std::vector<SqlValue> params(Args&&... args) {
  return std::vector<SqlValue>{sql_value(std::forward<Args>(args))...};
}

}  // namespace redress::store
