// redress-bench: the data tools of the benchmark suite (see bench/README.md).
//
//   redress-bench generate --database DB --count N [--data DIR] [--seed S] [--batch B]
//       adds N complaints to a database that holds an organisation (`redress demo`),
//       with realistic distributions of states, urgencies, channels, departments,
//       categories, languages and dates, and text resampled from the real complaint
//       data in ../shared/data (sentences of one source topic recombined; nothing
//       invented). Category, department and urgency follow the source topic with
//       some noise, so a triage model can learn them.
//   redress-bench raw --database DB --count N [--batch B]
//       the raw store limit: the rows an intake writes (customer, complaint, timeline
//       event) inserted by a bare loop with a commit every B rows.
//   redress-bench cfpb-csv --out FILE --count N [--data DIR] [--seed S]
//       a CFPB-format file of N rows resampled from the CFPB sample, each with a new
//       Complaint ID, for the import benchmark.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "app/audit.h"
#include "app/crypto.h"
#include "cli/context.h"
#include "core/sla.h"
#include "ingest/csv_reader.h"
#include "store/sla_repo.h"

namespace redress::bench {

namespace {

using Steady = std::chrono::steady_clock;

// The texts of one topic of a source, under the source's own label (CFPB
// Product, UIT-VSFC topic, TipDM 一级分类, Pamplona tema; empty where the source
// has none). A complaint draws its subject and sentences from one topic, so
// that its category can follow its text, as on a real desk: the triage
// benchmark needs labels a model can learn.
struct Topic {
  std::string label;
  std::vector<std::string> subjects;
  std::vector<std::string> sentences;
};

// One language's pool of real text, by topic.
struct TextPool {
  std::string language;
  std::vector<Topic> topics;

  // The topic labelled `label`, added on first use.
  Topic& topic(const std::string& label) {
    for (Topic& t : topics) {
      if (t.label == label) return t;
    }
    return topics.emplace_back(Topic{label, {}, {}});
  }
};

// FNV-1a: a label's stable number (the same on every platform and run).
std::uint64_t stable_hash(std::string_view s) {
  std::uint64_t h = 14695981039346656037ULL;
  for (const char ch : s) {
    h ^= static_cast<unsigned char>(ch);
    h *= 1099511628211ULL;
  }
  return h;
}

Result<std::vector<std::vector<std::string>>> read_csv(const std::filesystem::path& path,
                                                       char delimiter = ',') {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::invalid("--data", "cannot read " + path.string()));
  ingest::CsvReader reader(in, delimiter);
  std::vector<std::vector<std::string>> rows;
  for (;;) {
    REDRESS_TRY(auto row, reader.next_row());
    if (!row) break;
    rows.push_back(std::move(*row));
  }
  return rows;
}

std::size_t column(const std::vector<std::string>& header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string h = header[i];
    if (h.starts_with("\xEF\xBB\xBF")) h = h.substr(3);  // a BOM
    while (!h.empty() && h.back() == ' ') h.pop_back();
    if (h == name) return i;
  }
  return header.size();
}

std::string trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

// Splits at the sentence ends of `ends` (kept), dropping pieces shorter than 12 bytes.
void split_sentences(std::string_view text, const std::vector<std::string_view>& ends,
                     std::vector<std::string>& out) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t best = std::string_view::npos, len = 0;
    for (std::string_view e : ends) {
      const std::size_t at = text.find(e, start);
      if (at < best) best = at, len = e.size();
    }
    const std::size_t stop = best == std::string_view::npos ? text.size() : best + len;
    std::string piece = trim(text.substr(start, stop - start));
    if (piece.size() >= 12) out.push_back(std::move(piece));
    start = stop;
  }
}

std::string first_words(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  std::size_t cut = s.rfind(' ', max_bytes);
  if (cut == std::string_view::npos || cut < max_bytes / 2) {
    cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
  }
  return std::string(s.substr(0, cut));
}

