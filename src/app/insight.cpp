#include "app/insight.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "app/review.h"

namespace redress::app {

using Json = nlohmann::json;

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

using Names = std::map<std::int64_t, std::string>;

Json opt(const std::optional<double>& v) {
  return v ? Json(*v) : Json(nullptr);
}

std::string iso_ms(std::int64_t ms) {
  return format_iso8601(from_epoch_ms(ms));
}

Json department_ref(const std::optional<std::int64_t>& id, const Names& names) {
  if (!id) return nullptr;
  auto it = names.find(*id);
  return Json{{"id", *id}, {"name", it != names.end() ? it->second : std::to_string(*id)}};
}

bool is_major(const std::string& urgency, const std::string& difficulty) {
  return urgency == "urgent" || difficulty == "difficult";
}

Json period_json(Instant from, Instant to) {
  return {{"from", format_iso8601(from)},
          {"to", format_iso8601(to)},
          {"last_day", format_iso8601(to - std::chrono::milliseconds(1)).substr(0, 10)}};
}

bool sees_everything(const Actor& actor) {
  if (actor.kind == Actor::Kind::system) return true;
  bool all = actor.wide_scope;
  for (Role r : kOrganisationWideRoles.members()) all = all || actor.has(r);
  return all;
}

// The repeat marks of founded rows, computed per record.
std::vector<stats::RepeatMark> repeat_marks(const std::vector<const store::FoundedRow*>& rows,
                                            std::int64_t window_ms) {
  std::vector<stats::RecordEntry> entries;
  entries.reserve(rows.size());
  for (const auto* r : rows)
    entries.push_back({r->id, r->received_ms, r->customer_id, r->object_ref});
  return stats::repeats(entries, window_ms);
}

struct RecordTotals {
  std::int64_t founded = 0, major = 0, repeats = 0;
};

}  // namespace

Status Insight::require_organisation_reader(const Actor& actor) {
  if (actor.kind == Actor::Kind::system) return {};
  if (actor.kind == Actor::Kind::user &&
      (actor.has(Role::director) || actor.has(Role::qa) || actor.has(Role::admin))) {
    return {};
  }
  return fail(
      Error::forbidden("organisation-wide reports are for directors, QA and administrators"));
}

