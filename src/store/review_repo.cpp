#include "store/review_repo.h"

#include <algorithm>
#include <unordered_map>

#include "store/report_repo.h"
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

// `column` in a condition that must not choose an index on SQLite (the unary
// plus), which plans without statistics; PostgreSQL plans by its own. Used
// where the IN list on the column looks more selective to SQLite than it is:
// c.state on complaints_state_due reads every handled complaint ever received
// (most of them) instead of the period's entries of complaints_received_report;
// k.kind on sla_clocks_complaint seeks each complaint's clocks twice, once per kind.
std::string off_index(const SqlSession& s, const std::string& column) {
  return s.dialect() == SqlDialect::sqlite ? "+" + column : column;
}

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
      where_period(params, p) + " AND " + off_index(s_, "c.state") + " IN " + kHandledStates +
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
      where_period(params, p) + " AND " + off_index(s_, "k.kind") +
      " IN ('first_response', 'resolution')";
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

Result<PeriodCounts> ReviewRepo::counts(const ReviewPeriod& p) const {
  std::vector<SqlValue> params;
  // Filtered counts rather than GROUP BY: one pass, nothing to sort. FILTER
  // (SQLite 3.30, PostgreSQL 9.4) evaluates in about half the time of
  // COUNT(CASE …) on SQLite.
  std::string sql =
      "SELECT COUNT(*), "
      "COUNT(*) FILTER (WHERE c.kind = 'complaint'), "
      "COUNT(*) FILTER (WHERE c.kind = 'suggestion'), "
      "COUNT(*) FILTER (WHERE c.kind = 'compliment'), "
      "COUNT(*) FILTER (WHERE c.validity = 'founded'), "
      "COUNT(*) FILTER (WHERE c.validity = 'unfounded'), "
      "COUNT(*) FILTER (WHERE c.validity = 'pending'), "
      "COUNT(*) FILTER (WHERE c.reopen_count > 0), "
      "COUNT(*) FILTER (WHERE c.appeal_count > 0), "
      "COUNT(*) FILTER (WHERE c.rejected_at IS NOT NULL OR c.appeal_count > 0), "
      "COUNT(*) FILTER (WHERE c.urgency = 'urgent' OR c.difficulty = 'difficult') "
      "FROM complaints c" +
      where_period(params, p);
  REDRESS_TRY(auto rows, s_.query(sql, params));
  PeriodCounts out;
  if (!rows.empty()) {
    const auto& r = rows.front();
    out.total = r.i64(0);
    out.complaints = r.i64(1);
    out.suggestions = r.i64(2);
    out.compliments = r.i64(3);
    out.founded = r.i64(4);
    out.unfounded = r.i64(5);
    out.pending = r.i64(6);
    out.reopened = r.i64(7);
    out.appealed = r.i64(8);
    out.rejected = r.i64(9);
    out.major = r.i64(10);
  }
  // Apart, so that the counts above stay within the covering index: the lessons
  // are long texts, and few complaints have any (complaints_lessons_received).
  params.clear();
  sql = "SELECT COUNT(*) FROM complaints c" + where_period(params, p) + " AND c.lessons <> ''";
  REDRESS_TRY(auto lessons, s_.query(sql, params));
  if (!lessons.empty()) out.with_lessons = lessons.front().i64(0);
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

namespace {

// The keys that occur two or more times in `keys`, as a summary, and the
// `limit` most frequent of them with their counts (ties by key). Sorting the
// keys and counting runs cost half of what hash maps of a quarter of a million
// mostly distinct keys did.
template <typename Key>
std::pair<RecurringSummary, std::vector<std::pair<Key, std::int64_t>>> recurring_of(
    std::vector<Key> keys, int limit) {
  std::sort(keys.begin(), keys.end());
  RecurringSummary summary;
  std::vector<std::pair<Key, std::int64_t>> groups;
  for (auto run = keys.begin(); run != keys.end();) {
    const auto end = std::upper_bound(run, keys.end(), *run);
    const auto n = static_cast<std::int64_t>(end - run);
    if (n >= 2) {
      ++summary.groups;
      summary.complaints += n;
      groups.emplace_back(std::move(*run), n);
    }
    run = end;
  }
  // The runs are in key order, so a stable sort by count keeps ties by key.
  std::stable_sort(groups.begin(), groups.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  groups.resize(std::min(groups.size(), static_cast<std::size_t>(std::max(limit, 0))));
  return {std::move(summary), std::move(groups)};
}

}  // namespace

Result<Recurring> ReviewRepo::recurring(const ReviewPeriod& p, int limit) const {
  std::vector<SqlValue> params;
  std::string sql =
      "SELECT c.customer_id, c.object_ref FROM complaints c" + where_period(params, p);
  REDRESS_TRY(auto rows, s_.query(sql, params));
  std::vector<std::int64_t> customers;
  std::vector<std::string> objects;
  customers.reserve(rows.size());
  objects.reserve(rows.size());
  for (const auto& r : rows) {
    customers.push_back(r.i64(0));
    if (std::string object = r.text(1); !object.empty()) objects.push_back(std::move(object));
  }
  rows.clear();
  Recurring out;
  auto [customer_summary, top_customers] = recurring_of(std::move(customers), limit);
  out.customers = std::move(customer_summary);
  if (!top_customers.empty()) {
    Binder bind;
    std::string in;
    for (const auto& [id, n] : top_customers) in += (in.empty() ? "" : ", ") + bind(id);
    REDRESS_TRY(auto names,
                s_.query("SELECT id, name FROM customers WHERE id IN (" + in + ")", bind.params));
    std::unordered_map<std::int64_t, std::string> name_of;
    for (const auto& r : names) name_of[r.i64(0)] = r.text(1);
    for (const auto& [id, n] : top_customers) {
      out.customers.top.push_back({std::to_string(id), name_of[id], n});
    }
  }
  auto [object_summary, top_objects] = recurring_of(std::move(objects), limit);
  out.objects = std::move(object_summary);
  for (auto& [object, n] : top_objects) out.objects.top.push_back({object, object, n});
  return out;
}

namespace {
constexpr const char* kMajor = " AND (c.urgency = 'urgent' OR c.difficulty = 'difficult')";
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
    // The category codes are read once (IN), and names joined to the groups:
    // joining categories to each of the period's complaints cost twice as much.
    std::string sql =
        "SELECT x.department_id, g.name, CAST(SUM(x.n) AS BIGINT) FROM (SELECT c.department_id, "
        "c.category, COUNT(*) AS n FROM complaints c" +
        where_period(params, p) +
        " AND c.category IN (SELECT code FROM categories WHERE code = $3 OR parent_code = $3) AND "
        "c.kind = 'complaint' GROUP BY c.department_id, c.category) x JOIN categories g ON "
        "g.code = x.category GROUP BY x.department_id, g.name";
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
