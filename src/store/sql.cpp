// SqlRow accessors. A cell holding a different type than asked is converted
// when the conversion loses nothing a caller could rely on (an integer read as
// a double, a whole-valued double read as an integer, a number read as text);
// anything else is a schema/code mismatch, i.e. a bug, and throws
// std::logic_error (exceptions are for bugs only, see core/result.h).
#include "store/sql.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace redress::store {
namespace {

[[noreturn]] void type_mismatch(std::size_t i, const char* wanted, const SqlValue& cell) {
  static constexpr const char* kNames[] = {"NULL", "an integer", "a double", "text"};
  throw std::logic_error("SqlRow: column " + std::to_string(i) + " holds " + kNames[cell.index()] +
                         ", not " + wanted);
}

std::int64_t to_i64(std::size_t i, const SqlValue& cell) {
  if (const auto* v = std::get_if<std::int64_t>(&cell)) return *v;
  if (const auto* d = std::get_if<double>(&cell)) {
    // A REAL-affinity column hands back whole numbers as doubles; accept those
    // that are exactly representable, refuse fractions and out-of-range values.
    // 2^63 is exactly representable as a double; the int64 range is [-2^63, 2^63).
    constexpr double kTwo63 = 9223372036854775808.0;
    if (std::isfinite(*d) && std::trunc(*d) == *d && *d >= -kTwo63 && *d < kTwo63) {
      return static_cast<std::int64_t>(*d);
    }
    type_mismatch(i, "a whole number", cell);
  }
  type_mismatch(i, "an integer", cell);
}

double to_f64(std::size_t i, const SqlValue& cell) {
  if (const auto* d = std::get_if<double>(&cell)) return *d;
  if (const auto* v = std::get_if<std::int64_t>(&cell)) return static_cast<double>(*v);
  type_mismatch(i, "a number", cell);
}

std::string to_text(const SqlValue& cell) {
  if (const auto* s = std::get_if<std::string>(&cell)) return *s;
  if (const auto* v = std::get_if<std::int64_t>(&cell)) return std::to_string(*v);
  if (const auto* d = std::get_if<double>(&cell)) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);  // shortest round-trip form
    return std::string(buf, ec == std::errc{} ? end : buf);
  }
  return {};
}

}  // namespace

std::int64_t SqlRow::i64(std::size_t i) const {
  const SqlValue& cell = cells_.at(i);
  return is_null(i) ? 0 : to_i64(i, cell);
}

double SqlRow::f64(std::size_t i) const {
  const SqlValue& cell = cells_.at(i);
  return is_null(i) ? 0.0 : to_f64(i, cell);
}

std::string SqlRow::text(std::size_t i) const {
  return to_text(cells_.at(i));
}

std::optional<std::int64_t> SqlRow::opt_i64(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return to_i64(i, cells_[i]);
}

std::optional<double> SqlRow::opt_f64(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return to_f64(i, cells_[i]);
}

std::optional<std::string> SqlRow::opt_text(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return to_text(cells_[i]);
}

bool TxMemo::holds(TxLock lock) const {
  return std::find(held_locks.begin(), held_locks.end(), lock) != held_locks.end();
}

void TxMemo::clear() {
  held_locks.clear();
  event_chain_tail.reset();
  active_webhook_rows.reset();
  sla_policy_rows.reset();
}

TxMemo* SqlConnection::tx_memo() {
  if (!in_transaction()) {
    memo_.clear();
    return nullptr;
  }
  return &memo_;
}

void SqlConnection::forget_memo_unless_savepoint(std::string_view sql) {
  const auto starts_with = [&](std::string_view word) {
    if (sql.size() < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
      if (std::toupper(static_cast<unsigned char>(sql[i])) != word[i]) return false;
    }
    // One statement only: "SAVEPOINT a; ROLLBACK TO b" must not keep the memo.
    return sql.find(';') == std::string_view::npos;
  };
  if (!starts_with("SAVEPOINT ") && !starts_with("RELEASE ")) memo_.clear();
}

}  // namespace redress::store