Result<Json> Insight::warning_record(const store::ReadTx& tx, const Actor& actor,
                                     DepartmentId department, Instant from, Instant to) const {
  const bool organisation = require_organisation_reader(actor).has_value();
  const bool supervisor = actor.kind == Actor::Kind::user && actor.has(Role::supervisor);
  if (!organisation && !supervisor) {
    return fail(Error::forbidden(
        "a warning record is for directors, QA, administrators and the department's supervisors"));
  }
  if (from >= to) return fail(Error::invalid("from", "must be before to"));
  REDRESS_TRY(const auto departments, tx.directory().departments());
  const Department* dep = nullptr;
  for (const auto& d : departments) {
    if (d.id == department) dep = &d;
  }
  if (!dep) return fail(Error::not_found("department"));
  if (!organisation && !actor.wide_scope &&
      std::find(actor.scope.begin(), actor.scope.end(), department) == actor.scope.end()) {
    return fail(Error::forbidden("the department is outside your department scope"));
  }
  // The department and every department below it.
  std::vector<DepartmentId> subtree{department};
  for (std::size_t i = 0; i < subtree.size(); ++i) {
    for (const auto& d : departments) {
      if (d.parent && *d.parent == subtree[i] &&
          std::find(subtree.begin(), subtree.end(), d.id) == subtree.end()) {
        subtree.push_back(d.id);
      }
    }
  }
  Names names;
  for (const auto& d : departments) names[d.id.value] = d.name;
  std::map<std::string, std::string> category_names;
  REDRESS_TRY(const auto categories, tx.directory().categories());
  for (const auto& c : categories) category_names[c.code] = c.name;

  // Founded complaints from one repeat window before `from`, so that an entry
  // early in the period still sees what it repeats.
  const std::int64_t window_ms = options_.repeat_window_days * kDayMs;
  const store::ReportScope lookback{from - std::chrono::milliseconds(window_ms), to, subtree,
                                    false};
  const store::ReportScope period{from, to, subtree, false};
  REDRESS_TRY(const auto rows, tx.insight().founded(lookback));
  REDRESS_TRY(const auto remedies, tx.insight().founded_remedies(period));
  std::map<std::int64_t, Json> remedies_of;
  for (const auto& r : remedies) {
    auto& list = remedies_of[r.complaint_id];
    if (list.is_null()) list = Json::array();
    list.push_back(r.type);
  }
  std::vector<const store::FoundedRow*> all;
  all.reserve(rows.size());
  for (const auto& r : rows) all.push_back(&r);
  const auto marks = repeat_marks(all, window_ms);
  std::map<std::int64_t, std::string> code_of;
  for (const auto& r : rows) code_of[r.id] = r.tracking_code;

  const std::int64_t from_ms = to_epoch_ms(from);
  const auto months = stats::months_between(from_ms / kDayMs, (to_epoch_ms(to) - 1) / kDayMs);
  std::map<stats::Month, RecordTotals> per_month;
  RecordTotals totals;
  std::map<std::string, std::int64_t> by_urgency;
  std::int64_t resolved = 0, rated = 0, rating_sum = 0;
  std::map<std::int64_t, std::int64_t> per_department;
  Json entries = Json::array();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (r.received_ms < from_ms) continue;
    const bool major = is_major(r.urgency, r.difficulty);
    const bool repeat = marks[i].repeat_of.has_value();
    RecordTotals& m = per_month[stats::month_of_day(r.received_ms / kDayMs)];
    for (RecordTotals* t : {&m, &totals}) {
      t->founded += 1;
      t->major += major ? 1 : 0;
      t->repeats += repeat ? 1 : 0;
    }
    by_urgency[r.urgency.empty() ? "none" : r.urgency] += 1;
    if (r.resolved_ms) ++resolved;
    if (r.satisfaction) {
      ++rated;
      rating_sum += *r.satisfaction;
    }
    if (r.department_id) per_department[*r.department_id] += 1;
    auto category = category_names.find(r.category);
    entries.push_back(
        {{"id", r.id},
         {"tracking_code", r.tracking_code},
         {"subject", r.subject},
         {"received_at", iso_ms(r.received_ms)},
         {"department", department_ref(r.department_id, names)},
         {"category", r.category.empty() ? Json(nullptr) : Json(r.category)},
         {"category_label", category != category_names.end() ? category->second : r.category},
         {"object_ref", r.object_ref},
         {"customer_id", r.customer_id},
         {"severity",
          {{"urgency", r.urgency.empty() ? Json(nullptr) : Json(r.urgency)},
           {"difficulty", r.difficulty.empty() ? Json(nullptr) : Json(r.difficulty)},
           {"major", major}}},
         {"repeat", repeat},
         {"repeat_of", marks[i].repeat_of ? Json(code_of[*marks[i].repeat_of]) : Json(nullptr)},
         {"repeat_reason", repeat ? Json(marks[i].reason) : Json(nullptr)},
         {"outcome",
          {{"state", r.state},
           {"remedies", remedies_of.contains(r.id) ? remedies_of[r.id] : Json::array()},
           {"satisfaction", r.satisfaction ? Json(*r.satisfaction) : Json(nullptr)},
           {"resolved_at", r.resolved_ms ? Json(iso_ms(*r.resolved_ms)) : Json(nullptr)}}}});
  }
  Json month_json = Json::array();
  std::vector<double> series;
  for (const auto& m : months) {
    const RecordTotals t = per_month[m];
    month_json.push_back(
        {{"month", m.label()}, {"founded", t.founded}, {"major", t.major}, {"repeats", t.repeats}});
    series.push_back(static_cast<double>(t.founded));
  }
  Json sub = Json::array();
  for (DepartmentId d : subtree) {
    sub.push_back(
        {{"id", d.value}, {"name", names[d.value]}, {"founded", per_department[d.value]}});
  }
  Json doc;
  doc["report"] = "department_warnings";
  doc["department"] = {{"id", dep->id.value}, {"code", dep->code}, {"name", dep->name}};
  doc["subtree"] = sub;
  doc["period"] = period_json(from, to);
  doc["repeat_window_days"] = options_.repeat_window_days;
  doc["generated_at"] = format_iso8601(clock_.now());
  doc["totals"] = {{"founded", totals.founded},
                   {"major", totals.major},
                   {"repeats", totals.repeats},
                   {"resolved", resolved},
                   {"open", totals.founded - resolved},
                   {"satisfaction_average",
                    rated > 0 ? Json(static_cast<double>(rating_sum) / static_cast<double>(rated))
                              : Json(nullptr)}};
  doc["by_urgency"] = by_urgency;
  doc["by_month"] = month_json;
  doc["trend"] = {{"slope_per_month", opt(stats::trend_slope(series))}};
  doc["entries"] = entries;
  return doc;
}

