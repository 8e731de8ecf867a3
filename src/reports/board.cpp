#include "reports/board.h"

#include <cstdio>

#include "reports/document.h"
#include "reports/labels.h"

namespace redress::reports {

using Json = nlohmann::json;

namespace {

std::string text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return format_number(v.get<double>(), 0);
  if (v.is_number()) return format_number(v.get<double>(), 1);
  return "–";
}

// A p-value in scientific notation below 0.001 ("3.2e-07"), else with three decimals.
std::string p_text(const Json& v) {
  if (!v.is_number()) return "–";
  const double p = v.get<double>();
  char buf[32];
  std::snprintf(buf, sizeof buf, p < 0.001 ? "%.1e" : "%.3f", p);
  return buf;
}

}  // namespace

std::string board_pdf(const Json& b) {
  const std::string lang = b.value("language", "en");
  const ScopedNumberLocale numbers(lang);
  auto L = [&](const char* key) { return label(lang, key); };
  const std::string period = b["period"]["from"].get<std::string>().substr(0, 10) + " – " +
                             b["period"]["last_day"].get<std::string>();
  PdfDocument doc({font_family_for(lang), lang, L("board_title") + " " + period,
                   "Redress · " + L("board_title") + " · " + period, L("page")});
  const Json& w = b["window"];
  doc.title_page(
      L("board_title"),
      {L("board_subtitle"), L("recent_window") + ": " + period + " (UTC)",
       L("baseline_window") + ": " + w["baseline"]["from"].get<std::string>().substr(0, 10) +
           " – " + w["baseline"]["to"].get<std::string>().substr(0, 10),
       L("generated") + ": " + b.value("generated_at", "").substr(0, 10)});

  doc.key_figures({{L("hotspots"), format_number(static_cast<double>(b["hotspots"].size()), 0)},
                   {L("influential"), text(b["influential"]["count"])},
                   {L("same_customer"), text(b["recurring"]["customers"]["groups"])},
                   {L("same_object"), text(b["recurring"]["objects"]["groups"])}});

  // Hotspots past the threshold.
  doc.heading(L("hotspots"));
  doc.paragraph(L("threshold") + ": " + L("p_value") + " < " + p_text(b["test"]["alpha"]) + ", " +
                L("recent") + " ≥ " + text(b["test"]["min_count"]));
  if (b["hotspots"].empty()) {
    doc.paragraph(L("no_hotspots"));
  } else {
    Table t{{{L("dimension"), 1.3},
             {L("item"), 3},
             {L("recent"), 0.8, true},
             {L("baseline"), 0.9, true},
             {L("expected"), 0.9, true},
             {L("rate_ratio"), 0.9, true},
             {L("p_value"), 1, true}},
            {}};
    BarChart chart{L("recent"), {}, {}, {}, 170};
    for (const Json& h : b["hotspots"]) {
      const std::string dimension = h["dimension"].get<std::string>();
      std::string item = text(h["label"]);
      if (h.contains("family"))
        item = term(lang, "family", h["family"].get<std::string>()) + ": " + item;
      t.rows.push_back(
          {term(lang, "dimension", dimension), item, text(h["recent"]), text(h["baseline"]),
           format_number(h["expected"].get<double>(), 1),
           h["rate_ratio"].is_number() ? format_number(h["rate_ratio"].get<double>(), 1) : "–",
           p_text(h["p_value"])});
      if (chart.labels.size() < 12) {
        chart.labels.push_back(text(h["label"]));
        chart.values.push_back(h["recent"].get<double>());
      }
    }
    doc.table(t);
    doc.bar_chart(chart);
  }

  // Influential complaints.
  doc.heading(L("influential"));
  if (b["influential"]["complaints"].empty()) {
    doc.paragraph(L("no_data"));
  } else {
    Table t{{{L("tracking_code"), 1.4},
             {L("subject"), 3},
             {L("category"), 1.6},
             {L("department"), 1.6},
             {L("state"), 1.2}},
            {}};
    for (const Json& c : b["influential"]["complaints"]) {
      t.rows.push_back({text(c["tracking_code"]), text(c["subject"]), text(c["category"]),
                        c["department"].is_object() ? text(c["department"]["name"]) : L("none"),
                        term(lang, "state", c["state"].get<std::string>())});
    }
    doc.table(t);
  }

  // Recurring complaints.
  doc.heading(L("recurring"));
  for (const auto& [key, head] :
       {std::pair{"customers", "same_customer"}, std::pair{"objects", "same_object"}}) {
    doc.heading(L(head), 2, 80);
    const Json& top = b["recurring"][key]["top"];
    if (top.empty()) {
      doc.paragraph(L("no_data"));
      continue;
    }
    Table t{{{L(head), 4}, {L("count"), 1, true}}, {}};
    for (const Json& g : top) {
      if (t.rows.size() >= 20) break;
      t.rows.push_back({text(g["label"]), text(g["count"])});
    }
    doc.table(t);
  }

  // The departments' warning records.
  doc.heading(L("warning_ranking"));
  if (b["departments"].empty()) {
    doc.paragraph(L("no_data"));
  } else {
    Table t{{{L("rank"), 0.6, true},
             {L("department"), 3},
             {L("founded"), 1, true},
             {L("major"), 1, true},
             {L("repeats"), 1, true}},
            {}};
    for (const Json& d : b["departments"]) {
      t.rows.push_back({text(d["rank"]), text(d["name"]), text(d["founded"]), text(d["major"]),
                        text(d["repeats"])});
    }
    doc.table(t);
  }
  return doc.finish();
}

}  // namespace redress::reports
