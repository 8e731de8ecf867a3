// Routes for reports: the dashboard, the management review and its training needs.
#include <boost/asio/post.hpp>

#include "app/reports.h"
#include "app/review.h"
#include "http/api.h"
#include "http/api_helpers.h"
#include "http/await.h"
#include "http/problem.h"
#include "http/requests.h"
#include "reports/management_review.h"

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

// The management review's parameters: from/to (default: the six full months
// before this one), lang (default: the caller's language, else en) and
// format among `formats`. Every bad parameter is named.
struct ReviewParams {
  app::ManagementReviewRequest request;
  std::string format;
};

Result<ReviewParams> read_review_params(const Request& r, const app::Authenticated& who,
                                        Instant now,
                                        std::initializer_list<std::string_view> formats) {
  ReviewParams out;
  auto range = read_time_range(r);
  if (!range) return fail(range.error());
  const auto [default_from, default_to] = app::ManagementReview::default_period(now);
  out.request.from = range->from.value_or(default_from);
  out.request.to = range->to.value_or(default_to);
  if (range->from && !range->to && out.request.to <= out.request.from) out.request.to = now;
  std::vector<FieldError> errors;
  if (auto lang = r.query_param("lang")) {
    out.request.language = std::string(*lang);
  } else {
    out.request.language =
        app::is_report_language(who.user.language) ? who.user.language : std::string("en");
  }
  out.format = std::string(r.query_param("format").value_or(*formats.begin()));
  if (std::find(formats.begin(), formats.end(), out.format) == formats.end()) {
    std::string allowed;
    for (auto f : formats) allowed += (allowed.empty() ? "" : ", ") + std::string(f);
    errors.push_back({"format", "must be one of " + allowed});
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  return out;
}

std::string review_filename(const app::ManagementReviewRequest& q, const char* stem,
                            const char* ext) {
  return std::string("attachment; filename=\"") + stem + "-" +
         format_iso8601(q.from).substr(0, 10) + "-" + format_iso8601(q.to).substr(0, 10) + "-" +
         q.language + "." + ext + "\"";
}

}  // namespace

void Api::register_reports(Router& router) {
  add(router, "GET", "/api/v1/reports/management-review", "reports",
      "The management review of complaints received in [from, to) (default: the six full months "
      "before this one) in lang, as format=json (default), pdf or xlsx. Directors, QA and "
      "administrators.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        if (auto allowed = app::ManagementReview::require_reader(who->actor); !allowed) {
          co_return problem(allowed.error());
        }
        auto params = read_review_params(r, *who, clock_.now(), {"json", "pdf", "xlsx"});
        if (!params) co_return problem(params.error());
        app::ManagementReview review(clock_);
        auto doc = store_.read<nlohmann::json>(
            [&](const store::ReadTx& tx) { return review.build(tx, who->actor, params->request); });
        if (!doc) co_return problem(doc.error());
        if (params->format == "json") co_return json_response(200, *doc);
        // Drawing and zipping take tens of milliseconds: off the I/O thread.
        const bool pdf = params->format == "pdf";
        auto body = co_await await_callback<Result<std::string>>(
            [&](std::move_only_function<void(Result<std::string>)> done) {
              boost::asio::post(slow_pool_, [&, done = std::move(done)]() mutable {
                if (pdf) {
                  done(reports::management_review_pdf(*doc));
                } else {
                  done(reports::management_review_xlsx_bytes(*doc));
                }
              });
            });
        if (!body) co_return problem(body.error());
        Response resp = Response::text(
            200, std::move(*body),
            pdf ? "application/pdf"
                : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        resp.with_header(
            "Content-Disposition",
            review_filename(params->request, "management-review", pdf ? "pdf" : "xlsx"));
        co_return resp;
      });
  add(router, "GET", "/api/v1/reports/training-needs", "reports",
      "Training needs of [from, to): people-family causes and service-attitude complaints by "
      "department and topic, as format=csv (default) or json. Directors, QA and administrators.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        if (auto allowed = app::ManagementReview::require_reader(who->actor); !allowed) {
          co_return problem(allowed.error());
        }
        auto params = read_review_params(r, *who, clock_.now(), {"csv", "json"});
        if (!params) co_return problem(params.error());
        app::ManagementReview review(clock_);
        auto doc = store_.read<nlohmann::json>(
            [&](const store::ReadTx& tx) { return review.build(tx, who->actor, params->request); });
        if (!doc) co_return problem(doc.error());
        if (params->format == "json") {
          co_return json_response(200, Json{{"period", (*doc)["period"]},
                                            {"training_needs", (*doc)["training_needs"]}});
        }
        Response resp =
            Response::text(200, app::training_needs_csv(*doc), "text/csv; charset=utf-8");
        resp.with_header("Content-Disposition",
                         review_filename(params->request, "training-needs", "csv"));
        co_return resp;
      });

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