Result<std::vector<TextPool>> load_pools(const std::filesystem::path& dir) {
  std::vector<TextPool> pools;
  {
    TextPool en{"en", {}};
    REDRESS_TRY(auto rows, read_csv(dir / "cfpb-complaints-sample.csv"));
    if (rows.empty()) return fail(Error::invalid("--data", "the CFPB sample is empty"));
    const auto narrative = column(rows[0], "Consumer complaint narrative");
    const auto issue = column(rows[0], "Issue");
    const auto product = column(rows[0], "Product");
    for (std::size_t i = 1; i < rows.size(); ++i) {
      const auto& r = rows[i];
      Topic& t = en.topic(product < r.size() ? r[product] : "");
      if (issue < r.size() && !r[issue].empty()) t.subjects.push_back(r[issue]);
      if (narrative < r.size()) split_sentences(r[narrative], {". ", "\n"}, t.sentences);
    }
    pools.push_back(std::move(en));
  }
  {
    TextPool vi{"vi", {}};
    REDRESS_TRY(auto rows, read_csv(dir / "vi" / "vi-uit-vsfc-train.csv"));
    const auto topic = rows.empty() ? 0 : column(rows[0], "topics");
    for (std::size_t i = 1; i < rows.size(); ++i) {
      if (rows[i].empty() || rows[i][0].size() < 12) continue;
      Topic& t = vi.topic(topic < rows[i].size() ? rows[i][topic] : "");
      t.sentences.push_back(rows[i][0]);
      t.subjects.push_back(first_words(rows[i][0], 60));
    }
    pools.push_back(std::move(vi));
  }
  {
    TextPool zh{"zh-Hans", {}};
    for (const char* file : {"zh-tipdm2020-messages-labeled.csv", "zh-tipdm2020-messages-votes.csv",
                             "zh-tipdm2020-messages-with-replies.csv"}) {
      REDRESS_TRY(auto rows, read_csv(dir / "zh" / file));
      if (rows.empty()) continue;
      const auto subject = column(rows[0], "留言主题");
      const auto detail = column(rows[0], "留言详情");
      const auto category = column(rows[0], "一级分类");  // the labelled file only
      for (std::size_t i = 1; i < rows.size(); ++i) {
        const auto& r = rows[i];
        Topic& t = zh.topic(category < r.size() ? trim(r[category]) : "");
        if (subject < r.size() && !trim(r[subject]).empty()) t.subjects.push_back(trim(r[subject]));
        if (detail < r.size()) split_sentences(r[detail], {"。", "！", "？", "\n"}, t.sentences);
      }
    }
    pools.push_back(std::move(zh));
  }
  {
    TextPool fr{"fr", {}};
    Topic& t = fr.topic("");
    REDRESS_TRY(auto rows, read_csv(dir / "fr" / "fr-engie-customer-service-tweets.csv", ';'));
    if (!rows.empty()) {
      const auto text = column(rows[0], "full_text");
      for (std::size_t i = 1; i < rows.size(); ++i) {
        if (text >= rows[i].size()) continue;
        std::string text_of_row = rows[i][text];
        for (std::size_t at; (at = text_of_row.find("\\n")) != std::string::npos;) {
          text_of_row.replace(at, 2, " ");
        }
        t.subjects.push_back(first_words(text_of_row, 60));
        split_sentences(text_of_row, {". ", "! ", "? "}, t.sentences);
      }
    }
    pools.push_back(std::move(fr));
  }
  {
    // The Pamplona register has no free text: its topic, sub-topic and district
    // are the words of a Spanish complaint here.
    TextPool es{"es", {}};
    REDRESS_TRY(auto rows, read_csv(dir / "es" / "es-pamplona-quejas-2014.csv"));
    if (!rows.empty()) {
      const auto tema = column(rows[0], "tema");
      const auto subtema = column(rows[0], "subtema");
      const auto barrio = column(rows[0], "Barrio");
      for (std::size_t i = 1; i < rows.size(); ++i) {
        const auto& r = rows[i];
        if (std::max({tema, subtema, barrio}) >= r.size()) continue;
        Topic& t = es.topic(trim(r[tema]));
        t.subjects.push_back(trim(r[tema]) + ": " + trim(r[subtema]));
        t.sentences.push_back(trim(r[subtema]) + " (" + trim(r[tema]) + "), " + trim(r[barrio]) +
                              ".");
      }
    }
    pools.push_back(std::move(es));
  }
  for (TextPool& p : pools) {
    // A topic needs both (CFPB products whose rows have no narrative have none).
    std::erase_if(p.topics,
                  [](const Topic& t) { return t.subjects.empty() || t.sentences.empty(); });
    if (p.topics.empty()) {
      return fail(
          Error::invalid("--data", "no text for language " + p.language + " in " + dir.string()));
    }
  }
  return pools;
}

