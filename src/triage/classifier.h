#pragma once
// A text classifier: TF-IDF features (features.h) and one-vs-rest linear
// models learned by LIBLINEAR. Serving reads the learned weights directly
// (a sparse dot product per class), so a prediction allocates little and
// takes microseconds; the model stores as one byte string (a database BLOB).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "triage/features.h"

namespace redress::triage {

// The LIBLINEAR solver. Logistic regression gives probabilities that are
// meaningful as confidences; the SVM is measured as an alternative
// (docs/triage.md).
enum class Solver {
  logistic_regression,       // L2R_LR (primal trust-region Newton; deterministic)
  logistic_regression_dual,  // L2R_LR_DUAL (dual coordinate descent)
  linear_svm,                // L2R_L2LOSS_SVC_DUAL
  linear_svm_primal,         // L2R_L2LOSS_SVC (primal trust-region Newton; deterministic)
};

// Training parameters. The defaults are the measured best (docs/triage.md).
struct TrainOptions {
  FeatureOptions features;
  std::uint32_t min_df = 2;             // a feature seen in one document only is noise
  std::size_t max_features = 1U << 19;  // bounds the model's size
  Solver solver = Solver::logistic_regression;
  double c = 10.0;  // LIBLINEAR's C (inverse regularisation)
  // LIBLINEAR's stopping tolerance. 0.1, not LIBLINEAR's 0.01: measured
  // (bench/README.md) it stops the Newton iterations about 40 % sooner on
  // large sets at a cost of at most 0.005 weighted F1 (none on CFPB/TipDM).
  double epsilon = 0.1;
  // Class weights for each one-vs-rest problem: a label's examples weigh
  // (n / (2 n_label))^p and the rest (n / (2 (n - n_label)))^p. 0: all weigh
  // 1; 1: "balanced" (each side of the problem weighs as much in total).
  double class_weight_power = 0;
  // Naive-Bayes log-count ratios (Wang and Manning's NBSVM, without its
  // interpolation): in each one-vs-rest problem feature j's value is scaled
  // by r_j = ln(p_j / sum p) - ln(q_j / sum q), p_j (q_j) being 1 + the
  // number of the label's (the other labels') documents that have it; r is
  // folded into the stored weights, so serving is unchanged. Costs a copy
  // of the rows per problem while it trains.
  bool nb_scaling = false;
  // Character n-grams (features.char_min..char_max) only for training sets of
  // at most this many texts; larger sets train on word n-grams alone (0:
  // always use them). Character n-grams stand in for data (typos,
  // inflections, word forms seen once): measured, they add 3.4 points of
  // accuracy on 1,345 CFPB narratives but nothing on 100,000 complaints,
  // where they are three quarters of a row's non-zeros and so three
  // quarters of LIBLINEAR's passes over the rows (bench/README.md).
  std::size_t char_ngram_max_rows = 50'000;
  int threads = 2;  // the one-vs-rest problems are trained in parallel
};

// One labelled training text.
struct Example {
  std::string text;
  std::string label;
};

// A label with the model's confidence in it, in [0, 1]; the confidences of
// all labels sum to 1.
struct Scored {
  std::string label;
  double confidence = 0;
};

// A trained classifier. Immutable; predict() is thread-safe, so one instance
// can serve every request thread (held by shared_ptr and swapped whole).
class Classifier {
 public:
  // Learns from `examples` (at least one; labels must be non-empty).
  // invalid_argument when there are no examples or a label is empty. With a
  // single label the classifier always answers it with confidence 1.
  static Result<Classifier> train(std::span<const Example> examples, const TrainOptions& options);

  // Learns one classifier per field from the same texts: labels[f][i] is
  // text i's label in field f, empty when text i is not an example of f.
  // Features, vocabulary and LIBLINEAR's rows are built once for all fields
  // (the vocabulary is fitted on all texts), and the one-vs-rest problems of
  // every field share one pool of options.threads threads. The result is
  // the same, byte for byte, on any number of threads, and the same as
  // train() on the field's examples when every text has a label in every
  // field. invalid_argument when there is no field, a field has no
  // labelled text, or a label list is not as long as the texts.
  static Result<std::vector<Classifier>> train_fields(
      std::span<const std::string_view> texts,
      std::span<const std::vector<std::string_view>> labels, const TrainOptions& options);

  // Every label with its confidence, highest first (ties: label order).
  // `top` limits the list (0 = all).
  std::vector<Scored> predict(std::string_view text, std::size_t top = 0) const;

  // The labels, in the order the model knows them.
  const std::vector<std::string>& labels() const { return labels_; }
  // The features the model reads (as trained: character n-grams may be off,
  // see TrainOptions::char_ngram_max_rows).
  const FeatureOptions& features() const { return features_; }
  std::size_t feature_count() const { return vocabulary_.size(); }

  // A self-contained byte string, and back. deserialize() answers
  // invalid_argument on anything it did not write (wrong magic, version or
  // truncation) rather than reading past the end.
  std::string serialize() const;
  static Result<Classifier> deserialize(std::string_view bytes);

 private:
  FeatureOptions features_;
  Vocabulary vocabulary_;
  std::vector<std::string> labels_;
  std::vector<float> weights_;  // column-major by feature: weights_[column * K + k]
  std::vector<float> bias_;     // one per label
};

}  // namespace redress::triage
