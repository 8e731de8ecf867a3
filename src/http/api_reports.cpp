// Routes for reports: the dashboard, the management review and its training needs.
#include <boost/asio/post.hpp>

#include "app/reports.h"
#include "app/review.h"
#include "http/api.h"
#include "http/api_helpers.h"
#include "http/await.h"
#include "http/problem.h"
#include "http/requests.h"
#include "reports/board.h"
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

// from/to of a warning record or ranking: the six full months before this
// one by default; `from` alone runs to now.
Result<std::pair<Instant, Instant>> record_period(const Request& r, Instant now) {
  auto range = read_time_range(r);
  if (!range) return fail(range.error());
  const auto [default_from, default_to] = app::ManagementReview::default_period(now);
  const Instant from = range->from.value_or(default_from);
  Instant to = range->to.value_or(default_to);
  if (range->from && !range->to && to <= from) to = now;
  return std::pair{from, to};
}

}  // namespace

void Api::register_reports(Router& router) {
  add(router, "GET", "/api/v1/reports/departments/:id/warnings", "reports",
      "The service-quality warning record of a department and its sub-departments: every "
      "founded complaint received in [from, to) with severity, repeat flag and outcome, counts "
      "and the monthly trend. Directors, QA, administrators and the department's supervisors.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        auto id = number_param(r, "id");
        if (!id) co_return problem(Error::not_found("department"));
        auto period = record_period(r, clock_.now());
        if (!period) co_return problem(period.error());
        app::Insight insight(clock_, options_.insight);
        auto doc = store_.read<nlohmann::json>([&](const store::ReadTx& tx) {
          return insight.warning_record(tx, who->actor, DepartmentId{*id}, period->first,
                                        period->second);
        });
        if (!doc) co_return problem(doc.error());
        co_return json_response(200, *doc);
      });
  add(router, "GET", "/api/v1/reports/departments/warnings", "reports",
      "Every department ranked by its founded complaints received in [from, to), with the major "
      "and repeated ones. Directors, QA and administrators.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        if (auto allowed = app::Insight::require_organisation_reader(who->actor); !allowed) {
          co_return problem(allowed.error());
        }
        auto period = record_period(r, clock_.now());
        if (!period) co_return problem(period.error());
        app::Insight insight(clock_, options_.insight);
        auto doc = store_.read<nlohmann::json>([&](const store::ReadTx& tx) {
          return insight.warning_ranking(tx, who->actor, period->first, period->second);
        });
        if (!doc) co_return problem(doc.error());
        co_return json_response(200, *doc);
      });
  add(router, "GET", "/api/v1/reports/hotspots", "reports",
      "Categories, objects and root causes whose count in the recent window [from, to) "
      "(default: the last 30 days) rises significantly over the baseline before it; recurring "
      "and influential complaints of the window. Staff, within their department scope.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        auto range = read_time_range(r);
        if (!range) co_return problem(range.error());
        app::Insight insight(clock_, options_.insight);
        auto doc = store_.read<nlohmann::json>([&](const store::ReadTx& tx) {
          return insight.hotspots(tx, who->actor, range->from, range->to);
        });
        if (!doc) co_return problem(doc.error());
        co_return json_response(200, *doc);
      });
  add(router, "GET", "/api/v1/reports/board", "reports",
      "The board report: flagged hotspots, influential and recurring complaints and the "
      "departments with the most founded complaints over the recent window, as format=json "
      "(default) or pdf, in lang. Directors, QA and administrators.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        if (auto allowed = app::Insight::require_organisation_reader(who->actor); !allowed) {
          co_return problem(allowed.error());
        }
        auto range = read_time_range(r);
        if (!range) co_return problem(range.error());
        std::string lang = std::string(r.query_param("lang").value_or(
            app::is_report_language(who->user.language) ? who->user.language : "en"));
        const std::string format = std::string(r.query_param("format").value_or("json"));
        if (format != "json" && format != "pdf") {
          co_return problem(Error::invalid("format", "must be one of json, pdf"));
        }
        app::Insight insight(clock_, options_.insight);
        auto doc = store_.read<nlohmann::json>([&](const store::ReadTx& tx) {
          return insight.board(tx, who->actor, range->from, range->to, lang);
        });
        if (!doc) co_return problem(doc.error());
        if (format == "json") co_return json_response(200, *doc);
        auto body = co_await await_callback<std::string>(
            [&](std::move_only_function<void(std::string)> done) {
              boost::asio::post(slow_pool_, [&, done = std::move(done)]() mutable {
                done(reports::board_pdf(*doc));
              });
            });
        Response resp = Response::text(200, std::move(body), "application/pdf");
        const std::string period = (*doc)["period"]["from"].get<std::string>().substr(0, 10) + "-" +
                                   (*doc)["period"]["last_day"].get<std::string>();
        resp.with_header("Content-Disposition",
                         "attachment; filename=\"board-" + period + "-" + lang + ".pdf\"");
        co_return resp;
      });
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
        // Hotspots past the threshold over the recent window ending at `to` (or now).
        app::Insight insight(clock_, options_.insight);
        auto spots = store_.read<nlohmann::json>([&](const store::ReadTx& tx) {
          return insight.hotspots(tx, who->actor, std::nullopt, to, false);
        });
        if (!spots) co_return problem(spots.error());
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
                        {"resolution", compliance_json(d->resolution)}}},
                      {"hotspots",
                       {{"window", (*spots)["window"]},
                        {"test", (*spots)["test"]},
                        {"flagged", (*spots)["flagged"]}}}});
      });
}

}  // namespace redress::http
