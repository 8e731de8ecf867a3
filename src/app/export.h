// Exporting a complaint queue (any filter of the list) as CSV or XLSX, with no
// row cap and in constant memory: ExportPager reads the filtered list one page
// at a time (keyset paging, a short read transaction per page), and the two
// writers turn rows into CSV text or an XLSX file as they come. The columns
// are documented in docs/export.md and are the columns Redress's own CSV
// import format reads back.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/complaints.h"
#include "core/result.h"
#include "store/store.h"

namespace redress::app {

// One cell of an export row: text, or a number (an id, a count, an amount) that
// a spreadsheet should see as a number. An empty text is an empty cell.
struct ExportCell {
  std::string text;
  std::optional<double> number;  // set: numeric cell; `text` holds its CSV spelling
};
using ExportRow = std::vector<ExportCell>;

// The export's column names, in order (docs/export.md).
const std::vector<std::string>& export_columns();

// The row of one complaint. `department_codes` maps department ids to codes
// (a department missing there exports an empty code). Tags are joined with "; ".
ExportRow export_row(const ComplaintView& v,
                     const std::map<std::int64_t, std::string>& department_codes);

// The formula-injection guard for spreadsheets: a text cell whose first
// character after any leading apostrophes is = + - @ TAB or CR gets one more
// apostrophe in front, so a spreadsheet shows it as text instead of running it.
// Counting the leading apostrophes makes the guard reversible
// (unguard_cell(guard_cell(s)) == s for every s), which the CSV import uses.
std::string guard_cell(std::string text);
// Undoes guard_cell.
std::string unguard_cell(std::string text);

// RFC 4180 CSV: "\r\n" line ends, a field quoted when it holds a comma, quote,
// CR or LF (quotes doubled). Text cells pass through guard_cell; numbers do not.
class CsvExportWriter {
 public:
  // The UTF-8 byte order mark (so spreadsheets read the file as UTF-8) and the
  // header row.
  static std::string preamble();
  // Appends one row to `out`.
  static void append(const ExportRow& row, std::string& out);
};

// An XLSX workbook written with libxlsxwriter in constant-memory mode: rows go
// to a temporary file under `tmpdir` as they are added, so memory does not
// grow with the row count. A sheet holds at most `rows_per_sheet` data rows
// (under the header); further rows continue on a new sheet ("Complaints 2", …),
// so there is no cap. Text is written as text (never as a formula); a cell
// holds at most 32,767 bytes (Excel's limit is as many characters; longer text
// is cut at a UTF-8 boundary). Not thread-safe.
class XlsxExportWriter {
 public:
  // Excel's limit: 1,048,576 rows a sheet, one of them the header.
  static constexpr std::int64_t kMaxRowsPerSheet = 1048575;
  // Creates the workbook at `path`; internal error if libxlsxwriter cannot.
  static Result<std::unique_ptr<XlsxExportWriter>> open(
      const std::filesystem::path& path, const std::filesystem::path& tmpdir,
      std::int64_t rows_per_sheet = kMaxRowsPerSheet);
  ~XlsxExportWriter();
  XlsxExportWriter(const XlsxExportWriter&) = delete;
  XlsxExportWriter& operator=(const XlsxExportWriter&) = delete;

  Status add(const ExportRow& row);
  // Writes the file's directory and closes it; the file is complete after this.
  Status close();

 private:
  XlsxExportWriter() = default;
  Status new_sheet();
  struct Handles;
  std::unique_ptr<Handles> h_;
  std::string tmpdir_;
  std::int64_t rows_per_sheet_ = kMaxRowsPerSheet;
  std::int64_t row_in_sheet_ = 0;
  int sheets_ = 0;
};

// Reads the complaints of a list filter page by page, in the list's order and
// scope (Complaints::list), advancing the filter's keyset cursor after each
// page. The filter's own cursor fields are honoured as the starting point; its
// limit is replaced by `page_size`. Not thread-safe.
class ExportPager {
 public:
  ExportPager(const Complaints& complaints, Actor actor, store::ComplaintFilter filter,
              int page_size = 500);
  // The rows of the next page; an empty page when the export is complete.
  Result<std::vector<ExportRow>> next(const store::ReadTx& tx);
  bool done() const { return done_; }

 private:
  const Complaints& complaints_;
  Actor actor_;
  store::ComplaintFilter filter_;
  bool done_ = false;
  std::map<std::int64_t, std::string> department_codes_;
  bool departments_loaded_ = false;
};

}  // namespace redress::app
