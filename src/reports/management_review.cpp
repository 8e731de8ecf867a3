#include "reports/management_review.h"

#include <xlsxwriter.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "reports/document.h"
#include "reports/labels.h"

namespace redress::reports {

using Json = nlohmann::json;

namespace {

std::string str(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  if (v.is_number_integer()) return format_number(v.get<double>(), 0);
  if (v.is_number()) return format_number(v.get<double>(), 1);
  if (v.is_boolean()) return v.get<bool>() ? "✓" : "";
  return v.dump();
}

// term() over a JSON string (a persisted code).
std::string tr(const std::string& lang, std::string_view prefix, const Json& code) {
  return term(lang, prefix, str(code));
}

std::string pct(const Json& v) {
  return v.is_number() ? format_percent(v.get<double>()) : "–";
}
std::string hours(const Json& v) {
  return v.is_number() ? format_number(v.get<double>(), 1) : "–";
}
std::string count(const Json& v) {
  return v.is_number() ? format_number(v.get<double>(), 0) : "0";
}

// The label of a counted key: a translated term where one exists.
std::string key_label(const std::string& lang, const std::string& prefix, const Json& item) {
  if (!item.contains("key") || item["key"].is_null()) return label(lang, "none");
  if (!prefix.empty()) return term(lang, prefix, item["key"].get<std::string>());
  return str(item.value("label", item["key"]));
}

// A table of counted keys with share, and the same as a bar chart when asked.
Table counts_table(const std::string& lang, const std::string& head, const Json& items,
                   const std::string& prefix, std::size_t limit = 25) {
  Table t{{{head, 4}, {label(lang, "count"), 1, true}, {label(lang, "share"), 1, true}}, {}};
  for (const Json& i : items) {
    if (t.rows.size() >= limit) break;
    t.rows.push_back({key_label(lang, prefix, i), count(i["count"]), pct(i["share"])});
  }
  return t;
}

}  // namespace

std::string management_review_pdf(const Json& r) {
  const std::string lang = r.value("language", "en");
  const ScopedNumberLocale numbers(lang);
  auto L = [&](const char* key) { return label(lang, key); };
  const std::string from = r["period"]["from"].get<std::string>().substr(0, 10);
  const std::string to = r["period"]["last_day"].get<std::string>();
  const std::string period = from + " – " + to;

  PdfDocument doc({font_family_for(lang), lang, L("title") + " " + period,
                   "Redress · " + L("title") + " · " + period, L("page")});
  doc.title_page(L("title"), {L("subtitle"), L("period") + ": " + period + " (UTC)",
                              L("generated") + ": " + r.value("generated_at", "").substr(0, 10)});

  // Headline figures.
  const Json& totals = r["totals"];
  doc.heading(L("headline"));
  doc.key_figures(
      {{L("received"), count(totals["received"])},
       {L("complaints"), count(totals["complaints"])},
       {L("suggestions"), count(totals["suggestions"])},
       {L("resolved"), count(totals["resolved"])},
       {L("open"), count(totals["open"])},
       {L("founded"), count(r["validity"]["founded"])},
       {L("satisfaction"), r["satisfaction"]["average"].is_number()
                               ? format_number(r["satisfaction"]["average"].get<double>(), 2)
                               : "–"},
       {L("sla") + " · " + L("first_response"), pct(r["sla"]["first_response"]["compliance"])},
       {L("first_response") + " · " + L("median"),
        hours(r["times"]["first_response"]["median_hours"])},
       {L("resolution") + " · " + L("median"), hours(r["times"]["resolution"]["median_hours"])},
       {L("reopen_rate"), pct(r["reopen_appeal"]["reopen_rate"])},
       {L("influential"), count(r["influential"]["count"])}});

  // Volume by month.
  doc.heading(L("volume"), 1, 280);  // kept with its chart
  BarChart volume{"", {}, {}, {}, 180};
  Table vt{{{L("month"), 2}, {L("count"), 1, true}}, {}};
  for (const Json& m : r["volume_by_month"]) {
    volume.labels.push_back(str(m["month"]));
    volume.values.push_back(m["count"].get<double>());
    vt.rows.push_back({m["month"], count(m["count"])});
  }
  doc.bar_chart(volume);
  if (r["volume_trend"]["slope_per_month"].is_number()) {
    doc.paragraph(L("trend") + ": " +
                  format_number(r["volume_trend"]["slope_per_month"].get<double>(), 1));
  }
  if (vt.rows.size() <= 24) doc.table(vt);  // longer series: the chart and the XLSX

  // Categories, departments, channels.
  doc.heading(L("categories"));
  doc.table(counts_table(lang, L("category"), r["categories"], ""));
  doc.heading(L("departments"));
  doc.table(counts_table(lang, L("department"), r["departments"], ""));
  doc.heading(L("channels"));
  doc.table(counts_table(lang, L("channel"), r["channels"], "channel"));

  // Root causes.
  doc.heading(L("root_causes"), 1, 260);
  const Json& rc = r["root_causes"];
  if (rc["total"].get<std::int64_t>() == 0) {
    doc.paragraph(L("no_data"));
  } else {
    BarChart fam{L("by_family"), {}, {}, {}, 150};
    Table ft{{{L("family"), 3},
              {L("count"), 1, true},
              {L("share"), 1, true},
              {L("cumulative"), 1, true}},
             {}};
    for (const Json& f : rc["by_family"]) {
      fam.labels.push_back(tr(lang, "family", f["key"]));
      fam.values.push_back(f["count"].get<double>());
      fam.cumulative.push_back(f["cumulative_share"].get<double>());
      ft.rows.push_back({tr(lang, "family", f["key"]), count(f["count"]), pct(f["share"]),
                         pct(f["cumulative_share"])});
    }
    doc.bar_chart(fam);
    doc.table(ft);
    BarChart causes{L("by_cause"), {}, {}, {}, 150};
    Table ct{{{L("cause"), 4}, {L("family"), 2}, {L("count"), 1, true}, {L("cumulative"), 1, true}},
             {}};
    for (const Json& c : rc["by_cause"]) {
      if (causes.labels.size() < 15) {
        causes.labels.push_back(str(c["key"]));
        causes.values.push_back(c["count"].get<double>());
        causes.cumulative.push_back(c["cumulative_share"].get<double>());
      }
      if (ct.rows.size() < 30) {
        ct.rows.push_back({c["key"], tr(lang, "family", c["family"]), count(c["count"]),
                           pct(c["cumulative_share"])});
      }
    }
    doc.bar_chart(causes);
    doc.table(ct);
  }

  // Times and SLA.
  doc.heading(L("times"));
  Table tt{{{"", 3}, {L("count"), 1, true}, {L("median"), 1.4, true}, {L("p90"), 1.6, true}}, {}};
  for (const char* k : {"first_response", "resolution"}) {
    const Json& t = r["times"][k];
    tt.rows.push_back({L(k), count(t["count"]), hours(t["median_hours"]), hours(t["p90_hours"])});
  }
  doc.table(tt);
  doc.heading(L("sla"), 2, 80);
  Table st{{{"", 3},
            {L("met"), 1, true},
            {L("breached"), 1, true},
            {L("pending"), 1, true},
            {L("compliance"), 1.3, true}},
           {}};
  for (const char* k : {"first_response", "resolution"}) {
    const Json& s = r["sla"][k];
    st.rows.push_back(
        {L(k), count(s["met"]), count(s["breached"]), count(s["pending"]), pct(s["compliance"])});
  }
  const Json& imported = r["imported"];
  if (imported["records"].get<std::int64_t>() > 0) {
    const Json& tm = imported["timely"];
    st.rows.push_back(
        {L("source_timely"), count(tm["yes"]), count(tm["no"]), "", pct(tm["compliance"])});
  }
  doc.table(st);

  // Validity.
  doc.heading(L("validity"));
  const Json& v = r["validity"];
  doc.table({{{L("validity"), 3}, {L("count"), 1, true}},
             {{L("founded"), count(v["founded"])},
              {L("unfounded"), count(v["unfounded"])},
              {L("pending"), count(v["pending"])},
              {L("suggestions"), count(v["suggestions"])},
              {L("compliments"), count(v["compliments"])}}});
  if (!imported["outcomes"].empty()) {
    doc.heading(L("outcomes"), 2, 60);
    doc.table(counts_table(lang, L("outcomes"), imported["outcomes"], ""));
  }

  // Remedies.
  doc.heading(L("remedies"));
  Table rt{{{L("remedy"), 3}, {L("currency"), 1}, {L("count"), 1, true}, {L("amount"), 1.5, true}},
           {}};
  for (const Json& g : r["remedies"]["granted"]) {
    rt.rows.push_back({tr(lang, "remedy", g["type"]), str(g["currency"]), count(g["count"]),
                       g["with_amount"].get<std::int64_t>() > 0
                           ? format_number(g["amount"].get<double>(), 2)
                           : "–"});
  }
  if (rt.rows.empty()) {
    doc.paragraph(L("no_data"));
  } else {
    doc.table(rt);
  }

  // Satisfaction.
  doc.heading(L("satisfaction"), 1, 240);
  const Json& sat = r["satisfaction"];
  LineChart sl{L("satisfaction") + " · " + L("average"), {}, {}, 1.0, 5.0, 150};
  for (const Json& m : sat["by_month"]) {
    sl.labels.push_back(str(m["month"]));
    sl.values.push_back(m["average"].is_number() ? std::optional(m["average"].get<double>())
                                                 : std::nullopt);
  }
  doc.line_chart(sl);
  Table satt{{{"", 3}, {L("count"), 1, true}}, {}};
  for (const Json& s : sat["by_score"]) {
    satt.rows.push_back({std::string(static_cast<std::size_t>(s["score"].get<int>()), '*') + " (" +
                             std::to_string(s["score"].get<int>()) + ")",
                         count(s["count"])});
  }
  satt.rows.push_back({L("ratings"), count(sat["ratings"])});
  satt.rows.push_back({L("average"), sat["average"].is_number()
                                         ? format_number(sat["average"].get<double>(), 2)
                                         : "–"});
  if (sat["slope_per_month"].is_number()) {
    satt.rows.push_back({L("trend"), format_number(sat["slope_per_month"].get<double>(), 2)});
  }
  doc.table(satt);

  // Reopen and appeal.
  doc.heading(L("reopen_appeal"));
  const Json& ra = r["reopen_appeal"];
  doc.table({{{"", 3}, {L("count"), 1, true}, {L("share"), 1, true}},
             {{L("reopen_rate"), count(ra["reopened"]), pct(ra["reopen_rate"])},
              {L("appeal_rate"), count(ra["appealed"]), pct(ra["appeal_rate"])}}});

  // Accountability.
  doc.heading(L("accountability"));
  const Json& acc = r["accountability"];
  if (acc["total"].get<std::int64_t>() == 0) {
    doc.paragraph(L("no_data"));
  } else {
    Table at{
        {{L("kind"), 2}, {L("count"), 1, true}, {L("confirmed"), 1, true}, {L("loss"), 1.5, true}},
        {}};
    for (const Json& k : acc["by_kind"]) {
      at.rows.push_back({tr(lang, "accountability", k["kind"]), count(k["count"]),
                         count(k["confirmed"]), format_number(k["loss"].get<double>(), 2)});
    }
    doc.table(at);
    Table et{{{L("tracking_code"), 2},
              {L("department"), 2},
              {L("subject"), 2},
              {L("loss"), 1.2, true},
              {L("sanction"), 2}},
             {}};
    for (const Json& e : acc["entries"]) {
      et.rows.push_back({e["tracking_code"], str(e["department"]), e["subject"],
                         e["loss"].is_number() ? format_number(e["loss"].get<double>(), 2) : "–",
                         e["sanction"]});
    }
    doc.table(et);
  }

  // Recurring and influential complaints.
  doc.heading(L("recurring"));
  const Json& rec = r["recurring"];
  doc.table(
      {{{"", 3}, {L("groups"), 1, true}, {L("complaints"), 1, true}},
       {{L("same_customer"), count(rec["customers"]["groups"]),
         count(rec["customers"]["complaints"])},
        {L("same_object"), count(rec["objects"]["groups"]), count(rec["objects"]["complaints"])}}});
  for (const char* k : {"customers", "objects"}) {
    if (rec[k]["top"].empty()) continue;
    Table gt{{{L(k == std::string("customers") ? "same_customer" : "same_object"), 4},
              {L("count"), 1, true}},
             {}};
    for (const Json& g : rec[k]["top"]) {
      if (gt.rows.size() >= 15) break;
      gt.rows.push_back({g["label"], count(g["count"])});
    }
    doc.table(gt);
  }
  doc.heading(L("influential"));
  const Json& infl = r["influential"];
  if (infl["complaints"].empty()) {
    doc.paragraph(L("no_data"));
  } else {
    Table it{{{L("tracking_code"), 2}, {L("subject"), 3}, {L("department"), 2}, {L("state"), 1.5}},
             {}};
    for (const Json& c : infl["complaints"]) {
      it.rows.push_back(
          {c["tracking_code"], c["subject"], str(c["department"]), tr(lang, "state", c["state"])});
    }
    doc.table(it);
  }

  // Improvement actions and lessons.
  doc.heading(L("improvement"));
  const Json& imp = r["improvement"];
  std::vector<Figure> imp_figures{{L("lessons_recorded"), count(imp["lessons_recorded"])},
                                  {L("overdue"), count(imp["overdue"])}};
  for (const Json& s : imp["by_status"]) {
    imp_figures.push_back({tr(lang, "improvement", s["status"]), count(s["count"])});
  }
  doc.key_figures(imp_figures);
  if (!imp["list"].empty()) {
    Table it{{{L("tracking_code"), 2},
              {L("improvement"), 4},
              {L("owner"), 2},
              {L("due"), 1.5},
              {L("status"), 1.5}},
             {}};
    for (const Json& a : imp["list"]) {
      it.rows.push_back(
          {a["tracking_code"], a["title"], str(a["owner"]),
           a["due_at"].is_string() ? a["due_at"].get<std::string>().substr(0, 10) : "",
           tr(lang, "improvement", a["status"])});
    }
    doc.table(it);
  }

  // Training needs.
  doc.heading(L("training"));
  const Json& tn = r["training_needs"];
  if (tn["groups"].empty()) {
    doc.paragraph(L("no_data"));
  } else {
    Table tt2{{{L("department"), 2},
               {L("source"), 2},
               {L("topic"), 3},
               {L("count"), 1, true},
               {L("repeated"), 1}},
              {}};
    for (const Json& g : tn["groups"]) {
      tt2.rows.push_back(
          {g["department"].is_string() ? g["department"].get<std::string>() : L("none"),
           label(lang, "source." + g["source"].get<std::string>()), g["topic"], count(g["count"]),
           g["repeated"].get<bool>() ? L("yes") : L("no")});
    }
    doc.table(tt2);
  }
  return doc.finish();
}

namespace {

// Writes one sheet: a header row and rows of JSON values (numbers stay numbers).
void sheet(lxw_workbook* wb, lxw_format* bold, const std::string& name,
           const std::vector<std::string>& header, const std::vector<std::vector<Json>>& rows) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());
  for (std::size_t c = 0; c < header.size(); ++c) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), header[c].c_str(), bold);
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), c == 0 ? 36 : 16,
                         nullptr);
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      const Json& v = rows[r][c];
      const auto row = static_cast<lxw_row_t>(r + 1);
      const auto col = static_cast<lxw_col_t>(c);
      if (v.is_number()) {
        worksheet_write_number(ws, row, col, v.get<double>(), nullptr);
      } else if (v.is_boolean()) {
        worksheet_write_boolean(ws, row, col, v.get<bool>(), nullptr);
      } else if (v.is_string()) {
        worksheet_write_string(ws, row, col, v.get<std::string>().c_str(), nullptr);
      }
    }
  }
}