Result<Json> Insight::warning_ranking(const store::ReadTx& tx, const Actor& actor, Instant from,
                                      Instant to) const {
  REDRESS_CHECK(require_organisation_reader(actor));
  if (from >= to) return fail(Error::invalid("from", "must be before to"));
  REDRESS_TRY(const auto departments, tx.directory().departments());
  const std::int64_t window_ms = options_.repeat_window_days * kDayMs;
  const store::ReportScope lookback{from - std::chrono::milliseconds(window_ms), to, std::nullopt,
                                    false};
  REDRESS_TRY(const auto rows, tx.insight().founded(lookback));
  std::map<std::int64_t, std::vector<const store::FoundedRow*>> by_department;
  const std::int64_t from_ms = to_epoch_ms(from);
  std::int64_t unrouted = 0, total = 0;
  for (const auto& r : rows) {
    if (r.department_id) {
      by_department[*r.department_id].push_back(&r);
    } else if (r.received_ms >= from_ms) {
      ++unrouted;
    }
  }
  struct Ranked {
    const Department* dep;
    RecordTotals t;
  };
  std::vector<Ranked> ranked;
  for (const auto& d : departments) {
    Ranked item{&d, {}};
    const auto& list = by_department[d.id.value];
    const auto marks = repeat_marks(list, window_ms);
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (list[i]->received_ms < from_ms) continue;
      item.t.founded += 1;
      item.t.major += is_major(list[i]->urgency, list[i]->difficulty) ? 1 : 0;
      item.t.repeats += marks[i].repeat_of ? 1 : 0;
    }
    total += item.t.founded;
    ranked.push_back(item);
  }
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.t.founded != b.t.founded) return a.t.founded > b.t.founded;
    if (a.t.major != b.t.major) return a.t.major > b.t.major;
    if (a.t.repeats != b.t.repeats) return a.t.repeats > b.t.repeats;
    return a.dep->name < b.dep->name;
  });
  Json list = Json::array();
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const auto& r = ranked[i];
    list.push_back(
        {{"rank", i + 1},
         {"id", r.dep->id.value},
         {"code", r.dep->code},
         {"name", r.dep->name},
         {"parent", r.dep->parent ? Json(r.dep->parent->value) : Json(nullptr)},
         {"founded", r.t.founded},
         {"major", r.t.major},
         {"repeats", r.t.repeats},
         {"share",
          total > 0 ? static_cast<double>(r.t.founded) / static_cast<double>(total) : 0.0}});
  }
  return Json{{"report", "department_warning_ranking"},
              {"period", period_json(from, to)},
              {"repeat_window_days", options_.repeat_window_days},
              {"founded", total},
              {"unrouted", unrouted},
              {"departments", list}};
}

