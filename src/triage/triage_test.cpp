#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>  // setenv, unsetenv (POSIX)
#include <thread>

#include "triage/classifier.h"
#include "triage/fasttext_learner.h"
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

// Total count of a text's features (every n-gram occurrence counts once).
float feature_total(std::string_view text, const FeatureOptions& o) {
  float total = 0;
  for (const auto& [hash, count] : extract(text, o)) total += count;
  return total;
}

TEST(Features, SpanNgramsCrossVietnameseSyllables) {
  // "giảng viên" (lecturer) is one word of two syllables; the tokenizer
  // returns them as two terms. Span n-grams of 3-5 code points run over
  // " giảng viên " (12 code points): 10 + 9 + 8 = 27 occurrences.
  FeatureOptions off;
  off.word_bigrams = false;
  FeatureOptions on = off;
  on.span_char_min = 3;
  on.span_char_max = 5;
  EXPECT_FLOAT_EQ(feature_total("giảng viên", on) - feature_total("giảng viên", off), 27.0F);
  // Without bigrams and span n-grams a reversed word is the same bag of
  // syllables; the n-grams across the boundary ("g v" against "n g") tell
  // the two apart.
  EXPECT_EQ(extract("giảng viên", off), extract("viên giảng", off));
  EXPECT_NE(extract("giảng viên", on), extract("viên giảng", on));
  // Syllable bigrams (the default) see the word too.
  EXPECT_NE(extract("giảng viên", FeatureOptions{}), extract("viên giảng", FeatureOptions{}));
  // CJK terms are already character n-grams and are left out of spans.
  EXPECT_EQ(extract("学校", on), extract("学校", off));
  // Off by default.
  EXPECT_EQ(extract("giảng viên", FeatureOptions{}),
            extract("giảng viên", FeatureOptions{.span_char_min = 3, .span_char_max = 2}));
}

TEST(Classifier, SpanOptionsSurviveSerialisationAndFormatOneStillReads) {
  TrainOptions o = small_options();
  o.features.span_char_min = 3;
  o.features.span_char_max = 4;
  auto c = Classifier::train(training_set(), o);
  ASSERT_TRUE(c);
  auto back = Classifier::deserialize(c->serialize());
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->serialize(), c->serialize());

  // A format-1 model (written before span n-grams existed) has no span
  // fields in its header: it reads with spans off and predicts as before.
  auto plain = Classifier::train(training_set(), small_options());
  ASSERT_TRUE(plain);
  std::string v1 = plain->serialize();
  const std::size_t format_at = 8;                     // after "RDTRIAGE"
  const std::size_t span_at = format_at + 4 + 3 + 12;  // format, 3 flags, 3 int32
  v1.erase(span_at, 8);
  v1[format_at] = 1;
  auto old = Classifier::deserialize(v1);
  ASSERT_TRUE(old) << old.error().message;
  EXPECT_EQ(old->serialize(), plain->serialize());
  v1[format_at] = 9;
  EXPECT_FALSE(Classifier::deserialize(v1));
}

TEST(Classifier, CharacterNgramsOnlyForSmallTrainingSets) {
  // training_set() has 16 texts: at a limit of 16 it keeps its character
  // n-grams; above the limit it learns (and later reads) word n-grams only,
  // and the choice survives serialisation.
  TrainOptions at_limit = small_options();
  at_limit.char_ngram_max_rows = 16;
  TrainOptions above = small_options();
  above.char_ngram_max_rows = 15;
  auto with_chars = Classifier::train(training_set(), at_limit);
  auto words_only = Classifier::train(training_set(), above);
  ASSERT_TRUE(with_chars);
  ASSERT_TRUE(words_only);
  EXPECT_EQ(with_chars->features().char_min, 2);
  EXPECT_EQ(with_chars->features().char_max, 4);
  EXPECT_LT(words_only->features().char_max, words_only->features().char_min);
  EXPECT_LT(words_only->feature_count(), with_chars->feature_count() / 2);
  auto back = Classifier::deserialize(words_only->serialize());
  ASSERT_TRUE(back);
  EXPECT_LT(back->features().char_max, back->features().char_min);
  // Words alone still tell these topics apart.
  EXPECT_EQ(back->predict("charged twice on my credit card", 1).front().label, "card");
  EXPECT_EQ(back->predict("phòng học nóng quá", 1).front().label, "facility");
  // 0: character n-grams whatever the size.
  TrainOptions always = small_options();
  always.char_ngram_max_rows = 0;
  auto kept = Classifier::train(training_set(), always);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->features().char_max, 4);
}

