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

TEST(Snippet, InvalidUtf8IsReplaced) {
  auto s = snippet("refund \xFF\xFE ok", *parse_search_query("refund"));
  ASSERT_TRUE(s);
  EXPECT_EQ(marked(s), "[refund] \xEF\xBF\xBD\xEF\xBF\xBD ok");
}

}  // namespace
}  // namespace redress::text
