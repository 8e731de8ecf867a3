#include "store/report_repo.h"

#include <map>
#include <tuple>

#include "core/stats.h"

namespace redress::store {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
  return -floor_div(-a, b);
}

// Months since 1970-01 of a day since 1970-01-01 (the report_counts month
// periods), and back to the month's first day.
std::int64_t month_of_day(std::int64_t day) {
  const stats::Month m = stats::month_of_day(day);
  return (m.year - 1970) * 12 + m.month - 1;
}

std::int64_t first_day_of_month(std::int64_t month) {
  const std::int64_t years = floor_div(month, 12);
  return stats::first_day(
      {static_cast<int>(1970 + years), static_cast<int>(month - years * 12 + 1)});
}

// " AND column >= from AND column < to" for the bounds present.
std::string range_condition(const PeriodRange& range, const std::string& column, Binder& bind) {
  std::string sql;
  if (range.from) sql += " AND " + column + " >= " + bind(*range.from);
  if (range.to) sql += " AND " + column + " < " + bind(*range.to);
  return sql;
}

bool empty(const PeriodRange& r) {
  return r.from && r.to && *r.from >= *r.to;
}

// The dimensions counted by received time (all but "resolved").
constexpr const char* kReceivedDimensions =
    "('received', 'state', 'urgency', 'category', 'channel', 'satisfaction', "
    "'sla_first_response', 'sla_resolution')";

constexpr const char* kClockStatus =
    "CASE WHEN c.breached_at IS NOT NULL THEN 'breached' "
    "WHEN c.stopped_at IS NOT NULL THEN 'met' ELSE 'running' END";

}  // namespace

std::string department_condition(const ReportScope& scope, const std::string& column,
                                 const std::string& unrouted, Binder& bind) {
  if (!scope.departments) return "";
  std::string in;
  for (DepartmentId d : *scope.departments) in += (in.empty() ? "" : ", ") + bind(d.value);
  std::string cond = in.empty() ? "0 = 1" : column + " IN (" + in + ")";
  if (scope.include_unrouted) cond = "(" + cond + " OR " + unrouted + ")";
  return " AND " + cond;
}

RangePieces split_received_range(std::optional<Instant> from, std::optional<Instant> to) {
  RangePieces p;
  p.whole_days = {0, 0};
  const std::optional<std::int64_t> lo = from ? std::optional(to_epoch_ms(*from)) : std::nullopt;
  const std::optional<std::int64_t> hi = to ? std::optional(to_epoch_ms(*to)) : std::nullopt;
  if (lo && hi && *lo >= *hi) return p;
  const std::optional<std::int64_t> d0 = lo ? std::optional(ceil_div(*lo, kDayMs)) : std::nullopt;
  const std::optional<std::int64_t> d1 = hi ? std::optional(floor_div(*hi, kDayMs)) : std::nullopt;
  if (d0 && d1 && *d0 > *d1) {  // within one day
    p.partial.push_back({lo, hi});
    return p;
  }
  if (lo && *lo < *d0 * kDayMs) p.partial.push_back({lo, *d0 * kDayMs});
  if (hi && *d1 * kDayMs < *hi) p.partial.push_back({*d1 * kDayMs, hi});
  if (d0 && d1 && *d0 == *d1) return p;
  p.whole_days = {d0, d1};
  // The months wholly inside [d0, d1): from the first one starting on or after d0
  // up to the one holding d1.
  std::optional<std::int64_t> m0, m1;
  if (d0) m0 = month_of_day(*d0) + (first_day_of_month(month_of_day(*d0)) == *d0 ? 0 : 1);
  if (d1) m1 = month_of_day(*d1);
  if (!m0 || !m1 || *m0 < *m1) {
    p.months = PeriodRange{m0, m1};
    if (d0 && first_day_of_month(*m0) > *d0) p.days.push_back({d0, first_day_of_month(*m0)});
    if (d1 && first_day_of_month(*m1) < *d1) p.days.push_back({first_day_of_month(*m1), d1});
  } else {
    p.days.push_back({d0, d1});
  }
  return p;
}

Status ReportRepo::add_counted(const ReportScope& scope, const char* grain,
                               const PeriodRange& periods,
                               const std::optional<std::string>& only_dimension,
                               std::vector<Tally>& out) const {
  Binder bind;
  std::string sql =
      "SELECT dimension, value, department_id, CAST(SUM(n) AS BIGINT) FROM report_counts WHERE "
      "grain = " +
      bind(std::string(grain));
  sql += only_dimension ? " AND dimension = " + bind(*only_dimension)
                        : std::string(" AND dimension IN ") + kReceivedDimensions;
  sql += range_condition(periods, "period", bind);
  sql += department_condition(scope, "department_id", "department_id = 0", bind);
  sql += " GROUP BY dimension, value, department_id";
  REDRESS_TRY(auto rows, s_.query(sql, bind.params));
  for (const auto& r : rows) out.push_back({r.text(0), r.text(1), r.i64(2), r.i64(3)});
  return {};
}

