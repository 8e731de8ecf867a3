// `redress triage evaluate`: trains on one labelled file and reports accuracy,
// macro and weighted F1 and the confusion matrix on another (or on a
// deterministic hold-out of the same file), with training time and the
// per-complaint suggestion latency. Needs no database.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "core/result.h"
#include "triage/classifier.h"
#include "triage/fasttext_learner.h"

namespace redress::cli {

struct EvaluateOptions {
  std::string train_file;
  std::string test_file;              // empty: hold out `split` of the training file
  std::string format;                 // cfpb | vsfc | tipdm | redress
  std::string label;                  // column to predict; empty: the format's default
  double split = 0.2;                 // fraction held out when there is no test file
  std::string learner = "liblinear";  // or fasttext
  std::string accents = "keep";       // or fold
  std::string solver = "lr";          // lr | lr-dual | svm (liblinear)
  double c = 10.0;
  double epsilon = 0.1;  // liblinear's stopping tolerance (TrainOptions' default)
  int char_min = 2;
  int char_max = 4;
  std::size_t char_max_rows = triage::TrainOptions{}.char_ngram_max_rows;
  int span_char_min = 0;  // character n-grams across word boundaries (off: max < min)
  int span_char_max = -1;
  double class_weight_power = 0;  // 1: balanced one-vs-rest class weights
  bool nb_scaling = false;        // naive-Bayes log-count ratio scaling (NBSVM)
  bool word_bigrams = true;
  bool word_trigrams = false;
  std::uint32_t min_df = 2;
  std::uint32_t max_text_bytes = 3000;
  std::size_t resample =
      0;  // >0: train on this many rows drawn (deterministically) with replacement
  int threads = 2;
  // fastText's epochs, learning rate, dimension and buckets (--learner
  // fasttext*); the learner's own defaults unless set
  int fasttext_epochs = triage::FastTextOptions{}.epochs;
  double fasttext_learning_rate = triage::FastTextOptions{}.learning_rate;
  int fasttext_dimension = triage::FastTextOptions{}.dimension;
  int fasttext_buckets = triage::FastTextOptions{}.buckets;
  // >1: no test set; K-fold cross-validation over the training rows only
  // (fold of row i: splitmix64(i) mod K), for choosing settings without
  // looking at the test split.
  int cv_folds = 0;
};

// Reads a labelled file: (text, label) per usable row. Rows with an empty
// text or label are skipped (CFPB rows without a narrative). invalid_argument
// for an unknown format, a missing column or a file that cannot be read.
Result<std::vector<triage::Example>> load_examples(const std::string& file,
                                                   const std::string& format,
                                                   const std::string& label);

// Runs the evaluation and writes the report to `out`.
Status run_evaluate(const EvaluateOptions& options, std::ostream& out);

}  // namespace redress::cli
