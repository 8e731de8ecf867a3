#include "app/lessons.h"

#include <nlohmann/json.hpp>

#include "app/audit.h"
#include "app/complaints.h"

namespace redress::app {
namespace {

using Json = nlohmann::json;

bool blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

Status require_staff(const Actor& actor) {
  if (actor.kind != Actor::Kind::user || actor.roles.empty()) {
    return fail(Error::forbidden("the lessons-learned library is for staff"));
  }
  return {};
}

store::DepartmentScope scope_of(const Actor& actor) {
  if (sees_every_department(actor)) return {};
  return store::DepartmentScope{actor.scope, actor.has(Role::supervisor)};
}

Json action_state(const ImprovementAction& a) {
  return Json{{"title", a.title},
              {"status", a.status},
              {"resources", a.resources},
              {"owner_id", a.owner ? Json(a.owner->value) : Json(nullptr)},
              {"due_at", a.due_at ? Json(to_epoch_ms(*a.due_at)) : Json(nullptr)}};
}

}  // namespace

Result<std::vector<store::LessonEntry>> Lessons::library(const store::ReadTx& tx,
                                                         const Actor& actor,
                                                         store::LessonFilter filter) const {
  REDRESS_CHECK(require_staff(actor));
  filter.scope = scope_of(actor);
  return tx.lessons().list(filter);
}

Result<std::vector<store::ActionEntry>> Lessons::actions(const store::ReadTx& tx,
                                                         const Actor& actor,
                                                         store::ActionFilter filter) const {
  REDRESS_CHECK(require_staff(actor));
  filter.scope = scope_of(actor);
  return tx.lessons().actions(filter);
}

Result<store::ActionEntry> Lessons::update_action(store::WriteTx& tx, const Actor& actor,
                                                  std::int64_t action_id,
                                                  const ImprovementActionPatch& patch) const {
  const Instant now = clock_.now();
  REDRESS_CHECK(require_staff(actor));
  std::vector<FieldError> errors;
  if (patch.empty()) {
    errors.push_back({"body", "give at least one of title, status, owner_id, due_at, resources"});
  }
  if (patch.title && blank(*patch.title)) errors.push_back({"title", "must not be blank"});
  if (patch.status && !is_improvement_status(*patch.status)) {
    errors.push_back({"status", "must be planned, in_progress or done"});
  }
  if (patch.owner && *patch.owner) {
    REDRESS_TRY(auto owner, tx.directory().user(**patch.owner));
    if (!owner) errors.push_back({"owner_id", "is not a user"});
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));

  REDRESS_TRY(auto found, tx.lessons().find_action(action_id));
  if (!found) return fail(Error::not_found("improvement action"));
  // Outside the caller's scope: forbidden, like every write (docs/api-contract.md).
  REDRESS_TRY(auto c, load_for_write(tx, actor, found->action.complaint));
  const bool owner = found->action.owner && *found->action.owner == actor.user;
  if (!owner &&
      !effective_roles(actor, c.id, c.department)
           .intersects({Role::agent, Role::handler, Role::qa, Role::supervisor, Role::director})) {
    return fail(
        Error::forbidden("only the action's owner or those who may record the review change it"));
  }
  ImprovementAction a = found->action;
  const Json before = action_state(a);
  if (patch.title) a.title = *patch.title;
  if (patch.status) a.status = *patch.status;
  if (patch.resources) a.resources = *patch.resources;
  if (patch.owner) a.owner = *patch.owner;
  if (patch.due_at) a.due_at = *patch.due_at;
  REDRESS_CHECK(tx.lessons().update_action(a));
  if (patch.title || patch.resources) REDRESS_CHECK(tx.search().index_lessons(c.id, c.lessons));
  REDRESS_CHECK(save(tx, c, now));
  REDRESS_TRY(
      auto event,
      append_event(tx, actor, now,
                   {c.id, "improvement_action_updated", c.state, c.state,
                    Json{{"action_id", a.id}, {"before", before}, {"after", action_state(a)}}}));
  (void)event;
  found->action = a;
  found->complaint_state = std::string(to_string(c.state));
  return *found;
}

}  // namespace redress::app
