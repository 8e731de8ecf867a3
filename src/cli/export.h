// `redress export`: the complaints of a filter as CSV or XLSX into a file,
// the same columns and format as GET /api/v1/complaints/export
// (docs/export.md), read page by page so memory stays constant.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"
#include "store/store.h"

namespace redress::cli {

struct ExportOptions {
  std::string format = "csv";                                           // csv or xlsx
  std::string output;                                                   // the file written
  std::string state, category, department, received_from, received_to;  // filters; empty: any
};

// Writes every complaint passing the filters (the system actor sees all) and
// returns how many. invalid_argument naming the option for a bad filter.
Result<std::int64_t> run_export(store::Store& store, const Clock& clock,
                                const ExportOptions& options);

}  // namespace redress::cli
