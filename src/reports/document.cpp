#include "reports/document.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <unicode/locid.h>
#include <unicode/numfmt.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <utility>

namespace redress::reports {

namespace {

constexpr double kPageWidth = 595.28;  // A4 in points
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 50;
constexpr double kContentWidth = kPageWidth - 2 * kMargin;
constexpr double kBottom = kPageHeight - kMargin - 20;  // leaves room for the footer

struct Rgb {
  double r, g, b;
};
constexpr Rgb kInk{0.13, 0.15, 0.18};
constexpr Rgb kMuted{0.42, 0.45, 0.50};
constexpr Rgb kAccent{0.11, 0.37, 0.60};
constexpr Rgb kAccentLight{0.86, 0.91, 0.96};
constexpr Rgb kLine{0.80, 0.82, 0.85};
constexpr Rgb kOrange{0.87, 0.45, 0.12};
constexpr Rgb kZebra{0.965, 0.97, 0.975};

void set(cairo_t* cr, Rgb c) {
  cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

// A "nice" axis maximum and step for values up to `max`.
std::pair<double, double> nice_axis(double max) {
  if (max <= 0) return {1, 0.25};
  const double raw = max / 4;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  }
  return {std::ceil(max / step) * step, step};
}

}  // namespace

std::string font_family_for(std::string_view lang) {
  if (lang == "zh-Hans") return "Noto Sans CJK SC";
  if (lang == "zh-Hant") return "Noto Sans CJK TC";
  return "Noto Sans";
}

std::string pango_language_for(std::string_view lang) {
  if (lang == "zh-Hans") return "zh-cn";
  if (lang == "zh-Hant") return "zh-tw";
  return std::string(lang);
}

namespace {

thread_local std::string current_number_language = "en";

// A formatter of the current language, made once per thread and language.
icu::NumberFormat* number_format(bool percent) {
  thread_local std::map<std::pair<std::string, bool>, std::unique_ptr<icu::NumberFormat>> cache;
  auto& slot = cache[{current_number_language, percent}];
  if (!slot) {
    UErrorCode status = U_ZERO_ERROR;
    icu::Locale locale = icu::Locale::forLanguageTag(current_number_language, status);
    if (U_FAILURE(status)) locale = icu::Locale::getEnglish();
    status = U_ZERO_ERROR;
    slot.reset(percent ? icu::NumberFormat::createPercentInstance(locale, status)
                       : icu::NumberFormat::createInstance(locale, status));
    if (U_FAILURE(status)) slot.reset();
  }
  return slot.get();
}

std::string format_with(bool percent, double value, int decimals) {
  // Rounded away from "-0": a tiny negative shown as zero has no sign.
  const double scale = std::pow(10.0, decimals + (percent ? 2 : 0));
  if (std::round(value * scale) == 0) value = 0;
  icu::NumberFormat* nf = number_format(percent);
  if (nf == nullptr) {  // ICU without the locale's data: plain digits
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f%s", decimals, percent ? value * 100 : value,
                  percent ? "%" : "");
    return buf;
  }
  nf->setMinimumFractionDigits(decimals);
  nf->setMaximumFractionDigits(decimals);
  icu::UnicodeString text;
  nf->format(value, text);
  std::string out;
  text.toUTF8String(out);
  return out;
}

}  // namespace

ScopedNumberLocale::ScopedNumberLocale(std::string_view lang)
    : previous_(std::exchange(current_number_language, std::string(lang))) {}

ScopedNumberLocale::~ScopedNumberLocale() {
  current_number_language = std::move(previous_);
}

std::string format_number(double value, int decimals) {
  return format_with(false, value, decimals);
}

std::string format_percent(double share, int decimals) {
  return format_with(true, share, decimals);
}

struct PdfDocument::Impl {
  DocumentOptions options;
  std::string bytes;
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  double y = kMargin;
  int page = 1;

  static cairo_status_t write(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<Impl*>(closure)->bytes.append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  }

