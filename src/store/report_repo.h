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

enum class GroupColumn { state, urgency, department, category, channel, kind, validity };

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

class ReportRepo {
 public:
  explicit ReportRepo(SqlSession& s) : s_(s) {}
  Result<std::vector<Count>> count_by(GroupColumn column, const ReportScope& scope) const;
  // Complaints received per day within the scope.
  Result<std::vector<DayCount>> received_per_day(const ReportScope& scope) const;
  // Complaints resolved per day (by resolved_at) among those in the scope.
  Result<std::vector<DayCount>> resolved_per_day(const ReportScope& scope) const;
  // Number of satisfaction ratings per score (1–5).
  Result<std::vector<Count>> satisfaction_scores(const ReportScope& scope) const;

 private:
  Result<std::vector<Count>> grouped(const std::string& expression, const ReportScope& scope,
                                     const std::string& extra_condition) const;
  SqlSession& s_;
};

}  // namespace redress::store
