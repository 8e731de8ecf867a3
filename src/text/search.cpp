#include "text/search.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <unordered_set>
#include <utility>

#include "text/tokenize.h"

namespace redress::text {
namespace {

// Terms the index and the query both drop (see kMaxTermBytes); a term with a
// space or control byte could not travel through the stores' term lists.
bool searchable(const std::string& term) {
  if (term.empty() || term.size() > kMaxTermBytes) return false;
  return std::none_of(term.begin(), term.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= 0x20; });
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// `bytes` with invalid UTF-8 replaced by U+FFFD and line breaks and tabs by
// spaces (a snippet is one line; JSON writers refuse invalid UTF-8).
void append_clean(std::string& out, std::string_view bytes) {
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  const auto n = static_cast<int32_t>(bytes.size());
  for (int32_t i = 0; i < n;) {
    const int32_t at = i;
    UChar32 c = 0;
    U8_NEXT(s, i, n, c);
    if (c < 0) {
      out += "\xEF\xBF\xBD";
    } else if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else {
      out.append(bytes.substr(static_cast<std::size_t>(at), static_cast<std::size_t>(i - at)));
    }
  }
}

// Moves `at` by `count` code points (negative: backwards) inside `text`.
std::size_t step(std::string_view text, std::size_t at, long count) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  auto i = static_cast<int32_t>(at);
  const auto n = static_cast<int32_t>(text.size());
  for (; count > 0 && i < n; --count) U8_FWD_1(s, i, n);
  for (; count < 0 && i > 0; ++count) U8_BACK_1(s, 0, i);
  return static_cast<std::size_t>(i);
}

}  // namespace

std::vector<IndexTerm> index_terms(std::string_view utf8) {
  std::vector<IndexTerm> out;
  for (TermSpan& span : tokenize_spans(utf8)) {
    if (!searchable(span.term)) continue;
    IndexTerm t{std::move(span.term), {}};
    if (!is_ascii(t.exact)) {
      std::string folded = fold_accents(t.exact);
      if (folded != t.exact && searchable(folded)) t.folded = std::move(folded);
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::expected<SearchQuery, QueryError> parse_search_query(std::string_view q) {
  if (q.size() > kMaxQueryBytes) {
    return std::unexpected(
        QueryError{"is longer than " + std::to_string(kMaxQueryBytes) + " bytes"});
  }
  SearchQuery query;
  std::size_t terms = 0;
  std::size_t i = 0;
  while (i < q.size()) {
    if (is_space(q[i])) {
      ++i;
      continue;
    }
    bool exclude = false;
    if (q[i] == '-') {
      exclude = true;
      ++i;
      if (i == q.size() || is_space(q[i])) continue;  // a lone minus excludes nothing
    }
    std::string_view body;
    if (q[i] == '"') {
      const std::size_t close = q.find('"', i + 1);
      if (close == std::string_view::npos) {
        return std::unexpected(
            QueryError{"has an unclosed quote (\") at byte " + std::to_string(i + 1)});
      }
      body = q.substr(i + 1, close - i - 1);
      i = close + 1;
    } else {
      std::size_t end = i;
      while (end < q.size() && !is_space(q[end]) && q[end] != '"') ++end;
      body = q.substr(i, end - i);
      i = end;
    }
    QueryClause clause{{}, exclude};
    for (TermSpan& span : tokenize_spans(body)) {
      if (searchable(span.term)) clause.terms.push_back(std::move(span.term));
    }
    if (clause.terms.empty()) continue;  // punctuation only: nothing to look for
    terms += clause.terms.size();
    if (terms > kMaxQueryTerms) {
      return std::unexpected(
          QueryError{"has more than " + std::to_string(kMaxQueryTerms) + " search terms"});
    }
    query.clauses.push_back(std::move(clause));
  }
  if (query.clauses.empty()) {
    return std::unexpected(QueryError{"has no word to search for"});
  }
  if (std::all_of(query.clauses.begin(), query.clauses.end(),
                  [](const QueryClause& c) { return c.exclude; })) {
    return std::unexpected(
        QueryError{"only excludes words (-word); name at least one word to find"});
  }
  return query;
}

std::optional<std::vector<SnippetPart>> snippet(std::string_view text, const SearchQuery& query,
                                                std::size_t max_chars) {
  std::unordered_set<std::string> wanted;
  for (const QueryClause& c : query.clauses) {
    if (!c.exclude) wanted.insert(c.terms.begin(), c.terms.end());
  }
  // Matching byte ranges, in text order, overlapping ones merged (CJK
  // bigrams of one word overlap). The text is tokenized a piece at a time,
  // each piece cut before whitespace (no term spans whitespace, so the terms
  // are the whole text's), and no further than the window needs: a complaint
  // narrative of several KB costs a few hundred bytes of tokenizing when its
  // first match is near the start (search pages draw one snippet per row).
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  const auto lead = static_cast<long>(max_chars / 4);
  std::size_t start = 0;
  std::size_t end = text.size();
  // The window: a little context before the first match, then up to
  // max_chars code points, never ending inside the first match.
  auto place_window = [&] {
    start = step(text, ranges.front().first, -lead);
    // Start at a word's beginning when a space is near.
    if (start > 0) {
      for (std::size_t k = start; k < ranges.front().first; ++k) {
        if (is_space(text[k])) {
          start = k + 1;
          break;
        }
      }
    }
    end = std::max(step(text, start, static_cast<long>(max_chars)), ranges.front().second);
  };
  constexpr std::size_t kPiece = 256;  // bytes, before extending to whitespace
  for (std::size_t piece = 0; piece < text.size();) {
    std::size_t cut = std::min(text.size(), piece + kPiece);
    while (cut < text.size() && !is_space(text[cut])) ++cut;
    for (const TermSpan& span : tokenize_spans(text.substr(piece, cut - piece))) {
      bool match = wanted.contains(span.term);
      // An unaccented query term also finds the accented spellings.
      if (!match && !is_ascii(span.term)) match = wanted.contains(fold_accents(span.term));
      if (!match) continue;
      const std::size_t b = piece + span.begin, e = piece + span.end;
      if (!ranges.empty() && b <= ranges.back().second) {
        ranges.back().second = std::max(ranges.back().second, e);
      } else {
        ranges.emplace_back(b, e);
      }
    }
    piece = cut;
    if (!ranges.empty()) {
      place_window();  // the first range may have grown (merged overlaps)
      if (piece >= end) break;
    }
  }
  if (ranges.empty()) return std::nullopt;

  std::vector<SnippetPart> parts;
  auto add = [&](std::string_view bytes, bool match) {
    if (bytes.empty()) return;
    if (!parts.empty() && parts.back().match == match) {
      append_clean(parts.back().text, bytes);
      return;
    }
    SnippetPart part{{}, match};
    append_clean(part.text, bytes);
    parts.push_back(std::move(part));
  };
  if (start > 0) add("…", false);
  std::size_t at = start;
  for (const auto& [begin, finish] : ranges) {
    if (begin >= end) break;
    const std::size_t b = std::max(begin, at);
    const std::size_t e = std::min(finish, end);
    if (b >= e) continue;
    add(text.substr(at, b - at), false);
    add(text.substr(b, e - b), true);
    at = e;
  }
  add(text.substr(at, end - at), false);
  if (end < text.size()) add("…", false);
  return parts;
}

}  // namespace redress::text
