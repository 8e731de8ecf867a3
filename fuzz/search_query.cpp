// Fuzzes the search query language and the snippet maker (src/text/search.h):
// parse_search_query on the raw input, then snippet() of the same bytes for
// the parsed query (tokenize_spans over arbitrary, often invalid, UTF-8).
// Checked: an accepted query has at least one clause that is not excluded,
// at most kMaxQueryTerms terms, each a searchable term (1 to kMaxTermBytes
// bytes, no space or control byte: it must travel through the FTS5 term list
// and a tsquery literal); a refusal says why; snippet parts are valid UTF-8
// (they are put into JSON) and every range it marks is a non-empty match.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "text/search.h"

using namespace redress::text;

namespace {

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto query = parse_search_query(input);
  if (!query) {
    if (query.error().message.empty()) __builtin_trap();
    return 0;
  }
  if (query->clauses.empty()) __builtin_trap();
  bool positive = false;
  std::size_t terms = 0;
  for (const QueryClause& c : query->clauses) {
    positive = positive || !c.exclude;
    if (c.terms.empty()) __builtin_trap();
    for (const std::string& t : c.terms) {
      ++terms;
      if (t.empty() || t.size() > kMaxTermBytes) __builtin_trap();
      for (char ch : t) {
        if (static_cast<unsigned char>(ch) <= 0x20) __builtin_trap();
      }
    }
  }
  if (!positive || terms > kMaxQueryTerms) __builtin_trap();
  if (auto parts = snippet(input, *query, 40)) {
    for (const SnippetPart& p : *parts) {
      if (p.text.empty() || !valid_utf8(p.text)) __builtin_trap();
    }
  }
  return 0;
}
