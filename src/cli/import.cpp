#include "cli/import.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "app/imports.h"
#include "ingest/cfpb.h"
#include "ingest/csv_reader.h"

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
  if (options.format != "cfpb") {
    return fail(Error::invalid("--format", "only 'cfpb' is supported so far"));
  }
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

  ingest::CsvReader reader(in);
  REDRESS_TRY(auto header, reader.next_row());
  if (!header) return fail(Error::invalid("FILE", "is empty"));
  REDRESS_TRY(auto mapper, ingest::CfpbMapper::from_header(*header));

  app::Importer importer(clock);
  const Actor system{.kind = Actor::Kind::system};
  ImportSummary summary;
  const auto started = SteadyClock::now();
  auto last_report = started;
  std::vector<app::ImportRecord> batch;
  batch.reserve(options.batch_size);

  auto flush = [&]() -> Status {
    if (batch.empty()) return {};
    REDRESS_TRY(auto written, store.write_sync<app::ImportBatchResult>([&](store::WriteTx& tx) {
      return importer.write_batch(tx, system, batch);
    }));
    summary.created += written.created;
    summary.skipped += written.skipped;
    batch.clear();
    return {};
  };

  while (true) {
    REDRESS_TRY(auto row, reader.next_row());
    if (!row) break;
    ++summary.rows;
    auto record = mapper.map(*row);
    if (!record) {
      ++summary.rejected;
      if (rejects) {
        const auto& e = record.error();
        rejects << reader.row_number() << ","
                << csv_quote(e.fields.empty() ? "" : e.fields[0].field) << ","
                << csv_quote(e.fields.empty() ? e.message : e.fields[0].message) << "\n";
      }
      continue;
    }
    batch.push_back(std::move(*record));
    if (batch.size() >= options.batch_size) REDRESS_CHECK(flush());
    if (options.progress && SteadyClock::now() - last_report > std::chrono::milliseconds(250)) {
      last_report = SteadyClock::now();
      print_progress(reader.bytes_read(), total, summary.rows,
                     std::chrono::duration<double>(last_report - started).count(), false);
    }
  }
  REDRESS_CHECK(flush());
  summary.seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  if (options.progress) print_progress(total, total, summary.rows, summary.seconds, true);
  return summary;
}

}  // namespace redress::cli