Status ReportRepo::add_direct(const ReportScope& scope, const PeriodRange& ms,
                              std::vector<Tally>& out) const {
  {
    Binder bind;
    std::string sql =
        "SELECT state, COALESCE(urgency, ''), COALESCE(category, ''), channel, "
        "COALESCE(department_id, 0), satisfaction_score, COUNT(*) FROM complaints WHERE 1 = 1";
    sql += range_condition(ms, "received_at", bind);
    sql += department_condition(scope, "department_id", "department_id IS NULL", bind);
    sql += " GROUP BY 1, 2, 3, 4, 5, 6";
    REDRESS_TRY(auto rows, s_.query(sql, bind.params));
    for (const auto& r : rows) {
      const std::int64_t dep = r.i64(4), n = r.i64(6);
      out.push_back({"received", "", dep, n});
      out.push_back({"state", r.text(0), dep, n});
      out.push_back({"urgency", r.text(1), dep, n});
      out.push_back({"category", r.text(2), dep, n});
      out.push_back({"channel", r.text(3), dep, n});
      if (!r.is_null(5)) out.push_back({"satisfaction", std::to_string(r.i64(5)), dep, n});
    }
  }
  Binder bind;
  std::string sql = std::string("SELECT 'sla_' || c.kind, ") + kClockStatus +
                    ", COALESCE(x.department_id, 0), COUNT(*) FROM sla_clocks AS c "
                    "JOIN complaints AS x ON x.id = c.complaint_id "
                    "WHERE c.kind IN ('first_response', 'resolution')";
  sql += range_condition(ms, "x.received_at", bind);
  sql += department_condition(scope, "x.department_id", "x.department_id IS NULL", bind);
  sql += " GROUP BY 1, 2, 3";
  REDRESS_TRY(auto rows, s_.query(sql, bind.params));
  for (const auto& r : rows) out.push_back({r.text(0), r.text(1), r.i64(2), r.i64(3)});
  return {};
}

Result<std::vector<Tally>> ReportRepo::tallies(const ReportScope& scope,
                                               std::optional<std::string> only_dimension) const {
  const RangePieces pieces = split_received_range(scope.from, scope.to);
  std::vector<Tally> parts;
  if (pieces.months) {
    REDRESS_CHECK(add_counted(scope, "m", *pieces.months, only_dimension, parts));
  }
  for (const PeriodRange& days : pieces.days) {
    REDRESS_CHECK(add_counted(scope, "d", days, only_dimension, parts));
  }
  for (const PeriodRange& ms : pieces.partial) REDRESS_CHECK(add_direct(scope, ms, parts));
  std::map<std::tuple<std::string, std::string, std::int64_t>, std::int64_t> sums;
  for (Tally& t : parts) {
    if (only_dimension && t.dimension != *only_dimension) continue;
    sums[{std::move(t.dimension), std::move(t.value), t.department}] += t.n;
  }
  std::vector<Tally> out;
  for (auto& [key, n] : sums) {
    if (n != 0) out.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), n});
  }
  return out;
}

Result<std::vector<DayCount>> ReportRepo::per_day(const ReportScope& scope,
                                                  DaySeries series) const {
  const RangePieces pieces = split_received_range(scope.from, scope.to);
  const std::string dimension = series == DaySeries::received ? "received" : "resolved";
  const std::string column = series == DaySeries::received ? "received_at" : "resolved_at";
  std::map<std::int64_t, std::int64_t> days;
  if (!empty(pieces.whole_days)) {
    Binder bind;
    std::string sql =
        "SELECT period, CAST(SUM(n) AS BIGINT) FROM report_counts WHERE grain = 'd' AND dimension "
        "= " +
        bind(dimension);
    sql += range_condition(pieces.whole_days, "period", bind);
    sql += department_condition(scope, "department_id", "department_id = 0", bind);
    sql += " GROUP BY period";
    REDRESS_TRY(auto rows, s_.query(sql, bind.params));
    for (const auto& r : rows) days[r.i64(0)] += r.i64(1);
  }
  for (const PeriodRange& ms : pieces.partial) {
    Binder bind;
    std::string sql = "SELECT " + column;
    sql += " / 86400000, COUNT(*) FROM complaints WHERE ";
    sql += column;
    sql += " IS NOT NULL";
    sql += range_condition(ms, column, bind);
    sql += department_condition(scope, "department_id", "department_id IS NULL", bind);
    sql += " GROUP BY 1";
    REDRESS_TRY(auto rows, s_.query(sql, bind.params));
    for (const auto& r : rows) days[r.i64(0)] += r.i64(1);
  }
  std::vector<DayCount> out;
  for (const auto& [day, n] : days) {
    if (n != 0) out.push_back({day, n});
  }
  return out;
}

}  // namespace redress::store
