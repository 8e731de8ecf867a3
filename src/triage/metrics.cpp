#include "triage/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace redress::triage {

Metrics score(const std::vector<std::string>& gold, const std::vector<std::string>& predicted) {
  Metrics m;
  m.count = std::min(gold.size(), predicted.size());
  std::set<std::string> all(gold.begin(), gold.begin() + static_cast<std::ptrdiff_t>(m.count));
  all.insert(predicted.begin(), predicted.begin() + static_cast<std::ptrdiff_t>(m.count));
  m.labels.assign(all.begin(), all.end());
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < m.labels.size(); ++i) index[m.labels[i]] = i;
  const std::size_t n = m.labels.size();
  m.confusion.assign(n, std::vector<std::size_t>(n, 0));
  std::size_t correct = 0;
  for (std::size_t i = 0; i < m.count; ++i) {
    ++m.confusion[index[gold[i]]][index[predicted[i]]];
    if (gold[i] == predicted[i]) ++correct;
  }
  if (m.count == 0) return m;
  m.accuracy = static_cast<double>(correct) / static_cast<double>(m.count);
  m.f1.assign(n, 0);
  m.support.assign(n, 0);
  std::size_t gold_labels = 0;
  for (std::size_t l = 0; l < n; ++l) {
    std::size_t tp = m.confusion[l][l];
    std::size_t gold_count = 0;
    std::size_t predicted_count = 0;
    for (std::size_t j = 0; j < n; ++j) {
      gold_count += m.confusion[l][j];
      predicted_count += m.confusion[j][l];
    }
    m.support[l] = gold_count;
    if (gold_count == 0) continue;
    ++gold_labels;
    const double f1 =
        gold_count + predicted_count == 0
            ? 0.0
            : 2.0 * static_cast<double>(tp) / static_cast<double>(gold_count + predicted_count);
    m.f1[l] = f1;
    m.macro_f1 += f1;
    m.weighted_f1 += f1 * static_cast<double>(gold_count);
  }
  m.macro_f1 /= static_cast<double>(gold_labels);
  m.weighted_f1 /= static_cast<double>(m.count);
  return m;
}

std::string format_report(const Metrics& m, std::size_t label_width) {
  std::string out = fmt::format(
      "examples     {}\naccuracy     {:.4f}\nmacro F1     {:.4f}\nweighted F1  {:.4f}\n\n", m.count,
      m.accuracy, m.macro_f1, m.weighted_f1);
  const auto shorten = [&](const std::string& s) {
    // Cut on a UTF-8 boundary, counting code points.
    std::size_t cps = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
        if (cps == label_width) return s.substr(0, i);
        ++cps;
      }
    }
    return s;
  };
  out += "confusion matrix (rows: gold, columns: predicted as #)\n";
  out += fmt::format("{:>3}  {:<{}}", "#", "label", label_width);
  for (std::size_t j = 0; j < m.labels.size(); ++j) out += fmt::format(" {:>5}", j);
  out += "  support     F1\n";
  for (std::size_t i = 0; i < m.labels.size(); ++i) {
    const std::string name = shorten(m.labels[i]);
    std::size_t cps = 0;
    for (const char c : name) cps += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    out += fmt::format("{:>3}  {}{}", i, name,
                       std::string(label_width - std::min(cps, label_width), ' '));
    for (std::size_t j = 0; j < m.labels.size(); ++j)
      out += fmt::format(" {:>5}", m.confusion[i][j]);
    out += fmt::format("  {:>7} {:>6.3f}\n", m.support.empty() ? 0 : m.support[i],
                       m.f1.empty() ? 0.0 : m.f1[i]);
  }
  return out;
}

}  // namespace redress::triage
