// The board report (app/insight.h Insight::board) drawn as a short PDF: the
// hotspots past the threshold, the influential and recurring complaints and
// the departments with the most founded complaints, in the document's language.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace redress::reports {

// A few A4 pages in the document's language (its "language" member), drawn
// with PdfDocument like the management review.
std::string board_pdf(const nlohmann::json& board);

}  // namespace redress::reports