std::vector<std::vector<Json>> count_rows(const Json& items) {
  std::vector<std::vector<Json>> rows;
  for (const Json& i : items) {
    rows.push_back({i.value("label", i["key"]), i["count"], i["share"]});
  }
  return rows;
}

}  // namespace

Status management_review_xlsx(const Json& r, const std::string& path) {
  const std::string lang = r.value("language", "en");
  auto L = [&](const char* key) { return label(lang, key); };
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) return fail(Error::invalid("output", "cannot write " + path));
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);

  const Json& t = r["totals"];
  sheet(wb, bold, "summary", {"item", "value"},
        {{"from", r["period"]["from"]},
         {"to", r["period"]["to"]},
         {"language", r["language"]},
         {"received", t["received"]},
         {"complaints", t["complaints"]},
         {"suggestions", t["suggestions"]},
         {"compliments", t["compliments"]},
         {"open", t["open"]},
         {"resolved", t["resolved"]}});
  std::vector<std::vector<Json>> rows;
  for (const Json& m : r["volume_by_month"]) rows.push_back({m["month"], m["count"]});
  sheet(wb, bold, "volume", {L("month"), L("count")}, rows);
  sheet(wb, bold, "categories", {L("category"), L("count"), L("share")},
        count_rows(r["categories"]));
  sheet(wb, bold, "departments", {L("department"), L("count"), L("share")},
        count_rows(r["departments"]));
  sheet(wb, bold, "channels", {L("channel"), L("count"), L("share")}, count_rows(r["channels"]));
  rows.clear();
  for (const Json& f : r["root_causes"]["by_family"]) {
    rows.push_back({"family", f["key"], "", f["count"], f["share"], f["cumulative_share"]});
  }
  for (const Json& c : r["root_causes"]["by_cause"]) {
    rows.push_back({"cause", c["family"], c["key"], c["count"], c["share"], c["cumulative_share"]});
  }
  sheet(wb, bold, "root_causes",
        {"level", L("family"), L("cause"), L("count"), L("share"), L("cumulative")}, rows);
  rows.clear();
  for (const char* k : {"first_response", "resolution"}) {
    const Json& tm = r["times"][k];
    const Json& s = r["sla"][k];
    rows.push_back({k, tm["count"], tm["median_hours"], tm["p90_hours"], s["met"], s["breached"],
                    s["pending"], s["compliance"]});
  }
  const Json& timely = r["imported"]["timely"];
  rows.push_back({"source_timely", Json(), Json(), Json(), timely["yes"], timely["no"], Json(),
                  timely["compliance"]});
  sheet(wb, bold, "times_sla",
        {"clock", L("count"), L("median"), L("p90"), L("met"), L("breached"), L("pending"),
         L("compliance")},
        rows);
  const Json& v = r["validity"];
  rows = {{"founded", v["founded"]},         {"unfounded", v["unfounded"]},
          {"pending", v["pending"]},         {"suggestions", v["suggestions"]},
          {"compliments", v["compliments"]}, {"disputed_at_source", r["imported"]["disputed"]}};
  for (const Json& o : r["imported"]["outcomes"])
    rows.push_back({"outcome: " + o["key"].get<std::string>(), o["count"]});
  sheet(wb, bold, "validity", {L("validity"), L("count")}, rows);
  rows.clear();
  for (const Json& g : r["remedies"]["granted"]) {
    rows.push_back({g["type"], g["currency"], g["count"], g["with_amount"], g["amount"]});
  }
  sheet(wb, bold, "remedies", {L("remedy"), L("currency"), L("count"), "with_amount", L("amount")},
        rows);
  rows.clear();
  for (const Json& m : r["satisfaction"]["by_month"]) {
    rows.push_back({m["month"], m["ratings"], m["average"]});
  }
  sheet(wb, bold, "satisfaction", {L("month"), L("ratings"), L("average")}, rows);
  const Json& ra = r["reopen_appeal"];
  sheet(wb, bold, "reopen_appeal", {"item", "value"},
        {{"reopened", ra["reopened"]},
         {"reopen_rate", ra["reopen_rate"]},
         {"rejected", ra["rejected"]},
         {"appealed", ra["appealed"]},
         {"appeal_rate", ra["appeal_rate"]}});
  rows.clear();
  for (const Json& e : r["accountability"]["entries"]) {
    rows.push_back({e["tracking_code"], e["department"], e["kind"], e["subject"], e["finding"],
                    e["loss"], e["sanction"], e["confirmed"]});
  }
  sheet(wb, bold, "accountability",
        {L("tracking_code"), L("department"), L("kind"), L("subject"), "finding", L("loss"),
         L("sanction"), L("confirmed")},
        rows);
  rows.clear();
  for (const char* k : {"customers", "objects"}) {
    for (const Json& g : r["recurring"][k]["top"]) rows.push_back({k, g["label"], g["count"]});
  }
  sheet(wb, bold, "recurring", {"by", "group", L("count")}, rows);
  rows.clear();
  for (const Json& c : r["influential"]["complaints"]) {
    rows.push_back({c["tracking_code"], c["subject"], c["category"], c["department"], c["state"],
                    c["urgency"], c["difficulty"], c["received_at"]});
  }
  sheet(wb, bold, "influential",
        {L("tracking_code"), L("subject"), L("category"), L("department"), L("state"), "urgency",
         "difficulty", "received_at"},
        rows);
  rows.clear();
  for (const Json& a : r["improvement"]["list"]) {
    rows.push_back({a["tracking_code"], a["department"], a["title"], a["owner"], a["status"],
                    a["due_at"], a["overdue"]});
  }
  sheet(wb, bold, "improvement",
        {L("tracking_code"), L("department"), L("improvement"), L("owner"), L("status"), L("due"),
         L("overdue")},
        rows);
  rows.clear();
  for (const Json& g : r["training_needs"]["groups"]) {
    rows.push_back({g["department"], g["source"], g["topic"], g["count"], g["repeated"]});
  }
  sheet(wb, bold, "training_needs",
        {L("department"), L("source"), L("topic"), L("count"), L("repeated")}, rows);
  if (workbook_close(wb) != LXW_NO_ERROR) {
    return fail(Error::invalid("output", "cannot write " + path));
  }
  return {};
}

Result<std::string> management_review_xlsx_bytes(const Json& review) {
  std::random_device rd;
  const auto path = std::filesystem::temp_directory_path() /
                    ("redress-review-" + std::to_string(rd()) + std::to_string(rd()) + ".xlsx");
  auto written = management_review_xlsx(review, path.string());
  if (!written) return fail(written.error());
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  std::error_code ec;
  std::filesystem::remove(path, ec);
  return buf.str();
}

}  // namespace redress::reports
