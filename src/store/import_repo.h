// Links between complaints and the records they were imported from, so a
// re-import of the same file recognises what it already created.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/time.h"
#include "store/sql.h"

namespace redress::store {

// A record of another system, named by its source ("cfpb") and its id there.
struct ExternalRef {
  std::string source;
  std::string external_id;
};

// One uploaded import (POST /api/v1/imports) and how far it got. The counters
// move in the same transaction as the batch they count, so after a crash they
// say exactly which rows are in: `rows_read` data rows of the file are done.
struct ImportRun {
  std::int64_t id = 0;
  std::string format;     // the ingest adapter: cfpb or redress
  std::string filename;   // as uploaded, for display
  std::string file_path;  // where the upload is stored
  std::int64_t bytes_total = 0;
  std::int64_t bytes_read = 0;   // at the last committed batch (for the progress bar)
  std::string state = "queued";  // queued, running, done, failed
  std::int64_t rows_read = 0;
  std::int64_t imported = 0;
  std::int64_t skipped = 0;  // already imported earlier (same source and id)
  std::int64_t rejected = 0;
  std::string error;  // why it failed
  std::optional<UserId> created_by;
  Instant created_at;
  std::optional<Instant> started_at, finished_at;
};

// A row an import could not take, with the first reason found.
struct ImportReject {
  std::int64_t row = 0;  // row number in the file; the header is row 1
  std::string field;
  std::string reason;
};

class ImportRepo {
 public:
  explicit ImportRepo(SqlSession& s) : s_(s) {}
  // For each of `refs`, whether a complaint is linked to it: an import's
  // look-up for a whole batch, a few statements instead of one per row.
  Result<std::vector<bool>> linked(std::span<const ExternalRef> refs) const;
  // Records `refs[i]` -> `complaints[i]` for every i (same sizes), a few rows
  // per statement; conflict if one of them is already linked.
  Status link_all(std::span<const ExternalRef> refs, std::span<const ComplaintId> complaints);

  // Records a new run (id ignored) and returns its id.
  Result<std::int64_t> create_run(const ImportRun& run);
  Result<std::optional<ImportRun>> run(std::int64_t id) const;
  // Runs still queued or running (after a restart: to resume), oldest first.
  Result<std::vector<ImportRun>> unfinished_runs() const;
  // Marks the run running; started_at keeps the first start.
  Status start_run(std::int64_t id, Instant now);
  // Adds one committed batch's counts; `rows_read` and `bytes_read` are the new totals.
  Status add_progress(std::int64_t id, std::int64_t rows_read, std::int64_t bytes_read,
                      std::int64_t imported, std::int64_t skipped, std::int64_t rejected);
  Status add_reject(std::int64_t id, const ImportReject& reject);
  // Ends the run as done or failed (with `error`).
  Status finish_run(std::int64_t id, const std::string& state, const std::string& error,
                    Instant now);
  // Rejected rows of a run with row numbers above `after_row`, in row order.
  Result<std::vector<ImportReject>> rejects(std::int64_t id, std::int64_t after_row,
                                            int limit) const;

 private:
  SqlSession& s_;
};

}  // namespace redress::store
