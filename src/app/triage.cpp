#include "app/triage.h"

#include <sodium.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <limits>
#include <map>

#include "app/complaints.h"

namespace redress::app {
namespace {

using Json = nlohmann::json;

// A bundle of LIBLINEAR classifiers, one per field (or none).
constexpr std::string_view kBundleMagic = "RDTRIAGEBUNDLE1\n";
// A fastText model of the fields together (TriageModel::fasttext).
constexpr std::string_view kFastTextBundleMagic = "RDTRIAGEBUNDLE2\n";

void put_u64(std::string& out, std::uint64_t v) {
  char b[8];
  std::memcpy(b, &v, 8);
  out.append(b, 8);
}

bool get_u64(std::string_view& in, std::uint64_t& v) {
  if (in.size() < 8) return false;
  std::memcpy(&v, in.data(), 8);
  in.remove_prefix(8);
  return true;
}

std::string to_base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

Result<std::string> from_base64(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return fail(Error::internal("triage model: stored weights are not base64"));
  }
  out.resize(length);
  return out;
}

Json suggestions_json(const std::vector<Suggestion>& list, bool numeric) {
  Json out = Json::array();
  for (const Suggestion& s : list) {
    Json value = numeric ? Json(std::stoll(s.value)) : Json(s.value);
    out.push_back(Json{{"value", std::move(value)}, {"confidence", s.confidence}});
  }
  return out;
}

std::vector<Suggestion> top_of(const std::optional<triage::Classifier>& c, std::string_view text,
                               std::size_t top) {
  std::vector<Suggestion> out;
  if (!c) return out;
  for (triage::Scored& s : c->predict(text, top)) {
    out.push_back(Suggestion{.value = std::move(s.label), .confidence = s.confidence});
  }
  return out;
}

// How much of a description training needs: the learners read at most
// max_text_bytes of a text (0: all), and a character is at least one byte.
std::int64_t description_chars_read(const TriageOptions& options) {
  const std::uint32_t linear = options.train.features.max_text_bytes;
  const std::uint32_t fast = options.fasttext.max_text_bytes;
  if (linear == 0 || fast == 0) return std::numeric_limits<std::int32_t>::max();
  return std::max(linear, fast);
}

// Urgency order: a larger rank is more urgent.
int urgency_rank(std::string_view name) {
  if (name == "urgent") return 2;
  if (name == "important") return 1;
  return 0;
}

}  // namespace

Instant next_nightly_training(Instant now) {
  using namespace std::chrono;
  const auto day = floor<days>(now);
  auto at = day + hours(2);
  if (at <= now) at += days(1);
  return time_point_cast<Instant::duration>(at);
}

Status ensure_nightly_training(store::WriteTx& tx, Instant now) {
  REDRESS_TRY(auto pending, tx.jobs().pending_count(kTriageTrainJob));
  if (pending > 0) return {};
  REDRESS_TRY(auto id, tx.jobs().enqueue(kTriageTrainJob, R"({"nightly":true})",
                                         next_nightly_training(now), now));
  (void)id;
  return {};
}

Result<std::string> TriageModel::serialize() const {
  if (fasttext) {
    std::string out(kFastTextBundleMagic);
    for (const int field : fasttext_field) put_u64(out, static_cast<std::uint64_t>(field));
    REDRESS_TRY(const std::string bytes, fasttext->serialize());
    put_u64(out, bytes.size());
    out += bytes;
    return out;
  }
  std::string out(kBundleMagic);
  for (const auto* field : {&category, &department, &urgency}) {
    if (!*field) {
      put_u64(out, 0);
      continue;
    }
    const std::string bytes = (*field)->serialize();
    put_u64(out, bytes.size());
    out += bytes;
  }
  return out;
}

