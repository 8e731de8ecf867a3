#include "cli/triage.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <optional>

#include "ingest/csv_reader.h"
#include "triage/fasttext_learner.h"
#include "triage/metrics.h"

namespace redress::cli {
namespace {

struct Format {
  std::vector<std::string> text_columns;  // joined with a newline
  std::string default_label;
};

Result<Format> format_of(const std::string& name) {
  if (name == "cfpb") return Format{{"Consumer complaint narrative"}, "Product"};
  if (name == "vsfc") return Format{{"sents"}, "topics"};
  if (name == "tipdm") return Format{{"留言主题", "留言详情"}, "一级分类"};
  if (name == "redress") return Format{{"subject", "description"}, "category"};
  return fail(Error::invalid("--format", "must be one of cfpb, vsfc, tipdm, redress"));
}

// splitmix64: a fixed, library-independent mix so a hold-out is the same
// everywhere.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

constexpr std::uint64_t kSeed = 20241122;  // the data's own split seed

double unit(std::uint64_t x) {
  return static_cast<double>(mix(x ^ kSeed) >> 11) * 0x1.0p-53;
}

double thread_cpu_micros() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

Result<triage::TrainOptions> linear_options(const EvaluateOptions& o, text::Accents accents) {
  triage::TrainOptions t;
  t.features = {.accents = accents,
                .word_bigrams = o.word_bigrams,
                .word_trigrams = o.word_trigrams,
                .char_min = o.char_min,
                .char_max = o.char_max,
                .max_text_bytes = o.max_text_bytes,
                .span_char_min = o.span_char_min,
                .span_char_max = o.span_char_max};
  t.class_weight_power = o.class_weight_power;
  t.nb_scaling = o.nb_scaling;
  t.c = o.c;
  t.epsilon = o.epsilon;
  t.min_df = o.min_df;
  t.threads = o.threads;
  t.char_ngram_max_rows = o.char_max_rows;
  if (o.solver == "lr") {
    t.solver = triage::Solver::logistic_regression;
  } else if (o.solver == "lr-dual") {
    t.solver = triage::Solver::logistic_regression_dual;
  } else if (o.solver == "svm") {
    t.solver = triage::Solver::linear_svm;
  } else if (o.solver == "svm-primal") {
    t.solver = triage::Solver::linear_svm_primal;
  } else {
    return fail(Error::invalid("--solver", "must be lr, lr-dual, svm or svm-primal"));
  }
  return t;
}

std::string linear_line(const EvaluateOptions& o, std::size_t features) {
  return fmt::format(
      "learner liblinear {} C={} eps={} accents={} bigrams={} trigrams={} min_df={} "
      "max_text_bytes={} chars={}-{} (up to {} rows) span_chars={}-{} class_weight_power={} "
      "nb={}: {} features",
      o.solver, o.c, o.epsilon, o.accents, o.word_bigrams, o.word_trigrams, o.min_df,
      o.max_text_bytes, o.char_min, o.char_max, o.char_max_rows, o.span_char_min, o.span_char_max,
      o.class_weight_power, o.nb_scaling, features);
}

// K-fold cross-validation over `rows` (the training file only): every row
// is predicted once by a model that did not see it; one report over all.
Status run_cross_validation(const EvaluateOptions& o, std::vector<triage::Example> rows,
                            text::Accents accents, std::ostream& out) {
  if (o.learner != "liblinear") return fail(Error::invalid("--cv", "needs --learner liblinear"));
  REDRESS_TRY(const triage::TrainOptions t, linear_options(o, accents));
  const auto k = static_cast<std::size_t>(o.cv_folds);
  std::vector<std::string> gold;
  std::vector<std::string> predicted;
  std::vector<double> fold_f1;
  std::size_t features = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (std::size_t fold = 0; fold < k; ++fold) {
    std::vector<triage::Example> train;
    std::vector<const triage::Example*> held;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (mix(i ^ kSeed) % k == fold) {
        held.push_back(&rows[i]);
      } else {
        train.push_back(rows[i]);
      }
    }
    if (train.empty() || held.empty()) return fail(Error::invalid("--cv", "too few rows"));
    REDRESS_TRY(const triage::Classifier model, triage::Classifier::train(train, t));
    features = model.feature_count();
    std::vector<std::string> g;
    std::vector<std::string> p;
    for (const triage::Example* e : held) {
      const auto top = model.predict(e->text, 1);
      g.push_back(e->label);
      p.push_back(top.empty() ? std::string() : top.front().label);
    }
    fold_f1.push_back(triage::score(g, p).weighted_f1);
    gold.insert(gold.end(), g.begin(), g.end());
    predicted.insert(predicted.end(), p.begin(), p.end());
  }
  out << fmt::format(
      "{}: {}-fold cross-validation over {} training rows (fold of row i: "
      "splitmix64 of i, seed {}, mod {}); no test set read\n",
      o.train_file, k, rows.size(), kSeed, k);
  out << linear_line(o, features) << " (last fold)\n";
  out << fmt::format("training and prediction {:.2f} s\n", seconds_since(t0));
  out << "weighted F1 per fold:";
  for (const double f : fold_f1) out << fmt::format(" {:.4f}", f);
  out << "\n\n" << triage::format_report(triage::score(gold, predicted));
  return {};
}

// A Redress export (`--format redress`) with all three fields: the texts,
// and per field (category, department, urgency) each row's label or "".
struct FieldRows {
  std::vector<std::string> texts;
  std::vector<std::vector<std::string>> labels{3};
};

constexpr const char* kFieldColumns[] = {"category", "department", "urgency"};

// The position of every column named in the header row of `file`.
Result<std::map<std::string, std::size_t>> header_columns(ingest::CsvReader& reader,
                                                          const std::string& file) {
  REDRESS_TRY(auto header, reader.next_row());
  if (!header) return fail(Error::invalid("file", file + " is empty"));
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < header->size(); ++i) column[(*header)[i]] = i;
  return column;
}

