#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "triage/classifier.h"
#include "triage/features.h"
#include "triage/metrics.h"

namespace redress::triage {
namespace {

// Short complaint texts in three languages, two topics each way.
std::vector<Example> training_set() {
  return {
      {"My credit card was charged twice for the same purchase", "card"},
      {"Unauthorized charge on my credit card statement", "card"},
      {"The card company raised my interest rate without notice", "card"},
      {"I was charged a late fee on my card although I paid on time", "card"},
      {"My mortgage servicer lost my payment and reported me late", "mortgage"},
      {"The mortgage company refused my loan modification", "mortgage"},
      {"Escrow account for my mortgage was miscalculated", "mortgage"},
      {"Foreclosure started while my mortgage modification was pending", "mortgage"},
      {"小区门口道路施工噪音扰民，晚上也不停工", "城乡建设"},
      {"小区物业乱收费，道路破损无人维修", "城乡建设"},
      {"学校乱收补课费，家长负担重", "教育文体"},
      {"孩子上学难，学校学位不足", "教育文体"},
      {"giảng viên dạy rất nhiệt tình và dễ hiểu", "lecturer"},
      {"thầy giảng bài hay , nhiệt tình với sinh viên", "lecturer"},
      {"phòng học nóng , máy chiếu hư", "facility"},
      {"wifi trong phòng học quá yếu , máy lạnh hư", "facility"},
  };
}

TrainOptions small_options() {
  TrainOptions o;
  o.min_df = 1;  // the set is tiny
  return o;
}

TEST(Features, SameTextSameFeaturesAndCountsMerged) {
  const FeatureOptions o;
  const FeatureCounts a = extract("card card card", o);
  EXPECT_EQ(a, extract("Card, CARD card!", o));
  // The unigram "card" occurs three times; counts are merged per feature.
  const auto max = std::ranges::max(a, {}, &std::pair<std::uint64_t, float>::second);
  EXPECT_FLOAT_EQ(max.second, 3.0F);
  EXPECT_TRUE(extract("", o).empty());
}

TEST(Features, VectorsAreUnitLengthOverKnownColumnsOnly) {
  const std::vector<FeatureCounts> docs = {extract("refund refused", {}),
                                           extract("refund late", {})};
  const Vocabulary v = Vocabulary::fit(docs, 2, 1000);  // only features in both documents
  const SparseVector x = v.vectorize(extract("refund never arrived", {}));
  ASSERT_FALSE(x.empty());
  double norm = 0;
  for (const auto& [column, value] : x) {
    EXPECT_LT(column, v.size());
    norm += static_cast<double>(value) * value;
  }
  EXPECT_NEAR(norm, 1.0, 1e-5);
  EXPECT_TRUE(v.vectorize(extract("zzz", {})).empty());
}

TEST(Classifier, LearnsTopicsInThreeLanguages) {
  const auto set = training_set();
  auto c = Classifier::train(set, small_options());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->labels().size(), 6U);
  EXPECT_EQ(c->predict("double charge on my credit card", 1).front().label, "card");
  EXPECT_EQ(c->predict("mortgage payment lost by the servicer", 1).front().label, "mortgage");
  EXPECT_EQ(c->predict("道路施工噪音太大", 1).front().label, "城乡建设");
  EXPECT_EQ(c->predict("学校收费太高", 1).front().label, "教育文体");
  EXPECT_EQ(c->predict("máy chiếu trong phòng học hư", 1).front().label, "facility");
  EXPECT_EQ(c->predict("thầy dạy nhiệt tình", 1).front().label, "lecturer");
}

TEST(Classifier, ConfidencesAreSortedAndSumToOne) {
  auto c = Classifier::train(training_set(), small_options());
  ASSERT_TRUE(c);
  const auto all = c->predict("credit card charged twice");
  ASSERT_EQ(all.size(), 6U);
  double sum = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    sum += all[i].confidence;
    if (i > 0) {
      EXPECT_GE(all[i - 1].confidence, all[i].confidence);
    }
  }
  EXPECT_NEAR(sum, 1.0, 1e-9);
  EXPECT_GT(all[0].confidence, all[1].confidence);
  EXPECT_EQ(c->predict("credit card charged twice", 2).size(), 2U);
}

TEST(Classifier, SerializedModelPredictsTheSame) {
  auto c = Classifier::train(training_set(), small_options());
  ASSERT_TRUE(c);
  const std::string bytes = c->serialize();
  auto back = Classifier::deserialize(bytes);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->labels(), c->labels());
  for (const char* text : {"late fee on my card", "学校学位不足", "phòng học nóng"}) {
    const auto a = c->predict(text);
    const auto b = back->predict(text);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].label, b[i].label);
      EXPECT_DOUBLE_EQ(a[i].confidence, b[i].confidence);
    }
  }
}

