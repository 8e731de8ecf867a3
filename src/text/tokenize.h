#pragma once
// Multilingual tokenizer: UTF-8 text in, normalised terms out.
//
// One definition of "a term" for everything that compares text: the triage
// learner (src/triage) and, later, full-text search (SQLite FTS5 /
// PostgreSQL tsvector). Index and query must go through the same function
// with the same options, or they will not meet.
//
// The pipeline, in order:
//   1. NFKC normalisation with Unicode case folding (full-width Latin becomes
//      ASCII, ligatures split, "Straße" and "STRASSE" meet);
//   2. optional accent folding: canonical decomposition, combining marks
//      (general category Mn) removed, recomposition; Vietnamese "đ" → "d";
//   3. ICU word boundaries (UAX #29, root locale); segments that are spaces or
//      punctuation are skipped, words and numbers are kept;
//   4. runs of CJK characters (Han, Hiragana, Katakana, Hangul), which carry
//      no spaces, become overlapping character bigrams ("退款申请" → 退款,
//      款申, 申请); a run of one character is emitted as a unigram. A run is
//      broken by spaces, punctuation and non-CJK characters, never by ICU's
//      own dictionary segmentation (bigrams need no dictionary and behave
//      the same for Chinese, Japanese and Korean).
//
// Thread-safety: the functions are safe to call from any number of threads;
// each thread keeps its own ICU break iterator (created on first use), so a
// call allocates no iterator. Invalid UTF-8 is replaced by U+FFFD, which is
// then skipped as a non-word; the functions never fail.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace redress::text {

// Whether diacritics are removed. They are kept by default because in
// Vietnamese they carry meaning (tone marks distinguish words: "ma", "má",
// "mà", "mả", "mã", "mạ" are six different words); folding helps
// accent-insensitive search ("resume" finds "résumé"). The triage learner
// measured both (docs/triage.md) and keeps the marks.
enum class Accents { keep, fold };

// Options of the pipeline. Cheap to copy.
struct TokenizeOptions {
  Accents accents = Accents::keep;
};

// The terms of `utf8`, in text order, duplicates kept (callers count them).
std::vector<std::string> tokenize(std::string_view utf8, TokenizeOptions options = {});

// As tokenize(), but appends to `out` so a caller that tokenizes many texts
// (a training set, an indexer) can reuse one vector's capacity.
void tokenize_into(std::string_view utf8, std::vector<std::string>& out,
                   TokenizeOptions options = {});

// A term and where it came from: the byte range [begin, end) of the input
// whose normal form it is (for highlighting; a CJK bigram's ranges overlap
// its neighbours').
struct TermSpan {
  std::string term;
  std::size_t begin = 0;
  std::size_t end = 0;
};

// The terms of `utf8` with their source ranges. Normalisation runs chunk by
// chunk (cut where Unicode guarantees a normalisation boundary), so the terms
// equal tokenize()'s for the text a person types; full-text search uses this
// function for the index, the query and the highlighting alike, so the three
// always agree. Invalid UTF-8 bytes become U+FFFD, a non-word.
std::vector<TermSpan> tokenize_spans(std::string_view utf8, TokenizeOptions options = {});

// `term` (already a term of tokenize()) with its accents folded: "tiền" →
// "tien". Returns the term unchanged when it has none.
std::string fold_accents(std::string_view term);

// The first `max_bytes` bytes of `utf8`, cut back to a character boundary
// (0: all of it). For the callers that read only the start of a long text
// (the triage learners) or store a bounded copy (mail subjects, export
// cells).
std::string_view utf8_prefix(std::string_view utf8, std::size_t max_bytes);

// The normalised text before word breaking (steps 1 and 2 above), in UTF-8.
// For callers that need character n-grams over the same normal form as the
// terms.
std::string normalize(std::string_view utf8, TokenizeOptions options = {});

}  // namespace redress::text
