#include "text/search.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "text/tokenize.h"

namespace redress::text {
namespace {

using ::testing::ElementsAre;

std::string marked(const std::optional<std::vector<SnippetPart>>& parts) {
  if (!parts) return "<none>";
  std::string out;
  for (const SnippetPart& p : *parts) out += p.match ? "[" + p.text + "]" : p.text;
  return out;
}

std::vector<std::string> exact(const std::vector<IndexTerm>& terms) {
  std::vector<std::string> out;
  for (const IndexTerm& t : terms)
    out.push_back(t.exact + (t.folded.empty() ? "" : "|" + t.folded));
  return out;
}

TEST(TokenizeSpans, TermsMatchTokenizeAndPointAtTheSource) {
  const std::string text = "Mein ＲＥＦＵＮＤ für Straße, 申请退款!";
  auto spans = tokenize_spans(text);
  std::vector<std::string> terms;
  for (const auto& s : spans) terms.push_back(s.term);
  EXPECT_EQ(terms, tokenize(text));
  ASSERT_EQ(spans.size(), 7u);
  EXPECT_EQ(text.substr(spans[1].begin, spans[1].end - spans[1].begin), "ＲＥＦＵＮＤ");
  EXPECT_EQ(text.substr(spans[3].begin, spans[3].end - spans[3].begin), "Straße");
  EXPECT_EQ(spans[3].term, "strasse");
  EXPECT_EQ(text.substr(spans[6].begin, spans[6].end - spans[6].begin), "退款");
}

TEST(TokenizeSpans, DecomposedAccentsStayWithTheirLetter) {
  const std::string text = "re\xCC\x81sume\xCC\x81 ok";  // e + U+0301, twice
  auto spans = tokenize_spans(text);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].term, "résumé");
  EXPECT_EQ(spans[0].begin, 0u);
  EXPECT_EQ(spans[0].end, text.size() - 3);
}

TEST(IndexTerms, AccentedTermsCarryTheirFoldedVariant) {
  EXPECT_THAT(exact(index_terms("Hoàn TIỀN refund đơn")),
              ElementsAre("hoàn|hoan", "tiền|tien", "refund", "đơn|don"));
  EXPECT_THAT(exact(index_terms("退款申请")), ElementsAre("退款", "款申", "申请"));
}

TEST(IndexTerms, OverlongTermsAreDropped) {
  EXPECT_THAT(exact(index_terms("a " + std::string(200, 'x') + " b")), ElementsAre("a", "b"));
}

TEST(ParseQuery, WordsPhrasesAndExclusions) {
  auto q = parse_search_query(R"(Refund "late  DELIVERY" -spam 退款申请)");
  ASSERT_TRUE(q.has_value());
  ASSERT_EQ(q->clauses.size(), 4u);
  EXPECT_THAT(q->clauses[0].terms, ElementsAre("refund"));
  EXPECT_FALSE(q->clauses[0].exclude);
  EXPECT_THAT(q->clauses[1].terms, ElementsAre("late", "delivery"));
  EXPECT_THAT(q->clauses[2].terms, ElementsAre("spam"));
  EXPECT_TRUE(q->clauses[2].exclude);
  EXPECT_THAT(q->clauses[3].terms, ElementsAre("退款", "款申", "申请"));
}

TEST(ParseQuery, PunctuationAndLoneMinusAreIgnored) {
  auto q = parse_search_query(" - ... hoàn   tiền ,");
  ASSERT_TRUE(q.has_value());
  ASSERT_EQ(q->clauses.size(), 2u);
  EXPECT_THAT(q->clauses[0].terms, ElementsAre("hoàn"));
  EXPECT_THAT(q->clauses[1].terms, ElementsAre("tiền"));
}

TEST(ParseQuery, RefusesWhatCannotBeSearched) {
  EXPECT_EQ(parse_search_query("").error().message, "has no word to search for");
  EXPECT_EQ(parse_search_query(" ?! ").error().message, "has no word to search for");
  EXPECT_THAT(parse_search_query("\"refund late").error().message,
              ::testing::HasSubstr("unclosed quote"));
  EXPECT_THAT(parse_search_query("-refund -\"x y\"").error().message,
              ::testing::HasSubstr("only excludes"));
  EXPECT_THAT(parse_search_query(std::string(501, 'a')).error().message,
              ::testing::HasSubstr("longer than 500"));
  std::string many;
  for (int i = 0; i < 33; ++i) many += "w" + std::to_string(i) + " ";
  EXPECT_THAT(parse_search_query(many).error().message, ::testing::HasSubstr("more than 32"));
}

TEST(Snippet, MarksEveryMatchAndCutsAroundTheFirst) {
  auto q = *parse_search_query("refund");
  EXPECT_EQ(marked(snippet("I want a REFUND.\nRefunds are not refund-able?", q)),
            "I want a [REFUND]. Refunds are not [refund]-able?");
  const std::string long_text = std::string(300, 'a') + " then the refund " + std::string(300, 'b');
  const std::string s = marked(snippet(long_text, q, 60));
  EXPECT_TRUE(s.starts_with("…then the [refund] b")) << s;
  EXPECT_TRUE(s.ends_with("b…")) << s;
  EXPECT_EQ(marked(snippet("nothing here", q)), "<none>");
}

