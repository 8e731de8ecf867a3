#pragma once
// fastText (libfasttext-dev), the learner for large training sets.
//
// FastTextFields is what the product trains above
// app::TriageOptions::fasttext_min_rows confirmed complaints: one model for
// all fields, one pass over the texts per epoch, a fraction of LIBLINEAR's
// time and memory at a million rows for the same accuracy (bench/README.md,
// "Training time"). FastTextClassifier (one field, softmax) is kept for
// `redress triage evaluate --learner fasttext`.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "triage/classifier.h"

namespace redress::triage {

struct FastTextOptions {
  text::Accents accents = text::Accents::keep;
  int epochs = 25;
  double learning_rate = 0.5;
  int dimension = 50;
  int word_ngrams = 2;
  int char_min = 2;  // fastText subwords; 0 switches them off
  int char_max = 4;
  int threads = 2;
  int min_count = 1;      // words seen fewer times are dropped
  int buckets = 1 << 20;  // hashed word n-grams (and subwords)
  // FastTextFields reads only the first this many bytes of a text (0: all),
  // as FeatureOptions::max_text_bytes.
  std::uint32_t max_text_bytes = 3000;
};

// A supervised fastText model over the tokenizer's terms (joined by spaces,
// so fastText's own whitespace splitting sees our terms). Training writes the
// examples to a temporary file, as fastText reads only files, and removes it.
class FastTextClassifier {
 public:
  static Result<FastTextClassifier> train(std::span<const Example> examples,
                                          const FastTextOptions& options);
  // Labels with fastText's softmax probabilities, highest first.
  std::vector<Scored> predict(std::string_view text, std::size_t top = 1) const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// Several fields learned by one fastText model: its labels are
// (field, label) pairs and its loss is one-vs-all (an independent logistic
// per label), so one pass over the texts trains every field, and a field's
// confidences are its labels' logistics normalised to sum to one, as
// Classifier's one-vs-rest LIBLINEAR models are read. Immutable once
// trained or read; predict() is thread-safe.
class FastTextFields {
 public:
  // labels[f][i] is text i's label in field f, empty when text i is not an
  // example of f (as Classifier::train_fields). Texts without any label are
  // skipped. invalid_argument when there is no field, a label list is not as
  // long as the texts, a field has fewer than two labels, or fastText
  // rejects the set; internal when the scratch file cannot be written (no
  // usable temporary directory). Deterministic with options.threads == 1
  // only (fastText updates its shared weights from every thread without
  // locks).
  static Result<FastTextFields> train(std::span<const std::string_view> texts,
                                      std::span<const std::vector<std::string_view>> labels,
                                      const FastTextOptions& options);

  std::size_t field_count() const;
  // Field f's labels, sorted.
  const std::vector<std::string>& labels(std::size_t field) const;
  // Per field, its labels with their confidences, highest first (at most
  // `top` of them; 0 = all).
  std::vector<std::vector<Scored>> predict(std::string_view text, std::size_t top = 0) const;

  // A self-contained byte string (our header, a checksum, fastText's own
  // model file), and back. serialize() answers internal when the scratch
  // file cannot be written or read (a full temporary directory).
  // deserialize() answers invalid_argument on bytes it did not write (wrong
  // magic, size or checksum) before fastText reads them.
  Result<std::string> serialize() const;
  static Result<FastTextFields> deserialize(std::string_view bytes);

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace redress::triage