// A discrete distribution over `values` with integer `weights`.
template <typename T>
struct Weighted {
  std::vector<T> values;
  std::discrete_distribution<std::size_t> pick;
  Weighted(std::vector<T> v, std::vector<int> w) : values(std::move(v)), pick(w.begin(), w.end()) {}
  const T& operator()(std::mt19937_64& rng) { return values[pick(rng)]; }
};

// Draws one complaint after another.
class Generator {
 public:
  Generator(std::vector<TextPool> pools, std::vector<Department> departments,
            std::vector<Category> categories, std::uint64_t seed, Instant now)
      : pools_(std::move(pools)),
        departments_(std::move(departments)),
        categories_(std::move(categories)),
        rng_(seed),
        now_(now) {
    // A pool's topics are drawn as often as the source has sentences on them.
    for (const TextPool& pool : pools_) {
      std::vector<double> weights;
      for (const Topic& t : pool.topics) weights.push_back(static_cast<double>(t.sentences.size()));
      topic_of_pool_.emplace_back(weights.begin(), weights.end());
    }
  }

  Complaint complaint(Customer& customer, std::int64_t serial) {
    const std::size_t pool_index = language_(rng_);
    const TextPool& pool = pools_[pool_index];
    const Topic& topic = pool.topics[topic_of_pool_[pool_index](rng_)];
    customer.name = customer_word(pool.language) + " " + std::to_string(serial);
    customer.email = "c" + std::to_string(serial) + "@example.com";
    customer.language = pool.language;

    Complaint c;
    c.tracking_code = "RD-B" + std::to_string(serial);
    c.access_token_hash = app::sha256_hex(std::to_string(serial) + "/" + std::to_string(rng_()));
    c.state = state_(rng_);
    c.channel = channel_(rng_);
    c.language = pool.language;
    c.kind = kind_(rng_);
    // Received over the last two years, more on weekdays and in office hours.
    for (;;) {
      const auto back = Millis(std::uniform_int_distribution<std::int64_t>(
          0, std::int64_t{730} * 24 * 3600 * 1000)(rng_));
      c.received_at = now_ - back;
      const auto days = std::chrono::floor<std::chrono::days>(c.received_at);
      const unsigned weekday = std::chrono::weekday(days).c_encoding();
      const auto hour =
          std::chrono::duration_cast<std::chrono::hours>(c.received_at - days).count();
      const bool busy = weekday != 0 && weekday != 6 && hour >= 7 && hour < 19;
      if (busy || std::uniform_int_distribution<int>(0, 3)(rng_) == 0) break;
    }
    c.subject = topic.subjects[pick(topic.subjects.size())];
    const int sentences = std::uniform_int_distribution<int>(1, 4)(rng_);
    for (int i = 0; i < sentences; ++i) {
      if (i) c.description += pool.language.starts_with("zh") ? "" : " ";
      c.description += topic.sentences[pick(topic.sentences.size())];
    }
    c.object_type = "order";
    c.object_ref = "ORD-" + std::to_string(100000 + pick(900000));
    const bool registered = c.state != State::new_ && c.state != State::assessing;
    c.validity = c.state == State::rejected ? Validity::unfounded
                 : registered               ? Validity::founded
                                            : Validity::pending;
    if (registered && c.state != State::rejected) {
      // What a person confirmed follows the text, with the noise of real desks:
      // a labelled topic maps to one category nine times in ten, its category's
      // department four times in five (routing), and its urgency is drawn from
      // one of three mixes chosen by the topic. Unlabelled text (French tweets,
      // unlabelled TipDM files) gets a random category, and departments a
      // Zipf-like share by position, as before.
      const std::uint64_t h = stable_hash(pool.language + "/" + topic.label);
      const bool labelled = !topic.label.empty();
      const std::size_t category =
          labelled && pick(10) != 0 ? h % categories_.size() : pick(categories_.size());
      c.category = categories_[category].code;
      c.urgency = labelled ? urgency_mix_[(h >> 16) % urgency_mix_.size()](rng_) : urgency_(rng_);
      c.difficulty = difficulty_(rng_);
      c.department = labelled && pick(5) != 0 ? departments_[category % departments_.size()].id
                                              : departments_[zipf(departments_.size())].id;
    }
    if (c.state == State::resolved || c.state == State::closed) {
      c.resolved_at = c.received_at + std::chrono::hours(resolution_hours_(rng_));
      if (*c.resolved_at > now_) c.resolved_at = now_;
      if (c.state == State::closed) c.closed_at = c.resolved_at;
      if (c.state == State::closed && std::uniform_int_distribution<int>(0, 2)(rng_) == 0) {
        c.satisfaction_score = std::uniform_int_distribution<int>(1, 5)(rng_);
      }
    }
    if (c.state == State::rejected) c.rejected_at = c.received_at + std::chrono::hours(20);
    c.created_at = c.received_at;
    c.updated_at = c.closed_at.value_or(c.received_at);
    return c;
  }

