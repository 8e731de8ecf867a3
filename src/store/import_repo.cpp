#include "store/import_repo.h"

namespace redress::store {

Result<std::optional<ComplaintId>> ImportRepo::find(const std::string& source,
                                                    const std::string& external_id) const {
  REDRESS_TRY(auto rows, s_.query("SELECT complaint_id FROM external_refs WHERE source = $1 AND "
                                  "external_id = $2",
                                  params(source, external_id)));
  if (rows.empty()) return std::optional<ComplaintId>{};
  return std::optional<ComplaintId>(ComplaintId{rows[0].i64(0)});
}

Status ImportRepo::link(const std::string& source, const std::string& external_id,
                        ComplaintId complaint) {
  REDRESS_TRY(auto changed, s_.exec("INSERT INTO external_refs (source, external_id, "
                                    "complaint_id) VALUES ($1, $2, $3)",
                                    params(source, external_id, complaint.value)));
  (void)changed;
  return {};
}

}  // namespace redress::store
