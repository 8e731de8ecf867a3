#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "reports/document.h"
#include "reports/labels.h"

namespace redress::reports {
namespace {

TEST(Labels, TranslateWithTheGlossaryTermsAndFallBack) {
  EXPECT_EQ(label("zh-Hans", "title"), "管理评审报告");
  EXPECT_EQ(label("vi", "training"), "Nhu cầu đào tạo");
  EXPECT_EQ(term("fr", "family", "people"), "main-d'œuvre");
  EXPECT_EQ(label("xx", "title"), "Management review");  // unknown language: English
  EXPECT_EQ(term("en", "family", "unknown_code"), "unknown_code");
}

TEST(Numbers, GroupDigitsAndRound) {
  EXPECT_EQ(format_number(1234567.891, 2), "1,234,567.89");
  EXPECT_EQ(format_number(999, 0), "999");
  EXPECT_EQ(format_number(-1000, 0), "-1,000");
  EXPECT_EQ(format_percent(0.256), "25.6%");
  EXPECT_EQ(format_number(-0.0001, 2), "0.00");  // no "-0"
  {
    const ScopedNumberLocale fr("fr");
    EXPECT_EQ(format_number(1234567.891, 2), "1\u202f234\u202f567,89");
    EXPECT_EQ(format_percent(0.256), "25,6\u00a0%");
    const ScopedNumberLocale vi("vi");  // nested: the inner one applies
    EXPECT_EQ(format_number(1234.5, 1), "1.234,5");
  }
  {
    const ScopedNumberLocale es("es");
    EXPECT_EQ(format_number(1234567.5, 1), "1.234.567,5");
  }
  {
    const ScopedNumberLocale zh("zh-Hant");
    EXPECT_EQ(format_number(1234567.5, 1), "1,234,567.5");
  }
  EXPECT_EQ(format_number(1234.5, 1), "1,234.5");  // English again after the scopes
}

TEST(Fonts, PickTheCjkFamilyByScript) {
  EXPECT_EQ(font_family_for("zh-Hans"), "Noto Sans CJK SC");
  EXPECT_EQ(font_family_for("zh-Hant"), "Noto Sans CJK TC");
  EXPECT_EQ(font_family_for("vi"), "Noto Sans");
}

TEST(PdfDocument, WritesAMultiPagePdf) {
  PdfDocument doc({"Noto Sans", "en", "t", "footer", "Page"});
  doc.title_page("Title", {"line"});
  doc.heading("Section");
  Table t{{{"a", 2}, {"b", 1, true}}, {}};
  for (int i = 0; i < 120; ++i) t.rows.push_back({"row " + std::to_string(i), std::to_string(i)});
  doc.table(t);
  doc.bar_chart({"bars", {"x", "y"}, {3, 1}, {0.75, 1.0}});
  doc.line_chart({"line", {"a", "b", "c"}, {1.0, std::nullopt, 4.0}, 1.0, 5.0});
  const std::string pdf = doc.finish();
  ASSERT_GT(pdf.size(), 1000u);
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  // Title page plus a table of 120 rows that must break over several pages.
  std::size_t pages = 0;
  // Page objects are "/Type /Page" not followed by "s" (that is the page tree).
  for (std::size_t at = pdf.find("/Type /Page"); at != std::string::npos;
       at = pdf.find("/Type /Page", at + 1)) {
    if (pdf.compare(at, 12, "/Type /Pages") != 0) ++pages;
  }
  EXPECT_GE(pages, 3u);
}

// Tracking codes must come out of a report exactly as they went in, so a
// reader can copy one into the search box. With kerning, Noto Sans sets "AJ"
// (at 8 points, the table cells) and "EJ" (at 9) far enough apart for
// pdftotext to read a space between them.
TEST(PdfDocument, TrackingCodesExtractIntact) {
  if (std::system("command -v pdftotext >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  }
  const std::vector<std::string> codes = {"RD-KEJWN544", "RD-AJ0C68EQ", "RD-TAJ7EJ9A"};
  PdfDocument doc({"Noto Sans", "en", "t", "footer", "Page"});
  doc.heading("Codes");
  Table t{{{"Tracking code", 1}}, {}};
  for (const auto& code : codes) t.rows.push_back({code});
  doc.table(t);
  for (const auto& code : codes) doc.paragraph(code, 9);
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("redress-codes-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "codes.pdf";
  std::ofstream(path, std::ios::binary) << doc.finish();
  std::string text;
  if (FILE* out = ::popen(("pdftotext -layout '" + path.string() + "' -").c_str(), "r")) {
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, out)) > 0;) text.append(buf, n);
    ::pclose(out);
  }
  std::filesystem::remove_all(dir);
  for (const auto& code : codes)
    EXPECT_NE(text.find(code), std::string::npos) << code << "\n" << text;
}

}  // namespace
}  // namespace redress::reports