Result<Json> Insight::hotspots(const store::ReadTx& tx, const Actor& actor,
                               std::optional<Instant> from, std::optional<Instant> to,
                               bool full) const {
  if (actor.kind == Actor::Kind::customer ||
      (actor.kind == Actor::Kind::user && actor.roles.empty())) {
    return fail(Error::forbidden("reports are for staff"));
  }
  // Without `to`, the window ends at the end of today (UTC): whole days, which
  // the report counts answer without reading complaints, and the same answer
  // all day long (two dashboard reads a second apart agree).
  const std::int64_t now_ms = to_epoch_ms(clock_.now());
  const Instant end = to.value_or(from_epoch_ms((now_ms / kDayMs + 1) * kDayMs));
  const Instant start = from.value_or(end - std::chrono::days(options_.recent_days));
  if (start >= end) return fail(Error::invalid("from", "must be before to"));
  const Instant baseline_from = start - std::chrono::days(options_.baseline_days);
  store::ReportScope scope{start, end, std::nullopt, false};
  if (!sees_everything(actor)) {
    scope.departments = actor.scope;
    scope.include_unrouted = actor.has(Role::supervisor);
  }
  const double recent_days =
      static_cast<double>(to_epoch_ms(end) - to_epoch_ms(start)) / static_cast<double>(kDayMs);
  const auto baseline_days = static_cast<double>(options_.baseline_days);

  // Categories from the maintained report counts, summed over departments.
  store::ReportScope baseline_scope = scope;
  baseline_scope.from = baseline_from;
  baseline_scope.to = start;
  std::map<std::string, stats::WindowCount> categories;
  for (const auto& [sc, recent] : {std::pair{&scope, true}, std::pair{&baseline_scope, false}}) {
    REDRESS_TRY(const auto tallies, tx.reports().tallies(*sc, "category"));
    for (const auto& t : tallies) {
      if (t.dimension != "category" || t.value.empty()) continue;
      auto& c = categories[t.value];
      c.key = t.value;
      (recent ? c.recent : c.baseline) += t.n;
    }
  }
  std::vector<stats::WindowCount> category_counts;
  category_counts.reserve(categories.size());
  for (auto& [k, c] : categories) category_counts.push_back(c);
  // Objects and root causes need the complaints themselves: on the hotspot
  // report, not on every dashboard load (docs/reports.md, "Hotspots").
  std::vector<stats::WindowCount> object_counts, cause_counts;
  if (full) {
    const store::HotspotWindows windows{baseline_from, start, end};
    REDRESS_TRY(object_counts,
                tx.insight().object_counts(scope, windows, options_.thresholds.min_count));
    REDRESS_TRY(cause_counts,
                tx.insight().cause_counts(scope, windows, options_.thresholds.min_count));
  }
  std::map<std::string, std::string> category_names;
  REDRESS_TRY(const auto category_list, tx.directory().categories());
  for (const auto& c : category_list) category_names[c.code] = c.name;

  Json flagged = Json::array();
  auto section = [&](const char* dimension, const std::vector<stats::WindowCount>& counts) {
    Json out = Json::array();
    for (const auto& r : stats::rises(counts, recent_days, baseline_days, options_.thresholds)) {
      Json item{{"key", r.key},           {"label", r.key},
                {"recent", r.recent},     {"baseline", r.baseline},
                {"expected", r.expected}, {"rate_ratio", opt(r.rate_ratio)},
                {"p_value", r.p_value},   {"flagged", r.flagged}};
      if (std::string_view(dimension) == "category" && category_names.contains(r.key)) {
        item["label"] = category_names[r.key];
      }
      if (std::string_view(dimension) == "root_cause") {
        const auto sep = r.key.find('\x1f');
        item["family"] = r.key.substr(0, sep);
        item["key"] = r.key.substr(sep + 1);
        item["label"] = item["key"];
      }
      if (r.flagged) {
        Json f = item;
        f["dimension"] = dimension;
        flagged.push_back(f);
      }
      if (std::cmp_less(out.size(), options_.list_limit)) out.push_back(std::move(item));
    }
    return out;
  };
  Json doc;
  doc["report"] = "hotspots";
  doc["window"] = {
      {"recent",
       {{"from", format_iso8601(start)}, {"to", format_iso8601(end)}, {"days", recent_days}}},
      {"baseline",
       {{"from", format_iso8601(baseline_from)},
        {"to", format_iso8601(start)},
        {"days", baseline_days}}}};
  doc["test"] = {{"statistic", "exact conditional binomial test of two Poisson rates, one-sided"},
                 {"alpha", options_.thresholds.alpha},
                 {"min_count", options_.thresholds.min_count}};
  doc["categories"] = section("category", category_counts);
  if (full) {
    doc["objects"] = section("object", object_counts);
    doc["root_causes"] = section("root_cause", cause_counts);
  }
  auto& flagged_items = flagged.get_ref<Json::array_t&>();
  std::stable_sort(flagged_items.begin(), flagged_items.end(), [](const Json& a, const Json& b) {
    return a["p_value"].get<double>() < b["p_value"].get<double>();
  });
  doc["flagged"] = flagged;
  if (!full) return doc;

  auto groups_json = [&](const std::vector<store::RepeatGroup>& groups) {
    std::int64_t complaints = 0;
    Json top = Json::array();
    for (const auto& g : groups) {
      complaints += g.count;
      if (std::cmp_less(top.size(), options_.list_limit)) {
        top.push_back({{"key", g.key}, {"label", g.label}, {"count", g.count}});
      }
    }
    return Json{{"groups", groups.size()}, {"complaints", complaints}, {"top", top}};
  };
  REDRESS_TRY(const auto customers, tx.insight().repeat_groups(scope, true));
  REDRESS_TRY(const auto objects, tx.insight().repeat_groups(scope, false));
  doc["recurring"] = {{"customers", groups_json(customers)}, {"objects", groups_json(objects)}};
  REDRESS_TRY(const auto major_count, tx.insight().major_count(scope));
  REDRESS_TRY(const auto major, tx.insight().major(scope, options_.list_limit));
  REDRESS_TRY(const auto departments, tx.directory().departments());
  Names names;
  for (const auto& d : departments) names[d.id.value] = d.name;
  Json list = Json::array();
  for (const auto& m : major) {
    list.push_back({{"id", m.id},
                    {"tracking_code", m.tracking_code},
                    {"subject", m.subject},
                    {"category",
                     category_names.contains(m.category) ? category_names[m.category] : m.category},
                    {"department", department_ref(m.department_id, names)},
                    {"state", m.state},
                    {"urgency", m.urgency.empty() ? Json(nullptr) : Json(m.urgency)},
                    {"difficulty", m.difficulty.empty() ? Json(nullptr) : Json(m.difficulty)},
                    {"received_at", format_iso8601(m.received_at)}});
  }
  doc["influential"] = {{"count", major_count}, {"complaints", list}};
  return doc;
}

