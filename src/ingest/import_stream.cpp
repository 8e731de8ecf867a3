#include "ingest/import_stream.h"

#include "ingest/cfpb.h"
#include "ingest/csv_reader.h"
#include "ingest/redress_csv.h"

namespace redress::ingest {

namespace {

using Mapper = std::function<Result<app::ImportRecord>(const std::vector<std::string>&)>;

Result<Mapper> mapper_for(const std::string& format, const std::vector<std::string>& header) {
  if (format == "cfpb") {
    REDRESS_TRY(auto cfpb, CfpbMapper::from_header(header));
    return Mapper(
        [cfpb = std::move(cfpb)](const std::vector<std::string>& row) { return cfpb.map(row); });
  }
  if (format == "redress") {
    REDRESS_TRY(auto redress, RedressMapper::from_header(header));
    return Mapper([redress = std::move(redress)](const std::vector<std::string>& row) {
      return redress.map(row);
    });
  }
  return fail(Error::invalid("format", "must be one of: cfpb, redress"));
}

}  // namespace

Status check_import_header(const std::string& format, const std::vector<std::string>& header) {
  REDRESS_TRY(auto mapper, mapper_for(format, header));
  (void)mapper;
  return {};
}

const std::vector<std::string>& import_formats() {
  static const std::vector<std::string> kFormats = {"cfpb", "redress"};
  return kFormats;
}

Result<ImportCounts> import_stream(store::Store& store, const Clock& clock, std::istream& in,
                                   const ImportStreamOptions& options) {
  if (std::find(import_formats().begin(), import_formats().end(), options.format) ==
      import_formats().end()) {
    return fail(Error::invalid("format", "must be one of: cfpb, redress"));
  }
  CsvReader reader(in);
  REDRESS_TRY(auto header, reader.next_row());
  if (!header) return fail(Error::invalid("file", "is empty"));
  REDRESS_TRY(auto mapper, mapper_for(options.format, *header));

  app::Importer importer(clock);
  const Actor system{.kind = Actor::Kind::system};
  ImportCounts total;
  ImportBatch current;
  std::vector<app::ImportRecord> records;
  const std::size_t batch_size = std::max<std::size_t>(1, options.batch_size);
  records.reserve(batch_size);

  auto flush = [&]() -> Status {
    if (current.batch.rows == 0) return {};
    auto written = store.write_sync<app::ImportBatchResult>(
        [&](store::WriteTx& tx) -> Result<app::ImportBatchResult> {
          REDRESS_TRY(auto w, importer.write_batch(tx, system, records, options.cancelled));
          ImportBatch b = current;
          b.bytes_read = reader.bytes_read();
          b.batch.created = w.created;
          b.batch.skipped = w.skipped;
          b.total.created += w.created;
          b.total.skipped += w.skipped;
          if (options.in_batch) REDRESS_CHECK(options.in_batch(tx, b));
          return w;
        },
        store::WriteMode::alone);
    if (!written) {
      importer.forget_uncommitted();  // e.g. in_batch or the commit failed
      return fail(std::move(written.error()));
    }
    current.batch.created = written->created;
    current.batch.skipped = written->skipped;
    total.created += written->created;
    total.skipped += written->skipped;
    current.total = total;
    current.bytes_read = reader.bytes_read();
    if (options.after_batch) options.after_batch(current);
    current = {};
    current.total = total;
    records.clear();
    return {};
  };

  while (true) {
    if (options.cancelled && options.cancelled()) {
      return fail(Error::unavailable("the import was stopped; it resumes at the next start"));
    }
    REDRESS_TRY(auto row, reader.next_row());
    if (!row) break;
    ++total.rows;
    if (total.rows <= options.skip_rows) continue;
    ++current.batch.rows;
    auto record = mapper(*row);
    if (!record) {
      ++total.rejected;
      ++current.batch.rejected;
      const Error& e = record.error();
      current.rejects.push_back({static_cast<std::int64_t>(reader.row_number()),
                                 e.fields.empty() ? "" : e.fields[0].field,
                                 e.fields.empty() ? e.message : e.fields[0].message});
    } else {
      records.push_back(std::move(*record));
    }
    current.total = total;
    if (static_cast<std::size_t>(current.batch.rows) >= batch_size) REDRESS_CHECK(flush());
  }
  REDRESS_CHECK(flush());
  return total;
}

}  // namespace redress::ingest
