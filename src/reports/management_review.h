// The management-review report (app/review.h) drawn as a PDF and written as
// an XLSX workbook. Both read the JSON document the use case built, so the
// PDF, the workbook and the API answer show the same numbers.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/result.h"

namespace redress::reports {

// A multi-page A4 PDF in the document's language (its "language" member):
// title page, headline figures, then one section per part of the review with
// tables and charts (monthly volume, Pareto of causes, satisfaction trend).
std::string management_review_pdf(const nlohmann::json& review);

// An XLSX workbook at `path`, one sheet per section; numbers are written as
// numbers. invalid_argument when the file cannot be written.
Status management_review_xlsx(const nlohmann::json& review, const std::string& path);

// The workbook as bytes (written through a temporary file: libxlsxwriter
// 1.1.4 writes files only).
Result<std::string> management_review_xlsx_bytes(const nlohmann::json& review);

}  // namespace redress::reports