Result<Json> Insight::board(const store::ReadTx& tx, const Actor& actor,
                            std::optional<Instant> from, std::optional<Instant> to,
                            const std::string& language) const {
  REDRESS_CHECK(require_organisation_reader(actor));
  if (!is_report_language(language)) {
    return fail(Error::invalid(language_field("lang")));
  }
  // Organisation-wide: the system's view, whoever of the readers asks.
  const Actor system{.kind = Actor::Kind::system};
  REDRESS_TRY(Json spots, hotspots(tx, system, from, to, true));
  const auto start = parse_iso8601(spots["window"]["recent"]["from"].get<std::string>());
  const auto end = parse_iso8601(spots["window"]["recent"]["to"].get<std::string>());
  if (!start || !end) return fail(Error::invalid("from", "is not a date"));  // cannot happen
  REDRESS_TRY(Json ranking, warning_ranking(tx, system, *start, *end));
  Json top = Json::array();
  for (const Json& d : ranking["departments"]) {
    if (top.size() >= 10 || d["founded"].get<std::int64_t>() == 0) break;
    top.push_back(d);
  }
  return Json{{"report", "board"},
              {"language", language},
              {"generated_at", format_iso8601(clock_.now())},
              {"period", period_json(*start, *end)},
              {"window", spots["window"]},
              {"test", spots["test"]},
              {"hotspots", spots["flagged"]},
              {"influential", spots["influential"]},
              {"recurring", spots["recurring"]},
              {"departments", top}};
}

}  // namespace redress::app
