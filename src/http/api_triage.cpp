// Routes for triage help: a complaint's suggestions, the model serving them,
// and retraining on demand (a job for the runner, so the request returns at
// once and intake never waits for training).
#include "app/admin.h"
#include "http/api.h"
#include "http/api_helpers.h"
#include "http/json_io.h"
#include "http/problem.h"

namespace redress::http {

void Api::register_triage(Router& router) {
  add(router, "GET", "/api/v1/complaints/:id/suggestions", "triage",
      "Category, department and urgency suggested at intake, with confidence, the model version, "
      "what to pre-fill and, after accept, what the agent chose.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        const ComplaintId id{number_param(r, "id").value_or(0)};
        auto view = store_.read<app::TriageView>([&](const store::ReadTx& tx) {
          return app::triage_view(tx, who->actor, id, triage_->options());
        });
        if (!view) co_return problem(view.error());
        Json j{
            {"complaint_id", id.value},
            {"model_version", view->model_version > 0 ? Json(view->model_version) : Json(nullptr)},
            {"suggested_at",
             view->model_version > 0 ? Json(format_iso8601(view->suggested_at)) : Json(nullptr)},
            {"prefill_threshold", triage_->options().prefill_threshold},
            {"suggestions", view->suggestions},
            {"prefill", view->prefill},
            {"outcome", view->outcome ? *view->outcome : Json(nullptr)}};
        co_return json_response(200, j);
      });
  add(router, "GET", "/api/v1/complaints/:id/duplicates", "triage",
      "Likely duplicates flagged at intake: earlier complaints this one resembles "
      "(duplicate_of, merge targets) and later ones that resemble it (duplicated_by), with score, "
      "reasons and links.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        const ComplaintId id{number_param(r, "id").value_or(0)};
        auto links = store_.read<std::vector<app::DuplicateLink>>(
            [&](const store::ReadTx& tx) { return app::duplicate_links(tx, who->actor, id); });
        if (!links) co_return problem(links.error());
        Json items = Json::array();
        for (const app::DuplicateLink& l : *links) {
          items.push_back({{"complaint_id", l.other.value},
                           {"relation", l.relation},
                           {"score", l.score},
                           {"reasons", l.reasons},
                           {"flagged_at", format_iso8601(l.flagged_at)},
                           {"tracking_code", l.tracking_code},
                           {"subject", l.subject},
                           {"state", to_string(l.state)},
                           {"received_at", format_iso8601(l.received_at)},
                           {"href", "/api/v1/complaints/" + std::to_string(l.other.value)}});
        }
        co_return json_response(200, Json{{"complaint_id", id.value},
                                          {"window_days", options_.duplicates.window_days},
                                          {"threshold", options_.duplicates.threshold},
                                          {"items", items}});
      });
  add(router, "GET", "/api/v1/triage/model", "triage",
      "The newest stored triage model (version, training time, examples and labels per field) "
      "and the version this server is serving.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        auto latest = store_.read<std::optional<store::TriageModelInfo>>(
            [](const store::ReadTx& tx) { return tx.triage().latest(); });
        if (!latest) co_return problem(latest.error());
        const auto serving = triage_->current();
        Json j{{"serving_version", serving ? Json(serving->version) : Json(nullptr)},
               {"latest", nullptr}};
        if (*latest) {
          const Json summary = Json::parse((*latest)->summary, nullptr, false);
          j["latest"] = Json{{"version", (*latest)->version},
                             {"trained_at", format_iso8601((*latest)->trained_at)},
                             {"examples", (*latest)->examples},
                             {"summary", summary.is_discarded() ? Json(nullptr) : summary}};
        }
        co_return json_response(200, j);
      });
  add(router, "POST", "/api/v1/triage/train", "triage",
      "Retrain the triage model now (admin): queues a job and answers 202 with its id.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        // The lambda captures by reference: g++ 12 destroys a co_await operand's
        // temporaries twice, which is harmless only without owning captures.
        const Actor actor = who->actor;
        auto job = co_await write<std::int64_t>([&](store::WriteTx& tx) -> Result<std::int64_t> {
          REDRESS_CHECK(app::Admin::require_admin(actor));
          const Instant now = clock_.now();
          return tx.jobs().enqueue(app::kTriageTrainJob, "{\"on_demand\":true}", now, now);
        });
        if (!job) co_return problem(job.error());
        co_return json_response(202, Json{{"job_id", *job}, {"kind", app::kTriageTrainJob}});
      });
}

}  // namespace redress::http
