// The import loop shared by `redress import` and uploaded imports
// (POST /api/v1/imports): read a CSV file row by row (constant memory), map
// each row with the format's adapter, and write the records in transactions
// of `batch_size` file rows. The rows a batch rejected and the progress so
// far can be written in the batch's own transaction (in_batch), so a run that
// stops half-way knows exactly where to resume.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "app/imports.h"
#include "core/result.h"
#include "store/import_repo.h"
#include "store/store.h"

namespace redress::ingest {

// Counts so far (or of one batch).
struct ImportCounts {
  std::int64_t rows = 0;  // data rows read (the header not counted)
  std::int64_t created = 0;
  std::int64_t skipped = 0;  // imported by an earlier run or earlier in the file
  std::int64_t rejected = 0;
};

// One committed (or committing) batch.
struct ImportBatch {
  ImportCounts batch;  // this batch's counts
  ImportCounts total;  // including this batch (and the rows skipped at a resume)
  std::vector<store::ImportReject> rejects;  // this batch's rejected rows
  std::uint64_t bytes_read = 0;
};

struct ImportStreamOptions {
  std::string format;  // "cfpb" (the formats: import_formats())
  std::size_t batch_size = 2000;
  // Data rows already imported by an earlier attempt of the same run: read
  // and passed over without mapping (their rejects were recorded then).
  std::int64_t skip_rows = 0;
  // Runs inside each batch's write transaction, after the batch's records:
  // whatever it writes commits (or rolls back) with them.
  std::function<Status(store::WriteTx&, const ImportBatch&)> in_batch;
  // Runs after each batch has committed (progress display, a rejects file).
  std::function<void(const ImportBatch&)> after_batch;
  // Asked before each row is read and before each row is written inside its
  // batch's transaction: true stops the import (unavailable) with the rows of
  // the unfinished batch not written (rolled back if it was being written), so
  // a later run resumes there and a shutdown need not wait for a whole batch.
  std::function<bool()> cancelled;
};

// invalid_argument (naming "format" or "header") unless `format` is known and
// `header` is a header it reads.
Status check_import_header(const std::string& format, const std::vector<std::string>& header);

// The formats import_stream reads.
const std::vector<std::string>& import_formats();

// Runs the import of `in` as the system actor. Fails on an unknown format, a
// header the format does not recognise, malformed CSV, or a batch the store
// refuses (earlier batches stay committed).
Result<ImportCounts> import_stream(store::Store& store, const Clock& clock, std::istream& in,
                                   const ImportStreamOptions& options);

}  // namespace redress::ingest
