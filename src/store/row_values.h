// Conversions between the core's value types and SQL parameters / cells that
// every repository needs: instants as epoch milliseconds, typed ids as their
// integer, optional values as NULL.
#pragma once

#include <cstddef>
#include <optional>

#include "core/ids.h"
#include "core/time.h"
#include "store/sql.h"

namespace redress::store::values {

// An instant as its epoch-millisecond parameter.
inline SqlValue ms(Instant t) {
  return to_epoch_ms(t);
}
// An optional instant: NULL when absent.
inline SqlValue ms(const std::optional<Instant>& t) {
  return t ? SqlValue{to_epoch_ms(*t)} : SqlValue{};
}
// A typed id as its integer parameter.
template <class Tag>
SqlValue id(Id<Tag> v) {
  return v.value;
}
// An optional typed id: NULL when absent.
template <class Tag>
SqlValue id(const std::optional<Id<Tag>>& v) {
  return v ? SqlValue{v->value} : SqlValue{};
}
// Cell `i` of `r` as an instant; nullopt when NULL.
inline std::optional<Instant> opt_instant(const SqlRow& r, std::size_t i) {
  if (r.is_null(i)) return std::nullopt;
  return from_epoch_ms(r.i64(i));
}
// Cell `i` of `r` as a typed id; nullopt when NULL.
template <class Tag>
std::optional<Id<Tag>> opt_id(const SqlRow& r, std::size_t i) {
  if (r.is_null(i)) return std::nullopt;
  return Id<Tag>{r.i64(i)};
}

}  // namespace redress::store::values
