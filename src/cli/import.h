// `redress import`: streams a file through an ingest adapter into the store
// in transactions of `batch_size` rows, reporting progress on a terminal.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"
#include "store/store.h"

namespace redress::cli {

struct ImportOptions {
  std::string format;  // "cfpb" or "redress" (ingest::import_formats())
  std::string file;
  std::string rejects_file;  // where rejected rows and reasons go; empty: not written
  std::size_t batch_size = 2000;
  bool progress = false;  // print a progress line (on a terminal)
};

struct ImportSummary {
  std::int64_t rows = 0;
  std::int64_t created = 0;
  std::int64_t skipped = 0;  // imported by an earlier run
  std::int64_t rejected = 0;
  double seconds = 0;
};

// Runs the import. Resumable: rows already imported are skipped, so after an
// interruption the same command continues. Fails on an unreadable file, an
// unknown format or a batch the store refuses (earlier batches stay).
Result<ImportSummary> run_import(store::Store& store, const Clock& clock,
                                 const ImportOptions& options);

}  // namespace redress::cli
