// Routes for SLA administration (calendars, SLA policies), a complaint's SLA
// clocks, and the outbox of notifications (delivery state for admins).
#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "core/duration.h"
#include "http/api.h"
#include "http/api_helpers.h"
#include "http/json_io.h"
#include "http/problem.h"
#include "http/requests.h"

namespace redress::http {

namespace {

Json calendar_json(const BusinessCalendar& c) {
  Json hours = Json::object();
  for (std::size_t d = 0; d < 7; ++d) {
    Json periods = Json::array();
    for (const WorkingPeriod& p : c.week[d]) periods.push_back(format_working_period(p));
    hours[kDayNames[d]] = periods;
  }
  Json holidays = Json::array();
  for (const auto& h : c.holidays) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(h.year()),
                  static_cast<unsigned>(h.month()), static_cast<unsigned>(h.day()));
    holidays.push_back(buffer);
  }
  return {{"id", c.id},
          {"name", c.name},
          {"time_zone", c.time_zone},
          {"working_hours", hours},
          {"holidays", holidays}};
}

Json duration_json(const std::optional<Millis>& d) {
  return d ? Json(format_iso8601_duration(*d)) : Json(nullptr);
}

Json sla_policy_json(const SlaPolicy& p) {
  Json targets = Json::object();
  for (const auto& [state, d] : p.state_targets) {
    targets[std::string(to_string(state))] = format_iso8601_duration(d);
  }
  return {{"id", p.id},
          {"name", p.name},
          {"urgency", p.urgency ? Json(to_string(*p.urgency)) : Json(nullptr)},
          {"category", p.category ? Json(*p.category) : Json(nullptr)},
          {"first_response", duration_json(p.first_response)},
          {"resolution", duration_json(p.resolution)},
          {"state_targets", targets},
          {"warning_percent", p.warning_percent},
          {"director_percent", p.director_percent},
          {"calendar_id", p.calendar_id ? Json(*p.calendar_id) : Json(nullptr)}};
}

Json clock_json(const store::SlaClock& c, Instant now) {
  std::string status = "running";
  if (c.stopped_at) {
    status = c.breached_at ? "stopped_after_breach" : "met";
  } else if (c.paused_at) {
    status = "paused";
  } else if (c.breached_at || now >= c.due_at) {
    status = "breached";
  } else if (now >= c.warn_at) {
    status = "warning";
  }
  return {{"id", c.id},
          {"kind", to_string(c.kind)},
          {"state", c.state ? Json(to_string(*c.state)) : Json(nullptr)},
          {"sla_policy_id", c.policy_id ? Json(*c.policy_id) : Json(nullptr)},
          {"calendar_id", c.calendar_id ? Json(*c.calendar_id) : Json(nullptr)},
          {"target", format_iso8601_duration(c.target)},
          {"started_at", format_iso8601(c.started_at)},
          {"warn_at", format_iso8601(c.warn_at)},
          {"due_at", format_iso8601(c.due_at)},
          {"director_at", format_iso8601(c.director_at)},
          {"paused_at", iso(c.paused_at)},
          {"paused", format_iso8601_duration(c.paused)},
          {"stopped_at", iso(c.stopped_at)},
          {"warned_at", iso(c.warned_at)},
          {"breached_at", iso(c.breached_at)},
          {"director_notified_at", iso(c.director_notified_at)},
          {"status", status}};
}

// An outbox row for administrators; secrets in the payload (the portal
// access token of an unsent acknowledgement) are left out.
Json outbox_json(const store::OutboxMessage& m) {
  Json payload = Json::parse(m.payload, nullptr, false);
  if (payload.is_object()) payload.erase("access_token");
  return {{"id", m.id},
          {"kind", m.kind},
          {"channel", m.channel},
          {"complaint_id", m.complaint ? Json(m.complaint->value) : Json(nullptr)},
          {"recipient", m.recipient},
          {"language", m.language},
          {"state", m.state},
          {"attempts", m.attempts},
          {"last_error", m.last_error},
          {"message_id", m.message_id},
          {"created_at", format_iso8601(m.created_at)},
          {"sent_at", iso(m.sent_at)},
          {"payload", payload.is_discarded() ? Json(nullptr) : payload}};
}

}  // namespace