  // The resolution clock of an open complaint: due after a target set by urgency.
  std::optional<store::SlaClock> clock_for(const Complaint& c) {
    if (!c.urgency || stops_resolution(c.state) || c.state == State::on_hold) return std::nullopt;
    const int days = *c.urgency == Urgency::urgent ? 2 : *c.urgency == Urgency::important ? 5 : 10;
    store::SlaClock k;
    k.complaint = c.id;
    k.kind = SlaClockKind::resolution;
    k.target = std::chrono::days(days);
    k.started_at = c.received_at;
    k.due_at = c.received_at + k.target;
    k.warn_at = c.received_at + k.target * 8 / 10;
    k.director_at = c.received_at + k.target * 2;
    return k;
  }

 private:
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }
  std::size_t zipf(std::size_t n) {
    // P(i) ∝ 1/(i+1): draw by inverse transform over the harmonic weights.
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) total += 1.0 / static_cast<double>(i + 1);
    double u = std::uniform_real_distribution<double>(0, total)(rng_);
    for (std::size_t i = 0; i < n; ++i) {
      u -= 1.0 / static_cast<double>(i + 1);
      if (u <= 0) return i;
    }
    return n - 1;
  }
  static std::string customer_word(const std::string& language) {
    if (language == "es") return "Cliente";
    if (language == "fr") return "Client";
    if (language == "vi") return "Khách hàng";
    if (language.starts_with("zh")) return "客户";
    return "Customer";
  }

  std::vector<TextPool> pools_;
  std::vector<std::discrete_distribution<std::size_t>> topic_of_pool_;
  std::vector<Department> departments_;
  std::vector<Category> categories_;
  std::mt19937_64 rng_;
  Instant now_;
  // Languages of pools_ in load order: en, vi, zh-Hans, fr, es.
  std::discrete_distribution<std::size_t> language_{60, 10, 10, 10, 10};
  // A desk in steady state: most complaints closed, the open ones spread over the
  // lifecycle, fewer the further along.
  Weighted<State> state_{
      {State::new_, State::assessing, State::assigned, State::investigating, State::plan_review,
       State::awaiting_customer, State::implementing, State::verifying, State::responding,
       State::resolved, State::closed, State::rejected, State::withdrawn, State::on_hold},
      {20, 15, 40, 45, 15, 15, 30, 10, 10, 30, 680, 50, 20, 20}};
  Weighted<Channel> channel_{{Channel::portal, Channel::email, Channel::phone, Channel::api},
                             {45, 35, 15, 5}};
  Weighted<Kind> kind_{{Kind::complaint, Kind::suggestion, Kind::compliment}, {92, 6, 2}};
  Weighted<Urgency> urgency_{{Urgency::urgent, Urgency::important, Urgency::general}, {8, 22, 70}};
  // Per-topic urgency mixes around the overall 8/22/70.
  std::array<Weighted<Urgency>, 3> urgency_mix_{
      Weighted<Urgency>{{Urgency::urgent, Urgency::important, Urgency::general}, {20, 40, 40}},
      Weighted<Urgency>{{Urgency::urgent, Urgency::important, Urgency::general}, {3, 17, 80}},
      Weighted<Urgency>{{Urgency::urgent, Urgency::important, Urgency::general}, {4, 12, 84}}};
  Weighted<Difficulty> difficulty_{{Difficulty::simple, Difficulty::complex, Difficulty::difficult},
                                   {70, 25, 5}};
  std::lognormal_distribution<double> resolution_hours_dist_{4.0, 1.0};
  struct Hours {
    std::lognormal_distribution<double>& d;
    std::int64_t operator()(std::mt19937_64& rng) {
      return std::max<std::int64_t>(1, static_cast<std::int64_t>(d(rng)));
    }
  } resolution_hours_{resolution_hours_dist_};
};

