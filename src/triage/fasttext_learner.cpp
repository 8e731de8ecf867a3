#include "triage/fasttext_learner.h"

#include <fasttext/fasttext.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "text/tokenize.h"

namespace redress::triage {
namespace {

constexpr std::string_view kPrefix = "__label__";

// fastText splits on whitespace and reads "__label__x" tokens as labels, so
// spaces inside a label become U+00A0 and back.
std::string encode_label(std::string_view label) {
  std::string out(kPrefix);
  for (const char c : label) {
    if (c == ' ') {
      out += "\xC2\xA0";
    } else {
      out += c;
    }
  }
  return out;
}

std::string decode_label(std::string_view token) {
  if (token.starts_with(kPrefix)) token.remove_prefix(kPrefix.size());
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token.substr(i, 2) == "\xC2\xA0") {
      out += ' ';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

std::string terms_line(std::string_view text, text::Accents accents) {
  std::string line;
  for (const std::string& t : text::tokenize(text, {.accents = accents})) {
    if (!line.empty()) line += ' ';
    line += t;
  }
  return line;
}

// A file name of its own in the temporary directory (fastText reads and
// writes only files); internal when there is no usable temporary directory
// (TMPDIR naming a missing one).
Result<std::filesystem::path> scratch_file(std::string_view what) {
  static std::atomic<unsigned> counter{0};
  std::error_code error;
  const std::filesystem::path dir = std::filesystem::temp_directory_path(error);
  if (error) return fail(Error::internal("no temporary directory: " + error.message()));
  return dir / ("redress-fasttext-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
                "-" + std::string(what));
}

// Removes a scratch file when it goes out of scope.
struct Removed {
  std::filesystem::path path;
  ~Removed() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
};

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return fail(Error::internal("cannot read " + path.string()));
  return std::move(bytes).str();
}

constexpr std::string_view kFieldsMagic = "RDFTFLD1";

std::uint64_t checksum(std::string_view bytes) {  // FNV-1a
  std::uint64_t h = 14695981039346656037ULL;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

// "__label__<field>:<label>", the label encoded as encode_label does.
std::string field_label(std::size_t field, std::string_view label) {
  return std::string(kPrefix) + std::to_string(field) + ":" +
         encode_label(label).substr(kPrefix.size());
}

fasttext::Args fasttext_args(const FastTextOptions& options, fasttext::loss_name loss) {
  fasttext::Args args;
  args.model = fasttext::model_name::sup;
  args.loss = loss;
  args.epoch = options.epochs;
  args.lr = options.learning_rate;
  args.dim = options.dimension;
  args.wordNgrams = options.word_ngrams;
  args.minn = options.char_min;
  args.maxn = options.char_max;
  args.minCount = options.min_count;
  args.bucket = options.buckets;
  args.thread = options.threads;
  args.verbose = 0;
  return args;
}

}  // namespace

struct FastTextClassifier::Impl {
  fasttext::FastText model;
  text::Accents accents = text::Accents::keep;
};

Result<FastTextClassifier> FastTextClassifier::train(std::span<const Example> examples,
                                                     const FastTextOptions& options) {
  if (examples.empty()) return fail(Error::invalid("examples", "at least one is required"));
  REDRESS_TRY(const std::filesystem::path input_path, scratch_file("train.txt"));
  const Removed input{input_path};
  {
    std::ofstream out(input.path);
    for (const Example& e : examples) {
      out << encode_label(e.label) << ' ' << terms_line(e.text, options.accents) << '\n';
    }
    if (!out) return fail(Error::internal("cannot write " + input.path.string()));
  }
  FastTextClassifier c;
  c.impl_ = std::make_shared<Impl>();
  c.impl_->accents = options.accents;
  fasttext::Args args = fasttext_args(options, fasttext::loss_name::softmax);
  args.input = input.path.string();
  try {
    c.impl_->model.train(args);
  } catch (const std::exception& e) {
    return fail(Error::invalid("examples", e.what()));
  }
  return c;
}

std::vector<Scored> FastTextClassifier::predict(std::string_view text, std::size_t top) const {
  std::istringstream in(terms_line(text, impl_->accents) + "\n");
  std::vector<std::pair<fasttext::real, std::string>> predictions;
  impl_->model.predictLine(in, predictions, static_cast<std::int32_t>(top), 0.0F);
  std::vector<Scored> out;
  out.reserve(predictions.size());
  for (const auto& [p, label] : predictions) {
    out.push_back(Scored{.label = decode_label(label), .confidence = static_cast<double>(p)});
  }
  return out;
}

struct FastTextFields::Impl {
  // Not const: fastText's saveModel() is not marked const, though it only
  // reads the model.
  std::unique_ptr<fasttext::FastText> model = std::make_unique<fasttext::FastText>();
  text::Accents accents = text::Accents::keep;
  std::uint32_t max_text_bytes = 0;
  std::vector<std::vector<std::string>> labels;  // per field, sorted
  // fastText's label string → (field, index in labels[field])
  std::unordered_map<std::string, std::pair<std::size_t, std::size_t>> slot;
  std::int32_t label_count = 0;