Result<FieldRows> load_fields(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(Error::invalid("file", "cannot read " + file));
  ingest::CsvReader reader(in);
  REDRESS_TRY(auto column, header_columns(reader, file));
  for (const char* name : {"subject", "description", "category", "department", "urgency"}) {
    if (!column.contains(name)) {
      return fail(Error::invalid("file", file + " has no column '" + name + "'"));
    }
  }
  const auto cell = [](const std::vector<std::string>& row, std::size_t at) {
    return at < row.size() ? row[at] : std::string();
  };
  FieldRows out;
  while (true) {
    REDRESS_TRY(auto row, reader.next_row());
    if (!row) break;
    std::string text = cell(*row, column["subject"]);
    const std::string description = cell(*row, column["description"]);
    if (!text.empty() && !description.empty()) text += '\n';
    text += description;
    if (text.empty()) continue;
    out.texts.push_back(std::move(text));
    for (std::size_t f = 0; f < 3; ++f) {
      out.labels[f].push_back(cell(*row, column[kFieldColumns[f]]));
    }
  }
  return out;
}

// `--learner fasttext-fields`: the product's large-set learner as it runs,
// one fastText model of category, department and urgency together, with a
// report per field.
Status run_fields_evaluation(const EvaluateOptions& o, const triage::FastTextOptions& f,
                             std::ostream& out) {
  if (o.format != "redress" || o.test_file.empty()) {
    return fail(Error::invalid("--learner", "fasttext-fields needs --format redress and --test"));
  }
  REDRESS_TRY(const FieldRows train, load_fields(o.train_file));
  REDRESS_TRY(const FieldRows test, load_fields(o.test_file));
  if (train.texts.empty() || test.texts.empty()) {
    return fail(Error::invalid("file", "no rows with a text"));
  }
  const std::vector<std::string_view> texts(train.texts.begin(), train.texts.end());
  std::vector<std::vector<std::string_view>> labels(3);
  for (std::size_t field = 0; field < 3; ++field) {
    labels[field].assign(train.labels[field].begin(), train.labels[field].end());
  }
  const auto t0 = std::chrono::steady_clock::now();
  REDRESS_TRY(const triage::FastTextFields model, triage::FastTextFields::train(texts, labels, f));
  const double train_seconds = seconds_since(t0);
  std::vector<std::vector<std::string>> gold(3);
  std::vector<std::vector<std::string>> predicted(3);
  for (std::size_t i = 0; i < test.texts.size(); ++i) {
    const auto fields = model.predict(test.texts[i], 1);
    for (std::size_t field = 0; field < 3; ++field) {
      if (test.labels[field][i].empty()) continue;
      gold[field].push_back(test.labels[field][i]);
      predicted[field].push_back(fields[field].empty() ? std::string()
                                                       : fields[field].front().label);
    }
  }
  out << fmt::format("train {} ({} rows), test {} ({} rows)\n", o.train_file, train.texts.size(),
                     o.test_file, test.texts.size());
  out << fmt::format(
      "learner fasttext-fields epochs={} lr={} dim={} buckets={} minCount={} wordNgrams={} "
      "chars={}-{} accents={}\n",
      f.epochs, f.learning_rate, f.dimension, f.buckets, f.min_count, f.word_ngrams, f.char_min,
      f.char_max, o.accents);
  out << fmt::format("training {:.2f} s on {} thread(s)\n", train_seconds, o.threads);
  for (std::size_t field = 0; field < 3; ++field) {
    out << "\n== " << kFieldColumns[field] << "\n";
    out << triage::format_report(triage::score(gold[field], predicted[field]));
  }
  return {};
}

}  // namespace

