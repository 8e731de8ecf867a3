// The lessons-learned library (issue 5 item 8): the lessons recorded at review
// or closing and the improvement actions that follow from them, read across
// complaints so the summary step of one period feeds the next. The library's
// members are the complaints whose lessons are not blank (partial index
// complaints_with_lessons, migration 0015); the text search runs over the
// lessons index kept by SearchIndexRepo::index_lessons.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/records.h"
#include "core/time.h"
#include "store/sql.h"
#include "text/search.h"

namespace redress::store {

// The caller's department scope, as for complaint lists: when `departments`
// is set, only complaints routed to one of them (and unrouted ones when
// `include_unrouted`) are read.
struct DepartmentScope {
  std::optional<std::vector<DepartmentId>> departments;
  bool include_unrouted = false;
};

// Conditions on a complaint's improvement actions; a complaint (or action)
// passes when one action meets all that are set.
struct ActionConditions {
  std::optional<std::string> status;  // planned | in_progress | done
  std::optional<UserId> owner;
  // Overdue at this instant: due before it and not done.
  std::optional<Instant> overdue_at;
  bool any() const { return status || owner || overdue_at; }
};

// Which library entries to list: all set conditions must hold. Newest
// complaint first; `before_id` pages (0 = from the top).
struct LessonFilter {
  // Complaints whose lessons or action titles/resources match.
  std::optional<text::SearchQuery> search;
  std::optional<DepartmentId> department;
  std::optional<std::string> category;
  std::optional<Instant> received_from;  // inclusive
  std::optional<Instant> received_to;    // exclusive
  ActionConditions actions;
  DepartmentScope scope;
  std::int64_t before_id = 0;
  int limit = 50;
};

// One entry of the library: a complaint's lessons with its actions.
struct LessonEntry {
  ComplaintId complaint;
  std::string tracking_code;
  std::string subject;
  std::string state;
  std::string category;
  std::optional<DepartmentId> department;
  Instant received_at;
  std::optional<Instant> closed_at;
  std::string lessons;
  std::vector<ImprovementAction> actions;  // by id
};

// Which improvement actions to list, across complaints: by deadline (actions
// without one last), then id. The cursor is the last row listed: its due time
// (nullopt when it had none) and id; after_id = 0 starts at the top.
struct ActionFilter {
  ActionConditions conditions;
  std::optional<DepartmentId> department;
  DepartmentScope scope;
  std::optional<Instant> after_due;
  std::int64_t after_id = 0;
  int limit = 50;
};

// An improvement action with the complaint it belongs to.
struct ActionEntry {
  ImprovementAction action;
  std::string tracking_code;
  std::string subject;
  std::string complaint_state;
  std::optional<DepartmentId> department;
};

class LessonRepo {
 public:
  explicit LessonRepo(SqlSession& s) : s_(s) {}
  // One page of library entries (see LessonFilter), each with all its actions.
  Result<std::vector<LessonEntry>> list(const LessonFilter& filter) const;
  // One page of improvement actions across complaints (see ActionFilter).
  Result<std::vector<ActionEntry>> actions(const ActionFilter& filter) const;
  // The action with this id, with its complaint; nullopt when there is none.
  Result<std::optional<ActionEntry>> find_action(std::int64_t id) const;
  // Writes title, owner, due time, resources and status of `action` (by id).
  Status update_action(const ImprovementAction& action);

 private:
  SqlSession& s_;
};

}  // namespace redress::store
