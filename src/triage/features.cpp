#include "triage/features.h"

#include <algorithm>
#include <cmath>

namespace redress::triage {
namespace {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

std::uint64_t fnv(std::uint64_t h, std::string_view bytes) {
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnvPrime;
  }
  return h;
}

// Feature kinds are told apart by a leading tag byte, so the unigram "ab"
// and the character bigram "ab" are different features.
std::uint64_t tagged(char tag, std::string_view bytes) {
  return fnv(fnv(kFnvOffset, std::string_view(&tag, 1)), bytes);
}

// Whether a term is a CJK unigram/bigram from the tokenizer (first code point
// in the Hiragana..CJK, Hangul or compatibility-ideograph ranges, or beyond
// the BMP). Such terms are already character n-grams.
bool is_cjk_term(std::string_view term) {
  if (term.empty()) return false;
  const auto b0 = static_cast<unsigned char>(term[0]);
  if (b0 >= 0xF0) return true;  // supplementary planes: CJK extensions
  if (b0 < 0xE0 || term.size() < 3) return false;
  const auto cp = static_cast<char32_t>(((b0 & 0x0F) << 12) |
                                        ((static_cast<unsigned char>(term[1]) & 0x3F) << 6) |
                                        (static_cast<unsigned char>(term[2]) & 0x3F));
  return (cp >= 0x3040 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
         (cp >= 0xF900 && cp <= 0xFAFF);
}

void char_ngrams(std::string_view term, const FeatureOptions& options,
                 std::vector<std::uint64_t>& out) {
  // Boundary marks make prefixes and suffixes their own features, as in
  // fastText's subwords: "<ca", "rd>".
  std::string padded;
  padded.reserve(term.size() + 2);
  padded += '<';
  padded += term;
  padded += '>';
  std::vector<std::size_t> starts;  // byte offset of every code point, plus the end
  starts.reserve(padded.size() + 1);
  for (std::size_t i = 0; i < padded.size(); ++i) {
    if ((static_cast<unsigned char>(padded[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  starts.push_back(padded.size());
  const auto length = static_cast<int>(starts.size()) - 1;
  for (int n = options.char_min; n <= options.char_max; ++n) {
    if (n > length) break;
    // A whole short term is already its unigram, so skip the n-gram that
    // covers "<term>" exactly.
    for (int i = 0; i + n <= length; ++i) {
      if (i == 0 && n == length) continue;
      const std::size_t from = starts[static_cast<std::size_t>(i)];
      const std::size_t to = starts[static_cast<std::size_t>(i + n)];
      out.push_back(tagged('c', std::string_view(padded).substr(from, to - from)));
    }
  }
}

}  // namespace

FeatureCounts extract(std::string_view text, const FeatureOptions& options) {
  thread_local std::vector<std::string> terms;
  thread_local std::vector<std::uint64_t> hashes;
  terms.clear();
  hashes.clear();
  if (options.max_text_bytes > 0 && text.size() > options.max_text_bytes) {
    std::size_t cut = options.max_text_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut);
  }
  text::tokenize_into(text, terms, text::TokenizeOptions{.accents = options.accents});

  for (std::size_t i = 0; i < terms.size(); ++i) {
    const std::string& term = terms[i];
    hashes.push_back(tagged('w', term));
    if (options.word_bigrams && i + 1 < terms.size()) {
      std::uint64_t h = tagged('b', term);
      h = fnv(h, std::string_view("\x1f", 1));
      hashes.push_back(fnv(h, terms[i + 1]));
    }
    if (options.word_trigrams && i + 2 < terms.size()) {
      std::uint64_t h = tagged('t', term);
      h = fnv(fnv(h, std::string_view("\x1f", 1)), terms[i + 1]);
      hashes.push_back(fnv(fnv(h, std::string_view("\x1f", 1)), terms[i + 2]));
    }
    if (options.char_max >= options.char_min && options.char_min > 0 && !is_cjk_term(term)) {
      char_ngrams(term, options, hashes);
    }
  }

  std::ranges::sort(hashes);
  FeatureCounts counts;
  counts.reserve(hashes.size());
  for (const std::uint64_t h : hashes) {
    if (!counts.empty() && counts.back().first == h) {
      counts.back().second += 1;
    } else {
      counts.emplace_back(h, 1.0F);
    }
  }
  return counts;
}

Vocabulary Vocabulary::fit(std::span<const FeatureCounts> documents, std::uint32_t min_df,
                           std::size_t max_features) {
  std::unordered_map<std::uint64_t, std::uint32_t> df;
  df.reserve(documents.size() * 8);
  for (const FeatureCounts& doc : documents) {
    for (const auto& [hash, count] : doc) ++df[hash];
  }
  std::vector<std::pair<std::uint64_t, std::uint32_t>> kept;
  kept.reserve(df.size());
  for (const auto& [hash, n] : df) {
    if (n >= min_df) kept.emplace_back(hash, n);
  }
  std::ranges::sort(kept, [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (kept.size() > max_features) kept.resize(max_features);

  const auto n_docs = static_cast<double>(documents.size());
  std::vector<std::pair<std::uint64_t, float>> columns;
  columns.reserve(kept.size());
  for (const auto& [hash, n] : kept) {
    const double idf = std::log((1.0 + n_docs) / (1.0 + static_cast<double>(n))) + 1.0;
    columns.emplace_back(hash, static_cast<float>(idf));
  }
  return from_columns(std::move(columns));
}

Vocabulary Vocabulary::from_columns(std::vector<std::pair<std::uint64_t, float>> columns) {
  Vocabulary v;
  v.columns_ = std::move(columns);
  v.lookup_.reserve(v.columns_.size());
  for (std::size_t i = 0; i < v.columns_.size(); ++i) {
    v.lookup_.emplace(v.columns_[i].first,
                      Column{.index = static_cast<std::uint32_t>(i), .idf = v.columns_[i].second});
  }
  return v;
}

SparseVector Vocabulary::vectorize(const FeatureCounts& counts) const {
  SparseVector out;
  out.reserve(counts.size());
  double norm = 0;
  for (const auto& [hash, count] : counts) {
    const auto it = lookup_.find(hash);
    if (it == lookup_.end()) continue;
    const double value = (1.0 + std::log(static_cast<double>(count))) * it->second.idf;
    out.emplace_back(it->second.index, static_cast<float>(value));
    norm += value * value;
  }
  if (norm > 0) {
    const auto scale = static_cast<float>(1.0 / std::sqrt(norm));
    for (auto& [index, value] : out) value *= scale;
  }
  std::ranges::sort(out, {}, &std::pair<std::uint32_t, float>::first);
  return out;
}

}  // namespace redress::triage
