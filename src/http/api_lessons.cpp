// The lessons-learned library (issue 5 item 8): GET /api/v1/lessons (lessons
// with their improvement actions, searchable across complaints),
// GET /api/v1/improvement-actions (actions by deadline, with owners and
// status) and PATCH /api/v1/improvement-actions/{id} (keeping an action's
// owner, deadline and status current after the complaint is closed).
#include "app/lessons.h"
#include "http/api.h"
#include "http/api_helpers.h"
#include "http/problem.h"

namespace redress::http {

namespace {

// An improvement action as the library shows it: with whether it is overdue now.
Json library_action_json(const ImprovementAction& a, Instant now) {
  Json j = improvement_action_json(a);
  j["overdue"] = a.due_at && *a.due_at < now && a.status != "done";
  return j;
}

Json lesson_entry_json(const store::LessonEntry& e, Instant now) {
  Json actions = Json::array();
  for (const ImprovementAction& a : e.actions) actions.push_back(library_action_json(a, now));
  return Json{{"complaint",
               {{"id", e.complaint.value},
                {"tracking_code", e.tracking_code},
                {"subject", e.subject},
                {"state", e.state},
                {"category", e.category},
                {"department_id", e.department ? Json(e.department->value) : Json(nullptr)},
                {"received_at", iso(e.received_at)},
                {"closed_at", iso(e.closed_at)}}},
              {"lessons", e.lessons},
              {"improvement_actions", actions}};
}

Json action_entry_json(const store::ActionEntry& e, Instant now) {
  Json j = library_action_json(e.action, now);
  j["complaint"] = {{"id", e.action.complaint.value},
                    {"tracking_code", e.tracking_code},
                    {"subject", e.subject},
                    {"state", e.complaint_state},
                    {"department_id", e.department ? Json(e.department->value) : Json(nullptr)}};
  return j;
}

}  // namespace

void document_lesson_route(const std::string& method, const std::string& pattern,
                           Json& parameters) {
  const bool library = pattern == "/api/v1/lessons";
  if (method != "GET" || (!library && pattern != "/api/v1/improvement-actions")) return;
  if (library) {
    parameters.push_back(openapi_query_parameter(
        "q", "string", "Search over lessons and action titles (docs/search.md's query language)."));
    parameters.push_back(openapi_query_parameter("category", "string", "Category code."));
    parameters.push_back(
        openapi_query_parameter("received_from", "string", "ISO 8601, inclusive."));
    parameters.push_back(openapi_query_parameter("received_to", "string", "ISO 8601, exclusive."));
  }
  parameters.push_back(openapi_query_parameter("department_id", "integer", "Department id."));
  parameters.push_back(openapi_query_parameter(
      "status", "string", "An action's status: planned, in_progress or done."));
  parameters.push_back(
      openapi_query_parameter("owner_id", "integer", "An action's owner (user id)."));
  parameters.push_back(
      openapi_query_parameter("overdue", "boolean", "true: actions due before now and not done."));
  parameters.push_back(openapi_query_parameter("limit", "integer", "1–200, default 50."));
  parameters.push_back(
      openapi_query_parameter("cursor", "string", "next_cursor of the previous page."));
}

void Api::register_lessons(Router& router) {
  add(router, "GET", "/api/v1/lessons", "lessons",
      "The lessons-learned library: complaints with recorded lessons, newest first, each with its "
      "improvement actions; q= searches lessons and action titles; filters department_id, "
      "category, received_from/received_to, and status, owner_id, overdue=true on the actions. "
      "Staff, within their department scope.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        const Instant now = clock_.now();
        auto filter = read_lesson_filter(r, now);
        if (!filter) co_return problem(filter.error());
        app::Lessons lessons(clock_);
        auto rows = store_.read<std::vector<store::LessonEntry>>(
            [&](const store::ReadTx& tx) { return lessons.library(tx, who->actor, *filter); });
        if (!rows) co_return problem(rows.error());
        Json items = Json::array();
        for (const auto& e : *rows) items.push_back(lesson_entry_json(e, now));
        Json next = nullptr;
        if (static_cast<int>(rows->size()) == filter->limit) {
          next = list_cursor(rows->back().complaint.value);
        }
        co_return json_response(200, Json{{"items", items}, {"next_cursor", next}});
      });
  add(router, "GET", "/api/v1/improvement-actions", "lessons",
      "Improvement actions across complaints by deadline (those without one last), with their "
      "complaint and whether they are overdue; filters status, owner_id, overdue=true, "
      "department_id. Staff, within their department scope.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        const Instant now = clock_.now();
        auto filter = read_action_filter(r, now);
        if (!filter) co_return problem(filter.error());
        app::Lessons lessons(clock_);
        auto rows = store_.read<std::vector<store::ActionEntry>>(
            [&](const store::ReadTx& tx) { return lessons.actions(tx, who->actor, *filter); });
        if (!rows) co_return problem(rows.error());
        Json items = Json::array();
        for (const auto& e : *rows) items.push_back(action_entry_json(e, now));
        Json next = nullptr;
        if (static_cast<int>(rows->size()) == filter->limit) {
          next = improvement_action_cursor(rows->back().action);
        }
        co_return json_response(200, Json{{"items", items}, {"next_cursor", next}});
      });
  add(router, "PATCH", "/api/v1/improvement-actions/:id", "lessons",
      "Change an improvement action's title, status, owner_id, due_at or resources (null clears "
      "owner and deadline), recorded in its complaint's timeline. The action's owner, or whoever "
      "may record the complaint's review.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        auto id = number_param(r, "id");
        if (!id) co_return problem(Error::not_found("improvement action"));
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        std::vector<FieldError> errors;
        app::ImprovementActionPatch patch = read_improvement_action_patch(*body, errors);
        if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
        const Instant now = clock_.now();
        app::Lessons lessons(clock_);
        auto updated = co_await write<store::ActionEntry>(
            [&](store::WriteTx& tx) { return lessons.update_action(tx, who->actor, *id, patch); });
        if (!updated) co_return problem(updated.error());
        co_return json_response(200, action_entry_json(*updated, now));
      });
}

}  // namespace redress::http