  // A layout of `text` at `size` points, wrapped to `width` (≤ 0: no wrap).
  PangoLayout* layout(const std::string& text, double size, double width, bool bold = false,
                      bool single_line = false) {
    PangoLayout* l = pango_cairo_create_layout(cr);
    PangoFontDescription* font = pango_font_description_new();
    pango_font_description_set_family(font, options.font_family.c_str());
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    if (bold) pango_font_description_set_weight(font, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, font);
    pango_font_description_free(font);
    PangoContext* ctx = pango_layout_get_context(l);
    pango_context_set_language(
        ctx, pango_language_from_string(pango_language_for(options.language).c_str()));
    pango_layout_context_changed(l);
    if (width > 0) {
      pango_layout_set_width(l, static_cast<int>(width * PANGO_SCALE));
      if (single_line) {
        pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
      } else {
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
      }
    }
    pango_layout_set_text(l, text.c_str(), -1);
    // Without kerning: Noto Sans kerns "EJ" so far apart that PDF readers
    // (pdftotext, copy and paste) take the gap for a space, and a tracking
    // code like RD-KEJW… copied out of a report would no longer be found.
    PangoAttrList* attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_font_features_new("kern 0"));
    pango_layout_set_attributes(l, attrs);
    pango_attr_list_unref(attrs);
    return l;
  }

  static double height_of(PangoLayout* l) {
    int w = 0, h = 0;
    pango_layout_get_size(l, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }
  static double width_of(PangoLayout* l) {
    int w = 0, h = 0;
    pango_layout_get_size(l, &w, &h);
    return static_cast<double>(w) / PANGO_SCALE;
  }

  // Draws text at (x, y_top); returns its height.
  double text(const std::string& s, double x, double y_top, double size, double width, Rgb color,
              bool bold = false, bool right = false, bool single_line = false) {
    PangoLayout* l = layout(s, size, width, bold, single_line);
    if (right && width > 0) pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
    const double h = height_of(l);
    set(cr, color);
    cairo_move_to(cr, x, y_top);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    return h;
  }

  void footer() {
    set(cr, kLine);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, kMargin, kPageHeight - kMargin + 2);
    cairo_line_to(cr, kPageWidth - kMargin, kPageHeight - kMargin + 2);
    cairo_stroke(cr);
    text(options.footer, kMargin, kPageHeight - kMargin + 6, 7.5, kContentWidth * 0.75, kMuted,
         false, false, true);
    text(options.page_word + " " + std::to_string(page), kMargin, kPageHeight - kMargin + 6, 7.5,
         kContentWidth, kMuted, false, true);
  }

  void next_page() {
    footer();
    cairo_show_page(cr);
    ++page;
    y = kMargin;
  }

  void ensure(double needed) {
    if (y + needed > kBottom && y > kMargin + 1) next_page();
  }

  // Axis labels and grid for a chart area; returns the y scale (points per unit).
  void chart_title(const std::string& title) {
    if (!title.empty()) y += text(title, kMargin, y, 10, kContentWidth, kInk, true) + 4;
  }

  // X labels under the plot: rotated when they would not fit side by side.
  double x_labels(const std::vector<std::string>& labels, double left, double slot, double top) {
    bool rotate = false;
    for (const auto& s : labels) {
      PangoLayout* l = layout(s, 7, -1);
      if (width_of(l) > slot - 2) rotate = true;
      g_object_unref(l);
    }
    double used = 12;
    // At most ~24 labels: with more, every k-th (the bars keep their places).
    const std::size_t every = std::max<std::size_t>(1, (labels.size() + 23) / 24);
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (i % every != 0) continue;
      const double cx = left + slot * (static_cast<double>(i) + 0.5);
      if (!rotate) {
        PangoLayout* l = layout(labels[i], 7, -1);
        set(cr, kMuted);
        cairo_move_to(cr, cx - width_of(l) / 2, top + 3);
        pango_cairo_show_layout(cr, l);
        g_object_unref(l);
      } else {
        PangoLayout* l = layout(labels[i], 7, 90, false, true);
        const double w = std::min(width_of(l), 90.0);
        cairo_save(cr);
        cairo_translate(cr, cx + 3, top + 3);
        cairo_rotate(cr, -M_PI / 4);
        set(cr, kMuted);
        cairo_move_to(cr, -w, -height_of(l) / 2);
        pango_cairo_show_layout(cr, l);
        cairo_restore(cr);
        used = std::max(used, w * std::sin(M_PI / 4) + 10);
        g_object_unref(l);
      }
    }
    return used;
  }

  void y_axis(double left, double top, double plot_h, double max, double step, bool percent,
              double right_x) {
    cairo_set_line_width(cr, 0.4);
    for (double v = 0; v <= max + step / 2; v += step) {
      const double yy = top + plot_h - v / max * plot_h;
      set(cr, kLine);
      cairo_move_to(cr, left, yy);
      cairo_line_to(cr, right_x, yy);
      cairo_stroke(cr);
      const std::string s =
          percent ? format_number(v * 100, 0) + "%" : format_number(v, step < 1 ? 1 : 0);
      PangoLayout* l = layout(s, 7, -1);
      set(cr, kMuted);
      cairo_move_to(cr, left - width_of(l) - 4, yy - height_of(l) / 2);
      pango_cairo_show_layout(cr, l);
      g_object_unref(l);
    }
  }
};

