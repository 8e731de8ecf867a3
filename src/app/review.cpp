#include "app/review.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "core/lifecycle.h"
#include "core/stats.h"

namespace redress::app {

using Json = nlohmann::json;

namespace {

constexpr std::int64_t kDayMs = 86'400'000;
constexpr double kHourMs = 3'600'000.0;

Json opt(const std::optional<double>& v) {
  return v ? Json(*v) : Json(nullptr);
}

double ratio(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

Json rate(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? Json(ratio(part, whole)) : Json(nullptr);
}

// {"count", "median_hours", "p90_hours", "mean_hours"} of durations in ms.
Json duration_summary(const std::vector<double>& ms) {
  std::vector<double> hours;
  hours.reserve(ms.size());
  for (double v : ms) hours.push_back(v / kHourMs);
  std::optional<double> mean;
  if (!hours.empty()) {
    double sum = 0;
    for (double h : hours) sum += h;
    mean = sum / static_cast<double>(hours.size());
  }
  return Json{{"count", hours.size()},
              {"median_hours", opt(stats::percentile(hours, 50))},
              {"p90_hours", opt(stats::percentile(hours, 90))},
              {"mean_hours", opt(mean)}};
}

// Counts with labels and shares, largest first (ties by key).
Json labelled_counts(std::vector<store::Count> counts,
                     const std::map<std::string, std::string>& labels, std::int64_t total) {
  std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
    return a.count != b.count ? a.count > b.count : a.key < b.key;
  });
  Json out = Json::array();
  for (const auto& c : counts) {
    auto it = labels.find(c.key);
    out.push_back({{"key", c.key.empty() ? Json(nullptr) : Json(c.key)},
                   {"label", it != labels.end() ? it->second : c.key},
                   {"count", c.count},
                   {"share", ratio(c.count, total)}});
  }
  return out;
}

Json pareto_json(const std::vector<stats::ParetoItem>& items) {
  Json out = Json::array();
  for (const auto& i : items) {
    out.push_back({{"key", i.key},
                   {"count", i.count},
                   {"share", i.share},
                   {"cumulative_share", i.cumulative_share},
                   {"vital_few", i.vital_few}});
  }
  return out;
}

std::string department_label(const std::optional<std::int64_t>& id,
                             const std::map<std::string, std::string>& names) {
  if (!id) return "";
  auto it = names.find(std::to_string(*id));
  return it != names.end() ? it->second : std::to_string(*id);
}

Json department_ref(const std::optional<std::int64_t>& id,
                    const std::map<std::string, std::string>& names) {
  return id ? Json(department_label(id, names)) : Json(nullptr);
}

// The counts of one report-count dimension, summed over departments, keyed by
// value; for "received", the counts per department instead, keyed by the
// department's id ("" for unrouted).
std::vector<store::Count> tally_counts(const std::vector<store::Tally>& tallies,
                                       std::string_view dimension) {
  const bool per_department = dimension == "received";
  std::map<std::string, std::int64_t> sums;
  for (const auto& t : tallies) {
    if (t.dimension != dimension) continue;
    if (!per_department) {
      sums[t.value] += t.n;
    } else {
      sums[t.department == 0 ? std::string() : std::to_string(t.department)] += t.n;
    }
  }
  std::vector<store::Count> out;
  out.reserve(sums.size());
  for (auto& [key, n] : sums) {
    if (n != 0) out.push_back({key, n});
  }
  return out;
}

// Met, breached and pending clocks of one kind, and the durations of stopped ones.
struct ClockTally {
  std::int64_t met = 0, breached = 0, pending = 0;
  std::vector<double> durations_ms;
};

Json tally_json(const ClockTally& t) {
  return Json{{"met", t.met},
              {"breached", t.breached},
              {"pending", t.pending},
              {"compliance", rate(t.met, t.met + t.breached)}};
}

}  // namespace

bool is_report_language(std::string_view lang) {
  return std::find(kReportLanguages.begin(), kReportLanguages.end(), lang) !=
         kReportLanguages.end();
}

Status ManagementReview::require_reader(const Actor& actor) {
  if (actor.kind == Actor::Kind::system) return {};
  if (actor.kind == Actor::Kind::user &&
      (actor.has(Role::director) || actor.has(Role::qa) || actor.has(Role::admin))) {
    return {};
  }
  return fail(Error::forbidden("the management review is for directors, QA and administrators"));
}

