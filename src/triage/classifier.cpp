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
constexpr std::uint32_t kFormat = 1;

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
  Classifier c;
  c.features_ = options.features;

  // Labels in sorted order, so the model does not depend on example order.
  std::map<std::string, int> label_index;
  for (const Example& e : examples) {
    if (e.label.empty()) return fail(Error::invalid("label", "must not be empty"));
    label_index.emplace(e.label, 0);
  }
  for (auto& [label, index] : label_index) {
    index = static_cast<int>(c.labels_.size());
    c.labels_.push_back(label);
  }
  const std::size_t k = c.labels_.size();

  std::vector<int> label_of(examples.size());
  for (std::size_t i = 0; i < examples.size(); ++i) label_of[i] = label_index.at(examples[i].label);

  // Features in blocks of rows: each block's raw features sit in three flat
  // arrays (no allocation per text), are counted into the document
  // frequencies, and are freed once the block's LIBLINEAR rows are built,
  // so the raw and the weighted form of the whole set never coexist.
  constexpr std::size_t kBlock = 4096;
  const std::size_t n_blocks = (examples.size() + kBlock - 1) / kBlock;
  std::vector<FeatureTable> raw(n_blocks);
  parallel_for(n_blocks, options.threads, [&](std::size_t b) {
    const std::size_t end = std::min(examples.size(), (b + 1) * kBlock);
    FeatureTable& t = raw[b];
    t.hashes.reserve((end - b * kBlock) * 32);
    t.counts.reserve((end - b * kBlock) * 32);
    t.offsets.reserve(end - b * kBlock + 1);
    for (std::size_t i = b * kBlock; i < end; ++i) extract_into(examples[i].text, c.features_, t);
  });
  // Document frequencies: one table per thread over a share of the blocks,
  // then added up (a sum: the same whichever thread counted which block).
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
    c.vocabulary_ =
        Vocabulary::fit(partial[0], examples.size(), options.min_df, options.max_features);
  }
  const auto n_features = static_cast<int>(c.vocabulary_.size());

  c.weights_.assign(c.vocabulary_.size() * k, 0.0F);
  c.bias_.assign(k, 0.0F);
  if (k == 1) return c;

  // LIBLINEAR's rows: 1-based feature indices, then the bias feature, then
  // -1; one contiguous array of nodes per block.
  std::vector<std::vector<feature_node>> nodes(n_blocks);
  std::vector<feature_node*> x(examples.size());
  parallel_for(n_blocks, options.threads, [&](std::size_t b) {
    FeatureTable& t = raw[b];
    std::vector<std::pair<std::uint32_t, float>> v;
    v.reserve(t.hashes.size());
    std::vector<std::size_t> starts(t.rows() + 1, 0);
    for (std::size_t r = 0; r < t.rows(); ++r) {
      c.vocabulary_.vectorize_row(t, r, v);
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

  // One binary problem per label (one-vs-rest), trained concurrently: they
  // share the rows and differ only in y. This is what LIBLINEAR itself does
  // for multi-class, serially.
  set_print_string_function(&quiet);
  std::mutex error_mutex;
  std::string error;
  parallel_for(k, options.threads, [&](std::size_t label) {
    std::vector<double> y(examples.size());
    for (std::size_t i = 0; i < examples.size(); ++i) {
      y[i] = label_of[i] == static_cast<int>(label) ? 1.0 : -1.0;
    }
    problem prob{};
    prob.l = static_cast<int>(examples.size());
    prob.n = n_features + 1;
    prob.y = y.data();
    prob.x = x.data();
    prob.bias = 1.0;
    parameter param{};
    param.solver_type = solver_code(options.solver);
    param.eps = options.epsilon;
    param.C = options.c;
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
        c.weights_[static_cast<std::size_t>(f) * k + label] =
            static_cast<float>(get_decfun_coef(m, f + 1, positive));
      }
      c.bias_[label] = static_cast<float>(get_decfun_bias(m, positive));
    }
    free_and_destroy_model(&m);
  });
  if (!error.empty()) return fail(Error::invalid("options", error));
  return c;
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
  if (!in.get(format) || format != kFormat) return bad("unknown model format");
  if (!in.get(fold) || !in.get(bigrams) || !in.get(trigrams) || !in.get(c.features_.char_min) ||
      !in.get(c.features_.char_max) || !in.get(c.features_.max_text_bytes)) {
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