Result<TriageModel> TriageModel::deserialize(std::string_view bytes) {
  if (bytes.starts_with(kFastTextBundleMagic)) {
    bytes.remove_prefix(kFastTextBundleMagic.size());
    TriageModel m;
    for (int& field : m.fasttext_field) {
      std::uint64_t v = 0;
      if (!get_u64(bytes, v)) return fail(Error::invalid("model", "truncated bundle"));
      field = static_cast<int>(static_cast<std::int64_t>(v));
    }
    std::uint64_t size = 0;
    if (!get_u64(bytes, size) || size != bytes.size()) {
      return fail(Error::invalid("model", "truncated bundle"));
    }
    REDRESS_TRY(auto fields, triage::FastTextFields::deserialize(bytes));
    for (const int field : m.fasttext_field) {
      if (field < -1 || field >= static_cast<int>(fields.field_count())) {
        return fail(Error::invalid("model", "a field the fastText model does not have"));
      }
    }
    m.fasttext = std::move(fields);
    return m;
  }
  if (!bytes.starts_with(kBundleMagic)) {
    return fail(Error::invalid("model", "not a triage model bundle"));
  }
  bytes.remove_prefix(kBundleMagic.size());
  TriageModel m;
  for (auto* field : {&m.category, &m.department, &m.urgency}) {
    std::uint64_t size = 0;
    if (!get_u64(bytes, size) || size > bytes.size()) {
      return fail(Error::invalid("model", "truncated bundle"));
    }
    if (size > 0) {
      REDRESS_TRY(auto c, triage::Classifier::deserialize(bytes.substr(0, size)));
      *field = std::move(c);
    }
    bytes.remove_prefix(size);
  }
  if (!bytes.empty()) return fail(Error::invalid("model", "trailing bytes after the bundle"));
  return m;
}

Suggestions suggest(const TriageModel& model, std::string_view subject,
                    std::string_view description, std::size_t top) {
  std::string text(subject);
  if (!text.empty()) text += '\n';
  text += description;
  Suggestions s;
  s.model_version = model.version;
  if (model.fasttext) {
    auto fields = model.fasttext->predict(text, top);
    std::vector<Suggestion>* slots[] = {&s.category, &s.department, &s.urgency};
    for (std::size_t f = 0; f < 3; ++f) {
      const int at = model.fasttext_field[f];
      if (at < 0) continue;
      for (triage::Scored& scored : fields[static_cast<std::size_t>(at)]) {
        slots[f]->push_back(
            Suggestion{.value = std::move(scored.label), .confidence = scored.confidence});
      }
    }
    return s;
  }
  s.category = top_of(model.category, text, top);
  s.department = top_of(model.department, text, top);
  s.urgency = top_of(model.urgency, text, top);
  return s;
}

void TriageService::install(const std::shared_ptr<const TriageModel>& model) {
  if (!model) return;
  auto current = model_.load();
  while (!current || current->version < model->version) {
    if (model_.compare_exchange_weak(current, model)) return;
  }
}

std::optional<Suggestions> TriageService::suggest(std::string_view subject,
                                                  std::string_view description) const {
  const auto model = model_.load();  // kept alive for this call even if replaced meanwhile
  if (!model) return std::nullopt;
  return app::suggest(*model, subject, description, options_.top);
}

Result<std::int64_t> TriageService::refresh(store::Store& store) {
  REDRESS_TRY(auto latest, store.read<std::optional<store::TriageModelInfo>>(
                               [](const store::ReadTx& tx) { return tx.triage().latest(); }));
  const auto serving = model_.load();
  const std::int64_t serving_version = serving ? serving->version : 0;
  if (!latest || latest->version <= serving_version) return serving_version;
  const std::int64_t version = latest->version;
  REDRESS_TRY(auto text, store.read<std::string>([version](const store::ReadTx& tx) {
    return tx.triage().model(version);
  }));
  REDRESS_TRY(auto bytes, from_base64(text));
  REDRESS_TRY(auto model, TriageModel::deserialize(bytes));
  model.version = version;
  install(std::make_shared<const TriageModel>(std::move(model)));
  return current()->version;
}