TEST(Classifier, BalancedClassWeightsRaiseTheRareLabel) {
  // Ten "lecturer" sentences for one "facility" one: with balanced weights
  // the rare label gets more confidence on a text that mixes both.
  std::vector<Example> set;
  for (int i = 0; i < 10; ++i) {
    set.push_back({"thầy giảng bài nhiệt tình lần " + std::to_string(i), "lecturer"});
  }
  set.push_back({"phòng học nóng , máy chiếu hư", "facility"});
  TrainOptions plain = small_options();
  TrainOptions balanced = plain;
  balanced.class_weight_power = 1;
  auto a = Classifier::train(set, plain);
  auto b = Classifier::train(set, balanced);
  ASSERT_TRUE(a && b);
  const auto confidence = [](const Classifier& c, const char* label) {
    for (const Scored& s : c.predict("thầy nói phòng học nóng")) {
      if (s.label == label) return s.confidence;
    }
    return -1.0;
  };
  EXPECT_GT(confidence(*b, "facility"), confidence(*a, "facility") + 0.05);
}

TEST(Classifier, FieldsTrainedTogetherEqualFieldsTrainedAlone) {
  // Three fields over the same texts, more rows than one feature block, on
  // two threads at once: each model must be the bytes of that field trained
  // alone on one thread.
  std::vector<std::string> texts;
  const auto base = training_set();
  for (std::size_t i = 0; texts.size() < 6000; ++i) {
    texts.push_back(base[i % base.size()].text + " r" + std::to_string(i % 89));
  }
  std::vector<std::vector<std::string>> owned(3);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    owned[0].push_back(base[i % base.size()].label);
    owned[1].push_back(i % base.size() < 8 ? "finance" : "other");
    owned[2].push_back(std::vector<std::string>{"low", "normal", "high"}[i % 3]);
  }
  std::vector<std::string_view> views(texts.begin(), texts.end());
  std::vector<std::vector<std::string_view>> labels(3);
  for (std::size_t f = 0; f < 3; ++f) labels[f].assign(owned[f].begin(), owned[f].end());
  TrainOptions two = small_options();
  two.min_df = 2;
  two.threads = 2;
  TrainOptions one = two;
  one.threads = 1;
  auto together = Classifier::train_fields(views, labels, two);
  ASSERT_TRUE(together) << together.error().message;
  ASSERT_EQ(together->size(), 3U);
  for (std::size_t f = 0; f < 3; ++f) {
    std::vector<Example> examples;
    for (std::size_t i = 0; i < texts.size(); ++i) examples.push_back({texts[i], owned[f][i]});
    auto alone = Classifier::train(examples, one);
    ASSERT_TRUE(alone);
    EXPECT_EQ((*together)[f].serialize(), alone->serialize()) << "field " << f;
  }
  EXPECT_EQ((*together)[1].predict("学校学位不足 r3", 1).front().label, "other");
}

