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

// Character n-grams across term boundaries (FeatureOptions::span_char_*):
// over the non-CJK terms joined by one space, with a space at both ends.
void span_ngrams(const std::vector<std::string>& terms, const FeatureOptions& options,
                 std::vector<std::uint64_t>& out) {
  thread_local std::string joined;
  thread_local std::vector<std::size_t> starts;
  joined.assign(1, ' ');
  for (const std::string& term : terms) {
    if (is_cjk_term(term)) continue;
    joined += term;
    joined += ' ';
  }
  starts.clear();
  for (std::size_t i = 0; i < joined.size(); ++i) {
    if ((static_cast<unsigned char>(joined[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  starts.push_back(joined.size());
  const auto length = static_cast<int>(starts.size()) - 1;
  for (int n = options.span_char_min; n <= options.span_char_max; ++n) {
    for (int i = 0; i + n <= length; ++i) {
      const std::size_t from = starts[static_cast<std::size_t>(i)];
      const std::size_t to = starts[static_cast<std::size_t>(i + n)];
      out.push_back(tagged('s', std::string_view(joined).substr(from, to - from)));
    }
  }
}

}  // namespace

namespace {

// The sorted feature hashes of `text`, duplicates kept, in `hashes`.
void feature_hashes(std::string_view text, const FeatureOptions& options,
                    std::vector<std::uint64_t>& hashes) {
  thread_local std::vector<std::string> terms;
  terms.clear();
  hashes.clear();
  text = text::utf8_prefix(text, options.max_text_bytes);
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
  if (options.span_char_max >= options.span_char_min && options.span_char_min > 0) {
    span_ngrams(terms, options, hashes);
  }
  std::ranges::sort(hashes);
}

// Multiplicative mixing of a hash into a slot number (FNV's low bits alone
// are not spread well enough for a power-of-two table).
std::size_t slot_of(std::uint64_t hash, std::size_t mask) {
  return static_cast<std::size_t>((hash * 0x9E3779B97F4A7C15ULL) >> 32) & mask;
}

}  // namespace

FeatureCounts extract(std::string_view text, const FeatureOptions& options) {
  thread_local std::vector<std::uint64_t> hashes;
  feature_hashes(text, options, hashes);
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

void extract_into(std::string_view text, const FeatureOptions& options, FeatureTable& table) {
  thread_local std::vector<std::uint64_t> hashes;
  feature_hashes(text, options, hashes);
  const std::size_t row_start = table.hashes.size();
  for (const std::uint64_t h : hashes) {
    if (table.hashes.size() > row_start && table.hashes.back() == h) {
      table.counts.back() += 1;
    } else {
      table.hashes.push_back(h);
      table.counts.push_back(1.0F);
    }
  }
  table.offsets.push_back(table.hashes.size());
}

HashCounter::HashCounter(std::size_t expected) {
  std::size_t capacity = 16;
  while (capacity < expected * 2) capacity *= 2;
  slots_.resize(capacity);
  mask_ = capacity - 1;
}

std::size_t HashCounter::index_of(std::uint64_t hash) const {
  std::size_t i = slot_of(hash, mask_);
  while (slots_[i].value != 0 && slots_[i].key != hash) i = (i + 1) & mask_;
  return i;
}

void HashCounter::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot{});
  mask_ = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.value != 0) slots_[index_of(s.key)] = s;
  }
}

void HashCounter::add(std::uint64_t hash, std::uint32_t n) {
  if ((size_ + 1) * 2 > slots_.size()) grow();  // load factor at most 1/2
  Slot& s = slots_[index_of(hash)];
  if (s.value == 0) {
    s.key = hash;
    ++size_;
  }
  s.value += n;
}

std::uint32_t HashCounter::get(std::uint64_t hash) const {
  return slots_[index_of(hash)].value;
}

Vocabulary Vocabulary::fit(std::span<const FeatureCounts> documents, std::uint32_t min_df,
                           std::size_t max_features) {
  HashCounter df(documents.size() * 8);
  for (const FeatureCounts& doc : documents) {
    for (const auto& [hash, count] : doc) df.add(hash);
  }
  return fit(df, documents.size(), min_df, max_features);
}

Vocabulary Vocabulary::fit(const HashCounter& document_frequency, std::size_t n_documents,
                           std::uint32_t min_df, std::size_t max_features) {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> kept;
  kept.reserve(document_frequency.size());
  document_frequency.for_each([&](std::uint64_t hash, std::uint32_t n) {
    if (n >= min_df) kept.emplace_back(hash, n);
  });
  // A total order (frequency, then hash): the vocabulary does not depend on
  // the order documents were counted in.
  std::ranges::sort(kept, [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (kept.size() > max_features) kept.resize(max_features);

  const auto n_docs = static_cast<double>(n_documents);
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
  v.lookup_ = HashCounter(v.columns_.size());
  for (std::size_t i = 0; i < v.columns_.size(); ++i) {
    v.lookup_.add(v.columns_[i].first, static_cast<std::uint32_t>(i + 1));
  }
  return v;
}

std::size_t Vocabulary::vectorize_span(const std::uint64_t* hashes, const float* counts,
                                       std::size_t n,
                                       std::vector<std::pair<std::uint32_t, float>>& out) const {
  const std::size_t first = out.size();
  double norm = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t column = lookup_.get(hashes[i]);
    if (column == 0) continue;
    const float idf = columns_[column - 1].second;
    const double tf = counts[i] == 1.0F ? 1.0 : 1.0 + std::log(static_cast<double>(counts[i]));
    const double value = tf * idf;
    out.emplace_back(column - 1, static_cast<float>(value));
    norm += value * value;
  }
  if (norm > 0) {
    const auto scale = static_cast<float>(1.0 / std::sqrt(norm));
    for (std::size_t i = first; i < out.size(); ++i) out[i].second *= scale;
  }
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return out.size() - first;
}

SparseVector Vocabulary::vectorize(const FeatureCounts& counts) const {
  thread_local std::vector<std::uint64_t> hashes;
  thread_local std::vector<float> values;
  hashes.clear();
  values.clear();
  for (const auto& [hash, count] : counts) {
    hashes.push_back(hash);
    values.push_back(count);
  }
  SparseVector out;
  out.reserve(counts.size());
  vectorize_span(hashes.data(), values.data(), hashes.size(), out);
  return out;
}

std::size_t Vocabulary::vectorize_row(const FeatureTable& table, std::size_t row,
                                      std::vector<std::pair<std::uint32_t, float>>& out) const {
  const std::size_t from = table.offsets[row];
  return vectorize_span(table.hashes.data() + from, table.counts.data() + from,
                        table.offsets[row + 1] - from, out);
}

}  // namespace redress::triage