Result<TrainingSummary> train_and_store(store::Store& store, const Clock& clock,
                                        const TriageOptions& options, TriageService* install_into) {
  const auto t0 = std::chrono::steady_clock::now();
  REDRESS_TRY(auto rows,
              store.read<std::vector<store::TriageTrainingRow>>([&](const store::ReadTx& tx) {
                return tx.triage().training_rows(options.max_training_rows,
                                                 description_chars_read(options));
              }));
  TrainingSummary summary;
  summary.examples = static_cast<std::int64_t>(rows.size());
  summary.fields = Json::object();

  // The three fields train together (Classifier::train_fields): one
  // feature extraction of the texts, and every field's one-vs-rest problems
  // on the same two threads.
  struct Field {
    const char* name;
    std::optional<triage::Classifier>* slot;
    std::function<std::string(const store::TriageTrainingRow&)> label_of;
  };
  TriageModel model;
  const Field all_fields[] = {
      {"category", &model.category, [](const auto& r) { return r.category; }},
      {"department", &model.department,
       [](const auto& r) {
         return r.department_id != 0 ? std::to_string(r.department_id) : std::string();
       }},
      {"urgency", &model.urgency, [](const auto& r) { return r.urgency; }},
  };
  std::vector<std::string_view> texts;
  for (const auto& r : rows) {
    if (!r.text.empty()) texts.emplace_back(r.text);
  }
  std::vector<std::vector<std::string>> owned;  // the labels train_fields views
  std::vector<const Field*> trained;
  for (const Field& f : all_fields) {
    std::vector<std::string> labels;
    labels.reserve(texts.size());
    std::map<std::string, std::size_t> counts;
    for (const auto& r : rows) {
      if (r.text.empty()) continue;
      std::string label = f.label_of(r);
      if (!label.empty()) ++counts[label];
      labels.push_back(std::move(label));
    }
    std::size_t examples = 0;
    for (const auto& [label, n] : counts) examples += n;
    Json field{{"examples", examples}, {"labels", counts}};
    if (examples < options.min_examples || counts.size() < 2) {
      field["model"] = false;
      field["why"] = "needs at least " + std::to_string(options.min_examples) +
                     " confirmed complaints with at least two different values";
    } else {
      field["model"] = true;
      owned.push_back(std::move(labels));
      trained.push_back(&f);
    }
    summary.fields[f.name] = std::move(field);
  }
  if (!trained.empty()) {
    std::vector<std::vector<std::string_view>> labels(owned.size());
    for (std::size_t f = 0; f < owned.size(); ++f) {
      labels[f].assign(owned[f].begin(), owned[f].end());
    }
    if (texts.size() > options.fasttext_min_rows) {
      REDRESS_TRY(auto fields, triage::FastTextFields::train(texts, labels, options.fasttext));
      for (std::size_t f = 0; f < trained.size(); ++f) {
        const auto slot = static_cast<std::size_t>(trained[f] - all_fields);
        model.fasttext_field[slot] = static_cast<int>(f);
        summary.fields[trained[f]->name]["learner"] = "fasttext";
      }
      model.fasttext = std::move(fields);
    } else {
      REDRESS_TRY(auto classifiers, triage::Classifier::train_fields(texts, labels, options.train));
      for (std::size_t f = 0; f < trained.size(); ++f) {
        summary.fields[trained[f]->name]["features"] = classifiers[f].feature_count();
        summary.fields[trained[f]->name]["learner"] = "liblinear";
        *trained[f]->slot = std::move(classifiers[f]);
      }
    }
  }
  const bool any = !trained.empty();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!any) return summary;

  REDRESS_TRY(const std::string bytes, model.serialize());
  const std::string encoded = to_base64(bytes);
  const Json stored_summary{{"fields", summary.fields}, {"seconds", summary.seconds}};
  const Instant now = clock.now();
  REDRESS_TRY(summary.version, store.write_sync<std::int64_t>([&](store::WriteTx& tx) {
    return tx.triage().add_model(now, summary.examples, stored_summary.dump(), encoded);
  }));
  if (install_into != nullptr) {
    model.version = summary.version;
    install_into->install(std::make_shared<const TriageModel>(std::move(model)));
  }
  return summary;
}

store::StoredTriageSuggestion stored_suggestion(ComplaintId complaint, const Suggestions& s,
                                                Instant now) {
  const Json j{{"category", suggestions_json(s.category, false)},
               {"department", suggestions_json(s.department, true)},
               {"urgency", suggestions_json(s.urgency, false)}};
  return store::StoredTriageSuggestion{.complaint = complaint,
                                       .model_version = s.model_version,
                                       .suggested_at = now,
                                       .suggestions = j.dump(),
                                       .outcome = std::nullopt};
}