PdfDocument::PdfDocument(DocumentOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->surface =
      cairo_pdf_surface_create_for_stream(&Impl::write, impl_.get(), kPageWidth, kPageHeight);
  cairo_pdf_surface_set_metadata(impl_->surface, CAIRO_PDF_METADATA_TITLE,
                                 impl_->options.title.c_str());
  cairo_pdf_surface_set_metadata(impl_->surface, CAIRO_PDF_METADATA_CREATOR, "Redress");
  impl_->cr = cairo_create(impl_->surface);
}

PdfDocument::~PdfDocument() {
  if (impl_->cr) cairo_destroy(impl_->cr);
  if (impl_->surface) cairo_surface_destroy(impl_->surface);
}

void PdfDocument::title_page(const std::string& title, const std::vector<std::string>& lines) {
  Impl& d = *impl_;
  cairo_t* cr = d.cr;
  set(cr, kAccent);
  cairo_rectangle(cr, 0, 0, kPageWidth, 190);
  cairo_fill(cr);
  set(cr, kOrange);
  cairo_rectangle(cr, 0, 190, kPageWidth, 5);
  cairo_fill(cr);
  d.text("Redress", kMargin, 45, 12, kContentWidth, {0.85, 0.9, 0.96}, true);
  d.text(title, kMargin, 100, 28, kContentWidth, {1, 1, 1}, true);
  double yy = 215;
  for (const auto& line : lines) yy += d.text(line, kMargin, yy, 11, kContentWidth, kInk) + 5;
  d.y = yy + 10;  // the first section follows on the same page
}

void PdfDocument::heading(const std::string& text, int level, double keep_with_next) {
  Impl& d = *impl_;
  const double size = level == 1 ? 16 : 12;
  d.ensure(size * 2 + keep_with_next);
  if (d.y > kMargin + 1) d.y += level == 1 ? 14 : 8;
  const double h =
      d.text(text, kMargin, d.y, size, kContentWidth, level == 1 ? kAccent : kInk, true);
  d.y += h + 2;
  if (level == 1) {
    set(d.cr, kAccent);
    cairo_set_line_width(d.cr, 1.2);
    cairo_move_to(d.cr, kMargin, d.y);
    cairo_line_to(d.cr, kMargin + 60, d.y);
    cairo_stroke(d.cr);
  }
  d.y += 8;
}

void PdfDocument::paragraph(const std::string& text, double size) {
  Impl& d = *impl_;
  PangoLayout* l = d.layout(text, size, kContentWidth);
  const double h = Impl::height_of(l);
  g_object_unref(l);
  d.ensure(h);
  d.y += d.text(text, kMargin, d.y, size, kContentWidth, kInk) + 6;
}

void PdfDocument::key_figures(const std::vector<Figure>& figures) {
  Impl& d = *impl_;
  constexpr int kPerRow = 4;
  constexpr double kGap = 8, kBoxH = 58;
  const double w = (kContentWidth - kGap * (kPerRow - 1)) / kPerRow;
  for (std::size_t i = 0; i < figures.size(); ++i) {
    const std::size_t col = i % kPerRow;
    if (col == 0) {
      if (i > 0) d.y += kBoxH + kGap;
      d.ensure(kBoxH);
    }
    const double x = kMargin + static_cast<double>(col) * (w + kGap);
    set(d.cr, kAccentLight);
    cairo_rectangle(d.cr, x, d.y, w, kBoxH);
    cairo_fill(d.cr);
    set(d.cr, kAccent);
    cairo_rectangle(d.cr, x, d.y, 3, kBoxH);
    cairo_fill(d.cr);
    d.text(figures[i].value, x + 10, d.y + 8, 17, w - 14, kAccent, true, false, true);
    d.text(figures[i].label, x + 10, d.y + 34, 8, w - 14, kMuted, false, false, true);
  }
  if (!figures.empty()) d.y += kBoxH + 12;
}

