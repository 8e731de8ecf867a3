#pragma once
// Full-text search terms, the search query language and snippets — the pure
// half of search (the stores hold the index; see docs/search.md).
//
// Everything here goes through tokenize_spans(), so the indexed terms, the
// query terms and the highlighted ranges are the same terms by construction.
//
// Accents: the index holds every term as written (accents kept, because in
// Vietnamese they tell words apart: tiền "money", tiến "advance") and, at the
// same position, its accent-folded variant when that differs. A query term
// is looked up as typed: "tiền" finds only tiền, "tien" finds tien, tiền and
// tiến — the way people search when their keyboard has no accents.
//
// Thread-safety: all functions are pure and safe from any thread.

#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::text {

// Terms longer than this (in bytes) are neither indexed nor searched: they
// are base64 blobs, hashes or URLs rather than words, and PostgreSQL refuses
// very long lexemes.
inline constexpr std::size_t kMaxTermBytes = 100;

// One position of the index: the term as written and, when different, its
// accent-folded variant (empty otherwise).
struct IndexTerm {
  std::string exact;
  std::string folded;
};

// The index terms of `utf8`, in text order (duplicates kept: positions and
// term frequencies matter for ranking and phrases).
std::vector<IndexTerm> index_terms(std::string_view utf8);

// One required (or, with `exclude`, forbidden) part of a query: a word or a
// phrase. `terms` are consecutive terms; a typed word may give several (a
// CJK word gives its bigrams, "e-mail" gives e, mail), which then must occur
// as a phrase, just as a quoted phrase must.
struct QueryClause {
  std::vector<std::string> terms;
  bool exclude = false;
};

// A parsed query: every clause without `exclude` must match, none with it
// may. Never empty, and at least one clause is not excluded.
struct SearchQuery {
  std::vector<QueryClause> clauses;
};

// Why a query was refused, in words for the caller (the HTTP layer names the
// field `q`).
struct QueryError {
  std::string message;
};

// Limits that keep one query cheap for the database.
inline constexpr std::size_t kMaxQueryBytes = 500;
inline constexpr std::size_t kMaxQueryTerms = 32;

// Parses the query language: words separated by spaces; "double quotes" for a
// phrase; a leading minus (-word, -"a phrase") excludes. All parts are
// required. Fails on: more than kMaxQueryBytes bytes, an unclosed quote,
// more than kMaxQueryTerms terms, no searchable word at all (only spaces or
// punctuation), or only exclusions.
std::expected<SearchQuery, QueryError> parse_search_query(std::string_view q);

// A piece of a snippet: plain text, `match` when it is a query term.
struct SnippetPart {
  std::string text;
  bool match = false;
};

// A short extract of `text` around the first term that matches a
// non-excluded clause of `query`, about `max_chars` code points long, split
// into plain and matching parts (an ellipsis "…" marks a cut). nullopt when
// no query term occurs in `text`. The parts are plain text: whoever renders
// them escapes them.
std::optional<std::vector<SnippetPart>> snippet(std::string_view text, const SearchQuery& query,
                                                std::size_t max_chars = 160);

}  // namespace redress::text
