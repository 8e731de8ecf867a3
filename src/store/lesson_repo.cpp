#include "store/lesson_repo.h"

#include <map>

#include "store/report_repo.h"
#include "store/row_values.h"
#include "store/search_index.h"

namespace redress::store {
namespace {

using values::ms;
using values::opt_id;
using values::opt_instant;

// " AND …" restricting complaint alias `c` to the caller's scope ("" when
// the caller sees every department): the report queries' own condition.
std::string scope_condition(const DepartmentScope& scope, Binder& bind) {
  const ReportScope as_report{std::nullopt, std::nullopt, scope.departments,
                              scope.include_unrouted};
  return department_condition(as_report, "c.department_id", "c.department_id IS NULL", bind);
}

// " AND …" for action alias `a` ("" when no condition is set).
std::string action_conditions(const ActionConditions& k, Binder& bind) {
  std::string sql;
  if (k.status) sql += " AND a.status = " + bind(*k.status);
  if (k.owner) sql += " AND a.owner_id = " + bind(k.owner->value);
  if (k.overdue_at) sql += " AND a.due_at < " + bind(ms(*k.overdue_at)) + " AND a.status <> 'done'";
  return sql;
}

constexpr const char* kActionColumns =
    "a.id, a.complaint_id, a.title, a.owner_id, a.due_at, a.resources, a.status";

ImprovementAction action_from_row(const SqlRow& r) {
  return ImprovementAction{r.i64(0),          ComplaintId{r.i64(1)},
                           r.text(2),         opt_id<UserTag>(r, 3),
                           opt_instant(r, 4), r.text(5),
                           r.text(6)};
}

// Action columns followed by the complaint's code, subject, state, department.
constexpr const char* kActionEntrySelect =
    "SELECT a.id, a.complaint_id, a.title, a.owner_id, a.due_at, a.resources, a.status, "
    "c.tracking_code, c.subject, c.state, c.department_id FROM improvement_actions a JOIN "
    "complaints c ON c.id = a.complaint_id";

ActionEntry action_entry_from_row(const SqlRow& r) {
  return ActionEntry{action_from_row(r), r.text(7), r.text(8), r.text(9),
                     opt_id<DepartmentTag>(r, 10)};
}

}  // namespace

Result<std::vector<LessonEntry>> LessonRepo::list(const LessonFilter& f) const {
  Binder bind;
  // `lessons <> ''` is the partial index's own condition, so the scan walks
  // only the library's members, newest first.
  std::string sql =
      "SELECT c.id, c.tracking_code, c.subject, c.state, c.category, c.department_id, "
      "c.received_at, c.closed_at, c.lessons FROM complaints c WHERE c.lessons <> ''";
  if (f.search) {
    const std::string match = bind(SearchIndexRepo::match_expression(s_.dialect(), *f.search));
    sql += s_.dialect() == SqlDialect::sqlite
               ? " AND c.id IN (SELECT rowid FROM lesson_search WHERE lesson_search MATCH " +
                     match + ")"
               : " AND c.id IN (SELECT complaint_id FROM lesson_search WHERE doc @@ " + match +
                     "::tsquery)";
  }
  if (f.department) sql += " AND c.department_id = " + bind(f.department->value);
  if (f.category) sql += " AND c.category = " + bind(*f.category);
  if (f.received_from) sql += " AND c.received_at >= " + bind(ms(*f.received_from));
  if (f.received_to) sql += " AND c.received_at < " + bind(ms(*f.received_to));
  sql += scope_condition(f.scope, bind);
  if (f.actions.any()) {
    sql += " AND EXISTS (SELECT 1 FROM improvement_actions a WHERE a.complaint_id = c.id" +
           action_conditions(f.actions, bind) + ")";
  }
  if (f.before_id > 0) sql += " AND c.id < " + bind(f.before_id);
  sql += " ORDER BY c.id DESC LIMIT " + bind(static_cast<std::int64_t>(f.limit));
  REDRESS_TRY(auto rows, s_.query(sql, bind.params));
  std::vector<LessonEntry> out;
  out.reserve(rows.size());
  for (const SqlRow& r : rows) {
    out.push_back(LessonEntry{ComplaintId{r.i64(0)},
                              r.text(1),
                              r.text(2),
                              r.text(3),
                              r.text(4),
                              opt_id<DepartmentTag>(r, 5),
                              from_epoch_ms(r.i64(6)),
                              opt_instant(r, 7),
                              r.text(8),
                              {}});
  }
  if (out.empty()) return out;
  // Every action of the page's complaints in one query.
  std::vector<SqlValue> ap;
  const std::string in =
      append_in_list(ap, out, [](const LessonEntry& e) { return SqlValue{e.complaint.value}; });
  REDRESS_TRY(auto actions, s_.query(std::string("SELECT ") + kActionColumns +
                                         " FROM improvement_actions a WHERE a.complaint_id IN (" +
                                         in + ") ORDER BY a.id",
                                     ap));
  std::map<std::int64_t, LessonEntry*> by_id;
  for (LessonEntry& e : out) by_id.emplace(e.complaint.value, &e);
  for (const SqlRow& r : actions) {
    ImprovementAction a = action_from_row(r);
    by_id.at(a.complaint.value)->actions.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<ActionEntry>> LessonRepo::actions(const ActionFilter& f) const {
  Binder bind;
  std::string sql =
      std::string(kActionEntrySelect) + " WHERE 1 = 1" + action_conditions(f.conditions, bind);
  if (f.department) sql += " AND c.department_id = " + bind(f.department->value);
  sql += scope_condition(f.scope, bind);
  if (f.after_due) {
    const std::string due = bind(ms(*f.after_due));
    sql += " AND (a.due_at IS NULL OR a.due_at > " + due + " OR (a.due_at = " + due +
           " AND a.id > " + bind(f.after_id) + "))";
  } else if (f.after_id > 0) {
    sql += " AND a.due_at IS NULL AND a.id > " + bind(f.after_id);
  }
  sql += " ORDER BY CASE WHEN a.due_at IS NULL THEN 1 ELSE 0 END, a.due_at, a.id LIMIT " +
         bind(static_cast<std::int64_t>(f.limit));
  REDRESS_TRY(auto rows, s_.query(sql, bind.params));
  std::vector<ActionEntry> out;
  out.reserve(rows.size());
  for (const SqlRow& r : rows) out.push_back(action_entry_from_row(r));
  return out;
}

Result<std::optional<ActionEntry>> LessonRepo::find_action(std::int64_t id) const {
  REDRESS_TRY(auto rows,
              s_.query(std::string(kActionEntrySelect) + " WHERE a.id = $1", params(id)));
  if (rows.empty()) return std::optional<ActionEntry>{};
  return std::optional<ActionEntry>(action_entry_from_row(rows[0]));
}

Status LessonRepo::update_action(const ImprovementAction& a) {
  REDRESS_TRY(auto changed,
              s_.exec("UPDATE improvement_actions SET title = $1, owner_id = $2, due_at = $3, "
                      "resources = $4, status = $5 WHERE id = $6",
                      std::vector<SqlValue>{a.title, values::id(a.owner), ms(a.due_at), a.resources,
                                            a.status, a.id}));
  if (changed == 0) return fail(Error::not_found("improvement action " + std::to_string(a.id)));
  return {};
}

}  // namespace redress::store
