// The SQL driver seam. Repositories are written once against SqlSession and
// run on SQLite and (later) PostgreSQL. SQL uses `$1`, `$2`… placeholders in
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

// A connection inside a transaction. Not thread-safe: one session is used by
// one thread at a time (the store guarantees that). Errors: unique or
// foreign-key violations are ErrorCode::conflict, everything else internal.
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
};

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
