// Redress's own CSV format: the columns of the export (app/export.h,
// docs/export.md), so an export imports into another installation (or back
// after a rebuild) as the same complaints. Columns are found by name, in any
// order; unknown columns (and the installation-specific ids: id,
// department_id, assignee_id, follow_up_of, due_at) are ignored. Required:
// tracking_code and received_at columns, and in every row a tracking code, a
// received time and a subject or a description. The formula guard of the
// export is undone on every text field. Identity: (redress, tracking_code).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "app/imports.h"

namespace redress::ingest {

class RedressMapper {
 public:
  // invalid_argument naming "header" when a required column is missing.
  static Result<RedressMapper> from_header(const std::vector<std::string>& header);
  // Maps one data row; invalid_argument naming the column and the rule when a
  // value cannot be read (bad state, time, number, missing required value).
  Result<app::ImportRecord> map(const std::vector<std::string>& row) const;

 private:
  std::map<std::string, std::size_t> columns_;
  std::size_t width_ = 0;
};

}  // namespace redress::ingest
