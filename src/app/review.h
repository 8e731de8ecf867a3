// The management-review report (SPEC §6, issue 5 items 4 and 7): what
// happened to the complaints received in a period, for the directors' review
// every six months or on demand. The use case computes one JSON document (its
// schema is in docs/reports.md and the OpenAPI document); the PDF and XLSX
// renderers (src/reports) draw that same document, so the three formats
// cannot disagree.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/access.h"
#include "store/store.h"

namespace redress::app {

// The languages reports are written in (SPEC §7).
inline constexpr std::array<std::string_view, 6> kReportLanguages{"en",      "es",      "fr",
                                                                  "zh-Hans", "zh-Hant", "vi"};
bool is_report_language(std::string_view lang);

struct ManagementReviewRequest {
  Instant from;  // received_at >= from
  Instant to;    // received_at < to
  std::string language = "en";
  // The category whose complaints (with its sub-categories) count as
  // service-attitude complaints for the training needs.
  std::string attitude_category = "service_attitude";
  int list_limit = 50;  // longest list of individual complaints or entries per section
};

class ManagementReview {
 public:
  explicit ManagementReview(const Clock& clock) : clock_(clock) {}
  // Whether `actor` may read the review: directors, QA and administrators
  // (organisation-wide figures; SPEC §1 gives the review to the directors).
  static Status require_reader(const Actor& actor);
  // The review of [from, to). forbidden for other callers; invalid_argument
  // when from is not before to or the language is not one of the six.
  Result<nlohmann::json> build(const store::ReadTx& tx, const Actor& actor,
                               const ManagementReviewRequest& request) const;
  // The default period when none is asked for: the six (`months`) full
  // calendar months (UTC) before the month containing `now`.
  static std::pair<Instant, Instant> default_period(Instant now, int months = 6);

 private:
  const Clock& clock_;
};

// The training needs of a review document as CSV (RFC 4180, header
// department,source,topic,count,repeated).
std::string training_needs_csv(const nlohmann::json& review);

}  // namespace redress::app