Result<std::vector<triage::Example>> load_examples(const std::string& file,
                                                   const std::string& format,
                                                   const std::string& label) {
  REDRESS_TRY(const Format f, format_of(format));
  const std::string label_column = label.empty() ? f.default_label : label;
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(Error::invalid("file", "cannot read " + file));
  ingest::CsvReader reader(in);
  REDRESS_TRY(auto column, header_columns(reader, file));
  std::vector<std::size_t> text_at;
  for (const std::string& name : f.text_columns) {
    if (!column.contains(name)) {
      return fail(Error::invalid("file", file + " has no column '" + name + "'"));
    }
    text_at.push_back(column[name]);
  }
  if (!column.contains(label_column)) {
    return fail(Error::invalid("--label", file + " has no column '" + label_column + "'"));
  }
  const std::size_t label_at = column[label_column];
  std::vector<triage::Example> out;
  while (true) {
    REDRESS_TRY(auto row, reader.next_row());
    if (!row) break;
    triage::Example e;
    for (const std::size_t at : text_at) {
      if (at < row->size() && !(*row)[at].empty()) {
        if (!e.text.empty()) e.text += '\n';
        e.text += (*row)[at];
      }
    }
    if (label_at < row->size()) e.label = (*row)[label_at];
    if (e.text.empty() || e.label.empty()) continue;
    out.push_back(std::move(e));
  }
  return out;
}

// fastText's settings from the evaluation's flags.
triage::FastTextOptions fasttext_options(const EvaluateOptions& o, text::Accents accents) {
  triage::FastTextOptions f;
  f.accents = accents;
  f.char_min = o.char_max >= o.char_min ? o.char_min : 0;
  f.char_max = o.char_max >= o.char_min ? o.char_max : 0;
  f.word_ngrams = o.word_bigrams ? 2 : 1;
  f.threads = o.threads;
  f.epochs = o.fasttext_epochs;
  f.learning_rate = o.fasttext_learning_rate;
  f.dimension = o.fasttext_dimension;
  f.buckets = o.fasttext_buckets;
  f.min_count = static_cast<int>(o.min_df);  // fastText counts occurrences, not documents
  return f;
}

