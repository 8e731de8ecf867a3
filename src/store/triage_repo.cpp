#include "store/triage_repo.h"

#include <algorithm>

namespace redress::store {

Result<std::int64_t> TriageRepo::add_model(Instant trained_at, std::int64_t examples,
                                           const std::string& summary,
                                           const std::string& model_base64) {
  REDRESS_TRY(auto rows,
              s_.query("INSERT INTO triage_models (trained_at, examples, summary, "
                       "model) VALUES ($1, $2, $3, $4) RETURNING version",
                       params(to_epoch_ms(trained_at), examples, summary, model_base64)));
  return rows.at(0).i64(0);
}

Result<std::optional<TriageModelInfo>> TriageRepo::latest() const {
  REDRESS_TRY(auto rows, s_.query("SELECT version, trained_at, examples, summary FROM "
                                  "triage_models ORDER BY version DESC LIMIT 1",
                                  {}));
  if (rows.empty()) return std::optional<TriageModelInfo>{};
  const SqlRow& r = rows[0];
  return std::optional<TriageModelInfo>(TriageModelInfo{.version = r.i64(0),
                                                        .trained_at = from_epoch_ms(r.i64(1)),
                                                        .examples = r.i64(2),
                                                        .summary = r.text(3)});
}

Result<std::string> TriageRepo::model(std::int64_t version) const {
  REDRESS_TRY(auto rows,
              s_.query("SELECT model FROM triage_models WHERE version = $1", params(version)));
  if (rows.empty()) return fail(Error::not_found("triage model " + std::to_string(version)));
  return rows[0].text(0);
}

Result<std::vector<TriageTrainingRow>> TriageRepo::training_rows(
    std::int64_t limit, std::int64_t max_description_chars) const {
  // CAST: PostgreSQL's substr takes an integer, and the parameter binds as a
  // bigint.
  REDRESS_TRY(auto rows,
              s_.query("SELECT subject, substr(description, 1, CAST($2 AS INTEGER)), category, "
                       "department_id, urgency FROM complaints WHERE category IS NOT NULL OR "
                       "department_id IS NOT NULL OR urgency IS NOT NULL ORDER BY id DESC "
                       "LIMIT $1",
                       params(limit, std::max<std::int64_t>(1, max_description_chars))));
  std::vector<TriageTrainingRow> out;
  out.reserve(rows.size());
  for (const SqlRow& r : rows) {
    TriageTrainingRow t;
    t.text = r.text(0);
    if (!t.text.empty()) t.text += '\n';
    t.text += r.text(1);
    t.category = r.text(2);
    t.department_id = r.opt_i64(3).value_or(0);
    t.urgency = r.text(4);
    out.push_back(std::move(t));
  }
  return out;
}

Status TriageRepo::add_suggestion(const StoredTriageSuggestion& s) {
  REDRESS_TRY(auto changed,
              s_.exec("INSERT INTO triage_suggestions (complaint_id, model_version, suggested_at, "
                      "suggestions) VALUES ($1, $2, $3, $4)",
                      params(s.complaint.value, s.model_version, to_epoch_ms(s.suggested_at),
                             s.suggestions)));
  (void)changed;
  return {};
}

Result<std::optional<StoredTriageSuggestion>> TriageRepo::suggestion(ComplaintId complaint) const {
  REDRESS_TRY(auto rows, s_.query("SELECT complaint_id, model_version, suggested_at, suggestions, "
                                  "outcome FROM triage_suggestions WHERE complaint_id = $1",
                                  params(complaint.value)));
  if (rows.empty()) return std::optional<StoredTriageSuggestion>{};
  const SqlRow& r = rows[0];
  return std::optional<StoredTriageSuggestion>(
      StoredTriageSuggestion{.complaint = ComplaintId{r.i64(0)},
                             .model_version = r.i64(1),
                             .suggested_at = from_epoch_ms(r.i64(2)),
                             .suggestions = r.text(3),
                             .outcome = r.opt_text(4)});
}

Result<std::vector<StoredTriageSuggestion>> TriageRepo::suggestions_of(
    std::span<const ComplaintId> ids) const {
  std::vector<StoredTriageSuggestion> out;
  if (ids.empty()) return out;
  std::vector<SqlValue> values;
  const std::string list = append_in_list(values, ids, [](ComplaintId c) { return c.value; });
  REDRESS_TRY(auto rows, s_.query("SELECT complaint_id, model_version, suggested_at, suggestions, "
                                  "outcome FROM triage_suggestions WHERE complaint_id IN (" +
                                      list + ") ORDER BY complaint_id",
                                  values));
  for (const SqlRow& r : rows) {
    out.push_back(StoredTriageSuggestion{.complaint = ComplaintId{r.i64(0)},
                                         .model_version = r.i64(1),
                                         .suggested_at = from_epoch_ms(r.i64(2)),
                                         .suggestions = r.text(3),
                                         .outcome = r.opt_text(4)});
  }
  return out;
}

Status TriageRepo::set_outcome(ComplaintId complaint, const std::string& outcome) {
  REDRESS_TRY(auto changed,
              s_.exec("UPDATE triage_suggestions SET outcome = $1 WHERE complaint_id = $2",
                      params(outcome, complaint.value)));
  (void)changed;
  return {};
}

}  // namespace redress::store
