#include "store/sla_repo.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "store/row_values.h"

namespace redress::store {

namespace {

using Json = nlohmann::json;

constexpr const char* kDayNames[] = {"sunday",   "monday", "tuesday", "wednesday",
                                     "thursday", "friday", "saturday"};

std::string hours_json(const BusinessCalendar& c) {
  Json j = Json::object();
  for (std::size_t d = 0; d < 7; ++d) {
    Json periods = Json::array();
    for (const WorkingPeriod& p : c.week[d]) periods.push_back(format_working_period(p));
    j[kDayNames[d]] = periods;
  }
  return j.dump();
}

std::string holidays_json(const BusinessCalendar& c) {
  Json j = Json::array();
  for (const auto& h : c.holidays) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(h.year()),
                  static_cast<unsigned>(h.month()), static_cast<unsigned>(h.day()));
    j.push_back(buffer);
  }
  return j.dump();
}

BusinessCalendar calendar_from_row(const SqlRow& r) {
  BusinessCalendar c;
  c.id = r.i64(0);
  c.name = r.text(1);
  c.time_zone = r.text(2);
  const Json hours = Json::parse(r.text(3), nullptr, false);
  for (std::size_t d = 0; d < 7; ++d) {
    if (!hours.is_object() || !hours.contains(kDayNames[d])) continue;
    for (const Json& p : hours[kDayNames[d]]) {
      if (!p.is_string()) continue;
      if (auto period = parse_working_period(p.get<std::string>())) c.week[d].push_back(*period);
    }
  }
  const Json holidays = Json::parse(r.text(4), nullptr, false);
  if (holidays.is_array()) {
    for (const Json& h : holidays) {
      if (!h.is_string()) continue;
      if (auto t = parse_iso8601(h.get<std::string>())) {
        c.holidays.emplace_back(std::chrono::floor<std::chrono::days>(*t));
      }
    }
  }
  return c;
}

SqlValue opt_ms(const std::optional<Millis>& d) {
  return d ? SqlValue{static_cast<std::int64_t>(d->count())} : SqlValue{};
}
using values::ms;
using values::opt_instant;

std::string state_targets_json(const SlaPolicy& p) {
  Json j = Json::object();
  for (const auto& [state, d] : p.state_targets) j[std::string(to_string(state))] = d.count();
  return j.dump();
}

constexpr const char* kPolicyColumns =
    "id, name, urgency, category, first_response_ms, resolution_ms, state_targets, "
    "warning_percent, director_percent, calendar_id";

SlaPolicy policy_from_row(const SqlRow& r) {
  SlaPolicy p;
  p.id = r.i64(0);
  p.name = r.text(1);
  if (!r.is_null(2)) p.urgency = parse<Urgency>(r.text(2));
  p.category = r.opt_text(3);
  if (auto v = r.opt_i64(4)) p.first_response = Millis{*v};
  if (auto v = r.opt_i64(5)) p.resolution = Millis{*v};
  const Json targets = Json::parse(r.text(6), nullptr, false);
  if (targets.is_object()) {
    for (const auto& [name, value] : targets.items()) {
      auto state = parse<State>(name);
      if (state && value.is_number_integer()) p.state_targets[*state] = Millis{value.get<long>()};
    }
  }
  p.warning_percent = static_cast<int>(r.i64(7));
  p.director_percent = static_cast<int>(r.i64(8));
  p.calendar_id = r.opt_i64(9);
  return p;
}

std::vector<SqlValue> policy_values(const SlaPolicy& p) {
  return {p.name,
          p.urgency ? SqlValue{std::string(to_string(*p.urgency))} : SqlValue{},
          sql_value(p.category),
          opt_ms(p.first_response),
          opt_ms(p.resolution),
          state_targets_json(p),
          static_cast<std::int64_t>(p.warning_percent),
          static_cast<std::int64_t>(p.director_percent),
          sql_value(p.calendar_id)};
}

constexpr const char* kClockColumns =
    "id, complaint_id, kind, state, policy_id, target_ms, calendar_id, started_at, warn_at, "
    "due_at, director_at, paused_at, paused_ms, stopped_at, warned_at, breached_at, "
    "director_notified_at";

SlaClock clock_from_row(const SqlRow& r) {
  SlaClock c;
  c.id = r.i64(0);
  c.complaint = ComplaintId{r.i64(1)};
  c.kind = parse<SlaClockKind>(r.text(2)).value_or(SlaClockKind::state);
  if (!r.is_null(3)) c.state = parse<State>(r.text(3));
  c.policy_id = r.opt_i64(4);
  c.target = Millis{r.i64(5)};
  c.calendar_id = r.opt_i64(6);
  c.started_at = from_epoch_ms(r.i64(7));
  c.warn_at = from_epoch_ms(r.i64(8));
  c.due_at = from_epoch_ms(r.i64(9));
  c.director_at = from_epoch_ms(r.i64(10));
  c.paused_at = opt_instant(r, 11);
  c.paused = Millis{r.i64(12)};
  c.stopped_at = opt_instant(r, 13);
  c.warned_at = opt_instant(r, 14);
  c.breached_at = opt_instant(r, 15);
  c.director_notified_at = opt_instant(r, 16);
  return c;
}

