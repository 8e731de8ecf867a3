#include "triage/classifier.h"

#include <linear.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

namespace redress::triage {
namespace {

void quiet(const char* /*unused*/) {}

int solver_code(Solver s) {
  switch (s) {
    case Solver::logistic_regression:
      return L2R_LR;
    case Solver::logistic_regression_dual:
      return L2R_LR_DUAL;
    case Solver::linear_svm:
      return L2R_L2LOSS_SVC_DUAL;
    case Solver::linear_svm_primal:
      return L2R_L2LOSS_SVC;
  }
  return L2R_LR;
}

// Runs fn(i) for i in [0, n) on up to `threads` threads.
template <class Fn>
void parallel_for(std::size_t n, int threads, Fn fn) {
  const auto workers = std::max<std::size_t>(
      1, std::min<std::size_t>(n, static_cast<std::size_t>(std::max(1, threads))));
  if (workers == 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::jthread> pool;
  pool.reserve(workers);
  for (std::size_t w = 0; w < workers; ++w) {
    pool.emplace_back([&] {
      for (std::size_t i = next++; i < n; i = next++) fn(i);
    });
  }
}

// --- serialisation helpers (little-endian host assumed, checked below) ---
static_assert(std::endian::native == std::endian::little, "model format is little-endian");

constexpr std::string_view kMagic = "RDTRIAGE";
// 1: first release; 2: adds span_char_min/max (format 1 models read with
// them off).
constexpr std::uint32_t kFormat = 2;

template <class T>
void put(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

void put_string(std::string& out, std::string_view s) {
  put<std::uint32_t>(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <class T>
  bool get(T& value) {
    if (bytes_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(&value, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool get_string(std::string& s) {
    std::uint32_t n = 0;
    if (!get(n) || bytes_.size() - pos_ < n) return false;
    s.assign(bytes_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  template <class T>
  bool get_array(std::vector<T>& v, std::size_t n) {
    if ((bytes_.size() - pos_) / sizeof(T) < n) return false;
    v.resize(n);
    std::memcpy(v.data(), bytes_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return true;
  }
  bool done() const { return pos_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

}  // namespace

Result<Classifier> Classifier::train(std::span<const Example> examples,
                                     const TrainOptions& options) {
  if (examples.empty()) return fail(Error::invalid("examples", "at least one is required"));
  std::vector<std::string_view> texts;
  std::vector<std::vector<std::string_view>> labels(1);
  texts.reserve(examples.size());
  labels[0].reserve(examples.size());
  for (const Example& e : examples) {
    if (e.label.empty()) return fail(Error::invalid("label", "must not be empty"));
    texts.push_back(e.text);
    labels[0].push_back(e.label);
  }
  REDRESS_TRY(auto fields, train_fields(texts, labels, options));
  return std::move(fields.front());
}

Result<std::vector<Classifier>> Classifier::train_fields(
    std::span<const std::string_view> texts, std::span<const std::vector<std::string_view>> labels,
    const TrainOptions& options) {
  if (labels.empty()) return fail(Error::invalid("fields", "at least one is required"));
  const std::size_t n_rows = texts.size();
  const std::size_t n_fields = labels.size();
  std::vector<Classifier> out(n_fields);
  FeatureOptions features = options.features;
  if (options.char_ngram_max_rows > 0 && n_rows > options.char_ngram_max_rows) {
    features.char_max = 0;  // below char_min: off
  }
  // Per field: its labels in sorted order (so the model does not depend on
  // row order), each row's label index (-1: not an example of the field)
  // and its rows.
  std::vector<std::vector<int>> label_of(n_fields);
  std::vector<std::vector<std::size_t>> rows_of(n_fields);
  for (std::size_t f = 0; f < n_fields; ++f) {
    if (labels[f].size() != n_rows) {
      return fail(Error::invalid("labels", "one label (or none) per text is required"));
    }
    std::map<std::string_view, int> label_index;
    for (const std::string_view l : labels[f]) {
      if (!l.empty()) label_index.emplace(l, 0);
    }
    if (label_index.empty()) return fail(Error::invalid("examples", "at least one is required"));
    Classifier& c = out[f];
    c.features_ = features;
    for (auto& [label, index] : label_index) {
      index = static_cast<int>(c.labels_.size());
      c.labels_.emplace_back(label);
    }
    label_of[f].assign(n_rows, -1);
    for (std::size_t i = 0; i < n_rows; ++i) {
      if (labels[f][i].empty()) continue;
      label_of[f][i] = label_index.at(labels[f][i]);
      rows_of[f].push_back(i);
    }
  }

  // Features in blocks of rows: each block's raw features sit in three flat
  // arrays (no allocation per text), are counted into the document
  // frequencies, and are freed once the block's LIBLINEAR rows are built,
  // so the raw and the weighted form of the whole set never coexist. They
  // are extracted once for all fields: the vocabulary depends on the texts
  // only, not on the labels.
  constexpr std::size_t kBlock = 4096;
  const std::size_t n_blocks = (n_rows + kBlock - 1) / kBlock;
  std::vector<FeatureTable> raw(n_blocks);
  parallel_for(n_blocks, options.threads, [&](std::size_t b) {
    const std::size_t end = std::min(n_rows, (b + 1) * kBlock);
    FeatureTable& t = raw[b];
    t.hashes.reserve((end - b * kBlock) * 32);
    t.counts.reserve((end - b * kBlock) * 32);
    t.offsets.reserve(end - b * kBlock + 1);
    for (std::size_t i = b * kBlock; i < end; ++i) extract_into(texts[i], features, t);
  });
  // Document frequencies: one table per thread over a share of the blocks,
  // then added up (a sum: the same whichever thread counted which block).
  Vocabulary vocabulary;
  {
    const auto workers = static_cast<std::size_t>(std::max(1, options.threads));
    std::vector<HashCounter> partial;
    partial.reserve(workers);
    for (std::size_t w = 0; w < workers; ++w) partial.emplace_back(1U << 16);
    parallel_for(workers, options.threads, [&](std::size_t w) {
      for (std::size_t b = w; b < n_blocks; b += workers) {
        for (const std::uint64_t h : raw[b].hashes) partial[w].add(h);
      }
    });
    for (std::size_t w = 1; w < workers; ++w) {
      partial[w].for_each([&](std::uint64_t h, std::uint32_t n) { partial[0].add(h, n); });
      partial[w] = HashCounter();
    }
    vocabulary = Vocabulary::fit(partial[0], n_rows, options.min_df, options.max_features);
  }
  const auto n_features = static_cast<int>(vocabulary.size());
  bool any_problem = false;
  for (std::size_t f = 0; f < n_fields; ++f) {
    Classifier& c = out[f];
    const std::size_t k = c.labels_.size();
    c.vocabulary_ = vocabulary;
    c.weights_.assign(vocabulary.size() * k, 0.0F);
    c.bias_.assign(k, 0.0F);
    any_problem = any_problem || k > 1;
  }
  if (!any_problem) return out;

  // LIBLINEAR's rows: 1-based feature indices, then the bias feature, then
  // -1; one contiguous array of nodes per block.
  std::vector<std::vector<feature_node>> nodes(n_blocks);
  std::vector<feature_node*> x(n_rows);
  parallel_for(n_blocks, options.threads, [&](std::size_t b) {
    FeatureTable& t = raw[b];
    std::vector<std::pair<std::uint32_t, float>> v;
    v.reserve(t.hashes.size());
    std::vector<std::size_t> starts(t.rows() + 1, 0);
    for (std::size_t r = 0; r < t.rows(); ++r) {
      vocabulary.vectorize_row(t, r, v);
      starts[r + 1] = v.size();
    }
    t = FeatureTable();
    auto& block = nodes[b];
    block.reserve(v.size() + 2 * (starts.size() - 1));
    std::vector<std::size_t> row_at(starts.size() - 1);
    for (std::size_t r = 0; r + 1 < starts.size(); ++r) {
      row_at[r] = block.size();
      for (std::size_t j = starts[r]; j < starts[r + 1]; ++j) {
        block.push_back(
            feature_node{static_cast<int>(v[j].first) + 1, static_cast<double>(v[j].second)});
      }
      block.push_back(feature_node{n_features + 1, 1.0});
      block.push_back(feature_node{-1, 0.0});
    }
    for (std::size_t r = 0; r < row_at.size(); ++r) x[b * kBlock + r] = block.data() + row_at[r];
  });
  // A field whose labels cover only some rows trains on those rows' nodes.
  std::vector<std::vector<feature_node*>> x_of(n_fields);
  for (std::size_t f = 0; f < n_fields; ++f) {
    if (rows_of[f].size() == n_rows) continue;
    x_of[f].reserve(rows_of[f].size());
    for (const std::size_t i : rows_of[f]) x_of[f].push_back(x[i]);
  }

  // One binary problem per label of every field (one-vs-rest), all trained
  // concurrently from one queue, so two threads stay busy whatever the
  // number of labels per field: they share the rows and differ only in y.
  // This is what LIBLINEAR itself does for multi-class, serially.
  struct Problem {
    std::size_t field;
    std::size_t label;
  };
  std::vector<Problem> problems;
  for (std::size_t f = 0; f < n_fields; ++f) {
    if (out[f].labels_.size() < 2) continue;
    for (std::size_t l = 0; l < out[f].labels_.size(); ++l) problems.push_back({f, l});
  }
  set_print_string_function(&quiet);
  std::mutex error_mutex;
  std::string error;
  parallel_for(problems.size(), options.threads, [&](std::size_t p) {
    const auto [field, label] = problems[p];
    Classifier& c = out[field];
    const std::size_t k = c.labels_.size();
    const std::vector<std::size_t>& rows = rows_of[field];
    std::vector<double> y(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      y[i] = label_of[field][rows[i]] == static_cast<int>(label) ? 1.0 : -1.0;
    }
    problem prob{};
    prob.l = static_cast<int>(rows.size());
    prob.n = n_features + 1;
    prob.y = y.data();
    prob.x = rows.size() == n_rows ? x.data() : x_of[field].data();
    std::vector<double> ratio;
    std::vector<feature_node> scaled_nodes;
    std::vector<feature_node*> scaled_rows;
    if (options.nb_scaling) {
      std::vector<double> pos(static_cast<std::size_t>(n_features), 1.0);
      std::vector<double> neg(static_cast<std::size_t>(n_features), 1.0);
      std::size_t nnz = 0;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        std::vector<double>& side = y[i] > 0 ? pos : neg;
        for (const feature_node* n = prob.x[i]; n->index != -1; ++n, ++nnz) {
          if (n->index <= n_features) side[static_cast<std::size_t>(n->index - 1)] += 1;
        }
        ++nnz;
      }
      double pos_sum = 0;
      double neg_sum = 0;
      for (int j = 0; j < n_features; ++j) {
        pos_sum += pos[static_cast<std::size_t>(j)];
        neg_sum += neg[static_cast<std::size_t>(j)];
      }
      ratio.resize(static_cast<std::size_t>(n_features));
      for (std::size_t j = 0; j < ratio.size(); ++j) {
        ratio[j] = std::log(pos[j] / pos_sum) - std::log(neg[j] / neg_sum);
      }
      scaled_nodes.reserve(nnz);
      std::vector<std::size_t> row_at;
      row_at.reserve(rows.size());
      for (std::size_t i = 0; i < rows.size(); ++i) {
        row_at.push_back(scaled_nodes.size());
        for (const feature_node* n = prob.x[i];; ++n) {
          feature_node copy = *n;
          if (n->index > 0 && n->index <= n_features) {
            copy.value *= ratio[static_cast<std::size_t>(n->index - 1)];
          }
          scaled_nodes.push_back(copy);
          if (n->index == -1) break;
        }
      }
      for (const std::size_t at : row_at) scaled_rows.push_back(scaled_nodes.data() + at);
      prob.x = scaled_rows.data();
    }
    prob.bias = 1.0;
    parameter param{};
    param.solver_type = solver_code(options.solver);
    param.eps = options.epsilon;
    param.C = options.c;
    int weight_label[2] = {1, -1};
    double weight[2] = {1, 1};
    if (options.class_weight_power != 0) {
      std::size_t positives = 0;
      for (const double v : y) positives += v > 0 ? 1 : 0;
      const auto n = static_cast<double>(y.size());
      const auto pos = static_cast<double>(std::max<std::size_t>(1, positives));
      const auto neg = static_cast<double>(std::max<std::size_t>(1, y.size() - positives));
      weight[0] = std::pow(n / (2 * pos), options.class_weight_power);
      weight[1] = std::pow(n / (2 * neg), options.class_weight_power);
      param.nr_weight = 2;
      param.weight_label = weight_label;
      param.weight = weight;
    }
    if (const char* why = check_parameter(&prob, &param)) {
      const std::scoped_lock lock(error_mutex);
      error = why;
      return;
    }
    model* m = ::train(&prob, &param);
    // The decision value is for the model's label 0; find the side of +1.
    int positive = 0;
    if (m->nr_class == 2 && m->label[1] == 1) positive = 1;
    if (m->nr_class == 2) {
      for (int f = 0; f < n_features; ++f) {
        const double r = ratio.empty() ? 1.0 : ratio[static_cast<std::size_t>(f)];
        c.weights_[static_cast<std::size_t>(f) * k + label] =
            static_cast<float>(get_decfun_coef(m, f + 1, positive) * r);
      }
      c.bias_[label] = static_cast<float>(get_decfun_bias(m, positive));
    }
    free_and_destroy_model(&m);
  });
  if (!error.empty()) return fail(Error::invalid("options", error));
  return out;
}

std::vector<Scored> Classifier::predict(std::string_view text, std::size_t top) const {
  const std::size_t k = labels_.size();
  std::vector<Scored> out;
  if (k == 0) return out;
  if (k == 1) return {Scored{.label = labels_[0], .confidence = 1.0}};

  thread_local std::vector<double> scores;
  scores.assign(bias_.begin(), bias_.end());
  const SparseVector v = vocabulary_.vectorize(extract(text, features_));
  for (const auto& [column, value] : v) {
    const float* w = weights_.data() + static_cast<std::size_t>(column) * k;
    for (std::size_t j = 0; j < k; ++j) scores[j] += static_cast<double>(w[j]) * value;
  }
  // As LIBLINEAR's predict_probability for one-vs-rest: each label's
  // logistic, normalised to sum to one.
  double sum = 0;
  for (double& s : scores) {
    s = 1.0 / (1.0 + std::exp(-s));
    sum += s;
  }
  out.reserve(k);
  for (std::size_t j = 0; j < k; ++j) {
    out.push_back(Scored{.label = labels_[j], .confidence = scores[j] / sum});
  }
  std::ranges::stable_sort(out, std::ranges::greater{}, &Scored::confidence);
  if (top > 0 && out.size() > top) out.resize(top);
  return out;
}

std::string Classifier::serialize() const {
  std::string out;
  const auto& columns = vocabulary_.columns();
  out.reserve(64 + columns.size() * (12 + 4 * labels_.size()));
  out.append(kMagic);
  put<std::uint32_t>(out, kFormat);
  put<std::uint8_t>(out, features_.accents == text::Accents::fold ? 1 : 0);
  put<std::uint8_t>(out, features_.word_bigrams ? 1 : 0);
  put<std::uint8_t>(out, features_.word_trigrams ? 1 : 0);
  put<std::int32_t>(out, features_.char_min);
  put<std::int32_t>(out, features_.char_max);
  put<std::uint32_t>(out, features_.max_text_bytes);
  put<std::int32_t>(out, features_.span_char_min);
  put<std::int32_t>(out, features_.span_char_max);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(labels_.size()));
  for (const std::string& l : labels_) put_string(out, l);
  put<std::uint64_t>(out, columns.size());
  for (const auto& [hash, idf] : columns) put<std::uint64_t>(out, hash);
  for (const auto& [hash, idf] : columns) put<float>(out, idf);
  out.append(reinterpret_cast<const char*>(weights_.data()), weights_.size() * sizeof(float));
  out.append(reinterpret_cast<const char*>(bias_.data()), bias_.size() * sizeof(float));
  return out;
}

Result<Classifier> Classifier::deserialize(std::string_view bytes) {
  const auto bad = [](std::string why) { return fail(Error::invalid("model", std::move(why))); };
  if (!bytes.starts_with(kMagic)) return bad("not a triage model");
  Reader in(bytes.substr(kMagic.size()));
  std::uint32_t format = 0;
  std::uint8_t fold = 0;
  std::uint8_t bigrams = 0;
  std::uint8_t trigrams = 0;
  Classifier c;
  if (!in.get(format) || format < 1 || format > kFormat) return bad("unknown model format");
  if (!in.get(fold) || !in.get(bigrams) || !in.get(trigrams) || !in.get(c.features_.char_min) ||
      !in.get(c.features_.char_max) || !in.get(c.features_.max_text_bytes)) {
    return bad("truncated header");
  }
  c.features_.span_char_min = 0;
  c.features_.span_char_max = -1;
  if (format >= 2 && (!in.get(c.features_.span_char_min) || !in.get(c.features_.span_char_max))) {
    return bad("truncated header");
  }
  c.features_.accents = fold != 0 ? text::Accents::fold : text::Accents::keep;
  c.features_.word_bigrams = bigrams != 0;
  c.features_.word_trigrams = trigrams != 0;
  std::uint32_t n_labels = 0;
  if (!in.get(n_labels) || n_labels > 100000) return bad("truncated labels");
  c.labels_.resize(n_labels);
  for (std::string& l : c.labels_) {
    if (!in.get_string(l)) return bad("truncated labels");
  }
  std::uint64_t n_columns = 0;
  if (!in.get(n_columns) || n_columns > (1ULL << 28)) return bad("truncated vocabulary");
  std::vector<std::uint64_t> hashes;
  std::vector<float> idf;
  if (!in.get_array(hashes, n_columns) || !in.get_array(idf, n_columns)) {
    return bad("truncated vocabulary");
  }
  if (!in.get_array(c.weights_, n_columns * n_labels) || !in.get_array(c.bias_, n_labels) ||
      !in.done()) {
    return bad("truncated or oversized weights");
  }
  std::vector<std::pair<std::uint64_t, float>> columns(n_columns);
  for (std::size_t i = 0; i < n_columns; ++i) columns[i] = {hashes[i], idf[i]};
  c.vocabulary_ = Vocabulary::from_columns(std::move(columns));
  return c;
}

}  // namespace redress::triage
