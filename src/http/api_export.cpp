// GET /api/v1/complaints/export: a list filter as CSV or XLSX, streamed.
//
// CSV is produced while it is sent: the response's producer reads one page of
// the list (a short read transaction, keyset cursor) per call, on the io
// thread like every other read, and the server writes it as one chunk before
// asking for the next — memory is one page whatever the export's size.
// An XLSX file is a zip whose directory comes last, so the workbook is built
// first, on export_pool_ (libxlsxwriter in constant-memory mode, into an
// unlinked temporary file), then streamed from the file in 64 KiB pieces.
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "app/crypto.h"
#include "app/export.h"
#include "http/api.h"
#include "http/api_helpers.h"
#include "http/problem.h"
#include "http/requests.h"

namespace redress::http {

namespace {

constexpr int kExportPageRows = 500;
constexpr std::size_t kFilePiece = 64 * 1024;

// "complaints-20250314-0930.csv", in UTC: a name that sorts and says when.
std::string export_filename(Instant now, std::string_view extension) {
  const std::time_t t = static_cast<std::time_t>(to_epoch_ms(now) / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  return "complaints-" + std::string(buf) + "." + std::string(extension);
}

Response with_download_headers(Response response, const std::string& filename) {
  response.with_header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  response.with_header("Cache-Control", "no-store");  // personal data
  return response;
}

// The state a CSV export's producer keeps between pieces.
struct CsvExport {
  app::ExportPager pager;
  std::vector<app::ExportRow> first_page;  // read before the head went out
  bool started = false;
};

std::string csv_piece(const std::vector<app::ExportRow>& rows, std::string prefix = {}) {
  std::string out = std::move(prefix);
  for (const app::ExportRow& row : rows) app::CsvExportWriter::append(row, out);
  return out;
}

// What the pool builds an XLSX export from, shared with the task.
struct XlsxJob {
  app::ExportPager pager;
  std::filesystem::path path;
};

// An XLSX export built into `path`; the file is removed again on failure.
Result<bool> build_xlsx(store::Store& store, app::ExportPager& pager,
                        const std::filesystem::path& path) {
  auto writer = app::XlsxExportWriter::open(path, path.parent_path());
  if (!writer) return fail(writer.error());
  while (!pager.done()) {
    REDRESS_TRY(auto rows, store.read<std::vector<app::ExportRow>>(
                               [&](const store::ReadTx& tx) { return pager.next(tx); }));
    for (const app::ExportRow& row : rows) REDRESS_CHECK((*writer)->add(row));
  }
  REDRESS_CHECK((*writer)->close());
  return true;
}

}  // namespace

Api::Awaitable Api::export_complaints(Request& r) {
  auto who = authenticate(r, false);
  if (!who) co_return problem(who.error());
  auto parsed = read_complaint_filter(r, clock_.now());
  if (!parsed) co_return problem(parsed.error());
  const std::string format(r.query_param("format").value_or("csv"));
  if (format != "csv" && format != "xlsx") {
    co_return problem(Error::invalid("format", "must be csv or xlsx"));
  }
  store::ComplaintFilter filter = std::move(*parsed);
  // An export starts at the top of the filter whatever the list's page said.
  filter.before_id = 0;
  filter.after_due.reset();
  filter.after_id = 0;
  filter.search_offset = 0;
  const std::string filename = export_filename(clock_.now(), format);

  if (format == "csv") {
    auto state = std::make_shared<CsvExport>(
        CsvExport{app::ExportPager(complaints_, who->actor, filter, kExportPageRows), {}, false});
    // The first page before the head: a store failure is still an honest 5xx.
    auto first = store_.read<std::vector<app::ExportRow>>(
        [&](const store::ReadTx& tx) { return state->pager.next(tx); });
    if (!first) co_return problem(first.error());
    state->first_page = std::move(*first);
    Response response = Response::stream(
        200, "text/csv; charset=utf-8", [this, state]() -> Result<std::optional<std::string>> {
          if (!state->started) {
            state->started = true;
            std::string piece = csv_piece(state->first_page, app::CsvExportWriter::preamble());
            state->first_page = {};
            return std::optional<std::string>(std::move(piece));
          }
          if (state->pager.done()) return std::optional<std::string>();
          REDRESS_TRY(auto rows,
                      store_.read<std::vector<app::ExportRow>>(
                          [&](const store::ReadTx& tx) { return state->pager.next(tx); }));
          return std::optional<std::string>(csv_piece(rows));
        });
    co_return with_download_headers(std::move(response), filename);
  }

  // XLSX: build the whole workbook off the io thread, then stream the file.
  // The pool's task owns what it uses (a server stopping mid-export may drop
  // this coroutine while the task still runs; the Api joins the pool last).
  auto job = std::make_shared<XlsxJob>(
      XlsxJob{app::ExportPager(complaints_, who->actor, filter, kExportPageRows),
              std::filesystem::temp_directory_path() /
                  ("redress-export-" + app::random_code(12) + ".xlsx")});
  // A named local, not a temporary of the co_await expression: g++ 12 destroys
  // such temporaries twice, and this one owns a reference to the job.
  std::move_only_function<void(std::move_only_function<void(Result<bool>)>)> start =
      [this, job](std::move_only_function<void(Result<bool>)> done) {
        boost::asio::post(export_pool_, [this, job, done = std::move(done)]() mutable {
          auto result = build_xlsx(store_, job->pager, job->path);
          if (!result) {
            std::error_code ignored;
            std::filesystem::remove(job->path, ignored);
          }
          done(std::move(result));
        });
      };
  auto built = co_await await_callback<Result<bool>>(std::move(start));
  if (!built) co_return problem(built.error());
  const std::filesystem::path path = job->path;
  auto file = std::make_shared<std::ifstream>(path, std::ios::binary);
  std::error_code ignored;
  std::filesystem::remove(path, ignored);  // the open stream keeps it readable until closed
  if (!*file) co_return problem(Error::internal("cannot reopen the XLSX export"));
  Response response =
      Response::stream(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       [file]() -> Result<std::optional<std::string>> {
                         std::string piece(kFilePiece, '\0');
                         file->read(piece.data(), static_cast<std::streamsize>(piece.size()));
                         piece.resize(static_cast<std::size_t>(file->gcount()));
                         if (piece.empty()) {
                           if (file->bad())
                             return fail(Error::internal("reading the XLSX export failed"));
                           return std::optional<std::string>();
                         }
                         return std::optional<std::string>(std::move(piece));
                       });
  co_return with_download_headers(std::move(response), filename);
}

}  // namespace redress::http
