// Routes for in-app notifications (issue 4): the caller's own notices
// (assignments, approvals waiting, escalations, SLA warnings), their unread
// count for the console's header, and marking them read. Another user's
// notification answers 404, like an id that does not exist.
#include "app/notifications.h"
#include "http/api.h"
#include "http/api_helpers.h"
#include "http/json_io.h"
#include "http/problem.h"
#include "http/requests.h"

namespace redress::http {

namespace {

Json notification_json(const store::Notification& n) {
  Json params = Json::parse(n.params, nullptr, false);
  if (!params.is_object()) params = Json::object();
  const std::string code =
      n.tracking_code.empty() ? params.value("tracking_code", std::string()) : n.tracking_code;
  return {{"id", n.id},
          {"kind", n.kind},
          {"complaint_id", n.complaint ? Json(n.complaint->value) : Json(nullptr)},
          {"tracking_code", code.empty() ? Json(nullptr) : Json(code)},
          {"params", params},
          {"created_at", format_iso8601(n.created_at)},
          {"read_at", n.read_at ? Json(format_iso8601(*n.read_at)) : Json(nullptr)}};
}

}  // namespace

void document_notification_route(const std::string& method, const std::string& pattern,
                                 Json& parameters) {
  if (method != "GET" || pattern != "/api/v1/notifications") return;
  parameters.push_back(
      openapi_query_parameter("unread", "boolean", "true: only unread notifications."));
  parameters.push_back(openapi_query_parameter("limit", "integer", "1–200, default 50."));
  parameters.push_back(
      openapi_query_parameter("cursor", "string", "next_cursor of the previous page."));
}

void Api::register_notifications(Router& router) {
  add(router, "GET", "/api/v1/notifications", "notifications",
      "The caller's notifications, newest first: {items: [{id, kind, complaint_id, "
      "tracking_code, params, created_at, read_at}], next_cursor, unread_count}. Kinds: "
      "assignment, department_assignment, approval_waiting, plan_returned, escalation, "
      "sla_warning. "
      "unread=true lists only unread ones. Each user sees only their own.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        auto q = read_notification_query(r);
        if (!q) co_return problem(q.error());
        app::Notifications notifications(clock_);
        auto page = store_.read<app::NotificationPage>([&](const store::ReadTx& tx) {
          return notifications.list(tx, who->actor, q->unread_only, q->before, q->limit);
        });
        if (!page) co_return problem(page.error());
        Json items = Json::array();
        for (const auto& n : page->items) items.push_back(notification_json(n));
        Json next = nullptr;
        if (static_cast<int>(page->items.size()) == q->limit) {
          next = list_cursor(page->items.back().id);
        }
        co_return json_response(
            200, Json{{"items", items}, {"next_cursor", next}, {"unread_count", page->unread}});
      });
  add(router, "GET", "/api/v1/notifications/count", "notifications",
      "How many of the caller's notifications are unread: {unread_count} (cheap: the console "
      "polls it for its header).",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        app::Notifications notifications(clock_);
        auto count = store_.read<std::int64_t>(
            [&](const store::ReadTx& tx) { return notifications.unread_count(tx, who->actor); });
        if (!count) co_return problem(count.error());
        co_return json_response(200, Json{{"unread_count", *count}});
      });
  add(router, "POST", "/api/v1/notifications/:id/read", "notifications",
      "Mark one of the caller's notifications read (again: no change); answers it with the "
      "new unread_count. 404 for a notification that is not the caller's.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        const auto id = number_param(r, "id");
        if (!id) co_return problem(Error::not_found("notification"));
        // Locals, not captures by value (g++ 12 coroutine bug, see api_views.cpp).
        const Actor actor = who->actor;
        const std::int64_t notification_id = *id;
        app::Notifications notifications(clock_);
        struct Marked {
          store::Notification n;
          std::int64_t unread = 0;
        };
        auto marked = co_await write<Marked>([&](store::WriteTx& tx) -> Result<Marked> {
          Marked m;
          REDRESS_TRY(m.n, notifications.mark_read(tx, actor, notification_id));
          REDRESS_TRY(m.unread, tx.notifications().unread_count(actor.user));
          return m;
        });
        if (!marked) co_return problem(marked.error());
        Json body = notification_json(marked->n);
        body["unread_count"] = marked->unread;
        co_return json_response(200, body);
      });
  add(router, "POST", "/api/v1/notifications/read-all", "notifications",
      "Mark all the caller's notifications read: {marked, unread_count}.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        const Actor actor = who->actor;
        app::Notifications notifications(clock_);
        auto marked = co_await write<std::int64_t>(
            [&](store::WriteTx& tx) { return notifications.mark_all_read(tx, actor); });
        if (!marked) co_return problem(marked.error());
        co_return json_response(200, Json{{"marked", *marked}, {"unread_count", 0}});
      });
}

}  // namespace redress::http
