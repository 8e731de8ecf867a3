#include "store/report_repo.h"

namespace redress::store {

namespace {

// Appends the scope's conditions to `sql`, binding values into `p`.
void where_scope(std::string& sql, std::vector<SqlValue>& p, const ReportScope& scope) {
  auto bind = [&](SqlValue v) {
    p.push_back(std::move(v));
    return "$" + std::to_string(p.size());
  };
  sql += " WHERE 1 = 1";
  if (scope.from) sql += " AND received_at >= " + bind(to_epoch_ms(*scope.from));
  if (scope.to) sql += " AND received_at < " + bind(to_epoch_ms(*scope.to));
  if (scope.departments) {
    std::string in;
    for (DepartmentId d : *scope.departments) in += (in.empty() ? "" : ", ") + bind(d.value);
    std::string cond = in.empty() ? "0 = 1" : "department_id IN (" + in + ")";
    if (scope.include_unrouted) cond = "(" + cond + " OR department_id IS NULL)";
    sql += " AND " + cond;
  }
}

const char* column_name(GroupColumn c) {
  switch (c) {
    case GroupColumn::state:
      return "state";
    case GroupColumn::urgency:
      return "urgency";
    case GroupColumn::department:
      return "department_id";
    case GroupColumn::category:
      return "category";
    case GroupColumn::channel:
      return "channel";
    case GroupColumn::kind:
      return "kind";
    case GroupColumn::validity:
      return "validity";
  }
  return "state";
}

Result<std::vector<DayCount>> per_day(SqlSession& s, const char* column, const ReportScope& scope) {
  // Integer division of epoch milliseconds gives the UTC day on both dialects.
  std::string sql =
      std::string("SELECT ") + column + " / 86400000 AS day, COUNT(*) FROM complaints";
  std::vector<SqlValue> p;
  where_scope(sql, p, scope);
  sql += std::string(" AND ") + column + " IS NOT NULL GROUP BY day ORDER BY day";
  REDRESS_TRY(auto rows, s.query(sql, p));
  std::vector<DayCount> out;
  for (const auto& r : rows) out.push_back({r.i64(0), r.i64(1)});
  return out;
}

}  // namespace

Result<std::vector<Count>> ReportRepo::grouped(const std::string& expression,
                                               const ReportScope& scope,
                                               const std::string& extra_condition) const {
  std::string sql = "SELECT " + expression + " AS k, COUNT(*) FROM complaints";
  std::vector<SqlValue> p;
  where_scope(sql, p, scope);
  sql += extra_condition + " GROUP BY k ORDER BY COUNT(*) DESC, k";
  REDRESS_TRY(auto rows, s_.query(sql, p));
  std::vector<Count> out;
  for (const auto& r : rows) {
    std::string key;
    if (!r.is_null(0)) {
      key = std::holds_alternative<std::int64_t>(r.at(0)) ? std::to_string(r.i64(0)) : r.text(0);
    }
    out.push_back({std::move(key), r.i64(1)});
  }
  return out;
}

Result<std::vector<Count>> ReportRepo::count_by(GroupColumn column,
                                                const ReportScope& scope) const {
  return grouped(column_name(column), scope, "");
}

Result<std::vector<DayCount>> ReportRepo::received_per_day(const ReportScope& scope) const {
  return per_day(s_, "received_at", scope);
}

Result<std::vector<DayCount>> ReportRepo::resolved_per_day(const ReportScope& scope) const {
  return per_day(s_, "resolved_at", scope);
}

Result<std::vector<Count>> ReportRepo::satisfaction_scores(const ReportScope& scope) const {
  return grouped("satisfaction_score", scope, " AND satisfaction_score IS NOT NULL");
}

}  // namespace redress::store
