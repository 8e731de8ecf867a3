#include "app/export.h"

#include <xlsxwriter.h>

#include <charconv>
#include <cmath>

#include "text/tokenize.h"

namespace redress::app {

namespace {

ExportCell text(std::string s) {
  return ExportCell{std::move(s), std::nullopt};
}

ExportCell number(double v) {
  char buf[64];
  // Integral values (ids, counts) without a fraction; amounts as the shortest
  // text that reads back to the same double.
  auto [end, ec] = std::floor(v) == v && std::abs(v) < 1e15
                       ? std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(v))
                       : std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  return ExportCell{std::string(buf, end), v};
}

template <class T>
ExportCell opt_number(const std::optional<T>& v) {
  return v ? number(static_cast<double>(*v)) : ExportCell{};
}

template <class Id>
ExportCell opt_id(const std::optional<Id>& v) {
  return v ? number(static_cast<double>(v->value)) : ExportCell{};
}

ExportCell time(const std::optional<Instant>& t) {
  return t ? text(format_iso8601(*t)) : ExportCell{};
}

template <class E>
ExportCell opt_name(const std::optional<E>& v) {
  return v ? text(std::string(to_string(*v))) : ExportCell{};
}

// Excel's cell limit is 32,767 characters; cutting at as many bytes stays
// within it for any text (and within libxlsxwriter's check).
constexpr std::size_t kMaxCellBytes = 32767;

bool is_trigger(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

bool needs_quotes(std::string_view s) {
  return s.find_first_of(",\"\r\n") != std::string_view::npos;
}

}  // namespace

const std::vector<std::string>& export_columns() {
  static const std::vector<std::string> kColumns = {
      "id",
      "tracking_code",
      "state",
      "kind",
      "validity",
      "validity_reason",
      "category",
      "urgency",
      "difficulty",
      "department_id",
      "department_code",
      "assignee_id",
      "escalation_level",
      "channel",
      "received_at",
      "occurred_at",
      "place",
      "object_type",
      "object_ref",
      "subject",
      "description",
      "demands",
      "people_involved",
      "language",
      "tags",
      "impact_customer",
      "impact_reputation",
      "estimated_loss",
      "customer_name",
      "customer_email",
      "customer_phone",
      "customer_language",
      "satisfaction_score",
      "satisfaction_comment",
      "reopen_count",
      "appeal_count",
      "follow_up_of",
      "resolved_at",
      "closed_at",
      "created_at",
      "updated_at",
      "due_at",
  };
  return kColumns;
}

ExportRow export_row(const ComplaintView& v,
                     const std::map<std::int64_t, std::string>& department_codes) {
  const Complaint& c = v.complaint;
  std::string tags;
  for (const std::string& t : c.tags) tags += (tags.empty() ? "" : "; ") + t;
  std::string department_code;
  if (c.department) {
    if (auto it = department_codes.find(c.department->value); it != department_codes.end()) {
      department_code = it->second;
    }
  }
  ExportRow row = {
      number(static_cast<double>(c.id.value)),
      text(c.tracking_code),
      text(std::string(to_string(c.state))),
      text(std::string(to_string(c.kind))),
      text(std::string(to_string(c.validity))),
      text(c.validity_reason),
      text(c.category.value_or("")),
      opt_name(c.urgency),
      opt_name(c.difficulty),
      opt_id(c.department),
      text(std::move(department_code)),
      opt_id(c.assignee),
      number(c.escalation_level),
      text(std::string(to_string(c.channel))),
      text(format_iso8601(c.received_at)),
      time(c.occurred_at),
      text(c.place),
      text(c.object_type),
      text(c.object_ref),
      text(c.subject),
      text(c.description),
      text(c.demands),
      text(c.people_involved),
      text(c.language),
      text(std::move(tags)),
      text(c.impact_customer),
      text(c.impact_reputation),
      opt_number(c.estimated_loss),
      text(v.customer.name),
      text(v.customer.email),
      text(v.customer.phone),
      text(v.customer.language),
      opt_number(c.satisfaction_score),
      text(c.satisfaction_comment),
      number(c.reopen_count),
      number(c.appeal_count),
      opt_id(c.follow_up_of),
      time(c.resolved_at),
      time(c.closed_at),
      text(format_iso8601(c.created_at)),
      text(format_iso8601(c.updated_at)),
      time(c.due_at),
  };
  return row;
}

std::string guard_cell(std::string s) {
  const std::size_t quotes = s.find_first_not_of('\'');
  if (quotes != std::string::npos && is_trigger(s[quotes])) s.insert(s.begin(), '\'');
  return s;
}

std::string unguard_cell(std::string s) {
  const std::size_t quotes = s.find_first_not_of('\'');
  if (quotes != std::string::npos && quotes > 0 && is_trigger(s[quotes])) s.erase(0, 1);
  return s;
}

std::string CsvExportWriter::preamble() {
  std::string out = "\xEF\xBB\xBF";
  bool first = true;
  for (const std::string& name : export_columns()) {
    if (!first) out += ',';
    out += name;
    first = false;
  }
  out += "\r\n";
  return out;
}

void CsvExportWriter::append(const ExportRow& row, std::string& out) {
  bool first = true;
  for (const ExportCell& cell : row) {
    if (!first) out += ',';
    first = false;
    const std::string value = cell.number ? cell.text : guard_cell(cell.text);
    if (!needs_quotes(value)) {
      out += value;
      continue;
    }
    out += '"';
    for (char ch : value) {
      if (ch == '"') out += '"';
      out += ch;
    }
    out += '"';
  }
  out += "\r\n";
}

struct XlsxExportWriter::Handles {
  lxw_workbook* workbook = nullptr;
  lxw_worksheet* sheet = nullptr;
  lxw_format* bold = nullptr;
};

Result<std::unique_ptr<XlsxExportWriter>> XlsxExportWriter::open(
    const std::filesystem::path& path, const std::filesystem::path& tmpdir,
    std::int64_t rows_per_sheet) {
  std::unique_ptr<XlsxExportWriter> w(new XlsxExportWriter());
  w->h_ = std::make_unique<Handles>();
  w->tmpdir_ = tmpdir.string();
  w->rows_per_sheet_ = std::clamp<std::int64_t>(rows_per_sheet, 1, kMaxRowsPerSheet);
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  options.tmpdir = w->tmpdir_.data();
  options.use_zip64 = LXW_TRUE;  // a very large export may pass 4 GiB
  w->h_->workbook = workbook_new_opt(path.c_str(), &options);
  if (!w->h_->workbook) {
    return fail(Error::internal("cannot create the XLSX file " + path.string()));
  }
  w->h_->bold = workbook_add_format(w->h_->workbook);
  format_set_bold(w->h_->bold);
  REDRESS_CHECK(w->new_sheet());
  return w;
}

XlsxExportWriter::~XlsxExportWriter() {
  if (h_ && h_->workbook) workbook_close(h_->workbook);  // frees it; the file may be partial
}

Status XlsxExportWriter::new_sheet() {
  ++sheets_;
  const std::string name = sheets_ == 1 ? "Complaints" : "Complaints " + std::to_string(sheets_);
  h_->sheet = workbook_add_worksheet(h_->workbook, name.c_str());
  if (!h_->sheet) return fail(Error::internal("cannot add a sheet to the XLSX file"));
  lxw_col_t col = 0;
  for (const std::string& column : export_columns()) {
    worksheet_write_string(h_->sheet, 0, col++, column.c_str(), h_->bold);
  }
  worksheet_freeze_panes(h_->sheet, 1, 0);
  row_in_sheet_ = 0;
  return {};
}

Status XlsxExportWriter::add(const ExportRow& row) {
  if (row_in_sheet_ >= rows_per_sheet_) REDRESS_CHECK(new_sheet());
  const auto r = static_cast<lxw_row_t>(++row_in_sheet_);
  lxw_col_t col = 0;
  for (const ExportCell& cell : row) {
    lxw_error e = LXW_NO_ERROR;
    if (cell.number) {
      e = worksheet_write_number(h_->sheet, r, col, *cell.number, nullptr);
    } else if (!cell.text.empty()) {
      const std::string value(text::utf8_prefix(cell.text, kMaxCellBytes));
      e = worksheet_write_string(h_->sheet, r, col, value.c_str(), nullptr);
    }
    if (e != LXW_NO_ERROR) {
      return fail(Error::internal(std::string("XLSX: ") + lxw_strerror(e)));
    }
    ++col;
  }
  return {};
}

Status XlsxExportWriter::close() {
  lxw_workbook* workbook = h_->workbook;
  h_->workbook = nullptr;
  const lxw_error e = workbook_close(workbook);
  if (e != LXW_NO_ERROR) return fail(Error::internal(std::string("XLSX: ") + lxw_strerror(e)));
  return {};
}

ExportPager::ExportPager(const Complaints& complaints, Actor actor, store::ComplaintFilter filter,
                         int page_size)
    : complaints_(complaints), actor_(std::move(actor)), filter_(std::move(filter)) {
  filter_.limit = page_size;
}

Result<std::vector<ExportRow>> ExportPager::next(const store::ReadTx& tx) {
  std::vector<ExportRow> out;
  if (done_) return out;
  if (!departments_loaded_) {
    REDRESS_TRY(auto departments, tx.directory().departments());
    for (const Department& d : departments) department_codes_[d.id.value] = d.code;
    departments_loaded_ = true;
  }
  REDRESS_TRY(auto views, complaints_.list(tx, actor_, filter_));
  if (static_cast<int>(views.size()) < filter_.limit) done_ = true;
  if (views.empty()) return out;
  bool reloaded = false;
  for (const ComplaintView& v : views) {
    if (v.complaint.department && !department_codes_.contains(v.complaint.department->value) &&
        !reloaded) {
      reloaded = true;
      // A department created since the first page: load the list again.
      REDRESS_TRY(auto departments, tx.directory().departments());
      for (const Department& d : departments) department_codes_[d.id.value] = d.code;
    }
    out.push_back(export_row(v, department_codes_));
  }
  // The keyset cursor of the list (as the API's cursors, http/requests.cpp).
  const Complaint& last = views.back().complaint;
  if (filter_.search) {
    filter_.search_offset += static_cast<std::int64_t>(views.size());
  } else if (filter_.order == store::ComplaintFilter::Order::newest) {
    filter_.before_id = last.id.value;
  } else {
    filter_.after_due = last.due_at;
    filter_.after_id = last.id.value;
  }
  return out;
}

}  // namespace redress::app
