// Routes for reports: the dashboard.
#include "app/reports.h"
#include "http/api.h"
#include "http/api_helpers.h"
#include "http/problem.h"
#include "http/requests.h"

namespace redress::http {

namespace {

Json counts_json(const std::vector<store::Count>& counts) {
  Json out = Json::array();
  for (const auto& c : counts) {
    out.push_back({{"key", c.key.empty() ? Json(nullptr) : Json(c.key)}, {"count", c.count}});
  }
  return out;
}

Json days_json(const std::vector<store::DayCount>& days) {
  Json out = Json::array();
  for (const auto& d : days) {
    const Instant day = from_epoch_ms(d.day * 86'400'000);
    out.push_back({{"date", format_iso8601(day).substr(0, 10)}, {"count", d.count}});
  }
  return out;
}

Json compliance_json(const app::SlaCompliance& c) {
  const auto rate = c.rate();
  return {{"met", c.met},
          {"breached", c.breached},
          {"running", c.running},
          {"rate", rate ? Json(*rate) : Json(nullptr)}};
}

}  // namespace

void Api::register_reports(Router& router) {
  add(router, "GET", "/api/v1/reports/dashboard", "reports",
      "Counts by state, urgency, department, category and channel; intake per day; SLA "
      "compliance; satisfaction — for complaints received in [from, to); resolutions per day "
      "within [from, to).",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        auto range = read_time_range(r);
        if (!range) co_return problem(range.error());
        const auto [from, to] = *range;
        app::Reports reports;
        auto d = store_.read<app::Dashboard>(
            [&](const store::ReadTx& tx) { return reports.dashboard(tx, who->actor, from, to); });
        if (!d) co_return problem(d.error());
        // Department ids get their names so the chart needs no second request.
        auto departments = store_.read<std::vector<Department>>(
            [](const store::ReadTx& tx) { return tx.directory().departments(); });
        Json by_department = counts_json(d->by_department);
        if (departments) {
          for (Json& item : by_department) {
            for (const Department& dep : *departments) {
              if (item["key"].is_string() && item["key"] == std::to_string(dep.id.value)) {
                item["label"] = dep.name;
              }
            }
          }
        }
        co_return json_response(
            200, Json{{"from", iso(d->from)},
                      {"to", iso(d->to)},
                      {"total", d->total},
                      {"open", d->open},
                      {"by_state", counts_json(d->by_state)},
                      {"by_urgency", counts_json(d->by_urgency)},
                      {"by_department", by_department},
                      {"by_category", counts_json(d->by_category)},
                      {"by_channel", counts_json(d->by_channel)},
                      {"received_per_day", days_json(d->received_per_day)},
                      {"resolved_per_day", days_json(d->resolved_per_day)},
                      {"satisfaction",
                       {{"scores", counts_json(d->satisfaction)},
                        {"average", d->satisfaction_average ? Json(*d->satisfaction_average)
                                                            : Json(nullptr)}}},
                      {"sla_compliance",
                       {{"first_response", compliance_json(d->first_response)},
                        {"resolution", compliance_json(d->resolution)}}}});
      });
}

}  // namespace redress::http