TEST(Snippet, ChineseBigramsMergeAndAccentlessQueriesFindAccents) {
  EXPECT_EQ(marked(snippet("我要申请退款。", *parse_search_query("退款"))), "我要申请[退款]。");
  EXPECT_EQ(marked(snippet("我要申请退款。", *parse_search_query("申请退款"))), "我要[申请退款]。");
  EXPECT_EQ(marked(snippet("Tôi muốn hoàn tiền", *parse_search_query("hoan tien"))),
            "Tôi muốn [hoàn] [tiền]");
  // Accents typed: only that spelling is a match.
  EXPECT_EQ(marked(snippet("tiến và tiền", *parse_search_query("tiền"))), "tiến và [tiền]");
  // Excluded words are not highlighted.
  EXPECT_EQ(marked(snippet("refund spam", *parse_search_query("refund -spam"))), "[refund] spam");
}

// The snippet as the whole text's terms give it (the implementation before
// snippet() learned to tokenize piece by piece), for the test below.
std::string whole_text_snippet(std::string_view text, const SearchQuery& query,
                               std::size_t max_chars) {
  std::vector<std::string> wanted;
  for (const QueryClause& c : query.clauses) {
    if (!c.exclude) wanted.insert(wanted.end(), c.terms.begin(), c.terms.end());
  }
  auto is_wanted = [&](const std::string& t) {
    return std::find(wanted.begin(), wanted.end(), t) != wanted.end();
  };
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  for (const TermSpan& span : tokenize_spans(text)) {
    if (!is_wanted(span.term) && !is_wanted(fold_accents(span.term))) continue;
    if (!ranges.empty() && span.begin <= ranges.back().second) {
      ranges.back().second = std::max(ranges.back().second, span.end);
    } else {
      ranges.emplace_back(span.begin, span.end);
    }
  }
  if (ranges.empty()) return "<none>";
  auto count_back = [&](std::size_t at, std::size_t n) {
    while (n > 0 && at > 0) {
      --at;
      if ((static_cast<unsigned char>(text[at]) & 0xC0) != 0x80) --n;
    }
    return at;
  };
  auto count_forward = [&](std::size_t at, std::size_t n) {
    while (n > 0 && at < text.size()) {
      ++at;
      while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
      --n;
    }
    return at;
  };
  std::size_t start = count_back(ranges.front().first, max_chars / 4);
  if (start > 0) {
    for (std::size_t k = start; k < ranges.front().first; ++k) {
      if (text[k] == ' ' || text[k] == '\n') {
        start = k + 1;
        break;
      }
    }
  }
  const std::size_t end = std::max(count_forward(start, max_chars), ranges.front().second);
  std::string out = start > 0 ? "…" : "";
  std::size_t at = start;
  for (const auto& [b0, e0] : ranges) {
    if (b0 >= end) break;
    const std::size_t b = std::max(b0, at), e = std::min(e0, end);
    if (b >= e) continue;
    out += std::string(text.substr(at, b - at)) + "[" + std::string(text.substr(b, e - b)) + "]";
    at = e;
  }
  out += text.substr(at, end - at);
  if (end < text.size()) out += "…";
  for (char& c : out) {
    if (c == '\n') c = ' ';
  }
  return out;
}

TEST(Snippet, PiecesGiveWhatTheWholeTextGives) {
  // Matches placed before, on and after the 256-byte piece boundaries, in
  // Latin, Vietnamese and Chinese text (a CJK run with no space crosses them).
  const std::vector<std::string> words = {"the",   "refund", "was",  "hoàn",   "tiền", "denied",
                                          "again", "退款",   "申请", "我要求", "late", "fee\n"};
  const std::vector<std::string> queries = {"refund", "hoan tien", "退款", "\"late fee\"",
                                            "申请退款 -denied"};
  std::uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
  };
  int compared = 0;
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const std::size_t length = 100 + next() % 1400;
    while (text.size() < length) {
      const std::string& w = words[next() % words.size()];
      text += w;
      // Chinese words often follow each other without a space.
      if (!(static_cast<unsigned char>(w[0]) >= 0xE4 && next() % 2 == 0)) text += ' ';
    }
    for (const std::string& q : queries) {
      const auto query = *parse_search_query(q);
      for (std::size_t max_chars : {40u, 160u}) {
        ASSERT_EQ(marked(snippet(text, query, max_chars)),
                  whole_text_snippet(text, query, max_chars))
            << "query " << q << " max_chars " << max_chars << " text: " << text;
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 300 * 5 * 2);
}

TEST(Snippet, InvalidUtf8IsReplaced) {
  auto s = snippet("refund \xFF\xFE ok", *parse_search_query("refund"));
  ASSERT_TRUE(s);
  EXPECT_EQ(marked(s), "[refund] \xEF\xBF\xBD\xEF\xBF\xBD ok");
}

}  // namespace
}  // namespace redress::text