Status changed_one(Result<std::int64_t> r, const char* what) {
  if (!r) return fail(r.error());
  if (*r == 0) return fail(Error::not_found(what));
  return {};
}

}  // namespace

Result<std::int64_t> SlaRepo::add_calendar(const BusinessCalendar& c) {
  REDRESS_TRY(auto rows,
              s_.query("INSERT INTO calendars (name, time_zone, working_hours, holidays) "
                       "VALUES ($1, $2, $3, $4) RETURNING id",
                       params(c.name, c.time_zone, hours_json(c), holidays_json(c))));
  return rows.at(0).i64(0);
}

Status SlaRepo::update_calendar(const BusinessCalendar& c) {
  return changed_one(s_.exec("UPDATE calendars SET name = $1, time_zone = $2, working_hours = $3, "
                             "holidays = $4 WHERE id = $5",
                             params(c.name, c.time_zone, hours_json(c), holidays_json(c), c.id)),
                     "calendar");
}

Result<std::optional<BusinessCalendar>> SlaRepo::calendar(std::int64_t id) const {
  REDRESS_TRY(auto rows, s_.query("SELECT id, name, time_zone, working_hours, holidays FROM "
                                  "calendars WHERE id = $1",
                                  params(id)));
  if (rows.empty()) return std::optional<BusinessCalendar>{};
  return calendar_from_row(rows[0]);
}

Result<std::vector<BusinessCalendar>> SlaRepo::calendars() const {
  REDRESS_TRY(auto rows, s_.query("SELECT id, name, time_zone, working_hours, holidays FROM "
                                  "calendars ORDER BY id",
                                  {}));
  std::vector<BusinessCalendar> out;
  for (const auto& r : rows) out.push_back(calendar_from_row(r));
  return out;
}

