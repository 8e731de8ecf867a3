// Triage help (SPEC §6): category, department and urgency suggested at
// intake by classifiers trained on the organisation's own confirmed
// complaints (src/triage does the learning; this file is the use case).
//
// Serving: TriageService holds the current model behind a shared_ptr that is
// swapped whole, so a request keeps the model it started with while a new
// one is installed, and training never blocks intake (it runs on the job
// runner's thread or in `redress triage train`, outside any transaction).
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/access.h"
#include "core/records.h"
#include "store/store.h"
#include "triage/classifier.h"
#include "triage/fasttext_learner.h"

namespace redress::app {

// The job kind that retrains the model (jobs/TriageTrainHandler). Payload
// {"nightly": true} for the recurring run, which schedules its successor;
// {"on_demand": true} for POST /api/v1/triage/train.
inline constexpr const char* kTriageTrainJob = "triage.train";

// When the nightly retraining runs: the next 02:00 UTC strictly after `now`.
Instant next_nightly_training(Instant now);

// Queues the nightly retraining unless one is already pending (serve calls
// it at start, so a fresh database gets its schedule).
Status ensure_nightly_training(store::WriteTx& tx, Instant now);

struct TriageOptions {
  // A top suggestion at or above this confidence pre-fills its field; below
  // it the agent sees the list but nothing is filled in.
  double prefill_threshold = 0.5;
  std::size_t top = 3;                         // suggestions kept per field
  std::size_t min_examples = 10;               // per field, else that field gets no model
  std::int64_t max_training_rows = 1'000'000;  // newest confirmed complaints
  triage::TrainOptions train = default_train_options();
  // Above this many texts the fields are learned by one fastText model
  // (triage::FastTextFields) instead of LIBLINEAR: measured from 100,000
  // complaints up it is as accurate at a third of the time, while on small
  // sets LIBLINEAR is the more accurate (bench/README.md, "Training time").
  // LIBLINEAR takes 35 s for the three fields at this size on two cores,
  // 62 s at 300,000; so no training takes much over a minute.
  std::size_t fasttext_min_rows = 200'000;
  triage::FastTextOptions fasttext = large_set_options();

  // The learner's settings for the product: as measured (docs/triage.md),
  // with a smaller vocabulary than the evaluation's so a model row stays a
  // few megabytes.
  static triage::TrainOptions default_train_options() {
    triage::TrainOptions t;
    t.max_features = 1U << 17;
    return t;
  }
  // fastText for large sets: 3 epochs of 10-dimensional vectors over words
  // and word bigrams hashed into 2^18 buckets, no subwords (on large sets
  // words suffice, as for LIBLINEAR's character n-grams). Measured at 300,000
  // and 1M complaints, 5 epochs or 2^20 buckets are no more accurate and
  // take longer or store a larger model (bench/README.md).
  static triage::FastTextOptions large_set_options() {
    triage::FastTextOptions f;
    f.epochs = 3;
    f.dimension = 10;
    f.char_min = 0;
    f.char_max = 0;
    f.buckets = 1 << 18;
    return f;
  }
};

// One version of the organisation's classifiers. A field without enough
// confirmed examples has no classifier.
struct TriageModel {
  std::int64_t version = 0;
  std::optional<triage::Classifier> category;
  std::optional<triage::Classifier> department;  // labels are department ids
  std::optional<triage::Classifier> urgency;
  // Instead of the three above when the fields were learned together by
  // fastText (TriageOptions::fasttext_min_rows): one model, and which of its
  // fields is category, department and urgency (-1: that field has none).
  std::optional<triage::FastTextFields> fasttext;
  std::array<int, 3> fasttext_field{-1, -1, -1};