TEST(Classifier, FieldWithSomeRowsUnlabelledLearnsFromTheRestOnly) {
  const auto base = training_set();
  std::vector<std::string_view> texts;
  std::vector<std::vector<std::string_view>> labels(2);
  for (const Example& e : base) {
    texts.emplace_back(e.text);
    labels[0].emplace_back(e.label);
    // The second field knows only the Vietnamese rows.
    const bool vi = e.label == "lecturer" || e.label == "facility";
    labels[1].emplace_back(vi ? std::string_view(e.label == "lecturer" ? "people" : "rooms")
                              : std::string_view());
  }
  auto c = Classifier::train_fields(texts, labels, small_options());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_THAT((*c)[1].labels(), ::testing::ElementsAre("people", "rooms"));
  EXPECT_EQ((*c)[1].predict("máy chiếu hư", 1).front().label, "rooms");
  EXPECT_EQ((*c)[0].predict("máy chiếu hư", 1).front().label, "facility");

  labels[1].assign(texts.size(), std::string_view());
  EXPECT_FALSE(Classifier::train_fields(texts, labels, small_options()));  // no example
  labels[1].pop_back();
  EXPECT_FALSE(Classifier::train_fields(texts, labels, small_options()));  // lengths differ
  EXPECT_FALSE(Classifier::train_fields(texts, {}, small_options()));      // no field
}

// Two fields over the same texts: a topic for every text, an urgency for
// every other one (the rest have none), from training_set()'s sentences
// repeated with a running number so fastText sees enough lines.
// The labels are views, as FastTextFields::train takes them, so the struct owns the
// strings they view (`base`). It can be moved (the vector's heap buffer moves with it, so
// the views stay valid) but not copied (a copy's views would point into the original).
struct TwoFields {
  TwoFields() = default;
  TwoFields(TwoFields&&) = default;
  TwoFields(const TwoFields&) = delete;
  TwoFields& operator=(const TwoFields&) = delete;
  TwoFields& operator=(TwoFields&&) = delete;
  ~TwoFields() = default;

  std::vector<Example> base = training_set();
  std::vector<std::string> texts;
  std::vector<std::vector<std::string_view>> labels{2};
};

TwoFields two_fields() {
  TwoFields t;
  const std::vector<Example>& base = t.base;
  for (int round = 0; round < 12; ++round) {
    for (std::size_t i = 0; i < base.size(); ++i) {
      const bool urgent = i % 2 == 0;
      t.texts.push_back(base[i].text + (urgent ? " urgent now" : " when possible") + " #" +
                        std::to_string(round));
    }
  }
  for (std::size_t i = 0; i < t.texts.size(); ++i) {
    t.labels[0].push_back(base[i % base.size()].label);
    const bool urgent = (i % base.size()) % 2 == 0;
    t.labels[1].push_back(i % 3 == 0 ? "" : (urgent ? "urgent" : "general"));
  }
  return t;
}

FastTextOptions small_fasttext() {
  FastTextOptions o;
  o.threads = 1;  // deterministic
  o.epochs = 40;
  o.dimension = 10;
  o.char_min = 0;
  o.char_max = 0;
  return o;
}

TEST(FastTextFields, LearnsEveryFieldInOneModelAndRoundTrips) {
  const TwoFields data = two_fields();
  const std::vector<std::string_view> texts(data.texts.begin(), data.texts.end());
  auto model = FastTextFields::train(texts, data.labels, small_fasttext());
  ASSERT_TRUE(model) << model.error().message;
  ASSERT_EQ(model->field_count(), 2U);
  EXPECT_THAT(model->labels(0), ::testing::ElementsAre("card", "facility", "lecturer", "mortgage",
                                                       "城乡建设", "教育文体"));
  EXPECT_THAT(model->labels(1), ::testing::ElementsAre("general", "urgent"));

  const auto check = [](const FastTextFields& m) {
    const auto card = m.predict("my credit card was charged twice, urgent now");
    ASSERT_EQ(card.size(), 2U);
    EXPECT_EQ(card[0].front().label, "card");
    EXPECT_EQ(card[1].front().label, "urgent");
    EXPECT_EQ(m.predict("学校学位不足 when possible")[0].front().label, "教育文体");
    EXPECT_EQ(m.predict("phòng học nóng , máy chiếu hư when possible")[1].front().label, "general");
    for (const auto& field : card) {
      double sum = 0;
      for (const Scored& s : field) sum += s.confidence;
      EXPECT_NEAR(sum, 1.0, 1e-9);
      EXPECT_TRUE(std::ranges::is_sorted(field, std::ranges::greater{}, &Scored::confidence));
    }
    EXPECT_EQ(m.predict("mortgage escrow", 1)[0].size(), 1U);
  };
  check(*model);

  const std::string bytes = model->serialize().value();
  auto back = FastTextFields::deserialize(bytes);
  ASSERT_TRUE(back) << back.error().message;
  check(*back);
  const auto a = model->predict("the mortgage company refused my loan");
  const auto b = back->predict("the mortgage company refused my loan");
  for (std::size_t f = 0; f < a.size(); ++f) {
    for (std::size_t i = 0; i < a[f].size(); ++i) {
      EXPECT_EQ(a[f][i].label, b[f][i].label);
      EXPECT_DOUBLE_EQ(a[f][i].confidence, b[f][i].confidence);
    }
  }

  // Damaged bytes are refused before fastText reads them.
  std::string flipped = bytes;
  flipped[bytes.size() / 2] = static_cast<char>(flipped[bytes.size() / 2] ^ 0x40);
  EXPECT_FALSE(FastTextFields::deserialize(flipped));
  EXPECT_FALSE(FastTextFields::deserialize(bytes.substr(0, bytes.size() - 1)));
  EXPECT_FALSE(FastTextFields::deserialize("RDTRIAGE" + bytes.substr(8)));
}