void progress(const char* what, std::int64_t done, std::int64_t total, Steady::time_point start,
              bool final) {
  const double s = std::chrono::duration<double>(Steady::now() - start).count();
  std::fprintf(stderr, "\r%s %lld / %lld  %.0f rows/s  %.1f s%s", what,
               static_cast<long long>(done), static_cast<long long>(total),
               s > 0 ? static_cast<double>(done) / s : 0.0, s, final ? "\n" : "");
  std::fflush(stderr);
}

Status generate(store::Store& store, const Clock& clock, std::int64_t count,
                const std::filesystem::path& data, std::uint64_t seed, std::size_t batch) {
  REDRESS_TRY(auto pools, load_pools(data));
  auto org = store.read<std::pair<std::vector<Department>, std::vector<Category>>>(
      [](const store::ReadTx& tx)
          -> Result<std::pair<std::vector<Department>, std::vector<Category>>> {
        REDRESS_TRY(auto d, tx.directory().departments());
        REDRESS_TRY(auto c, tx.directory().categories());
        return std::pair{std::move(d), std::move(c)};
      });
  if (!org) return fail(org.error());
  if (org->first.empty() || org->second.empty()) {
    return fail(Error::precondition(
        "the database has no departments or categories: run `redress demo` on it first"));
  }
  auto first = store.read<std::int64_t>([](const store::ReadTx& tx) -> Result<std::int64_t> {
    REDRESS_TRY(auto rows, tx.complaints().list(store::ComplaintFilter{.limit = 1}));
    return rows.empty() ? std::int64_t{0} : rows.front().id.value;
  });
  if (!first) return fail(first.error());
  Generator gen(std::move(pools), std::move(org->first), std::move(org->second), seed, clock.now());
  const Actor system{.kind = Actor::Kind::system};
  const auto start = Steady::now();
  auto last_report = start;
  std::int64_t done = 0;
  while (done < count) {
    const auto n = std::min<std::int64_t>(static_cast<std::int64_t>(batch), count - done);
    REDRESS_TRY(auto written,
                store.write_sync<std::int64_t>(
                    [&](store::WriteTx& tx) -> Result<std::int64_t> {
                      for (std::int64_t i = 0; i < n; ++i) {
                        Customer customer;
                        Complaint c = gen.complaint(customer, *first + done + i + 1);
                        REDRESS_TRY(customer.id, tx.customers().insert(customer));
                        c.customer = customer.id;
                        REDRESS_TRY(c.id, tx.complaints().insert(c));
                        if (auto k = gen.clock_for(c)) {
                          REDRESS_TRY(auto clock_id, tx.sla().add_clock(*k));
                          (void)clock_id;
                        }
                        REDRESS_TRY(
                            auto ev,
                            app::append_event(
                                tx, system, c.received_at,
                                {c.id, "generated", std::nullopt, c.state,
                                 nlohmann::json{{"generator", "redress-bench"}, {"seed", seed}}}));
                        (void)ev;
                      }
                      return n;
                    },
                    store::WriteMode::alone));
    done += written;
    if (done == count || Steady::now() - last_report > std::chrono::seconds(1)) {
      progress("generated", done, count, start, done == count);
      last_report = Steady::now();
    }
  }
  return {};
}

Status raw(store::Store& store, const Clock& clock, std::int64_t count, std::size_t batch) {
  const Actor system{.kind = Actor::Kind::system};
  const auto start = Steady::now();
  std::int64_t done = 0;
  while (done < count) {
    const auto n = std::min<std::int64_t>(static_cast<std::int64_t>(batch), count - done);
    REDRESS_TRY(
        auto written,
        store.write_sync<std::int64_t>(
            [&](store::WriteTx& tx) -> Result<std::int64_t> {
              for (std::int64_t i = 0; i < n; ++i) {
                const Instant now = clock.now();
                Customer customer{CustomerId{}, "Raw Customer", "raw@example.com", "", "en", {}};
                REDRESS_TRY(customer.id, tx.customers().insert(customer));
                Complaint c;
                c.tracking_code = "RD-" + app::random_code(8);
                c.access_token_hash = app::sha256_hex(app::random_token(32));
                c.customer = customer.id;
                c.channel = Channel::api;
                c.received_at = now;
                c.subject = "Late parcel";
                c.description = "My order arrived nine days late and the box was crushed.";
                c.object_type = "order";
                c.object_ref = "ORD-1";
                c.created_at = now;
                c.updated_at = now;
                REDRESS_TRY(c.id, tx.complaints().insert(c));
                REDRESS_TRY(auto ev, app::append_event(tx, system, now,
                                                       {c.id, "registered", std::nullopt, c.state,
                                                        nlohmann::json{{"channel", "api"}}}));
                (void)ev;
              }
              return n;
            },
            store::WriteMode::alone));
    done += written;
  }
  const double s = std::chrono::duration<double>(Steady::now() - start).count();
  std::printf("raw_rows=%lld seconds=%.3f rows_per_second=%.0f batch=%zu\n",
              static_cast<long long>(count), s, static_cast<double>(count) / s, batch);
  return {};
}

