// What a request asks for: the pure parse-and-validate step of every route
// that takes a JSON body, a query string or a request header with a value.
// No server, no store, no clock: each function turns bytes into a typed
// request or FieldErrors, so the routes stay thin and fuzz/ can drive every
// reader directly (fuzz/json_requests.cpp, fuzz/query.cpp).
//
// Conventions: readers taking a FieldReader append one FieldError per bad
// field to the reader's error list and return what they could read (the
// route answers 422 when the list is not empty); readers returning Result
// fail with invalid_argument naming the field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/admin.h"
#include "app/case_records.h"
#include "app/complaints.h"
#include "app/lessons.h"
#include "app/portal.h"
#include "core/calendar.h"
#include "core/records.h"
#include "core/sla.h"
#include "http/json_io.h"
#include "http/message.h"
#include "store/repositories.h"

namespace redress::http {

// ---- request headers and query strings ---------------------------------------------------

// The opaque list cursor for "ids below `last_id`" ("c123").
std::string list_cursor(std::int64_t last_id);
// Reads a cursor list_cursor issued; invalid_argument on "cursor" otherwise.
Result<std::int64_t> parse_cursor(std::string_view cursor);
// If-Match: "7", W/"7" or 7. Absent → nullopt; malformed → invalid_argument on "If-Match".
Result<std::optional<std::int64_t>> parse_if_match(std::optional<std::string_view> header);
// Search results page by offset (ranks shift as complaints change, so a
// keyset cursor would not be stable either); this many rows at most, which
// keeps a deep page cheap.
inline constexpr std::int64_t kMaxSearchOffset = 10000;
// The cursor of a complaint list page that ended with `last`: "c<id>" in
// newest-first order; in due order "d<due ms>_<id>" for a row with a due time
// and "n<id>" for one without; for a search (filter.search), "s<offset>" of
// the next page.
std::string complaint_list_cursor(const store::ComplaintFilter& filter, const Complaint& last);
// Reads a cursor complaint_list_cursor issued for `filter.order` into `filter`;
// invalid_argument on "cursor" otherwise.
Status read_complaint_list_cursor(std::string_view cursor, store::ComplaintFilter& filter);
// The filters, order (sort=newest|due), search (q, text::parse_search_query;
// not with sort), limit and cursor of GET /api/v1/complaints from the query;
// overdue=true keeps complaints due before `now`. Every bad parameter is named.
Result<store::ComplaintFilter> read_complaint_filter(const Request& r, Instant now);
// from/to of GET /api/v1/reports/dashboard (ISO 8601 dates or date-times).
struct TimeRange {
  std::optional<Instant> from, to;
};
Result<TimeRange> read_time_range(const Request& r);
// state, limit and cursor of GET /api/v1/outbox.
struct OutboxQuery {
  std::optional<std::string> state;  // pending, sent or dead
  int limit = 50;                    // 1–500
  std::int64_t before = 0;           // cursor: ids below this; 0 = from the newest
};
Result<OutboxQuery> read_outbox_query(const Request& r);
// outcome (into `state`), limit and cursor of GET /api/v1/inbound-mail.
Result<OutboxQuery> read_inbound_mail_query(const Request& r);
// unread, limit and cursor of GET /api/v1/notifications.
struct NotificationQuery {
  bool unread_only = false;  // unread=true
  int limit = 50;            // 1–200
  std::int64_t before = 0;   // cursor (list_cursor): ids below this; 0 = from the newest
};
// unread=true|false, limit 1–200 (default 50), cursor (next_cursor of the
// previous page); every bad parameter named.
Result<NotificationQuery> read_notification_query(const Request& r);
// entity, key and limit of GET /api/v1/admin-changes.
struct AdminChangeQuery {
  std::optional<std::string> entity;  // user, department or category
  std::optional<std::string> key;     // the id, or the category code
  std::int64_t before = 0;            // from `cursor`: ids below it (0: from the newest)
  std::int64_t limit = 100;           // 1–500
};
// entity=user|department|category, key (any text), cursor (a next_cursor),
// limit 1–500 (default 100); every bad parameter named.
Result<AdminChangeQuery> read_admin_change_query(const Request& r);
// GET /api/v1/lessons: q (search over lessons and action titles),
// department_id, category, received_from/received_to, the action conditions
// status, owner_id and overdue=true (due before `now`, not done), limit (1–200)
// and cursor (list_cursor of the last complaint listed). Every bad parameter
// is named.
Result<store::LessonFilter> read_lesson_filter(const Request& r, Instant now);
// GET /api/v1/improvement-actions: status, owner_id, overdue=true,
// department_id, limit (1–200) and cursor (improvement_action_cursor).
Result<store::ActionFilter> read_action_filter(const Request& r, Instant now);
// The cursor of an action page that ended with `last`: "d<due ms>_<id>" for
// an action with a deadline, "n<id>" for one without.
std::string improvement_action_cursor(const ImprovementAction& last);
// PATCH /api/v1/improvement-actions/:id: title, status, owner_id (null: none),
// due_at (null: none), resources; any other key is an error naming it.
app::ImprovementActionPatch read_improvement_action_patch(const Json& body,
                                                          std::vector<FieldError>& errors);

// ---- JSON bodies ---------------------------------------------------------------------------

struct LoginRequest {
  std::string username, password;
};
LoginRequest read_login(FieldReader& f, std::vector<FieldError>& errors);
// The registration form shared by staff intake and the public portal.
app::IntakeRequest read_intake(FieldReader& r, std::vector<FieldError>& errors);
// A lifecycle action and the data it carries.
Result<app::TransitionRequest> read_transition(const Json& body);
// PATCH /complaints/:id: the editable fields; any other key is an error naming it.
app::ComplaintPatch read_complaint_patch(const Json& body, std::vector<FieldError>& errors);
app::NewUser read_new_user(FieldReader& f, std::vector<FieldError>& errors);
Department read_department(FieldReader& f);
// The bodies of PATCH /users/{id}, /departments/{id} and /categories/{code}:
// absent fields stay, null clears a parent/department/supervisor, an unknown
// field is an error (a typo must not pass as "nothing to change").
app::UserPatch read_user_patch(const Json& body, std::vector<FieldError>& errors);
app::DepartmentPatch read_department_patch(const Json& body, std::vector<FieldError>& errors);
app::CategoryPatch read_category_patch(const Json& body, std::vector<FieldError>& errors);
Category read_category(FieldReader& f);
Policy read_policy(FieldReader& f, Policy base);
RoutingRule read_routing_rule(FieldReader& f);
SanctionRule read_sanction_rule(FieldReader& f);
BusinessCalendar read_calendar(FieldReader& f);
SlaPolicy read_sla_policy(FieldReader& f);
app::PublicAction read_public_action(FieldReader& f);
app::MessageRequest read_message(FieldReader& f);
app::CauseRequest read_cause(FieldReader& f);
app::TaskRequest read_task(FieldReader& f);
app::TaskUpdate read_task_update(FieldReader& f);
app::AccountabilityRequest read_accountability(FieldReader& f);
app::ConfirmSanction read_confirm_sanction(FieldReader& f);
app::ReviewRequest read_review(FieldReader& f, std::vector<FieldError>& errors);
struct SatisfactionRequest {
  int score = 0;
  std::string comment;
};
SatisfactionRequest read_satisfaction(FieldReader& f, std::vector<FieldError>& errors);

// The weekday names of working_hours, Sunday first (as BusinessCalendar::week).
inline constexpr const char* kDayNames[] = {"sunday",   "monday", "tuesday", "wednesday",
                                            "thursday", "friday", "saturday"};

}  // namespace redress::http
