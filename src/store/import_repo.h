// Links between complaints and the records they were imported from, so a
// re-import of the same file recognises what it already created.
#pragma once

#include <optional>
#include <string>

#include "core/ids.h"
#include "store/sql.h"

namespace redress::store {

class ImportRepo {
 public:
  explicit ImportRepo(SqlSession& s) : s_(s) {}
  // The complaint imported from (`source`, `external_id`), if any.
  Result<std::optional<ComplaintId>> find(const std::string& source,
                                          const std::string& external_id) const;
  // Records the link; conflict if that external record is already linked.
  Status link(const std::string& source, const std::string& external_id, ComplaintId complaint);

 private:
  SqlSession& s_;
};

}  // namespace redress::store
