#pragma once
// Text → sparse feature vector for the triage learner.
//
// Features are word unigrams and bigrams of the tokenizer's terms (so CJK
// text contributes character bigrams and, through bigrams of bigrams,
// trigram-like context) plus character n-grams inside each non-CJK term
// (they catch inflections, typos and Vietnamese syllable fragments). Each
// feature string is hashed to 64 bits (FNV-1a, stable across platforms and
// builds, because fitted models are stored); the hash is the feature's
// identity, so a model stores no strings.
//
// Weighting is TF-IDF with sublinear term frequency (1 + ln tf), smoothed IDF
// (ln((1 + N) / (1 + df)) + 1), and each vector L2-normalised, so a long
// CFPB narrative and a one-line VSFC sentence weigh the same.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "text/tokenize.h"

namespace redress::triage {

// Which features to extract. Part of a stored model: prediction must use the
// options the model was trained with.
struct FeatureOptions {
  text::Accents accents = text::Accents::keep;
  bool word_bigrams = true;
  bool word_trigrams = false;
  int char_min = 2;  // character n-gram lengths inside non-CJK terms;
  int char_max = 4;  // char_max < char_min switches them off
  // Only the first this many bytes of a text are read (cut at a character
  // boundary; 0: all). The gist of a complaint comes first, and it bounds
  // the suggestion latency of 20,000-byte narratives.
  std::uint32_t max_text_bytes = 3000;
};

// One document's raw features: hashed feature → count. Unsorted, duplicates
// merged.
using FeatureCounts = std::vector<std::pair<std::uint64_t, float>>;

// The raw features of `text`. Pure; thread-safe.
FeatureCounts extract(std::string_view text, const FeatureOptions& options);

// A feature's column in a fitted vocabulary and its IDF.
struct Column {
  std::uint32_t index = 0;  // 0-based
  float idf = 0;
};

// Sparse TF-IDF vector: (column, value) sorted by column, L2 norm 1 (or empty).
using SparseVector = std::vector<std::pair<std::uint32_t, float>>;

// The fitted vocabulary: which hashed features are columns, and their IDF.
// Immutable after fit(); vectorize() is thread-safe.
class Vocabulary {
 public:
  // Keeps features seen in at least `min_df` documents; of those, at most
  // `max_features` with the highest document frequency (ties: smaller hash).
  static Vocabulary fit(std::span<const FeatureCounts> documents, std::uint32_t min_df,
                        std::size_t max_features);
  // Rebuilds a vocabulary from stored (hash, idf) pairs in column order.
  static Vocabulary from_columns(std::vector<std::pair<std::uint64_t, float>> columns);

  SparseVector vectorize(const FeatureCounts& counts) const;
  std::size_t size() const { return columns_.size(); }
  // (hash, idf) in column order, for storage.
  const std::vector<std::pair<std::uint64_t, float>>& columns() const { return columns_; }

 private:
  std::vector<std::pair<std::uint64_t, float>> columns_;
  std::unordered_map<std::uint64_t, Column> lookup_;
};

}  // namespace redress::triage
