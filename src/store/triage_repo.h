// Triage models and suggestions (migration 0006). A model row is one
// version of the organisation's classifiers; a suggestion row is what the
// model proposed for one complaint at intake and, after accept, what the
// agent chose.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/time.h"
#include "store/sql.h"

namespace redress::store {

struct TriageModelInfo {
  std::int64_t version = 0;
  Instant trained_at;
  std::int64_t examples = 0;
  std::string summary;  // JSON object
};

struct StoredTriageSuggestion {
  ComplaintId complaint;
  std::int64_t model_version = 0;
  Instant suggested_at;
  std::string suggestions;             // JSON object
  std::optional<std::string> outcome;  // JSON object, after accept
};

// One confirmed complaint as training data. Fields a person has not set are
// empty (department_id 0).
struct TriageTrainingRow {
  std::string text;  // subject and description
  std::string category;
  std::int64_t department_id = 0;
  std::string urgency;
};

class TriageRepo {
 public:
  explicit TriageRepo(SqlSession& s) : s_(s) {}
  // Stores a new model; returns its version (increasing).
  Result<std::int64_t> add_model(Instant trained_at, std::int64_t examples,
                                 const std::string& summary, const std::string& model_base64);
  // The newest model's metadata (no weights), if any.
  Result<std::optional<TriageModelInfo>> latest() const;
  // The weights (base64) of `version`; not_found if it does not exist.
  Result<std::string> model(std::int64_t version) const;
  // Complaints with at least one confirmed field (category, department or
  // urgency set), newest first, at most `limit`; each description cut to its
  // first `max_description_chars` characters (at least 1), so a million rows
  // of long narratives do not all sit in memory whole.
  Result<std::vector<TriageTrainingRow>> training_rows(std::int64_t limit,
                                                       std::int64_t max_description_chars) const;

  // Records the suggestions made for a complaint at intake.
  Status add_suggestion(const StoredTriageSuggestion& s);
  Result<std::optional<StoredTriageSuggestion>> suggestion(ComplaintId complaint) const;
  // The suggestion rows of the complaints among `ids` (queue pages), in id order.
  Result<std::vector<StoredTriageSuggestion>> suggestions_of(
      std::span<const ComplaintId> ids) const;
  // Writes the outcome (suggested vs chosen) of a complaint's suggestions.
  Status set_outcome(ComplaintId complaint, const std::string& outcome);

 private:
  SqlSession& s_;
};

}  // namespace redress::store
