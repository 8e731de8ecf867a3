#include "store/review_repo.h"

#include "store/row_values.h"

namespace redress::store {

namespace {

// " WHERE c.received_at >= $1 AND c.received_at < $2" with the period bound
// to the first two parameters; every query names the complaints `c`.
std::string where_period(std::vector<SqlValue>& params, const ReviewPeriod& p) {
  params.reserve(params.size() + 3);
  params.emplace_back(std::in_place_type<std::int64_t>, to_epoch_ms(p.from));
  params.emplace_back(std::in_place_type<std::int64_t>, to_epoch_ms(p.to));
  return " WHERE c.received_at >= $1 AND c.received_at < $2";
}

using values::opt_instant;

// States in which the plan has been approved and carried out (or is being).
constexpr const char* kHandledStates =
    "('implementing', 'verifying', 'responding', 'resolved', 'closed')";

}  // namespace

Result<std::vector<CauseCount>> ReviewRepo::causes(const ReviewPeriod& p) const {
  std::vector<SqlValue> params;
  std::string sql =
      "SELECT x.family, x.description, COUNT(*) FROM causes x JOIN complaints c ON c.id = "
      "x.complaint_id" +
      where_period(params, p) + " GROUP BY x.family, x.description";
  REDRESS_TRY(auto rows, s_.query(sql, params));
  std::vector<CauseCount> out;
  for (const auto& r : rows) out.push_back({r.text(0), r.text(1), r.i64(2)});
  return out;
}

Result<std::vector<RemedyTotal>> ReviewRepo::granted_remedies(const ReviewPeriod& p) const {
  std::vector<SqlValue> params;
  std::string sql =
      "SELECT r.type, r.currency, COUNT(*), COUNT(r.amount), SUM(r.amount) FROM remedies r "
      "JOIN complaints c ON c.id = r.complaint_id AND r.plan_round = c.plan_round" +
      where_period(params, p) + " AND c.state IN " + kHandledStates +
      " GROUP BY r.type, r.currency ORDER BY r.type, r.currency";
  REDRESS_TRY(auto rows, s_.query(sql, params));
  std::vector<RemedyTotal> out;
  for (const auto& r : rows) out.push_back({r.text(0), r.text(1), r.i64(2), r.i64(3), r.f64(4)});
  return out;
}

Result<std::vector<std::pair<std::int64_t, std::int64_t>>> ReviewRepo::resolutions(
    const ReviewPeriod& p) const {
  std::vector<SqlValue> params;
  std::string sql = "SELECT c.received_at, c.resolved_at FROM complaints c" +
                    where_period(params, p) + " AND c.resolved_at IS NOT NULL";
  REDRESS_TRY(auto rows, s_.query(sql, params));
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.emplace_back(r.i64(0), r.i64(1));
  return out;
}

Result<std::vector<ClockRow>> ReviewRepo::clocks(const ReviewPeriod& p) const {
  std::vector<SqlValue> params;
  std::string sql =
      "SELECT k.kind, k.started_at, k.stopped_at, k.paused_ms, k.due_at, k.breached_at FROM "
      "sla_clocks k JOIN complaints c ON c.id = k.complaint_id" +
      where_period(params, p) + " AND k.kind IN ('first_response', 'resolution')";
  REDRESS_TRY(auto rows, s_.query(sql, params));
  std::vector<ClockRow> out;
  for (const auto& r : rows) {
    out.push_back({r.text(0), from_epoch_ms(r.i64(1)), opt_instant(r, 2), r.i64(3),
                   from_epoch_ms(r.i64(4)), opt_instant(r, 5)});
  }
  return out;
}

Result<std::vector<DayScoreCount>> ReviewRepo::satisfaction_by_day(const ReviewPeriod& p) const {
  std::vector<SqlValue> params;
  std::string sql =
      "SELECT c.received_at / 86400000 AS day, c.satisfaction_score, COUNT(*) FROM complaints c" +
      where_period(params, p) +
      " AND c.satisfaction_score IS NOT NULL GROUP BY day, c.satisfaction_score ORDER BY day";
  REDRESS_TRY(auto rows, s_.query(sql, params));
  std::vector<DayScoreCount> out;
  for (const auto& r : rows) out.push_back({r.i64(0), static_cast<int>(r.i64(1)), r.i64(2)});
  return out;
}

Result<ReopenAppealCounts> ReviewRepo::reopen_appeal(const ReviewPeriod& p) const {
  std::vector<SqlValue> params;
  std::string sql =
      "SELECT COUNT(*), COUNT(CASE WHEN c.reopen_count > 0 THEN 1 END), COUNT(CASE WHEN "
      "c.appeal_count > 0 THEN 1 END), COUNT(CASE WHEN c.rejected_at IS NOT NULL OR c.appeal_count "
      "> 0 THEN 1 END), "
      "COUNT(CASE WHEN c.lessons <> '' THEN 1 END) FROM complaints c" +
      where_period(params, p);
  REDRESS_TRY(auto rows, s_.query(sql, params));
  ReopenAppealCounts out;
  if (!rows.empty()) {
    const auto& r = rows.front();
    out = {r.i64(0), r.i64(1), r.i64(2), r.i64(3), r.i64(4)};
  }
  return out;
}

Result<std::vector<AccountabilityTotal>> ReviewRepo::accountability_totals(
    const ReviewPeriod& p) const {
  std::vector<SqlValue> params;
  std::string sql =
      "SELECT a.kind, COUNT(*), COUNT(a.confirmed_at), COUNT(CASE WHEN a.sanction <> '' THEN 1 "
      "END), SUM(a.loss_amount) FROM accountability a JOIN complaints c ON c.id = a.complaint_id" +
      where_period(params, p) + " GROUP BY a.kind ORDER BY a.kind";
  REDRESS_TRY(auto rows, s_.query(sql, params));
  std::vector<AccountabilityTotal> out;
  for (const auto& r : rows) out.push_back({r.text(0), r.i64(1), r.i64(2), r.i64(3), r.f64(4)});
  return out;
}

Result<std::vector<AccountabilityRow>> ReviewRepo::accountability_entries(const ReviewPeriod& p,
                                                                          int limit) const {
  std::vector<SqlValue> params;
  std::string sql =
      "SELECT c.tracking_code, c.department_id, a.kind, a.subject, a.finding, a.sanction, "
      "a.loss_amount, a.confirmed_at FROM accountability a JOIN complaints c ON c.id = "
      "a.complaint_id" +
      where_period(params, p) +
      " ORDER BY CASE WHEN a.loss_amount IS NULL THEN 1 ELSE 0 END, a.loss_amount DESC, a.id "
      "LIMIT " +
      std::to_string(limit);
  REDRESS_TRY(auto rows, s_.query(sql, params));
  std::vector<AccountabilityRow> out;
  for (const auto& r : rows) {
    out.push_back({r.text(0), r.opt_i64(1), r.text(2), r.text(3), r.text(4), r.text(5),
                   r.opt_f64(6), !r.is_null(7)});
  }
  return out;
}

Result<std::vector<RecurringGroup>> ReviewRepo::recurring_customers(const ReviewPeriod& p) const {
  std::vector<SqlValue> params;
  std::string sql =
      "SELECT c.customer_id, u.name, COUNT(*) FROM complaints c JOIN customers u ON u.id = "
      "c.customer_id" +
      where_period(params, p) +
      " GROUP BY c.customer_id, u.name HAVING COUNT(*) >= 2 ORDER BY COUNT(*) DESC, "
      "c.customer_id";
  REDRESS_TRY(auto rows, s_.query(sql, params));
  std::vector<RecurringGroup> out;
  for (const auto& r : rows) out.push_back({std::to_string(r.i64(0)), r.text(1), r.i64(2)});
  return out;
}

Result<std::vector<RecurringGroup>> ReviewRepo::recurring_objects(const ReviewPeriod& p) const {
  std::vector<SqlValue> params;
  std::string sql = "SELECT c.object_ref, COUNT(*) FROM complaints c" + where_period(params, p) +
                    " AND c.object_ref <> '' GROUP BY c.object_ref HAVING COUNT(*) >= 2 ORDER "
                    "BY COUNT(*) DESC, c.object_ref";
  REDRESS_TRY(auto rows, s_.query(sql, params));
  std::vector<RecurringGroup> out;
  for (const auto& r : rows) out.push_back({r.text(0), r.text(0), r.i64(1)});
  return out;
}

namespace {
constexpr const char* kMajor = " AND (c.urgency = 'urgent' OR c.difficulty = 'difficult')";
}

Result<std::int64_t> ReviewRepo::influential_count(const ReviewPeriod& p) const {
  std::vector<SqlValue> params;
  std::string sql = "SELECT COUNT(*) FROM complaints c" + where_period(params, p) + kMajor;
  REDRESS_TRY(auto rows, s_.query(sql, params));
  return rows.empty() ? 0 : rows.front().i64(0);
}

Result<std::vector<InfluentialRow>> ReviewRepo::influential(const ReviewPeriod& p,
                                                            int limit) const {
  std::vector<SqlValue> params;
  std::string sql =
      "SELECT c.id, c.tracking_code, c.subject, c.category, c.state, c.urgency, c.difficulty, "
      "c.department_id, c.received_at FROM complaints c" +
      where_period(params, p) + kMajor + " ORDER BY c.received_at, c.id LIMIT " +
      std::to_string(limit);
  REDRESS_TRY(auto rows, s_.query(sql, params));
  std::vector<InfluentialRow> out;
  for (const auto& r : rows) {
    out.push_back({r.i64(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6),
                   r.opt_i64(7), from_epoch_ms(r.i64(8))});
  }
  return out;
}

Result<std::vector<ImprovementRow>> ReviewRepo::improvement_actions(const ReviewPeriod& p) const {
  std::vector<SqlValue> params;
  std::string sql =
      "SELECT c.tracking_code, c.department_id, ia.title, u.display_name, ia.status, ia.due_at "
      "FROM improvement_actions ia JOIN complaints c ON c.id = ia.complaint_id LEFT JOIN users u "
      "ON u.id = ia.owner_id" +
      where_period(params, p) + " ORDER BY ia.status, ia.due_at, ia.id";
  REDRESS_TRY(auto rows, s_.query(sql, params));
  std::vector<ImprovementRow> out;
  for (const auto& r : rows) {
    out.push_back({r.text(0), r.opt_i64(1), r.text(2), r.text(3), r.text(4), opt_instant(r, 5)});
  }
  return out;
}

Result<std::vector<TrainingRow>> ReviewRepo::training_needs(
    const ReviewPeriod& p, const std::string& attitude_category) const {
  std::vector<TrainingRow> out;
  {
    std::vector<SqlValue> params;
    std::string sql =
        "SELECT c.department_id, x.description, COUNT(*) FROM causes x JOIN complaints c ON c.id "
        "= x.complaint_id" +
        where_period(params, p) +
        " AND x.family = 'people' GROUP BY c.department_id, x.description";
    REDRESS_TRY(auto rows, s_.query(sql, params));
    for (const auto& r : rows) out.push_back({r.opt_i64(0), "people_cause", r.text(1), r.i64(2)});
  }
  {
    std::vector<SqlValue> params;
    std::string sql =
        "SELECT c.department_id, g.name, COUNT(*) FROM complaints c JOIN categories g ON g.code = "
        "c.category" +
        where_period(params, p) +
        " AND (g.code = $3 OR g.parent_code = $3) AND c.kind = 'complaint' GROUP BY "
        "c.department_id, g.name";
    params.emplace_back(std::in_place_type<std::string>, attitude_category);
    REDRESS_TRY(auto rows, s_.query(sql, params));
    for (const auto& r : rows) {
      out.push_back({r.opt_i64(0), "service_attitude", r.text(1), r.i64(2)});
    }
  }
  return out;
}

Result<std::vector<std::string>> ReviewRepo::imported_facts(const ReviewPeriod& p) const {
  std::vector<SqlValue> params;
  std::string sql = "SELECT e.data FROM events e JOIN complaints c ON c.id = e.complaint_id" +
                    where_period(params, p) + " AND e.action = 'imported'";
  REDRESS_TRY(auto rows, s_.query(sql, params));
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.text(0));
  return out;
}

}  // namespace redress::store