void PdfDocument::table(const Table& t) {
  Impl& d = *impl_;
  constexpr double kPad = 4, kSize = 8;
  double total = 0;
  for (const auto& c : t.columns) total += c.width;
  std::vector<double> widths;
  for (const auto& c : t.columns) widths.push_back(c.width / total * kContentWidth);

  auto row_height = [&](const std::vector<std::string>& cells, bool bold) {
    double h = 0;
    for (std::size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
      PangoLayout* l = d.layout(cells[i], kSize, widths[i] - 2 * kPad, bold);
      h = std::max(h, Impl::height_of(l));
      g_object_unref(l);
    }
    return h + 2 * kPad;
  };
  auto draw_row = [&](const std::vector<std::string>& cells, bool header, bool zebra) {
    const double h = row_height(cells, header);
    if (header || zebra) {
      set(d.cr, header ? kAccent : kZebra);
      cairo_rectangle(d.cr, kMargin, d.y, kContentWidth, h);
      cairo_fill(d.cr);
    }
    double x = kMargin;
    for (std::size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
      d.text(cells[i], x + kPad, d.y + kPad, kSize, widths[i] - 2 * kPad,
             header ? Rgb{1, 1, 1} : kInk, header, t.columns[i].align_right);
      x += widths[i];
    }
    d.y += h;
    set(d.cr, kLine);
    cairo_set_line_width(d.cr, 0.3);
    cairo_move_to(d.cr, kMargin, d.y);
    cairo_line_to(d.cr, kMargin + kContentWidth, d.y);
    cairo_stroke(d.cr);
  };
  std::vector<std::string> header;
  for (const auto& c : t.columns) header.push_back(c.header);
  const double header_h = row_height(header, true);
  d.ensure(header_h + (t.rows.empty() ? 0 : row_height(t.rows.front(), false)));
  draw_row(header, true, false);
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    if (d.y + row_height(t.rows[r], false) > kBottom) {
      d.next_page();
      draw_row(header, true, false);
    }
    draw_row(t.rows[r], false, r % 2 == 1);
  }
  d.y += 10;
}

void PdfDocument::bar_chart(const BarChart& c) {
  Impl& d = *impl_;
  d.ensure(c.height + 90);
  d.chart_title(c.title);
  const double left = kMargin + 36;
  const double right = kMargin + kContentWidth - (c.cumulative.empty() ? 0 : 34);
  const double top = d.y + 6;
  const double plot_h = c.height;
  const double max_value =
      c.values.empty() ? 0 : *std::max_element(c.values.begin(), c.values.end());
  const auto [axis_max, step] = nice_axis(max_value);
  d.y_axis(left, top, plot_h, axis_max, step, false, right);
  const std::size_t n = c.values.size();
  const double slot = n ? (right - left) / static_cast<double>(n) : 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double h = c.values[i] / axis_max * plot_h;
    const double bar = std::min(slot * 0.7, 56.0);  // few bars stay bars, not blocks
    set(d.cr, kAccent);
    cairo_rectangle(d.cr, left + slot * (static_cast<double>(i) + 0.5) - bar / 2, top + plot_h - h,
                    bar, h);
    cairo_fill(d.cr);
  }
  if (!c.cumulative.empty() && n) {
    // Right axis: 0–100 %.
    for (int p = 0; p <= 100; p += 25) {
      const double yy = top + plot_h - p / 100.0 * plot_h;
      PangoLayout* l = d.layout(std::to_string(p) + "%", 7, -1);
      set(d.cr, kOrange);
      cairo_move_to(d.cr, right + 4, yy - Impl::height_of(l) / 2);
      pango_cairo_show_layout(d.cr, l);
      g_object_unref(l);
    }
    // The 80 % line of the Pareto rule.
    const double y80 = top + plot_h - 0.8 * plot_h;
    const double dash[] = {3, 3};
    cairo_set_dash(d.cr, dash, 2, 0);
    set(d.cr, kOrange);
    cairo_set_line_width(d.cr, 0.6);
    cairo_move_to(d.cr, left, y80);
    cairo_line_to(d.cr, right, y80);
    cairo_stroke(d.cr);
    cairo_set_dash(d.cr, nullptr, 0, 0);
    cairo_set_line_width(d.cr, 1.6);
    for (std::size_t i = 0; i < n && i < c.cumulative.size(); ++i) {
      const double x = left + slot * (static_cast<double>(i) + 0.5);
      const double yy = top + plot_h - c.cumulative[i] * plot_h;
      if (i == 0) {
        cairo_move_to(d.cr, x, yy);
      } else {
        cairo_line_to(d.cr, x, yy);
      }
    }
    cairo_stroke(d.cr);
    for (std::size_t i = 0; i < n && i < c.cumulative.size(); ++i) {
      cairo_arc(d.cr, left + slot * (static_cast<double>(i) + 0.5),
                top + plot_h - c.cumulative[i] * plot_h, 2.2, 0, 2 * M_PI);
      cairo_fill(d.cr);
    }
  }
  set(d.cr, kInk);
  cairo_set_line_width(d.cr, 0.8);
  cairo_move_to(d.cr, left, top + plot_h);
  cairo_line_to(d.cr, right, top + plot_h);
  cairo_stroke(d.cr);
  const double used = d.x_labels(c.labels, left, slot, top + plot_h);
  d.y = top + plot_h + used + 12;
}