Status run_evaluate(const EvaluateOptions& o, std::ostream& out) {
  if (o.learner == "fasttext-fields") {
    if (o.accents != "fold" && o.accents != "keep") {
      return fail(Error::invalid("--accents", "must be keep or fold"));
    }
    return run_fields_evaluation(
        o, fasttext_options(o, o.accents == "fold" ? text::Accents::fold : text::Accents::keep),
        out);
  }
  REDRESS_TRY(auto train, load_examples(o.train_file, o.format, o.label));
  if (o.cv_folds == 1 || o.cv_folds < 0) return fail(Error::invalid("--cv", "must be at least 2"));
  if (o.cv_folds > 1) {
    if (o.accents != "fold" && o.accents != "keep") {
      return fail(Error::invalid("--accents", "must be keep or fold"));
    }
    return run_cross_validation(
        o, std::move(train), o.accents == "fold" ? text::Accents::fold : text::Accents::keep, out);
  }
  std::vector<triage::Example> test;
  std::string how;
  if (!o.test_file.empty()) {
    REDRESS_TRY(test, load_examples(o.test_file, o.format, o.label));
    how = fmt::format("train {} ({} rows), test {} ({} rows)", o.train_file, train.size(),
                      o.test_file, test.size());
  } else {
    if (!(o.split > 0 && o.split < 1)) return fail(Error::invalid("--split", "must be in (0, 1)"));
    std::vector<triage::Example> kept;
    for (std::size_t i = 0; i < train.size(); ++i) {
      (unit(i) < o.split ? test : kept).push_back(std::move(train[i]));
    }
    train = std::move(kept);
    how = fmt::format(
        "{}: deterministic hold-out of {:.0f}% (splitmix64 of the row number, seed "
        "{}): train {} rows, test {} rows",
        o.train_file, o.split * 100, kSeed, train.size(), test.size());
  }
  if (train.empty() || test.empty()) return fail(Error::invalid("file", "no labelled rows"));
  if (o.resample > 0) {
    std::vector<triage::Example> drawn;
    drawn.reserve(o.resample);
    for (std::size_t i = 0; i < o.resample; ++i) {
      drawn.push_back(train[mix(i ^ (kSeed << 1)) % train.size()]);
    }
    how += fmt::format("; training set resampled with replacement to {} rows", drawn.size());
    train = std::move(drawn);
  }
  const text::Accents accents = o.accents == "fold" ? text::Accents::fold : text::Accents::keep;
  if (o.accents != "fold" && o.accents != "keep") {
    return fail(Error::invalid("--accents", "must be keep or fold"));
  }

  std::function<std::vector<triage::Scored>(std::string_view)> predict;
  std::optional<triage::Classifier> linear;
  std::optional<triage::FastTextClassifier> fast;
  std::optional<triage::FastTextFields> fields;
  std::string learner_line;
  const auto t0 = std::chrono::steady_clock::now();
  if (o.learner == "liblinear") {
    REDRESS_TRY(const triage::TrainOptions t, linear_options(o, accents));
    REDRESS_TRY(linear, triage::Classifier::train(train, t));
    learner_line = linear_line(o, linear->feature_count());
    predict = [&](std::string_view s) { return linear->predict(s, 1); };
  } else if (o.learner == "fasttext" || o.learner == "fasttext-ova") {
    const triage::FastTextOptions f = fasttext_options(o, accents);
    if (o.learner == "fasttext") {
      REDRESS_TRY(fast, triage::FastTextClassifier::train(train, f));
      predict = [&](std::string_view s) { return fast->predict(s, 1); };
    } else {
      // The product's learner for large sets (triage::FastTextFields), here
      // with the one field.
      std::vector<std::string_view> texts;
      std::vector<std::vector<std::string_view>> labels(1);
      for (const triage::Example& e : train) {
        texts.emplace_back(e.text);
        labels[0].emplace_back(e.label);
      }
      REDRESS_TRY(fields, triage::FastTextFields::train(texts, labels, f));
      predict = [&](std::string_view s) { return fields->predict(s, 1).front(); };
    }
    learner_line = fmt::format(
        "learner {} epochs={} lr={} dim={} buckets={} minCount={} wordNgrams={} chars={}-{} "
        "accents={}",
        o.learner, f.epochs, f.learning_rate, f.dimension, f.buckets, f.min_count, f.word_ngrams,
        f.char_min, f.char_max, o.accents);
  } else {
    return fail(Error::invalid("--learner",
                               "must be liblinear, fasttext, fasttext-ova or fasttext-fields"));
  }
  const double train_seconds = seconds_since(t0);

  std::vector<std::string> gold;
  std::vector<std::string> predicted;
  std::vector<double> micros;      // wall clock
  std::vector<double> cpu_micros;  // this thread's CPU time: without waits for a busy core
  gold.reserve(test.size());
  predicted.reserve(test.size());
  micros.reserve(test.size());
  // One suggestion before timing: the first use on a thread creates its ICU
  // break iterator and loads the CJK dictionary, once per process.
  (void)predict(test.front().text);
  for (const triage::Example& e : test) {
    const double c0 = thread_cpu_micros();
    const auto p0 = std::chrono::steady_clock::now();
    const auto top = predict(e.text);
    micros.push_back(seconds_since(p0) * 1e6);
    cpu_micros.push_back(thread_cpu_micros() - c0);
    gold.push_back(e.label);
    predicted.push_back(top.empty() ? std::string() : top.front().label);
  }
  std::ranges::sort(micros);
  std::ranges::sort(cpu_micros);
  const auto pct = [](const std::vector<double>& v, double q) {
    return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
  };
  double mean = 0;
  for (const double m : micros) mean += m;
  mean /= static_cast<double>(micros.size());

  const triage::Metrics m = triage::score(gold, predicted);
  out << how << "\n" << learner_line << "\n";
  out << fmt::format("training {:.2f} s on {} thread(s)\n", train_seconds, o.threads);
  out << fmt::format(
      "suggestion latency per complaint, wall: mean {:.0f} us, p50 {:.0f} us, p99 "
      "{:.0f} us, max {:.0f} us\n",
      mean, pct(micros, 0.5), pct(micros, 0.99), micros.back());
  out << fmt::format(
      "suggestion latency per complaint, CPU: p50 {:.0f} us, p99 {:.0f} us, max "
      "{:.0f} us\n\n",
      pct(cpu_micros, 0.5), pct(cpu_micros, 0.99), cpu_micros.back());
  out << triage::format_report(m);
  return {};
}

}  // namespace redress::cli