  // Reads the fields and their labels from the model's dictionary.
  Status index_labels() {
    const auto dictionary = model->getDictionary();
    label_count = dictionary->nlabels();
    // (field, label, fastText's token), sorted by field and label.
    std::vector<std::tuple<std::size_t, std::string, std::string>> all;
    for (std::int32_t i = 0; i < label_count; ++i) {
      const std::string token = dictionary->getLabel(i);
      std::string_view rest(token);
      if (rest.starts_with(kPrefix)) rest.remove_prefix(kPrefix.size());
      const std::size_t colon = rest.find(':');
      if (colon == std::string_view::npos || colon == 0) {
        return fail(Error::invalid("model", "a label without its field: " + token));
      }
      std::size_t field = 0;
      for (const char c : rest.substr(0, colon)) {
        if (c < '0' || c > '9' || field > 1000) {
          return fail(Error::invalid("model", "a label without its field: " + token));
        }
        field = field * 10 + static_cast<std::size_t>(c - '0');
      }
      all.emplace_back(field, decode_label(rest.substr(colon + 1)), token);
    }
    std::ranges::sort(all);
    labels.clear();
    slot.clear();
    for (auto& [field, label, token] : all) {
      if (labels.size() <= field) labels.resize(field + 1);
      slot.emplace(std::move(token), std::pair{field, labels[field].size()});
      labels[field].push_back(std::move(label));
    }
    return {};
  }
};

Result<FastTextFields> FastTextFields::train(std::span<const std::string_view> texts,
                                             std::span<const std::vector<std::string_view>> labels,
                                             const FastTextOptions& options) {
  if (labels.empty()) return fail(Error::invalid("fields", "at least one is required"));
  for (const auto& field : labels) {
    if (field.size() != texts.size()) {
      return fail(Error::invalid("labels", "one label (or none) per text is required"));
    }
  }
  // The training file, tokenized on every thread: chunk c's lines in
  // chunks[c], written in order.
  const auto workers = static_cast<std::size_t>(std::max(1, options.threads));
  std::vector<std::string> chunks(workers);
  {
    std::vector<std::jthread> pool;
    pool.reserve(workers);
    const std::size_t per = (texts.size() + workers - 1) / workers;
    for (std::size_t w = 0; w < workers; ++w) {
      pool.emplace_back([&, w] {
        std::string& out = chunks[w];
        std::vector<std::string> terms;
        const std::size_t end = std::min(texts.size(), (w + 1) * per);
        for (std::size_t i = w * per; i < end; ++i) {
          const std::size_t line_start = out.size();
          for (std::size_t f = 0; f < labels.size(); ++f) {
            if (labels[f][i].empty()) continue;
            out += field_label(f, labels[f][i]);
            out += ' ';
          }
          if (out.size() == line_start) continue;  // no label in any field
          terms.clear();
          text::tokenize_into(text::utf8_prefix(texts[i], options.max_text_bytes), terms,
                              {.accents = options.accents});
          for (const std::string& t : terms) {
            out += t;
            out += ' ';
          }
          out.back() = '\n';
        }
      });
    }
  }
  REDRESS_TRY(const std::filesystem::path input_path, scratch_file("train.txt"));
  const Removed input{input_path};
  {
    std::ofstream out(input.path, std::ios::binary);
    for (const std::string& c : chunks) out.write(c.data(), static_cast<std::streamsize>(c.size()));
    if (!out) return fail(Error::internal("cannot write " + input.path.string()));
  }
  chunks = {};
  auto impl = std::make_shared<Impl>();
  impl->accents = options.accents;
  impl->max_text_bytes = options.max_text_bytes;
  fasttext::Args args = fasttext_args(options, fasttext::loss_name::ova);
  args.input = input.path.string();
  try {
    impl->model->train(args);
  } catch (const std::exception& e) {
    return fail(Error::invalid("examples", e.what()));
  }
  REDRESS_CHECK(impl->index_labels());
  if (impl->labels.size() != labels.size()) {
    return fail(Error::invalid("examples", "every field needs labelled texts"));
  }
  for (const auto& field : impl->labels) {
    if (field.size() < 2) return fail(Error::invalid("examples", "a field has a single label"));
  }
  FastTextFields out;
  out.impl_ = std::move(impl);
  return out;
}

std::size_t FastTextFields::field_count() const {
  return impl_->labels.size();
}

const std::vector<std::string>& FastTextFields::labels(std::size_t field) const {
  return impl_->labels.at(field);
}

std::vector<std::vector<Scored>> FastTextFields::predict(std::string_view text,
                                                         std::size_t top) const {
  std::vector<std::vector<Scored>> out(impl_->labels.size());
  for (std::size_t f = 0; f < out.size(); ++f) {
    for (const std::string& label : impl_->labels[f]) out[f].push_back(Scored{label, 0.0});
  }
  std::istringstream in(terms_line(text::utf8_prefix(text, impl_->max_text_bytes), impl_->accents) +
                        "\n");
  std::vector<std::pair<fasttext::real, std::string>> predictions;
  impl_->model->predictLine(in, predictions, impl_->label_count, 0.0F);
  for (const auto& [p, token] : predictions) {
    const auto at = impl_->slot.find(token);
    if (at != impl_->slot.end()) {
      out[at->second.first][at->second.second].confidence = static_cast<double>(p);
    }
  }
  for (std::vector<Scored>& field : out) {
    double sum = 0;
    for (const Scored& s : field) sum += s.confidence;
    for (Scored& s : field) {
      s.confidence = sum > 0 ? s.confidence / sum : 1.0 / static_cast<double>(field.size());
    }
    std::ranges::stable_sort(field, std::ranges::greater{}, &Scored::confidence);
    if (top > 0 && field.size() > top) field.resize(top);
  }
  return out;
}

Result<std::string> FastTextFields::serialize() const {
  REDRESS_TRY(const std::filesystem::path file_path, scratch_file("save.bin"));
  const Removed file{file_path};
  try {
    impl_->model->saveModel(file.path.string());
  } catch (const std::exception& e) {
    return fail(Error::internal(std::string("fastText cannot save its model: ") + e.what()));
  }
  REDRESS_TRY(const std::string model_file, read_file(file.path));
  std::string out(kFieldsMagic);
  const auto put = [&out](auto value) {
    char raw[sizeof(value)];
    std::memcpy(raw, &value, sizeof(value));
    out.append(raw, sizeof(value));
  };
  put(static_cast<std::uint8_t>(impl_->accents == text::Accents::fold ? 1 : 0));
  put(impl_->max_text_bytes);
  put(static_cast<std::uint64_t>(model_file.size()));
  put(checksum(model_file));
  out += model_file;
  return out;
}

Result<FastTextFields> FastTextFields::deserialize(std::string_view bytes) {
  const auto bad = [](std::string why) { return fail(Error::invalid("model", std::move(why))); };
  constexpr std::size_t kHeader = kFieldsMagic.size() + 1 + 4 + 8 + 8;
  if (!bytes.starts_with(kFieldsMagic) || bytes.size() < kHeader) {
    return bad("not a fastText triage model");
  }
  std::uint8_t fold = 0;
  std::uint32_t max_text_bytes = 0;
  std::uint64_t size = 0;
  std::uint64_t sum = 0;
  const char* at = bytes.data() + kFieldsMagic.size();
  std::memcpy(&fold, at, 1);
  std::memcpy(&max_text_bytes, at + 1, 4);
  std::memcpy(&size, at + 5, 8);
  std::memcpy(&sum, at + 13, 8);
  const std::string_view body = bytes.substr(kHeader);
  if (body.size() != size) return bad("truncated or oversized fastText model");
  if (checksum(body) != sum) return bad("damaged fastText model (checksum)");
  REDRESS_TRY(const std::filesystem::path file_path, scratch_file("load.bin"));
  const Removed file{file_path};
  {
    std::ofstream out(file.path, std::ios::binary);
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    if (!out) return fail(Error::internal("cannot write " + file.path.string()));
  }
  auto impl = std::make_shared<Impl>();
  impl->accents = fold != 0 ? text::Accents::fold : text::Accents::keep;
  impl->max_text_bytes = max_text_bytes;
  try {
    impl->model->loadModel(file.path.string());
  } catch (const std::exception& e) {
    return bad(e.what());
  }
  REDRESS_CHECK(impl->index_labels());
  FastTextFields out;
  out.impl_ = std::move(impl);
  return out;
}

}  // namespace redress::triage
