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
  // Character n-grams of these lengths over the whole text's non-CJK terms
  // joined by single spaces, so they cross word boundaries: in Vietnamese a
  // word is often two or three syllables, which the tokenizer returns as
  // separate terms ("giảng viên" → "giảng", "viên"), and "g viê" sees both.
  // span_char_max < span_char_min (the default) switches them off.
  int span_char_min = 0;
  int span_char_max = -1;
};

// One document's raw features: hashed feature → count, sorted by hash,
// duplicates merged.
using FeatureCounts = std::vector<std::pair<std::uint64_t, float>>;

// The raw features of `text`. Pure; thread-safe.
FeatureCounts extract(std::string_view text, const FeatureOptions& options);

// The raw features of many documents in flat arrays (compressed rows): a
// training set of a million texts costs three growing vectors instead of a
// million small ones.
struct FeatureTable {
  std::vector<std::uint64_t> hashes;    // row r: [offsets[r], offsets[r + 1])
  std::vector<float> counts;            // parallel to hashes
  std::vector<std::size_t> offsets{0};  // rows() + 1 entries

  std::size_t rows() const { return offsets.size() - 1; }
};

// Appends the raw features of `text` (as extract()) as the next row of
// `table`. Thread-safe for distinct tables.
void extract_into(std::string_view text, const FeatureOptions& options, FeatureTable& table);

// An open-addressing map from a feature hash to a small number (a document
// frequency, a column): one flat array, no node per entry. Value 0 means
// "absent", so stored values are at least 1.
class HashCounter {
 public:
  explicit HashCounter(std::size_t expected = 0);
  // Adds `n` to the value of `hash` (inserting it).
  void add(std::uint64_t hash, std::uint32_t n = 1);
  // The value of `hash`, 0 when absent.
  std::uint32_t get(std::uint64_t hash) const;
  std::size_t size() const { return size_; }
  // Calls fn(hash, value) for every entry, in slot order.
  template <class Fn>
  void for_each(Fn fn) const {
    for (const Slot& s : slots_) {
      if (s.value != 0) fn(s.key, s.value);
    }
  }

 private:
  struct Slot {
    std::uint64_t key = 0;
    std::uint32_t value = 0;
  };
  std::size_t index_of(std::uint64_t hash) const;
  void grow();
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
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
  // The same from document frequencies already counted over `n_documents`.
  static Vocabulary fit(const HashCounter& document_frequency, std::size_t n_documents,
                        std::uint32_t min_df, std::size_t max_features);
  // Rebuilds a vocabulary from stored (hash, idf) pairs in column order.
  static Vocabulary from_columns(std::vector<std::pair<std::uint64_t, float>> columns);

  SparseVector vectorize(const FeatureCounts& counts) const;
  // The same for row `row` of `table`, appended to `out` as (column, value)
  // pairs sorted by column; returns how many were appended. For training.
  std::size_t vectorize_row(const FeatureTable& table, std::size_t row,
                            std::vector<std::pair<std::uint32_t, float>>& out) const;
  std::size_t size() const { return columns_.size(); }
  // (hash, idf) in column order, for storage.
  const std::vector<std::pair<std::uint64_t, float>>& columns() const { return columns_; }

 private:
  // Appends the TF-IDF values of the hashed features [hashes, counts) of n.
  std::size_t vectorize_span(const std::uint64_t* hashes, const float* counts, std::size_t n,
                             std::vector<std::pair<std::uint32_t, float>>& out) const;

  std::vector<std::pair<std::uint64_t, float>> columns_;
  HashCounter lookup_;  // hash → column + 1
};

}  // namespace redress::triage
