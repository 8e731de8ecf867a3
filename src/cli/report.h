// `redress report management-review|training-needs`: the management review
// (app/review.h) of a period written to a file as JSON, PDF or XLSX, or its
// training needs as CSV or JSON — the same documents the API serves.
#pragma once

#include <string>

#include "core/result.h"
#include "store/store.h"

namespace redress::cli {

struct ReportOptions {
  std::string kind;      // management-review | training-needs
  std::string from, to;  // ISO 8601; empty: the default period (app::ManagementReview)
  std::string language = "en";
  std::string
      format;  // json|pdf|xlsx (review, default json), csv|json (training needs, default csv)
  std::string output;  // file; "-" or empty: standard output (not for pdf/xlsx)
};

// Builds the report as the system actor and writes it. invalid_argument
// naming the option for a bad date, language, format or output.
Status run_report(store::Store& store, const Clock& clock, const ReportOptions& options);

}  // namespace redress::cli
