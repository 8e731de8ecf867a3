#include "text/tokenize.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

namespace redress::text {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

constexpr TokenizeOptions kFold{.accents = Accents::fold};

TEST(Utf8Prefix, CutsBackToACharacterBoundary) {
  const std::string text = "a\u00e9\u4e2d";  // 1 + 2 + 3 bytes
  EXPECT_EQ(utf8_prefix(text, 0), text);
  EXPECT_EQ(utf8_prefix(text, 6), text);
  EXPECT_EQ(utf8_prefix(text, 100), text);
  EXPECT_EQ(utf8_prefix(text, 1), "a");
  EXPECT_EQ(utf8_prefix(text, 2), "a");  // inside é
  EXPECT_EQ(utf8_prefix(text, 3), "a\u00e9");
  EXPECT_EQ(utf8_prefix(text, 5), "a\u00e9");  // inside 中
  EXPECT_EQ(utf8_prefix("\u4e2d", 2), "");
}

TEST(Tokenize, EnglishWordsAreCaseFoldedAndPunctuationSkipped) {
  EXPECT_THAT(tokenize("My CREDIT card was charged twice, $120.50!"),
              ElementsAre("my", "credit", "card", "was", "charged", "twice", "120.50"));
}

TEST(Tokenize, EmptyAndPunctuationOnlyTextHasNoTerms) {
  EXPECT_TRUE(tokenize("").empty());
  EXPECT_TRUE(tokenize("  ... !!! — ，。").empty());
}

TEST(Tokenize, NfkcFoldsFullWidthAndCompatibilityForms) {
  // Full-width Latin and digits (common in CJK input methods) meet ASCII.
  EXPECT_THAT(tokenize("ＡＢＣ　１２３"), ElementsAre("abc", "123"));
  // Case folding goes further than lower-casing: ß folds to ss.
  EXPECT_EQ(tokenize("Straße"), tokenize("STRASSE"));
}

TEST(Tokenize, FrenchAccentsKeptByDefaultAndFoldedOnRequest) {
  EXPECT_THAT(tokenize("Facture ÉLEVÉE, résiliation"),
              ElementsAre("facture", "élevée", "résiliation"));
  EXPECT_THAT(tokenize("Facture ÉLEVÉE, résiliation", kFold),
              ElementsAre("facture", "elevee", "resiliation"));
  // Decomposed input (e + U+0301) and precomposed é give the same term.
  EXPECT_EQ(tokenize("re\u0301sume\u0301"), tokenize("résumé"));
}

TEST(Tokenize, FrenchElisionStaysOneWordAsUax29Says) {
  // UAX #29 keeps the apostrophe inside a word; callers that want "eau"
  // alone can split on it. Recorded here so a change of ICU shows up.
  EXPECT_THAT(tokenize("l'eau chaude"), ElementsAre("l'eau", "chaude"));
}

TEST(Tokenize, VietnameseToneMarksDistinguishWordsUnlessFolded) {
  // "giảng viên" (lecturer), syllables separated by spaces.
  EXPECT_THAT(tokenize("Giảng viên dạy rất HAY"),
              ElementsAre("giảng", "viên", "dạy", "rất", "hay"));
  // má (mother) and mà (but) differ; folded, both become "ma".
  EXPECT_NE(tokenize("má"), tokenize("mà"));
  EXPECT_EQ(tokenize("má", kFold), tokenize("mà", kFold));
  // đ has no decomposition but folds to d.
  EXPECT_THAT(tokenize("Đại học đường", kFold), ElementsAre("dai", "hoc", "duong"));
}

TEST(Tokenize, ChineseBecomesOverlappingBigrams) {
  EXPECT_THAT(tokenize("申请退款"), ElementsAre("申请", "请退", "退款"));
  const auto terms = tokenize("我要求退款，商家不理。");
  EXPECT_THAT(terms, Contains("退款"));
  EXPECT_THAT(terms, Contains("商家"));
  // Punctuation breaks the run: no bigram across "，".
  EXPECT_THAT(terms, Not(Contains("款商")));
}

TEST(Tokenize, SingleCjkCharacterIsAUnigram) {
  EXPECT_THAT(tokenize("车"), ElementsAre("车"));
  EXPECT_THAT(tokenize("A市 的 路"), ElementsAre("a", "市", "的", "路"));
}

TEST(Tokenize, JapaneseAndKoreanRunsAreBigramsToo) {
  EXPECT_THAT(tokenize("カード"), ElementsAre("カー", "ード"));
  EXPECT_THAT(tokenize("환불 요청"), ElementsAre("환불", "요청"));
  EXPECT_THAT(tokenize("환불요청"), ElementsAre("환불", "불요", "요청"));
}

TEST(Tokenize, MixedScriptsSplitAtScriptChanges) {
  const auto terms = tokenize("iPhone13退款 refused 拒绝了");
  EXPECT_THAT(terms, ElementsAre("iphone13", "退款", "refused", "拒绝", "绝了"));
  // Latin inside a CJK run closes the run.
  EXPECT_THAT(tokenize("退款ABC退货"), ElementsAre("退款", "abc", "退货"));
}

TEST(Tokenize, InvalidUtf8IsSkippedNotFatal) {
  const std::string bad = std::string("ok ") + '\xff' + '\xfe' + " fine";
  EXPECT_THAT(tokenize(bad), ElementsAre("ok", "fine"));
}

TEST(Tokenize, TokenizeIntoAppends) {
  std::vector<std::string> out{"x"};
  tokenize_into("a b", out);
  EXPECT_THAT(out, ElementsAre("x", "a", "b"));
}

TEST(Tokenize, NormalizeGivesTheFoldedText) {
  EXPECT_EQ(normalize("Ｃafé"), "café");
  EXPECT_EQ(normalize("Ｃafé", kFold), "cafe");
}

TEST(Tokenize, ThreadsEachUseTheirOwnIterator) {
  // Many threads tokenizing at once must each get the single-thread answer.
  const std::string text = "Giảng viên 申请退款 credit card";
  const auto expected = tokenize(text);
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      int good = 0;
      for (int i = 0; i < 500; ++i) good += tokenize(text) == expected ? 1 : 0;
      ok[static_cast<std::size_t>(t)] = good;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_TRUE(std::ranges::all_of(ok, [](int n) { return n == 500; }));
}

}  // namespace
}  // namespace redress::text
