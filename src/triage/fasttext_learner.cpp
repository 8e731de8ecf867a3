#include "triage/fasttext_learner.h"

#include <fasttext/fasttext.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

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

}  // namespace

struct FastTextClassifier::Impl {
  fasttext::FastText model;
  text::Accents accents = text::Accents::keep;
};

Result<FastTextClassifier> FastTextClassifier::train(std::span<const Example> examples,
                                                     const FastTextOptions& options) {
  if (examples.empty()) return fail(Error::invalid("examples", "at least one is required"));
  const auto path = std::filesystem::temp_directory_path() /
                    ("redress-fasttext-" + std::to_string(::getpid()) + ".txt");
  {
    std::ofstream out(path);
    for (const Example& e : examples) {
      out << encode_label(e.label) << ' ' << terms_line(e.text, options.accents) << '\n';
    }
    if (!out) return fail(Error::internal("cannot write " + path.string()));
  }
  FastTextClassifier c;
  c.impl_ = std::make_shared<Impl>();
  c.impl_->accents = options.accents;
  fasttext::Args args;
  args.input = path.string();
  args.model = fasttext::model_name::sup;
  args.loss = fasttext::loss_name::softmax;
  args.epoch = options.epochs;
  args.lr = options.learning_rate;
  args.dim = options.dimension;
  args.wordNgrams = options.word_ngrams;
  args.minn = options.char_min;
  args.maxn = options.char_max;
  args.minCount = 1;
  args.bucket = 1 << 20;
  args.thread = options.threads;
  args.verbose = 0;
  try {
    c.impl_->model.train(args);
  } catch (const std::exception& e) {
    std::filesystem::remove(path);
    return fail(Error::invalid("examples", e.what()));
  }
  std::filesystem::remove(path);
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

}  // namespace redress::triage