std::pair<Instant, Instant> ManagementReview::default_period(Instant now, int months) {
  const std::int64_t today = to_epoch_ms(now) / kDayMs - (to_epoch_ms(now) % kDayMs < 0 ? 1 : 0);
  stats::Month m = stats::month_of_day(today);
  const Instant to = from_epoch_ms(stats::first_day(m) * kDayMs);
  for (int i = 0; i < months; ++i)
    m = m.month == 1 ? stats::Month{m.year - 1, 12} : stats::Month{m.year, m.month - 1};
  return {from_epoch_ms(stats::first_day(m) * kDayMs), to};
}

Result<Json> ManagementReview::build(const store::ReadTx& tx, const Actor& actor,
                                     const ManagementReviewRequest& req) const {
  REDRESS_CHECK(require_reader(actor));
  std::vector<FieldError> errors;
  if (req.from >= req.to) errors.push_back({"from", "must be before to"});
  if (!is_report_language(req.language)) {
    errors.push_back(language_field("lang"));
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));

  const store::ReviewPeriod period{req.from, req.to};
  const store::ReportScope scope{req.from, req.to, std::nullopt, false};
  const auto& reports = tx.reports();
  const auto& review = tx.review();

  std::map<std::string, std::string> department_names, category_names;
  REDRESS_TRY(auto departments, tx.directory().departments());
  for (const auto& d : departments) department_names[std::to_string(d.id.value)] = d.name;
  REDRESS_TRY(auto categories, tx.directory().categories());
  for (const auto& c : categories) category_names[c.code] = c.name;

  Json doc;
  doc["report"] = "management_review";
  // last_day: the last day the period covers (to is exclusive), for titles.
  doc["period"] = {
      {"from", format_iso8601(req.from)},
      {"to", format_iso8601(req.to)},
      {"last_day", format_iso8601(req.to - std::chrono::milliseconds(1)).substr(0, 10)}};
  doc["language"] = req.language;
  doc["generated_at"] = format_iso8601(clock_.now());

  // Volumes. What the report counts keep (state, category, department, channel)
  // comes from them: their cost grows with months and departments, not with
  // complaints. The rest is counted in one pass over the covering index.
  REDRESS_TRY(auto kept_counts, reports.tallies(scope));
  const auto by_state = tally_counts(kept_counts, "state");
  REDRESS_TRY(auto counts, review.counts(period));
  const std::int64_t total = counts.total;
  std::int64_t open = 0;
  for (const auto& c : by_state) {
    if (auto s = parse<State>(c.key); s && !is_terminal(*s)) open += c.count;
  }
  REDRESS_TRY(auto resolved, review.resolutions(period));
  doc["totals"] = {{"received", total},
                   {"complaints", counts.complaints},
                   {"suggestions", counts.suggestions},
                   {"compliments", counts.compliments},
                   {"open", open},
                   {"resolved", resolved.size()}};
  doc["by_state"] = labelled_counts(by_state, {}, total);

  // Monthly volume and trend; months with no complaint count as zero.
  REDRESS_TRY(auto per_day, reports.per_day(scope, store::DaySeries::received));
  const std::int64_t first_day = to_epoch_ms(req.from) / kDayMs;
  const std::int64_t last_day = (to_epoch_ms(req.to) - 1) / kDayMs;
  const auto months = stats::months_between(first_day, last_day);
  std::map<stats::Month, std::int64_t> month_counts;
  for (const auto& d : per_day) month_counts[stats::month_of_day(d.day)] += d.count;
  Json volume = Json::array();
  std::vector<double> series;
  for (const auto& m : months) {
    volume.push_back({{"month", m.label()}, {"count", month_counts[m]}});
    series.push_back(static_cast<double>(month_counts[m]));
  }
  doc["volume_by_month"] = volume;
  doc["volume_trend"] = {{"slope_per_month", opt(stats::trend_slope(series))}};

  // Categories, departments, channels.
  const auto by_category = tally_counts(kept_counts, "category");
  const auto by_department = tally_counts(kept_counts, "received");
  const auto by_channel = tally_counts(kept_counts, "channel");
  // Categories rolled up to the top of the taxonomy, and as recorded (leaves).
  std::map<std::string, std::string> parent_of;
  for (const auto& c : categories) {
    if (c.parent_code) parent_of[c.code] = *c.parent_code;
  }
  auto top_of = [&](std::string code) {
    for (int depth = 0; depth < 16 && parent_of.contains(code); ++depth) code = parent_of[code];
    return code;
  };
  std::map<std::string, std::int64_t> top_counts;
  for (const auto& c : by_category) top_counts[c.key.empty() ? "" : top_of(c.key)] += c.count;
  std::vector<store::Count> top_list;
  top_list.reserve(top_counts.size());
  for (const auto& [k, n] : top_counts) top_list.push_back({k, n});
  doc["categories"] = labelled_counts(top_list, category_names, total);
  Json leaves = labelled_counts(by_category, category_names, total);
  for (Json& leaf : leaves) {
    if (!leaf["key"].is_string()) continue;
    const auto code = leaf["key"].get<std::string>();
    const std::string top = top_of(code);
    leaf["parent"] = top == code ? Json(nullptr) : Json(category_names[top]);
  }
  doc["subcategories"] = leaves;
  doc["departments"] = labelled_counts(by_department, department_names, total);
  doc["channels"] = labelled_counts(by_channel, {}, total);

  // Root causes: Pareto by fishbone family and by cause (family + description).
  REDRESS_TRY(auto causes, review.causes(period));
  std::map<std::string, std::int64_t> family_counts;
  std::vector<std::pair<std::string, std::int64_t>> cause_counts;
  std::int64_t cause_total = 0;
  for (const auto& c : causes) {
    family_counts[c.family] += c.count;
    // Keyed by family and description: the same words under two families
    // are two causes.
    cause_counts.emplace_back(c.family + "\x1f" + c.description, c.count);
    cause_total += c.count;
  }
  Json by_cause = pareto_json(stats::pareto(cause_counts));
  for (Json& item : by_cause) {
    const std::string key = item["key"];
    const auto sep = key.find('\x1f');
    item["family"] = key.substr(0, sep);
    item["key"] = key.substr(sep + 1);
  }
  doc["root_causes"] = {
      {"total", cause_total},
      {"by_family", pareto_json(stats::pareto({family_counts.begin(), family_counts.end()}))},
      {"by_cause", by_cause}};

  // Times and SLA compliance.
  std::vector<double> resolution_ms;
  resolution_ms.reserve(resolved.size());
  for (const auto& [received, done] : resolved) {
    resolution_ms.push_back(static_cast<double>(done - received));
  }
  REDRESS_TRY(auto clocks, review.clocks(period));
  const Instant now = clock_.now();
  std::map<std::string, ClockTally> tallies{{"first_response", {}}, {"resolution", {}}};
  for (const auto& k : clocks) {
    ClockTally& t = tallies[k.kind];
    if (k.stopped_at) {
      t.durations_ms.push_back(static_cast<double>(to_epoch_ms(*k.stopped_at) -
                                                   to_epoch_ms(k.started_at) - k.paused_ms));
      (*k.stopped_at <= k.due_at && !k.breached_at ? t.met : t.breached) += 1;
    } else if (k.breached_at || k.due_at < now) {
      t.breached += 1;
    } else {
      t.pending += 1;
    }
  }
  doc["times"] = {{"first_response", duration_summary(tallies["first_response"].durations_ms)},
                  {"resolution", duration_summary(resolution_ms)}};
  doc["sla"] = {{"first_response", tally_json(tallies["first_response"])},
                {"resolution", tally_json(tallies["resolution"])}};

  // What imported records carried from their source (e.g. CFPB's company
  // response and "Timely response?"), kept apart from Redress's own clocks.
  REDRESS_TRY(auto imported, review.imported_facts(period));
  std::int64_t timely_yes = 0, timely_no = 0, disputed = 0;
  std::map<std::string, std::int64_t> outcomes;
  for (const auto& text : imported) {
    const Json data = Json::parse(text, nullptr, false);
    if (data.is_discarded()) continue;
    if (data.contains("timely") && data["timely"].is_boolean()) {
      (data["timely"].get<bool>() ? timely_yes : timely_no) += 1;
    }
    if (data.value("disputed", false)) ++disputed;
    if (data.contains("outcome") && data["outcome"].is_string()) {
      const std::string o = data["outcome"];
      if (!o.empty()) outcomes[o] += 1;
    }
  }
  std::vector<store::Count> outcome_counts;
  outcome_counts.reserve(outcomes.size());
  for (const auto& [k, n] : outcomes) outcome_counts.push_back({k, n});
  doc["imported"] = {{"records", imported.size()},
                     {"timely",
                      {{"yes", timely_yes},
                       {"no", timely_no},
                       {"compliance", rate(timely_yes, timely_yes + timely_no)}}},
                     {"disputed", disputed},
                     {"outcomes", labelled_counts(outcome_counts, {},
                                                  static_cast<std::int64_t>(imported.size()))}};

  // Validity outcomes.
  doc["validity"] = {{"founded", counts.founded},
                     {"unfounded", counts.unfounded},
                     {"pending", counts.pending},
                     {"suggestions", counts.suggestions},
                     {"compliments", counts.compliments},
                     {"founded_rate", rate(counts.founded, counts.founded + counts.unfounded)}};

  // Remedies granted and their cost, by currency (amounts in different
  // currencies are never added together).
  REDRESS_TRY(auto remedies, review.granted_remedies(period));
  Json granted = Json::array();
  std::map<std::string, double> cost;
  std::int64_t remedy_count = 0;
  for (const auto& r : remedies) {
    granted.push_back({{"type", r.type},
                       {"currency", r.currency},
                       {"count", r.count},
                       {"with_amount", r.with_amount},
                       {"amount", r.amount}});
    remedy_count += r.count;
    if (r.with_amount > 0) cost[r.currency] += r.amount;
  }
  Json cost_json = Json::array();
  for (const auto& [currency, amount] : cost) {
    cost_json.push_back({{"currency", currency}, {"amount", amount}});
  }
  doc["remedies"] = {{"granted", granted}, {"count", remedy_count}, {"cost", cost_json}};

  // Satisfaction and its monthly trend.
  REDRESS_TRY(auto ratings, review.satisfaction_by_day(period));
  std::map<stats::Month, std::pair<std::int64_t, std::int64_t>> month_ratings;  // count, sum
  std::map<int, std::int64_t> scores;
  std::int64_t rating_count = 0, rating_sum = 0;
  for (const auto& r : ratings) {
    auto& [n, sum] = month_ratings[stats::month_of_day(r.day)];
    n += r.count;
    sum += r.count * r.score;
    scores[r.score] += r.count;
    rating_count += r.count;
    rating_sum += r.count * r.score;
  }
  Json by_score = Json::array();
  for (int s = 1; s <= 5; ++s) by_score.push_back({{"score", s}, {"count", scores[s]}});
  Json sat_months = Json::array();
  std::vector<double> averages;
  for (const auto& m : months) {
    const auto [n, sum] = month_ratings[m];
    std::optional<double> avg;
    if (n > 0) {
      avg = static_cast<double>(sum) / static_cast<double>(n);
      averages.push_back(*avg);
    }
    sat_months.push_back({{"month", m.label()}, {"ratings", n}, {"average", opt(avg)}});
  }
  doc["satisfaction"] = {
      {"ratings", rating_count},
      {"average", rating_count > 0 ? Json(ratio(rating_sum, rating_count)) : Json(nullptr)},
      {"by_score", by_score},
      {"by_month", sat_months},
      // Over the months that have ratings, in order.
      {"slope_per_month", opt(stats::trend_slope(averages))}};

  // Reopen and appeal rates.
  doc["reopen_appeal"] = {{"reopened", counts.reopened},
                          {"reopen_rate", rate(counts.reopened, counts.total)},
                          {"rejected", counts.rejected},
                          {"appealed", counts.appealed},
                          {"appeal_rate", rate(counts.appealed, counts.rejected)}};

  // Accountability.
  REDRESS_TRY(auto acc_totals, review.accountability_totals(period));
  REDRESS_TRY(auto acc_rows, review.accountability_entries(period, req.list_limit));
  Json acc_kinds = Json::array();
  std::int64_t acc_total = 0;
  double acc_loss = 0;
  for (const auto& a : acc_totals) {
    acc_kinds.push_back({{"kind", a.kind},
                         {"count", a.count},
                         {"confirmed", a.confirmed},
                         {"with_sanction", a.with_sanction},
                         {"loss", a.loss}});
    acc_total += a.count;
    acc_loss += a.loss;
  }
  Json acc_entries = Json::array();
  for (const auto& a : acc_rows) {
    acc_entries.push_back({{"tracking_code", a.tracking_code},
                           {"department", department_ref(a.department_id, department_names)},
                           {"kind", a.kind},
                           {"subject", a.subject},
                           {"finding", a.finding},
                           {"loss", a.loss_amount ? Json(*a.loss_amount) : Json(nullptr)},
                           {"sanction", a.sanction},
                           {"confirmed", a.confirmed}});
  }
  doc["accountability"] = {
      {"total", acc_total}, {"loss", acc_loss}, {"by_kind", acc_kinds}, {"entries", acc_entries}};

  // Recurring complaints: the same customer or the same object, twice or more.
  auto recurring_json = [](const store::RecurringSummary& summary) {
    Json top = Json::array();
    for (const auto& g : summary.top) {
      top.push_back({{"key", g.key}, {"label", g.label}, {"count", g.count}});
    }
    return Json{{"groups", summary.groups}, {"complaints", summary.complaints}, {"top", top}};
  };
  REDRESS_TRY(auto recurring, review.recurring(period, req.list_limit));
  doc["recurring"] = {{"customers", recurring_json(recurring.customers)},
                      {"objects", recurring_json(recurring.objects)}};

  // Influential complaints: major impact (urgent, or judged difficult).
  REDRESS_TRY(auto influential, review.influential(period, req.list_limit));
  Json infl = Json::array();
  for (const auto& i : influential) {
    infl.push_back({{"tracking_code", i.tracking_code},
                    {"subject", i.subject},
                    {"category",
                     category_names.contains(i.category) ? category_names[i.category] : i.category},
                    {"department", department_ref(i.department_id, department_names)},
                    {"state", i.state},
                    {"urgency", i.urgency},
                    {"difficulty", i.difficulty},
                    {"received_at", format_iso8601(i.received_at)}});
  }
  doc["influential"] = {{"count", counts.major}, {"complaints", infl}};

  // Improvement actions and lessons learned.
  REDRESS_TRY(auto actions, review.improvement_actions(period));
  std::map<std::string, std::int64_t> by_status;
  std::int64_t overdue = 0;
  Json action_list = Json::array();
  for (const auto& a : actions) {
    by_status[a.status] += 1;
    const bool late = a.status != "done" && a.due_at && *a.due_at < now;
    if (late) ++overdue;
    if (std::cmp_less(action_list.size(), req.list_limit)) {
      action_list.push_back({{"tracking_code", a.tracking_code},
                             {"department", department_ref(a.department_id, department_names)},
                             {"title", a.title},
                             {"owner", a.owner},
                             {"status", a.status},
                             {"due_at", a.due_at ? Json(format_iso8601(*a.due_at)) : Json(nullptr)},
                             {"overdue", late}});
    }
  }
  Json status_json = Json::array();
  for (const auto& [s, n] : by_status) status_json.push_back({{"status", s}, {"count", n}});
  doc["improvement"] = {{"actions", actions.size()},
                        {"by_status", status_json},
                        {"overdue", overdue},
                        {"lessons_recorded", counts.with_lessons},
                        {"list", action_list}};

  // Training needs (item 7): people-family causes and service-attitude
  // complaints, by department and topic; "repeated" when a department has two
  // or more service-attitude complaints or the same people cause twice.
  REDRESS_TRY(auto training, review.training_needs(period, req.attitude_category));
  std::map<std::pair<std::string, std::string>, std::int64_t> per_department_source;
  for (const auto& t : training) {
    per_department_source[{department_label(t.department_id, department_names), t.source}] +=
        t.count;
  }
  std::sort(training.begin(), training.end(), [&](const auto& a, const auto& b) {
    const auto da = department_label(a.department_id, department_names);
    const auto db = department_label(b.department_id, department_names);
    if (da != db) return da < db;
    if (a.count != b.count) return a.count > b.count;
    return std::tie(a.source, a.topic) < std::tie(b.source, b.topic);
  });
  Json groups = Json::array();
  std::int64_t training_total = 0;
  for (const auto& t : training) {
    const std::string dep = department_label(t.department_id, department_names);
    const bool repeated =
        t.source == "service_attitude" ? per_department_source[{dep, t.source}] >= 2 : t.count >= 2;
    groups.push_back({{"department", t.department_id ? Json(dep) : Json(nullptr)},
                      {"source", t.source},
                      {"topic", t.topic},
                      {"count", t.count},
                      {"repeated", repeated}});
    training_total += t.count;
  }
  doc["training_needs"] = {{"total", training_total}, {"groups", groups}};
  return doc;
}

namespace {
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}
}  // namespace

std::string training_needs_csv(const Json& review) {
  std::string out = "department,source,topic,count,repeated\n";
  for (const Json& g : review.at("training_needs").at("groups")) {
    out += csv_field(g["department"].is_string() ? g["department"].get<std::string>() : "") + ",";
    out += csv_field(g["source"].get<std::string>()) + ",";
    out += csv_field(g["topic"].get<std::string>()) + ",";
    out += std::to_string(g["count"].get<std::int64_t>()) + ",";
    out += g["repeated"].get<bool>() ? "yes\n" : "no\n";
  }
  return out;
}

}  // namespace redress::app