void PdfDocument::line_chart(const LineChart& c) {
  Impl& d = *impl_;
  d.ensure(c.height + 70);
  d.chart_title(c.title);
  const double left = kMargin + 36, right = kMargin + kContentWidth;
  const double top = d.y + 6, plot_h = c.height;
  double lo = c.y_min.value_or(0), hi = c.y_max.value_or(0);
  if (!c.y_max) {
    for (const auto& v : c.values) {
      if (v) hi = std::max(hi, *v);
    }
    hi = nice_axis(hi).first;
  }
  const double span = hi > lo ? hi - lo : 1;
  const double step = span <= 5 ? (span <= 4 ? 1 : 1) : nice_axis(span).second;
  cairo_set_line_width(d.cr, 0.4);
  for (double v = lo; v <= hi + step / 2; v += step) {
    const double yy = top + plot_h - (v - lo) / span * plot_h;
    set(d.cr, kLine);
    cairo_move_to(d.cr, left, yy);
    cairo_line_to(d.cr, right, yy);
    cairo_stroke(d.cr);
    PangoLayout* l = d.layout(format_number(v, 0), 7, -1);
    set(d.cr, kMuted);
    cairo_move_to(d.cr, left - Impl::width_of(l) - 4, yy - Impl::height_of(l) / 2);
    pango_cairo_show_layout(d.cr, l);
    g_object_unref(l);
  }
  const std::size_t n = c.values.size();
  const double slot = n ? (right - left) / static_cast<double>(n) : 0;
  set(d.cr, kAccent);
  cairo_set_line_width(d.cr, 1.8);
  bool pen_down = false;
  for (std::size_t i = 0; i < n; ++i) {
    if (!c.values[i]) {
      pen_down = false;
      continue;
    }
    const double x = left + slot * (static_cast<double>(i) + 0.5);
    const double yy = top + plot_h - (*c.values[i] - lo) / span * plot_h;
    if (pen_down) {
      cairo_line_to(d.cr, x, yy);
    } else {
      cairo_move_to(d.cr, x, yy);
    }
    pen_down = true;
  }
  cairo_stroke(d.cr);
  for (std::size_t i = 0; i < n; ++i) {
    if (!c.values[i]) continue;
    cairo_arc(d.cr, left + slot * (static_cast<double>(i) + 0.5),
              top + plot_h - (*c.values[i] - lo) / span * plot_h, 2.8, 0, 2 * M_PI);
    cairo_fill(d.cr);
  }
  set(d.cr, kInk);
  cairo_set_line_width(d.cr, 0.8);
  cairo_move_to(d.cr, left, top + plot_h);
  cairo_line_to(d.cr, right, top + plot_h);
  cairo_stroke(d.cr);
  const double used = d.x_labels(c.labels, left, slot, top + plot_h);
  d.y = top + plot_h + used + 12;
}

void PdfDocument::vertical_space(double points) {
  impl_->y += points;
}

void PdfDocument::new_page() {
  impl_->next_page();
}

std::string PdfDocument::finish() {
  Impl& d = *impl_;
  d.footer();
  cairo_show_page(d.cr);
  cairo_destroy(d.cr);
  d.cr = nullptr;
  cairo_surface_finish(d.surface);
  cairo_surface_destroy(d.surface);
  d.surface = nullptr;
  return std::move(d.bytes);
}

}  // namespace redress::reports
