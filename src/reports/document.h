// A small PDF document builder over Cairo and Pango, for reports: A4 pages
// that flow top to bottom, with headings, paragraphs, key-figure boxes,
// tables that break across pages (repeating their header) and vector charts
// (bars with an optional cumulative line for Pareto charts, and line charts).
// Text is shaped by Pango, so CJK and Vietnamese render correctly when the
// font family has the glyphs (see font_family_for). Reused by every PDF
// report: the management review and the board report.
//
// Usage: PdfDocument doc({.font_family = font_family_for(lang), ...});
//        doc.title_page(...); doc.heading("..."); doc.table(...); ...
//        std::string pdf = doc.finish();
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::reports {

// The Noto family that covers `lang` (BCP 47: en, es, fr, vi → "Noto Sans";
// zh-Hans → "Noto Sans CJK SC"; zh-Hant → "Noto Sans CJK TC").
std::string font_family_for(std::string_view lang);
// The Pango language tag for `lang` (chooses CJK glyph variants).
std::string pango_language_for(std::string_view lang);

struct DocumentOptions {
  std::string font_family = "Noto Sans";
  std::string language = "en";  // BCP 47, for shaping
  std::string title;            // PDF metadata
  std::string footer;           // left of every page footer after the title page
  std::string page_word = "Page";
};

// A table: column headers, relative widths and alignment, and rows of text.
struct Table {
  struct Column {
    std::string header;
    double width = 1;          // relative to the other columns
    bool align_right = false;  // numbers
  };
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;
};

// A labelled value for key_figures.
struct Figure {
  std::string label;
  std::string value;
};

// Bars of one series, with an optional line of cumulative shares (0–1) drawn
// against a percentage axis on the right: a Pareto chart.
struct BarChart {
  std::string title;
  std::vector<std::string> labels;
  std::vector<double> values;
  std::vector<double> cumulative;  // empty, or one share per bar
  double height = 190;             // points
};

// One series of points over labelled x positions; gaps where a value is absent.
struct LineChart {
  std::string title;
  std::vector<std::string> labels;
  std::vector<std::optional<double>> values;
  std::optional<double> y_min, y_max;  // fixed axis range (e.g. 1–5), else from the data
  double height = 170;
};

class PdfDocument {
 public:
  explicit PdfDocument(DocumentOptions options);
  ~PdfDocument();
  PdfDocument(const PdfDocument&) = delete;
  PdfDocument& operator=(const PdfDocument&) = delete;

  // The cover: a coloured band with the title, then subtitle lines; the
  // first section follows on the same page.
  void title_page(const std::string& title, const std::vector<std::string>& lines);
  // A section heading (level 1) or sub-heading (level 2); starts a new page
  // when fewer than `keep_with_next` points would remain below it.
  void heading(const std::string& text, int level = 1, double keep_with_next = 120);
  void paragraph(const std::string& text, double size = 10);
  // A row of boxes, each a big value over a small label (wraps to new rows).
  void key_figures(const std::vector<Figure>& figures);
  void table(const Table& table);
  void bar_chart(const BarChart& chart);
  void line_chart(const LineChart& chart);
  void vertical_space(double points);
  void new_page();
  // Ends the document and returns the PDF bytes. Nothing may be added after.
  std::string finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Numbers follow the document's language (SPEC §7): while one of these
// lives, format_number and format_percent on this thread write the digits
// the way `lang` does (ICU: "1,234.5" en and zh, "1.234,5" es and vi,
// "1 234,5" fr with a narrow no-break space); English without one. A renderer
// sets it for the document it draws, so the helpers that format cells need
// no language parameter. Scopes nest; the previous language comes back.
class ScopedNumberLocale {
 public:
  explicit ScopedNumberLocale(std::string_view lang);
  ~ScopedNumberLocale();
  ScopedNumberLocale(const ScopedNumberLocale&) = delete;
  ScopedNumberLocale& operator=(const ScopedNumberLocale&) = delete;

 private:
  std::string previous_;
};

// A number with `decimals` decimals, grouped as the current number locale
// groups them (see ScopedNumberLocale); never "-0".
std::string format_number(double value, int decimals);
// A share (0–1) as a percentage in the current number locale: 0.256 →
// "25.6%" (en), "25,6 %" (fr, narrow no-break space).
std::string format_percent(double share, int decimals = 1);

}  // namespace redress::reports
