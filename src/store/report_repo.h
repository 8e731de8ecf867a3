// Aggregate queries for dashboards and reports. Grouping columns come from
// a closed enum, never from input, so the SQL stays fixed text.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/time.h"
#include "store/sql.h"

namespace redress::store {

// Which complaints an aggregate covers.
struct ReportScope {
  std::optional<Instant> from;  // received_at >= from
  std::optional<Instant> to;    // received_at < to
  // Department scope of the caller (nullopt: every complaint); unrouted
  // complaints are included when include_unrouted.
  std::optional<std::vector<DepartmentId>> departments;
  bool include_unrouted = false;
};

// Binds values as $N parameters of one statement (shared by the report queries).
struct Binder {
  std::vector<SqlValue> params;
  std::string operator()(SqlValue v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  }
};

// " AND <the scope's departments>" on `column` ("" for every department);
// `unrouted` is the SQL condition that matches unrouted rows ("department_id IS
// NULL" on complaints, "department_id = 0" on report_counts), added when the
// scope includes them. An empty department list matches nothing.
std::string department_condition(const ReportScope& scope, const std::string& column,
                                 const std::string& unrouted, Binder& bind);

// One group and its count; `key` is empty for NULL.
struct Count {
  std::string key;
  std::int64_t count = 0;
};

// A day (days since 1970-01-01, UTC) and its count.
struct DayCount {
  std::int64_t day = 0;
  std::int64_t count = 0;
};

// How many complaints in a scope have `value` for `dimension`, per department
// (0: unrouted). Dimensions, as kept in the report_counts table (migration 0011):
// "received" (value ""), "state", "urgency", "category", "channel" (value "" for
// NULL), "satisfaction" (the score; rated complaints only), "sla_first_response" and
// "sla_resolution" (value met | breached | running, one per clock).
struct Tally {
  std::string dimension;
  std::string value;
  std::int64_t department = 0;
  std::int64_t n = 0;
};

// A half-open range of periods (UTC days or months); a missing bound is open.
struct PeriodRange {
  std::optional<std::int64_t> from, to;
  bool operator==(const PeriodRange&) const = default;
};

// A received-time range cut into the parts the report counts can answer:
// whole months, whole days around them, and the partial days at either end
// that only the complaints themselves can answer.
struct RangePieces {
  std::optional<PeriodRange> months;  // months since 1970-01
  std::vector<PeriodRange> days;      // days since 1970-01-01; at most two
  std::vector<PeriodRange> partial;   // epoch milliseconds; at most two, each within a day
  PeriodRange whole_days;             // every whole day of the range (for per-day series);
                                      // empty (from == to) when there is none
  bool operator==(const RangePieces&) const = default;
};

// Cuts [from, to) so that every instant of it falls in exactly one piece.
// Pure; UTC days and months.
RangePieces split_received_range(std::optional<Instant> from, std::optional<Instant> to);

// The series per_day can return.
enum class DaySeries { received, resolved };

class ReportRepo {
 public:
  explicit ReportRepo(SqlSession& s) : s_(s) {}
  // Every Tally of the complaints received within the scope, from the maintained
  // report counts (whole months and days) plus the complaints of partial days;
  // the cost grows with the number of months, days and departments, not with the
  // number of complaints. Rows of the same dimension, value and department are
  // summed; zero counts are left out. With `only_dimension`, only that
  // dimension's tallies are read (a narrower range of the counts' primary key:
  // the hotspots need the categories alone).
  Result<std::vector<Tally>> tallies(const ReportScope& scope,
                                     std::optional<std::string> only_dimension = {}) const;
  // Complaints received (or resolved) per UTC day within [scope.from, scope.to),
  // from the report counts; resolved counts the complaints whose resolved_at falls
  // in the range, whenever they were received. Days without any are left out.
  Result<std::vector<DayCount>> per_day(const ReportScope& scope, DaySeries series) const;

 private:
  Status add_counted(const ReportScope& scope, const char* grain, const PeriodRange& periods,
                     const std::optional<std::string>& only_dimension,
                     std::vector<Tally>& out) const;
  Status add_direct(const ReportScope& scope, const PeriodRange& ms, std::vector<Tally>& out) const;
  SqlSession& s_;
};

}  // namespace redress::store