TEST(FastTextFields, WithoutATemporaryDirectoryTrainingAndSavingFailCleanly) {
  const TwoFields data = two_fields();
  const std::vector<std::string_view> texts(data.texts.begin(), data.texts.end());
  auto model = FastTextFields::train(texts, data.labels, small_fasttext());
  ASSERT_TRUE(model) << model.error().message;
  const char* saved = std::getenv("TMPDIR");
  const std::string previous = saved != nullptr ? saved : "";
  ::setenv("TMPDIR", "/nonexistent/redress-test", 1);
  auto trained = FastTextFields::train(texts, data.labels, small_fasttext());
  auto bytes = model->serialize();
  if (saved != nullptr) {
    ::setenv("TMPDIR", previous.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
  ASSERT_FALSE(trained);
  EXPECT_EQ(trained.error().code, ErrorCode::internal);
  ASSERT_FALSE(bytes);
  EXPECT_EQ(bytes.error().code, ErrorCode::internal);
  EXPECT_TRUE(model->serialize());  // and works again with one
}

TEST(FastTextFields, ThreadsPredictingAtOnceGetWhatOneThreadGets) {
  // The server suggests from one shared model on every worker thread.
  const TwoFields data = two_fields();
  const std::vector<std::string_view> texts(data.texts.begin(), data.texts.end());
  auto model = FastTextFields::train(texts, data.labels, small_fasttext());
  ASSERT_TRUE(model) << model.error().message;
  const auto flatten = [](const std::vector<std::vector<Scored>>& fields) {
    std::vector<std::pair<std::string, double>> out;
    for (const auto& field : fields) {
      for (const Scored& s : field) out.emplace_back(s.label, s.confidence);
    }
    return out;
  };
  std::vector<std::vector<std::pair<std::string, double>>> alone;
  for (const std::string_view text : texts) alone.push_back(flatten(model->predict(text)));

  constexpr int kThreads = 4;
  std::vector<std::size_t> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        for (std::size_t i = 0; i < texts.size(); ++i) {
          // Each thread walks the texts from a different start.
          const std::size_t at = (i + static_cast<std::size_t>(t) * 7) % texts.size();
          if (flatten(model->predict(texts[at])) != alone[at]) ++mismatches[t];
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0U) << "thread " << t;
}

TEST(FastTextFields, RejectsBadInput) {
  const std::vector<std::string_view> texts{"one text", "another text"};
  const std::vector<std::vector<std::string_view>> short_labels{{"a"}};
  EXPECT_FALSE(FastTextFields::train(texts, short_labels, small_fasttext()));
  const std::vector<std::vector<std::string_view>> single{{"a", "a"}};
  EXPECT_FALSE(FastTextFields::train(texts, single, small_fasttext()));
  EXPECT_FALSE(FastTextFields::train(texts, {}, small_fasttext()));
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
