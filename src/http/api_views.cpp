// Routes for saved views (issue 4): a staff user's named queue filters, kept
// on the server per user. A view's filter is checked with the very rules of
// GET /api/v1/complaints, so a saved view always opens a valid queue.
#include <algorithm>
#include <array>

#include "app/saved_views.h"
#include "http/api.h"
#include "http/api_helpers.h"
#include "http/json_io.h"
#include "http/problem.h"
#include "http/requests.h"

namespace redress::http {

namespace {

// The queue's query parameters a view may keep (not limit or cursor: a view
// names a list, not a page of it).
constexpr std::array<std::string_view, 10> kViewFilters{
    "q",           "state",         "urgency",     "category", "department_id",
    "assignee_id", "received_from", "received_to", "sort",     "overdue"};

Json saved_view_json(const store::SavedView& v) {
  Json filter = Json::parse(v.filter, nullptr, false);
  if (!filter.is_object()) filter = Json::object();
  return {{"id", v.id},
          {"name", v.name},
          {"filter", filter},
          {"created_at", format_iso8601(v.created_at)},
          {"updated_at", format_iso8601(v.updated_at)}};
}

// The view's filter as canonical JSON text (string values only, known keys),
// or the field errors: "filter.<name>" with the list API's own rule.
Result<std::string> read_view_filter(const Json* filter, Instant now) {
  std::vector<FieldError> errors;
  if (filter == nullptr) return fail(Error::invalid("filter", "is required: an object"));
  Request probe;
  Json canonical = Json::object();
  for (const auto& [key, value] : filter->items()) {
    if (std::find(kViewFilters.begin(), kViewFilters.end(), key) == kViewFilters.end()) {
      errors.push_back({"filter." + key, "is not a queue filter"});
      continue;
    }
    std::string text;
    if (value.is_string()) {
      text = value.get<std::string>();
    } else if (value.is_number_integer() || value.is_boolean()) {
      text = value.dump();  // department_id: 3, overdue: true
    } else {
      errors.push_back({"filter." + key, "must be a string"});
      continue;
    }
    if (text.size() > 500) {
      errors.push_back({"filter." + key, "must be at most 500 bytes"});
      continue;
    }
    if (text.empty()) continue;  // an empty filter field means "any"
    canonical[key] = text;
    probe.query.emplace_back(key, text);
  }
  if (auto checked = read_complaint_filter(probe, now); !checked) {
    for (const FieldError& e : checked.error().fields) {
      errors.push_back({"filter." + e.field, e.message});
    }
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  return canonical.dump();
}

}  // namespace

void Api::register_saved_views(Router& router) {
  add(router, "GET", "/api/v1/saved-views", "saved views",
      "The caller's saved views (named queue filters), by name. Each user sees only their own.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        app::SavedViews views(clock_);
        auto rows = store_.read<std::vector<store::SavedView>>(
            [&](const store::ReadTx& tx) { return views.list(tx, who->actor); });
        if (!rows) co_return problem(rows.error());
        Json items = Json::array();
        for (const auto& v : *rows) items.push_back(saved_view_json(v));
        co_return json_response(200, Json{{"items", items}});
      });
  add(router, "POST", "/api/v1/saved-views", "saved views",
      "Save the queue filter {name, filter} (filter: the query parameters of GET "
      "/api/v1/complaints, checked by the same rules; not limit or cursor). Saving under a "
      "name the caller already uses replaces that view (200); a new view answers 201.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        std::vector<FieldError> errors;
        FieldReader f(*body, errors);
        std::string name = f.str("name", 1000).value_or("");
        const Json* filter_json = f.object("filter");
        if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
        auto filter = read_view_filter(filter_json, clock_.now());
        if (!filter) co_return problem(filter.error());
        // The write captures by reference: these locals live in the coroutine
        // frame until it resumes (g++ 12 destroys co_await temporaries twice,
        // so nothing owning is captured by value).
        const Actor actor = who->actor;
        const std::string filter_text = std::move(*filter);
        app::SavedViews views(clock_);
        auto saved = co_await write<app::SavedViewSaved>(
            [&](store::WriteTx& tx) { return views.save(tx, actor, name, filter_text); });
        if (!saved) co_return problem(saved.error());
        co_return json_response(saved->created ? 201 : 200, saved_view_json(saved->view));
      });
  add(router, "DELETE", "/api/v1/saved-views/:id", "saved views",
      "Delete one of the caller's saved views (404 for a view that is not theirs).",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        const auto id = number_param(r, "id");
        if (!id) co_return problem(Error::not_found("saved view"));
        const Actor actor = who->actor;
        const std::int64_t view_id = *id;
        app::SavedViews views(clock_);
        auto done = co_await write<bool>([&](store::WriteTx& tx) -> Result<bool> {
          REDRESS_CHECK(views.remove(tx, actor, view_id));
          return true;
        });
        if (!done) co_return problem(done.error());
        co_return json_response(200, Json{{"deleted", view_id}});
      });
}

}  // namespace redress::http
