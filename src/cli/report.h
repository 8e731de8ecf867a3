// `redress report management-review|training-needs|warnings|hotspots|board`:
// the management review (app/review.h) of a period written to a file as JSON,
// PDF or XLSX, or its training needs as CSV or JSON; a department's warning
// record or the ranking, the hotspots (JSON) and the board report (JSON or
// PDF) of app/insight.h — the same documents the API serves, with the default
// thresholds.
#pragma once

#include <string>

#include "core/result.h"
#include "store/store.h"

namespace redress::cli {

struct ReportOptions {
  std::string kind;        // management-review | training-needs | warnings | hotspots | board
  std::string department;  // warnings: a department code or id; empty: the ranking
  std::string from, to;    // ISO 8601; empty: the default period (app::ManagementReview)
  std::string language = "en";
  std::string
      format;  // json|pdf|xlsx (review, default json), csv|json (training needs, default csv)
  std::string output;  // file; "-" or empty: standard output (not for pdf/xlsx)
};

// Builds the report as the system actor and writes it. invalid_argument
// naming the option for a bad date, language, format or output.
Status run_report(store::Store& store, const Clock& clock, const ReportOptions& options);

}  // namespace redress::cli
