#pragma once
// Classification metrics for `redress triage evaluate`: accuracy, macro and
// weighted F1 (as scikit-learn defines them), and the confusion matrix.

#include <cstddef>
#include <string>
#include <vector>

namespace redress::triage {

struct Metrics {
  std::size_t count = 0;
  double accuracy = 0;
  double macro_f1 = 0;     // unweighted mean of per-label F1 over the gold labels
  double weighted_f1 = 0;  // per-label F1 weighted by the label's gold support
  // Labels in sorted order: every gold label and every predicted one.
  std::vector<std::string> labels;
  // confusion[gold][predicted], indices into `labels`.
  std::vector<std::vector<std::size_t>> confusion;
  std::vector<double> f1;            // per label
  std::vector<std::size_t> support;  // gold count per label
};

// Computes the metrics of `predicted` against `gold` (same length; extra
// elements of the longer one are ignored). Macro F1 averages over the labels
// that occur in `gold`: a label that is only ever predicted is left out
// (scikit-learn would count it as an F1 of 0); it still gets a confusion
// row of zeros. Pure.
Metrics score(const std::vector<std::string>& gold, const std::vector<std::string>& predicted);

// A plain-text report: the three figures and the confusion matrix with
// per-label support and F1, labels shortened to `label_width` characters.
std::string format_report(const Metrics& m, std::size_t label_width = 28);

}  // namespace redress::triage
