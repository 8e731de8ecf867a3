// The pure parts of the export: the formula-injection guard (and that it can be
// undone exactly), RFC 4180 quoting, and the XLSX writer's sheet roll-over.
// The export as a whole (paging, scope, real readers) is tests/api/test_export.py.
#include "app/export.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace redress::app {
namespace {

TEST(ExportGuard, PrefixesFormulaStartsAndIsReversible) {
  EXPECT_EQ(guard_cell("=1+1"), "'=1+1");
  EXPECT_EQ(guard_cell("+33 1 23"), "'+33 1 23");
  EXPECT_EQ(guard_cell("-5"), "'-5");
  EXPECT_EQ(guard_cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(guard_cell("\tx"), "'\tx");
  EXPECT_EQ(guard_cell("plain"), "plain");
  EXPECT_EQ(guard_cell("'quoted"), "'quoted");
  EXPECT_EQ(guard_cell("'=x"), "''=x");
  EXPECT_EQ(guard_cell(""), "");
  EXPECT_EQ(guard_cell("'''"), "'''");
  for (std::string s : {"=1+1", "'=x", "''-y", "plain", "'quoted", "", "'", "a=b", "@", "''"}) {
    EXPECT_EQ(unguard_cell(guard_cell(s)), s) << s;
  }
}

TEST(ExportCsv, QuotesWhatNeedsQuotingAndGuardsOnlyText) {
  std::string out;
  CsvExportWriter::append({{"a,b", std::nullopt},
                           {"say \"hi\"", std::nullopt},
                           {"two\nlines", std::nullopt},
                           {"=cmd", std::nullopt},
                           {"-3", -3.0},
                           {"", std::nullopt},
                           {"Hà Nội 東京", std::nullopt}},
                          out);
  EXPECT_EQ(out, "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",'=cmd,-3,,Hà Nội 東京\r\n");
  const std::string pre = CsvExportWriter::preamble();
  EXPECT_TRUE(pre.starts_with("\xEF\xBB\xBFid,tracking_code,state,"));
  EXPECT_TRUE(pre.ends_with(",due_at\r\n"));
}

TEST(ExportXlsx, RollsOverToANewSheetAndWritesAZip) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("redress-export-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "out.xlsx";
  {
    auto w = XlsxExportWriter::open(path, dir, 2);
    ASSERT_TRUE(w) << w.error().message;
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE((*w)->add({{std::to_string(i), double(i)}, {std::string(40000, 'x'), {}}}));
    }
    ASSERT_TRUE((*w)->close());
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  ASSERT_GT(bytes.size(), 4u);
  EXPECT_EQ(bytes.substr(0, 2), "PK");
  // Five rows at two a sheet: three sheets, named in the workbook part.
  EXPECT_NE(bytes.find("xl/worksheets/sheet3.xml"), std::string::npos);
  EXPECT_EQ(bytes.find("xl/worksheets/sheet4.xml"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace redress::app
