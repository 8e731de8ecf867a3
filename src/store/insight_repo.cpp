#include "store/insight_repo.h"

namespace redress::store {

namespace {

// " AND c.received_at >= … AND c.received_at < …" for the bounds present, and
// the scope's departments (unrouted complaints when the scope includes them).
std::string scope_condition(const ReportScope& scope, Binder& bind) {
  std::string sql;
  if (scope.from) sql += " AND c.received_at >= " + bind(to_epoch_ms(*scope.from));
  if (scope.to) sql += " AND c.received_at < " + bind(to_epoch_ms(*scope.to));
  return sql + department_condition(scope, "c.department_id", "c.department_id IS NULL", bind);
}

constexpr const char* kFounded = " WHERE c.validity = 'founded' AND c.kind = 'complaint'";
constexpr const char* kMajor = " AND (c.urgency = 'urgent' OR c.difficulty = 'difficult')";

}  // namespace

Result<std::vector<FoundedRow>> InsightRepo::founded(const ReportScope& scope) const {
  Binder bind;
  std::string sql =
      "SELECT c.id, c.tracking_code, c.subject, c.received_at, c.department_id, "
      "COALESCE(c.category, ''), c.object_ref, c.customer_id, COALESCE(c.urgency, ''), "
      "COALESCE(c.difficulty, ''), c.state, c.satisfaction_score, c.resolved_at FROM complaints c";
  sql += kFounded + scope_condition(scope, bind) + " ORDER BY c.received_at, c.id";
  REDRESS_TRY(auto rows, s_.query(sql, bind.params));
  std::vector<FoundedRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    FoundedRow f{r.i64(0), r.text(1), r.text(2), r.i64(3),   r.opt_i64(4), r.text(5),    r.text(6),
                 r.i64(7), r.text(8), r.text(9), r.text(10), std::nullopt, r.opt_i64(12)};
    if (!r.is_null(11)) f.satisfaction = static_cast<int>(r.i64(11));
    out.push_back(std::move(f));
  }
  return out;
}

Result<std::vector<RemedyOf>> InsightRepo::founded_remedies(const ReportScope& scope) const {
  Binder bind;
  std::string sql =
      "SELECT r.complaint_id, r.type FROM remedies r JOIN complaints c ON c.id = r.complaint_id "
      "AND r.plan_round = c.plan_round";
  sql += kFounded + scope_condition(scope, bind) + " ORDER BY r.complaint_id, r.id";
  REDRESS_TRY(auto rows, s_.query(sql, bind.params));
  std::vector<RemedyOf> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back({r.i64(0), r.text(1)});
  return out;
}

Result<std::vector<stats::WindowCount>> InsightRepo::object_counts(const ReportScope& scope,
                                                                   const HotspotWindows& w,
                                                                   std::int64_t min_recent) const {
  // The objects of the recent window with enough complaints to be flagged (a
  // range of the covering index (received_at, object_ref, department_id)), then
  // each one's baseline by the index (object_ref, received_at): the baseline's
  // other objects are never read.
  std::vector<stats::WindowCount> out;
  {
    Binder bind;
    const ReportScope recent{w.recent_from, w.to, scope.departments, scope.include_unrouted};
    std::string sql = "SELECT c.object_ref, COUNT(*) FROM complaints c WHERE c.object_ref <> ''";
    sql += scope_condition(recent, bind) +
           " GROUP BY c.object_ref HAVING COUNT(*) >= " + bind(min_recent);
    REDRESS_TRY(auto rows, s_.query(sql, bind.params));
    for (const auto& r : rows) out.push_back({r.text(0), r.i64(1), 0});
  }
  const ReportScope baseline{w.baseline_from, w.recent_from, scope.departments,
                             scope.include_unrouted};
  for (auto& item : out) {
    Binder bind;
    std::string sql = "SELECT COUNT(*) FROM complaints c WHERE c.object_ref = " + bind(item.key);
    sql += scope_condition(baseline, bind);
    REDRESS_TRY(auto rows, s_.query(sql, bind.params));
    item.baseline = rows.empty() ? 0 : rows.front().i64(0);
  }
  return out;
}