Result<std::int64_t> SlaRepo::add_policy(const SlaPolicy& p) {
  forget_memoised_policies();
  REDRESS_TRY(auto rows,
              s_.query("INSERT INTO sla_policies (name, urgency, category, first_response_ms, "
                       "resolution_ms, state_targets, warning_percent, director_percent, "
                       "calendar_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                       policy_values(p)));
  return rows.at(0).i64(0);
}

Status SlaRepo::update_policy(const SlaPolicy& p) {
  forget_memoised_policies();
  auto values = policy_values(p);
  values.push_back(p.id);
  return changed_one(s_.exec("UPDATE sla_policies SET name = $1, urgency = $2, category = $3, "
                             "first_response_ms = $4, resolution_ms = $5, state_targets = $6, "
                             "warning_percent = $7, director_percent = $8, calendar_id = $9 "
                             "WHERE id = $10",
                             values),
                     "SLA policy");
}

Status SlaRepo::delete_policy(std::int64_t id) {
  forget_memoised_policies();
  return changed_one(s_.exec("DELETE FROM sla_policies WHERE id = $1", params(id)), "SLA policy");
}

void SlaRepo::forget_memoised_policies() {
  if (TxMemo* memo = s_.tx_memo()) memo->sla_policy_rows.reset();
}

Result<std::vector<SlaPolicy>> SlaRepo::policies() const {
  auto from_rows = [](const std::vector<SqlRow>& rows) {
    std::vector<SlaPolicy> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(policy_from_row(r));
    return out;
  };
  TxMemo* memo = s_.tx_memo();
  if (memo != nullptr && memo->sla_policy_rows) return from_rows(*memo->sla_policy_rows);
  REDRESS_TRY(
      auto rows,
      s_.query(std::string("SELECT ") + kPolicyColumns + " FROM sla_policies ORDER BY id", {}));
  std::vector<SlaPolicy> out = from_rows(rows);
  if (memo != nullptr) memo->sla_policy_rows = std::move(rows);
  return out;
}

Result<std::int64_t> SlaRepo::add_clock(const SlaClock& c) {
  REDRESS_TRY(auto ids, add_clocks(std::span<const SlaClock>(&c, 1)));
  return ids.at(0);
}

Result<std::vector<std::int64_t>> SlaRepo::add_clocks(std::span<const SlaClock> clocks) {
  std::vector<std::int64_t> ids;
  ids.reserve(clocks.size());
  for (const SlaClock& c : clocks) {
    REDRESS_TRY(
        auto rows,
        s_.query(
            "INSERT INTO sla_clocks (complaint_id, kind, state, policy_id, target_ms, "
            "calendar_id, started_at, warn_at, due_at, director_at, paused_at, paused_ms, "
            "stopped_at, warned_at, breached_at, director_notified_at) VALUES ($1, $2, $3, $4, "
            "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
            std::vector<SqlValue>{
                c.complaint.value, std::string(to_string(c.kind)),
                c.state ? SqlValue{std::string(to_string(*c.state))} : SqlValue{},
                sql_value(c.policy_id), static_cast<std::int64_t>(c.target.count()),
                sql_value(c.calendar_id), ms(c.started_at), ms(c.warn_at), ms(c.due_at),
                ms(c.director_at), ms(c.paused_at), static_cast<std::int64_t>(c.paused.count()),
                ms(c.stopped_at), ms(c.warned_at), ms(c.breached_at), ms(c.director_notified_at)}));
    ids.push_back(rows.at(0).i64(0));
  }
  // Each complaint's due_at once, after all of its new clocks.
  std::vector<ComplaintId> complaints;
  for (const SlaClock& c : clocks) {
    if (std::find(complaints.begin(), complaints.end(), c.complaint) == complaints.end()) {
      complaints.push_back(c.complaint);
    }
  }
  for (ComplaintId complaint : complaints) REDRESS_CHECK(refresh_due(complaint));
  return ids;
}

Status SlaRepo::refresh_due(ComplaintId complaint) {
  REDRESS_TRY(auto changed,
              s_.exec("UPDATE complaints SET due_at = (SELECT MIN(k.due_at) FROM sla_clocks k "
                      "WHERE k.complaint_id = $1 AND k.stopped_at IS NULL AND k.paused_at IS "
                      "NULL) WHERE id = $1",
                      params(complaint.value)));
  (void)changed;
  return {};
}

Status SlaRepo::update_clock(const SlaClock& c) {
  REDRESS_CHECK(changed_one(
      s_.exec("UPDATE sla_clocks SET policy_id = $1, target_ms = $2, calendar_id = $3, warn_at = "
              "$4, due_at = $5, director_at = $6, paused_at = $7, paused_ms = $8, stopped_at = $9, "
              "warned_at = $10, breached_at = $11, director_notified_at = $12 WHERE id = $13",
              std::vector<SqlValue>{
                  sql_value(c.policy_id), static_cast<std::int64_t>(c.target.count()),
                  sql_value(c.calendar_id), ms(c.warn_at), ms(c.due_at), ms(c.director_at),
                  ms(c.paused_at), static_cast<std::int64_t>(c.paused.count()), ms(c.stopped_at),
                  ms(c.warned_at), ms(c.breached_at), ms(c.director_notified_at), c.id}),
      "SLA clock"));
  return refresh_due(c.complaint);
}

Result<std::optional<SlaClock>> SlaRepo::clock(std::int64_t id) const {
  REDRESS_TRY(auto rows,
              s_.query(std::string("SELECT ") + kClockColumns + " FROM sla_clocks WHERE id = $1",
                       params(id)));
  if (rows.empty()) return std::optional<SlaClock>{};
  return clock_from_row(rows[0]);
}

Result<std::vector<SlaClock>> SlaRepo::clocks(ComplaintId complaint) const {
  REDRESS_TRY(auto rows, s_.query(std::string("SELECT ") + kClockColumns +
                                      " FROM sla_clocks WHERE complaint_id = $1 ORDER BY id",
                                  params(complaint.value)));
  std::vector<SlaClock> out;
  for (const auto& r : rows) out.push_back(clock_from_row(r));
  return out;
}

Result<std::vector<SlaClock>> SlaRepo::unstopped_clocks(
    std::optional<std::int64_t> policy_id, std::optional<std::int64_t> calendar_id) const {
  // Filters are added only when set (PostgreSQL cannot type "$1 IS NULL").
  std::string sql =
      std::string("SELECT ") + kClockColumns + " FROM sla_clocks WHERE stopped_at IS NULL";
  std::vector<SqlValue> p;
  if (policy_id) {
    p.push_back(*policy_id);
    sql += " AND policy_id = $" + std::to_string(p.size());
  }
  if (calendar_id) {
    p.push_back(*calendar_id);
    sql += " AND calendar_id = $" + std::to_string(p.size());
  }
  REDRESS_TRY(auto rows, s_.query(sql + " ORDER BY id", p));
  std::vector<SlaClock> out;
  for (const auto& r : rows) out.push_back(clock_from_row(r));
  return out;
}

}  // namespace redress::store