// Resamples the CFPB sample into `count` rows with fresh Complaint IDs.
Status cfpb_csv(const std::filesystem::path& data, const std::string& out_path, std::int64_t count,
                std::uint64_t seed) {
  REDRESS_TRY(auto rows, read_csv(data / "cfpb-complaints-sample.csv"));
  if (rows.size() < 2) return fail(Error::invalid("--data", "the CFPB sample is empty"));
  const auto id = column(rows[0], "Complaint ID");
  if (id >= rows[0].size()) return fail(Error::invalid("--data", "no Complaint ID column"));
  std::ofstream out(out_path, std::ios::binary);
  if (!out) return fail(Error::invalid("--out", "cannot write " + out_path));
  auto write_row = [&](const std::vector<std::string>& r) {
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (i) out << ',';
      out << '"';
      for (char ch : r[i]) out << (ch == '"' ? "\"\"" : std::string(1, ch));
      out << '"';
    }
    out << '\n';
  };
  write_row(rows[0]);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> pick(1, rows.size() - 1);
  for (std::int64_t i = 0; i < count; ++i) {
    auto r = rows[pick(rng)];
    r[id] = std::to_string(90000000 + i);
    write_row(r);
  }
  return out ? Status{} : fail(Error::internal("writing " + out_path + " failed"));
}

}  // namespace

}  // namespace redress::bench

int main(int argc, char** argv) {
  using namespace redress;
  CLI::App app{"redress-bench: data for the benchmark suite"};
  app.require_subcommand(1);
  std::string database;
  std::int64_t count = 0;
  std::string data = "../shared/data";
  std::uint64_t seed = 20241122;
  std::size_t batch = 2000;
  std::string out;
  auto* gen = app.add_subcommand("generate", "Add N realistic complaints to a database");
  auto* raw = app.add_subcommand("raw", "Measure the raw store insert limit");
  auto* csv = app.add_subcommand("cfpb-csv", "Write a CFPB-format file of N resampled rows");
  for (auto* sub : {gen, raw}) {
    sub->add_option("--database", database, "SQLite file or postgresql:// URL")->required();
  }
  for (auto* sub : {gen, raw, csv}) sub->add_option("--count", count, "rows")->required();
  for (auto* sub : {gen, csv}) {
    sub->add_option("--data", data, "the shared data folder");
    sub->add_option("--seed", seed, "random seed");
  }
  gen->add_option("--batch", batch, "rows per transaction");
  raw->add_option("--batch", batch, "rows per commit")->default_val(100);
  csv->add_option("--out", out, "output file")->required();
  CLI11_PARSE(app, argc, argv);

  if (csv->parsed()) {
    if (!std::filesystem::exists(data)) {
      std::fprintf(stderr, "skipped: %s is absent\n", data.c_str());
      return 0;
    }
    auto done = bench::cfpb_csv(data, out, count, seed);
    if (!done) {
      std::fprintf(stderr, "redress-bench: %s\n", done.error().message.c_str());
      return 1;
    }
    return 0;
  }
  cli::SystemClock clock;
  auto store = cli::open_store(database, clock);
  if (!store) {
    std::fprintf(stderr, "redress-bench: %s\n", store.error().message.c_str());
    return 1;
  }
  Status done;
  if (gen->parsed()) {
    if (!std::filesystem::exists(data)) {
      std::fprintf(stderr, "skipped: %s is absent (the generator resamples its real text)\n",
                   data.c_str());
      return 0;
    }
    done = bench::generate(**store, clock, count, data, seed, batch);
  } else {
    done = bench::raw(**store, clock, count, batch);
  }
  if (!done) {
    std::fprintf(stderr, "redress-bench: %s\n", done.error().message.c_str());
    return 1;
  }
  return 0;
}