Result<std::optional<Json>> record_triage_outcome(store::WriteTx& tx, const Complaint& c) {
  REDRESS_TRY(auto stored, tx.triage().suggestion(c.id));
  if (!stored) return std::optional<Json>{};
  const Json s = Json::parse(stored->suggestions, nullptr, false);
  const auto top = [&](const char* field) -> Json {
    if (!s.is_object() || !s.contains(field) || s[field].empty()) return nullptr;
    return s[field][0]["value"];
  };
  const auto entry = [&](const char* field, Json chosen) {
    Json suggested = top(field);
    const bool taken = !suggested.is_null() && suggested == chosen;
    return Json{
        {"suggested", std::move(suggested)}, {"chosen", std::move(chosen)}, {"taken", taken}};
  };
  Json outcome{
      {"model_version", stored->model_version},
      {"category", entry("category", c.category ? Json(*c.category) : Json(nullptr))},
      {"department", entry("department", c.department ? Json(c.department->value) : Json(nullptr))},
      {"urgency", entry("urgency", c.urgency ? Json(to_string(*c.urgency)) : Json(nullptr))}};
  REDRESS_CHECK(tx.triage().set_outcome(c.id, outcome.dump()));
  return std::optional<Json>(std::move(outcome));
}

Result<std::set<std::string>> retired_categories(const store::ReadTx& tx) {
  std::set<std::string> out;
  REDRESS_TRY(const auto categories, tx.directory().categories());
  for (const auto& c : categories) {
    if (!c.active) out.insert(c.code);
  }
  return out;
}

Result<RetiredValues> retired_values(const store::ReadTx& tx) {
  RetiredValues out;
  REDRESS_TRY(out.categories, retired_categories(tx));
  REDRESS_TRY(const auto departments, tx.directory().departments());
  for (const auto& d : departments) {
    if (!d.active) out.departments.insert(d.id.value);
  }
  return out;
}

namespace {
// Leaves out of `suggestions` the values `retired` names (see RetiredValues).
void drop_retired(const RetiredValues& retired, Json& suggestions) {
  const auto prune = [&](const char* field, auto is_retired) {
    if (!suggestions.contains(field) || !suggestions[field].is_array()) return;
    Json kept = Json::array();
    for (const Json& item : suggestions[field]) {
      if (!is_retired(item.value("value", Json()))) kept.push_back(item);
    }
    suggestions[field] = std::move(kept);
  };
  prune("category", [&](const Json& v) {
    return v.is_string() && retired.categories.contains(v.get<std::string>());
  });
  prune("department", [&](const Json& v) {
    return v.is_number_integer() && retired.departments.contains(v.get<std::int64_t>());
  });
}
}  // namespace

Result<TriageView> triage_view(const store::ReadTx& tx, const Actor& actor, ComplaintId id,
                               const TriageOptions& options) {
  REDRESS_TRY(auto c, load_visible(tx, actor, id));
  REDRESS_TRY(auto stored, tx.triage().suggestion(c.id));
  TriageView v;
  if (!stored) {
    // No model was serving at its intake: an empty answer, not an error.
    v.suggestions = Json{
        {"category", Json::array()}, {"department", Json::array()}, {"urgency", Json::array()}};
    v.prefill = Json::object();
    return v;
  }
  v.model_version = stored->model_version;
  v.suggested_at = stored->suggested_at;
  v.suggestions = Json::parse(stored->suggestions, nullptr, false);
  if (!v.suggestions.is_object()) return fail(Error::internal("stored suggestions are not JSON"));
  if (stored->outcome) v.outcome = Json::parse(*stored->outcome, nullptr, false);
  REDRESS_TRY(const auto retired, retired_values(tx));
  drop_retired(retired, v.suggestions);
  v.prefill = Json::object();
  const auto confident = [&](const char* field) -> const Json* {
    const Json& list = v.suggestions[field];
    if (!list.is_array() || list.empty()) return nullptr;
    const Json& first = list[0];
    if (first.value("confidence", 0.0) < options.prefill_threshold) return nullptr;
    return &first["value"];
  };
  if (const Json* value = confident("category"); value && !c.category) {
    v.prefill["category"] = *value;
  }
  if (const Json* value = confident("department"); value && !c.department) {
    v.prefill["department_id"] = *value;
  }
  if (const Json* value = confident("urgency"); value && value->is_string()) {
    const std::string suggested = value->get<std::string>();
    if (!c.urgency || urgency_rank(suggested) > urgency_rank(to_string(*c.urgency))) {
      v.prefill["urgency"] = suggested;
    }
  }
  return v;
}

}  // namespace redress::app
