// The public CFPB Consumer Complaint Database export, in its current
// 18-column header and the older 14-column one (see ../shared/data/README.md),
// mapped onto ImportRecord:
//   Product → category, Sub-product → sub-category, Issue / Sub-issue →
//   subject, narrative → description (the issue when there is none),
//   Company → organisation unit, Submitted via → channel, Date received →
//   received, Date sent to company → sent, Company response → outcome (closed
//   unless "In progress" or "Untimely response"), Timely response → timely,
//   Consumer disputed → disputed (counted as a reopening), Complaint ID →
//   external id.
#pragma once

#include <string>
#include <vector>

#include "app/imports.h"

namespace redress::ingest {

// Knows the column positions of one CFPB header.
class CfpbMapper {
 public:
  // Recognises `header` as one of the two CFPB headers; invalid_argument
  // naming the first missing column otherwise.
  static Result<CfpbMapper> from_header(const std::vector<std::string>& header);
  // Maps one data row; invalid_argument with the reason when the row cannot
  // be imported (wrong column count, missing id, unreadable date).
  Result<app::ImportRecord> map(const std::vector<std::string>& row) const;
  bool legacy() const { return legacy_; }

 private:
  std::vector<std::string> header_;
  bool legacy_ = false;
  int col(const char* name) const;
};

// Parses "YYYY-MM-DD" or "M/D/YYYY" as midnight UTC.
std::optional<Instant> parse_cfpb_date(std::string_view text);

}  // namespace redress::ingest