Result<std::vector<stats::WindowCount>> InsightRepo::cause_counts(const ReportScope& scope,
                                                                  const HotspotWindows& w,
                                                                  std::int64_t min_recent) const {
  // As object_counts: the recent window's causes first, then each one's
  // baseline by the index causes(family, description, complaint_id).
  std::vector<std::pair<std::string, std::string>> keys;
  std::vector<stats::WindowCount> out;
  {
    Binder bind;
    const ReportScope recent{w.recent_from, w.to, scope.departments, scope.include_unrouted};
    std::string sql =
        "SELECT x.family, x.description, COUNT(*) FROM complaints c JOIN causes x ON "
        "x.complaint_id = c.id WHERE 1 = 1";
    sql += scope_condition(recent, bind) +
           " GROUP BY x.family, x.description HAVING COUNT(*) >= " + bind(min_recent);
    REDRESS_TRY(auto rows, s_.query(sql, bind.params));
    for (const auto& r : rows) {
      keys.emplace_back(r.text(0), r.text(1));
      out.push_back({r.text(0) + "\x1f" + r.text(1), r.i64(2), 0});
    }
  }
  const ReportScope baseline{w.baseline_from, w.recent_from, scope.departments,
                             scope.include_unrouted};
  for (std::size_t i = 0; i < out.size(); ++i) {
    Binder bind;
    std::string sql =
        "SELECT COUNT(*) FROM causes x JOIN complaints c ON c.id = x.complaint_id WHERE "
        "x.family = " +
        bind(keys[i].first) + " AND x.description = " + bind(keys[i].second);
    sql += scope_condition(baseline, bind);
    REDRESS_TRY(auto rows, s_.query(sql, bind.params));
    out[i].baseline = rows.empty() ? 0 : rows.front().i64(0);
  }
  return out;
}

Result<std::vector<RepeatGroup>> InsightRepo::repeat_groups(const ReportScope& scope,
                                                            bool by_customer) const {
  Binder bind;
  std::string sql;
  if (by_customer) {
    sql =
        "SELECT c.customer_id, u.name, COUNT(*) FROM complaints c JOIN customers u ON u.id = "
        "c.customer_id WHERE 1 = 1" +
        scope_condition(scope, bind) +
        " GROUP BY c.customer_id, u.name HAVING COUNT(*) >= 2 ORDER BY COUNT(*) DESC, "
        "c.customer_id";
  } else {
    sql = "SELECT c.object_ref, c.object_ref, COUNT(*) FROM complaints c WHERE c.object_ref <> ''" +
          scope_condition(scope, bind) +
          " GROUP BY c.object_ref HAVING COUNT(*) >= 2 ORDER BY COUNT(*) DESC, c.object_ref";
  }
  REDRESS_TRY(auto rows, s_.query(sql, bind.params));
  std::vector<RepeatGroup> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back({by_customer ? std::to_string(r.i64(0)) : r.text(0), r.text(1), r.i64(2)});
  }
  return out;
}

Result<std::int64_t> InsightRepo::major_count(const ReportScope& scope) const {
  Binder bind;
  std::string sql =
      "SELECT COUNT(*) FROM complaints c WHERE 1 = 1" + scope_condition(scope, bind) + kMajor;
  REDRESS_TRY(auto rows, s_.query(sql, bind.params));
  return rows.empty() ? 0 : rows.front().i64(0);
}

Result<std::vector<MajorRow>> InsightRepo::major(const ReportScope& scope, int limit) const {
  Binder bind;
  std::string sql =
      "SELECT c.id, c.tracking_code, c.subject, COALESCE(c.category, ''), c.state, "
      "COALESCE(c.urgency, ''), COALESCE(c.difficulty, ''), c.department_id, c.received_at FROM "
      "complaints c WHERE 1 = 1" +
      scope_condition(scope, bind) + kMajor + " ORDER BY c.received_at, c.id LIMIT " +
      std::to_string(limit);
  REDRESS_TRY(auto rows, s_.query(sql, bind.params));
  std::vector<MajorRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back({r.i64(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6),
                   r.opt_i64(7), from_epoch_ms(r.i64(8))});
  }
  return out;
}

}  // namespace redress::store
