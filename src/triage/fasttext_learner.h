#pragma once
// fastText (libfasttext-dev) as the second learner, kept so the choice of
// LIBLINEAR can be re-measured: `redress triage evaluate --learner fasttext`.
// Not used by the product (docs/triage.md says why).

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

}  // namespace redress::triage