TEST(Classifier, RejectsDamagedModelBytes) {
  auto c = Classifier::train(training_set(), small_options());
  ASSERT_TRUE(c);
  const std::string bytes = c->serialize();
  EXPECT_FALSE(Classifier::deserialize("not a model"));
  EXPECT_FALSE(Classifier::deserialize(bytes.substr(0, bytes.size() - 3)));
  EXPECT_FALSE(Classifier::deserialize(bytes + "x"));
}

TEST(Classifier, TrainingIsDeterministic) {
  auto a = Classifier::train(training_set(), small_options());
  auto b = Classifier::train(training_set(), small_options());
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->serialize(), b->serialize());
}

TEST(Classifier, SameModelOnOneThreadOrTwoAcrossBlocks) {
  // More rows than one feature block (4,096), so blocks are extracted,
  // counted and converted on different threads: the bytes must not change.
  std::vector<Example> many;
  const auto base = training_set();
  for (std::size_t i = 0; many.size() < 9000; ++i) {
    const Example& e = base[i % base.size()];
    many.push_back({e.text + " r" + std::to_string(i % 97), e.label});
  }
  TrainOptions one = small_options();
  one.min_df = 2;
  one.threads = 1;
  TrainOptions two = one;
  two.threads = 2;
  auto a = Classifier::train(many, one);
  auto b = Classifier::train(many, two);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->serialize(), b->serialize());
  EXPECT_EQ(a->predict("máy chiếu hư r5", 1).front().label, "facility");
}

TEST(Features, FlatTableRowsEqualExtract) {
  const FeatureOptions o;
  FeatureTable t;
  const std::vector<std::string> texts = {"card card card", "", "学校乱收补课费",
                                          "phòng học nóng , máy chiếu hư"};
  for (const auto& text : texts) extract_into(text, o, t);
  ASSERT_EQ(t.rows(), texts.size());
  for (std::size_t r = 0; r < texts.size(); ++r) {
    FeatureCounts row;
    for (std::size_t j = t.offsets[r]; j < t.offsets[r + 1]; ++j) {
      row.emplace_back(t.hashes[j], t.counts[j]);
    }
    EXPECT_EQ(row, extract(texts[r], o)) << texts[r];
  }
}

TEST(Features, HashCounterCountsAndGrows) {
  HashCounter h;  // starts small: grows many times below
  for (std::uint64_t i = 0; i < 50000; ++i) h.add(i * 0x100000000ULL);  // same low bits
  h.add(7, 3);
  h.add(7);
  EXPECT_EQ(h.size(), 50001U);
  EXPECT_EQ(h.get(7), 4U);
  EXPECT_EQ(h.get(123 * 0x100000000ULL), 1U);
  EXPECT_EQ(h.get(8), 0U);
  std::uint64_t total = 0;
  h.for_each([&](std::uint64_t, std::uint32_t n) { total += n; });
  EXPECT_EQ(total, 50004U);
}

TEST(Classifier, SingleLabelAndBadInput) {
  std::vector<Example> one = {{"anything", "only"}, {"something else", "only"}};
  auto c = Classifier::train(one, small_options());
  ASSERT_TRUE(c);
  const auto p = c->predict("whatever");
  ASSERT_EQ(p.size(), 1U);
  EXPECT_EQ(p[0].label, "only");
  EXPECT_DOUBLE_EQ(p[0].confidence, 1.0);

  EXPECT_FALSE(Classifier::train(std::vector<Example>{}, small_options()));
  std::vector<Example> unlabeled = {{"text", ""}};
  auto bad = Classifier::train(unlabeled, small_options());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
}

TEST(Metrics, MatchHandComputedValues) {
  // gold a a a b b c ; predicted a a b b c c
  const std::vector<std::string> gold = {"a", "a", "a", "b", "b", "c"};
  const std::vector<std::string> predicted = {"a", "a", "b", "b", "c", "c"};
  const Metrics m = score(gold, predicted);
  EXPECT_NEAR(m.accuracy, 4.0 / 6.0, 1e-12);
  // F1: a = 2*2/(3+2) = 0.8; b = 2*1/(2+2) = 0.5; c = 2*1/(1+2) = 2/3.
  EXPECT_NEAR(m.macro_f1, (0.8 + 0.5 + 2.0 / 3.0) / 3.0, 1e-12);
  EXPECT_NEAR(m.weighted_f1, (0.8 * 3 + 0.5 * 2 + 2.0 / 3.0) / 6.0, 1e-12);
  EXPECT_THAT(m.labels, ::testing::ElementsAre("a", "b", "c"));
  EXPECT_EQ(m.confusion[0][1], 1U);  // one a predicted as b
  EXPECT_EQ(m.confusion[1][2], 1U);  // one b predicted as c
  const std::string report = format_report(m);
  EXPECT_NE(report.find("accuracy     0.6667"), std::string::npos) << report;
}

}  // namespace
}  // namespace redress::triage