void Api::register_sla(Router& router) {
  // Staff read; `fetch` runs in a read snapshot.
  auto list = [this, &router](std::string path, std::string summary, auto fetch) {
    add(router, "GET", path, "sla", std::move(summary), [this, fetch](Request& r) -> Awaitable {
      auto who = authenticate(r, false);
      if (!who) co_return problem(who.error());
      auto items = store_.read<Json>(
          [&](const store::ReadTx& tx) -> Result<Json> { return fetch(tx, who->actor, r); });
      if (!items) co_return problem(items.error());
      co_return json_response(200, *items);
    });
  };
  // Admin writes: parse with `build`, apply in one transaction.
  auto change = [this, &router](std::string method, std::string path, std::string summary,
                                auto build, auto apply, int status) {
    add(router, method, path, "sla", std::move(summary),
        [this, build, apply, status](Request& r) -> Awaitable {
          auto who = authenticate(r, true);
          if (!who) co_return problem(who.error());
          Json body = Json::object();
          if (r.method != "DELETE") {
            auto parsed = parse_json_object(r.body);
            if (!parsed) co_return body_problem(parsed.error());
            body = std::move(*parsed);
          }
          std::vector<FieldError> errors;
          FieldReader f(body, errors);
          auto input = build(f, r);
          if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
          auto out = co_await write<Json>(
              [&](store::WriteTx& tx) { return apply(tx, who->actor, std::move(input)); });
          if (!out) co_return problem(out.error());
          co_return json_response(status, *out);
        });
  };

  list("/api/v1/calendars", "Business calendars (working hours, holidays, time zone).",
       [this](const store::ReadTx& tx, const Actor& a, const Request&) -> Result<Json> {
         REDRESS_TRY(auto rows, sla_.calendars(tx, a));
         Json items = Json::array();
         for (const auto& c : rows) items.push_back(calendar_json(c));
         return Json{{"items", items}};
       });
  change(
      "POST", "/api/v1/calendars", "Add a business calendar.",
      [](FieldReader& f, const Request&) { return read_calendar(f); },
      [this](store::WriteTx& tx, const Actor& a, BusinessCalendar c) -> Result<Json> {
        REDRESS_TRY(auto out, sla_.add_calendar(tx, a, std::move(c)));
        return calendar_json(out);
      },
      201);
  change(
      "PUT", "/api/v1/calendars/:id", "Replace a business calendar.",
      [](FieldReader& f, const Request& r) {
        BusinessCalendar c = read_calendar(f);
        c.id = number_param(r, "id").value_or(0);
        return c;
      },
      [this](store::WriteTx& tx, const Actor& a, BusinessCalendar c) -> Result<Json> {
        REDRESS_TRY(auto out, sla_.update_calendar(tx, a, std::move(c)));
        return calendar_json(out);
      },
      200);

  list("/api/v1/sla-policies", "SLA targets per urgency and category (ISO 8601 durations).",
       [this](const store::ReadTx& tx, const Actor& a, const Request&) -> Result<Json> {
         REDRESS_TRY(auto rows, sla_.policies(tx, a));
         Json items = Json::array();
         for (const auto& p : rows) items.push_back(sla_policy_json(p));
         return Json{{"items", items}};
       });
  change(
      "POST", "/api/v1/sla-policies", "Add an SLA policy.",
      [](FieldReader& f, const Request&) { return read_sla_policy(f); },
      [this](store::WriteTx& tx, const Actor& a, SlaPolicy p) -> Result<Json> {
        REDRESS_TRY(auto out, sla_.add_policy(tx, a, std::move(p)));
        return sla_policy_json(out);
      },
      201);
  change(
      "PUT", "/api/v1/sla-policies/:id", "Replace an SLA policy (running clocks re-target).",
      [](FieldReader& f, const Request& r) {
        SlaPolicy p = read_sla_policy(f);
        p.id = number_param(r, "id").value_or(0);
        return p;
      },
      [this](store::WriteTx& tx, const Actor& a, SlaPolicy p) -> Result<Json> {
        REDRESS_TRY(auto out, sla_.update_policy(tx, a, std::move(p)));
        return sla_policy_json(out);
      },
      200);
  change(
      "DELETE", "/api/v1/sla-policies/:id", "Delete an SLA policy.",
      [](FieldReader&, const Request& r) { return number_param(r, "id").value_or(0); },
      [this](store::WriteTx& tx, const Actor& a, std::int64_t id) -> Result<Json> {
        REDRESS_CHECK(sla_.delete_policy(tx, a, id));
        return Json{{"deleted", id}};
      },
      200);

  list("/api/v1/complaints/:id/sla", "The complaint's SLA clocks and their deadlines.",
       [this](const store::ReadTx& tx, const Actor& a, const Request& r) -> Result<Json> {
         REDRESS_TRY(auto rows, sla_.clocks(tx, a, ComplaintId{number_param(r, "id").value_or(0)}));
         const Instant now = clock_.now();
         Json items = Json::array();
         for (const auto& c : rows) items.push_back(clock_json(c, now));
         return Json{{"items", items}};
       });

  list("/api/v1/inbound-mail",
       "E-mail in (admin): every IMAP message handled and what became of it; "
       "?outcome=opened|threaded|ignored|duplicate|failed, limit, cursor.",
       [this](const store::ReadTx& tx, const Actor& a, const Request& r) -> Result<Json> {
         REDRESS_CHECK(app::Admin::require_admin(a));
         REDRESS_TRY(auto q, read_inbound_mail_query(r));
         REDRESS_TRY(auto rows, tx.inbound_mail().list(q.state, q.before, q.limit));
         Json items = Json::array();
         for (const auto& m : rows) {
           items.push_back(Json{{"id", m.id},
                                {"mailbox", m.mailbox},
                                {"uidvalidity", m.uidvalidity},
                                {"uid", m.uid},
                                {"message_id", m.message_id},
                                {"from", m.from_address},
                                {"subject", m.subject},
                                {"outcome", m.outcome},
                                {"reason", m.reason},
                                {"complaint_id", m.complaint ? Json(m.complaint->value) : Json()},
                                {"received_at", format_iso8601(m.received_at)}});
         }
         Json out{{"items", items}, {"imap", Json{{"mailboxes", options_.imap_mailboxes}}}};
         if (static_cast<int>(rows.size()) == q.limit) {
           out["next_cursor"] = std::to_string(rows.back().id);
         }
         return out;
       });

  list("/api/v1/outbox",
       "Notifications and their delivery (admin): ?state=pending|sent|dead, limit, cursor.",
       [this](const store::ReadTx& tx, const Actor& a, const Request& r) -> Result<Json> {
         REDRESS_CHECK(app::Admin::require_admin(a));
         REDRESS_TRY(auto q, read_outbox_query(r));
         const int limit = q.limit;
         REDRESS_TRY(auto rows, tx.outbox().list(q.state, q.before, limit));
         REDRESS_TRY(auto counts, tx.outbox().counts());
         Json items = Json::array();
         for (const auto& m : rows) items.push_back(outbox_json(m));
         Json by_state{{"pending", 0}, {"sent", 0}, {"dead", 0}};
         for (const auto& [s, n] : counts) by_state[s] = n;
         Json smtp{{"configured", options_.smtp_configured}};
         if (options_.smtp_configured) {
           smtp["server"] = options_.smtp_server;
           smtp["from"] = options_.mail_from;
         }
         Json out{{"items", items},
                  {"counts", by_state},
                  {"smtp", smtp},
                  {"delivery", options_.smtp_configured
                                   ? "delivering over SMTP"
                                   : "queued: no SMTP server is configured (REDRESS_SMTP_URL); "
                                     "mail stays in the outbox until one is"}};
         if (static_cast<int>(rows.size()) == limit) {
           out["next_cursor"] = std::to_string(rows.back().id);
         }
         return out;
       });
}

}  // namespace redress::http
