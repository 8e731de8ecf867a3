#include "cli/import.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "ingest/import_stream.h"

namespace redress::cli {

namespace {

using SteadyClock = std::chrono::steady_clock;

void print_progress(std::uint64_t bytes, std::uint64_t total, std::int64_t rows, double seconds,
                    bool final) {
  const double rate = seconds > 0 ? static_cast<double>(rows) / seconds : 0;
  const double fraction = total ? static_cast<double>(bytes) / static_cast<double>(total) : 1.0;
  const double eta = fraction > 0 ? seconds / fraction - seconds : 0;
  std::fprintf(stderr, "\r%10lld rows  %8.0f rows/s  %5.1f %%  %s %3d:%02d ",
               static_cast<long long>(rows), rate, fraction * 100, final ? "took" : "left",
               static_cast<int>((final ? seconds : eta) / 60),
               static_cast<int>(final ? seconds : eta) % 60);
  if (final) std::fputc('\n', stderr);
  std::fflush(stderr);
}

std::string csv_quote(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

}  // namespace

Result<ImportSummary> run_import(store::Store& store, const Clock& clock,
                                 const ImportOptions& options) {
  std::ifstream in(options.file, std::ios::binary);
  if (!in) return fail(Error::invalid("FILE", "cannot open " + options.file));
  std::error_code ec;
  const std::uint64_t total = std::filesystem::file_size(options.file, ec);
  std::ofstream rejects;
  if (!options.rejects_file.empty()) {
    rejects.open(options.rejects_file);
    if (!rejects) return fail(Error::invalid("--rejects", "cannot write " + options.rejects_file));
    rejects << "row,field,reason\n";
  }

  const auto started = SteadyClock::now();
  ingest::ImportStreamOptions stream;
  stream.format = options.format;
  stream.batch_size = options.batch_size;
  stream.after_batch = [&](const ingest::ImportBatch& b) {
    if (rejects) {
      for (const auto& r : b.rejects) {
        rejects << r.row << "," << csv_quote(r.field) << "," << csv_quote(r.reason) << "\n";
      }
    }
    if (options.progress) {
      print_progress(b.bytes_read, total, b.total.rows,
                     std::chrono::duration<double>(SteadyClock::now() - started).count(), false);
    }
  };
  auto counts = ingest::import_stream(store, clock, in, stream);
  if (!counts) {
    Error e = counts.error();
    // The CLI names its own arguments.
    for (auto& f : e.fields) {
      if (f.field == "format") f.field = "--format";
      if (f.field == "file") f.field = "FILE";
    }
    return fail(std::move(e));
  }
  ImportSummary summary;
  summary.rows = counts->rows;
  summary.created = counts->created;
  summary.skipped = counts->skipped;
  summary.rejected = counts->rejected;
  summary.seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  if (options.progress) print_progress(total, total, summary.rows, summary.seconds, true);
  return summary;
}

}  // namespace redress::cli