  // Binary form (stored base64 in triage_models.model), and back;
  // invalid_argument on bytes it did not write. serialize() fails only for
  // a fastText model whose scratch file cannot be written (internal).
  Result<std::string> serialize() const;
  static Result<TriageModel> deserialize(std::string_view bytes);
};

struct Suggestion {
  std::string value;  // category code, department id (decimal) or urgency name
  double confidence = 0;
};

struct Suggestions {
  std::int64_t model_version = 0;
  std::vector<Suggestion> category, department, urgency;
};

// The model's suggestions for a complaint's subject and description, `top`
// per field. Pure; thread-safe.
Suggestions suggest(const TriageModel& model, std::string_view subject,
                    std::string_view description, std::size_t top);

// The serving side: the current model, swapped atomically.
class TriageService {
 public:
  explicit TriageService(TriageOptions options = {}) : options_(options) {}

  // The model now serving (null before the first one). Thread-safe.
  std::shared_ptr<const TriageModel> current() const { return model_.load(); }
  // Installs `model` unless the one serving is as new or newer. Thread-safe;
  // requests that already hold the old model finish with it.
  void install(const std::shared_ptr<const TriageModel>& model);
  // Suggestions of the current model, or nullopt when there is none.
  std::optional<Suggestions> suggest(std::string_view subject, std::string_view description) const;
  // Loads the store's newest model if it is newer than the one serving;
  // returns the version serving afterwards (0: none).
  Result<std::int64_t> refresh(store::Store& store);
  const TriageOptions& options() const { return options_; }

 private:
  TriageOptions options_;
  std::atomic<std::shared_ptr<const TriageModel>> model_;
};

struct TrainingSummary {
  std::int64_t version = 0;   // 0 when nothing could be trained
  std::int64_t examples = 0;  // confirmed complaints read
  double seconds = 0;
  nlohmann::json fields;  // per field: examples and labels, or why there is no model
};

// Trains a new model from the confirmed complaints in `store` and stores it
// as the next version (read, train and write are three steps: the training
// itself holds no transaction). When no field has enough examples, nothing
// is stored and version is 0. `install_into`, when given, serves the new
// model as soon as it is committed.
Result<TrainingSummary> train_and_store(store::Store& store, const Clock& clock,
                                        const TriageOptions& options, TriageService* install_into);

// The row that records the suggestions `s` made for a new complaint at
// `now` (TriageRepo::add_suggestion, in its intake transaction; see
// app/intake_signals.h).
store::StoredTriageSuggestion stored_suggestion(ComplaintId complaint, const Suggestions& s,
                                                Instant now);

// At accept: what was suggested against what the agent chose, per field,
// written to the complaint's suggestion row (nothing when it has none) and
// returned for the accept event. Complaint `c` carries the chosen values.
Result<std::optional<nlohmann::json>> record_triage_outcome(store::WriteTx& tx, const Complaint& c);

// The categories and departments retired from the directory. Suggestions
// naming them are not shown (no form offers a retired value, so suggesting or
// pre-filling one would only lead to a refusal); the stored suggestions keep
// them, since they are what the model said.
struct RetiredValues {
  std::set<std::string> categories;
  std::set<std::int64_t> departments;
};
Result<RetiredValues> retired_values(const store::ReadTx& tx);
// Only the retired category codes (the queue's suggestion badge needs no more).
Result<std::set<std::string>> retired_categories(const store::ReadTx& tx);

// What GET /api/v1/complaints/{id}/suggestions shows.
struct TriageView {
  std::int64_t model_version = 0;  // 0: no suggestions were made
  Instant suggested_at;
  nlohmann::json suggestions;  // per field: [{value, confidence}] (department ids as numbers)
  // Per field, the value to pre-fill, when the top suggestion reaches the
  // threshold, the field is still empty (urgency: or the suggestion is
  // higher than the urgency set — a suggestion never lowers it).
  nlohmann::json prefill;
  std::optional<nlohmann::json> outcome;
};

// The suggestions of complaint `id` for `actor` (not_found outside the
// actor's scope). When no model was serving at its intake, model_version is
// 0 and the lists are empty.
Result<TriageView> triage_view(const store::ReadTx& tx, const Actor& actor, ComplaintId id,
                               const TriageOptions& options);

}  // namespace redress::app
