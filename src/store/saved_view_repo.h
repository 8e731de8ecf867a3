// Saved views (migration 0014): a staff user's named queue filters. The filter
// is stored as the JSON text the caller gives (validated above the store); the
// store only keys it by owner and name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/time.h"
#include "store/sql.h"

namespace redress::store {

struct SavedView {
  std::int64_t id = 0;
  UserId user;
  std::string name;
  std::string filter;  // JSON object text: query parameter name -> value
  Instant created_at;
  Instant updated_at;
};

class SavedViewRepo {
 public:
  explicit SavedViewRepo(SqlSession& s) : s_(s) {}
  // The views of `user`, by name.
  Result<std::vector<SavedView>> of_user(UserId user) const;
  // The view `user` saved under `name`, if any (names are unique per user).
  Result<std::optional<SavedView>> by_name(UserId user, const std::string& name) const;
  Result<std::int64_t> count_of(UserId user) const;
  // Inserts `v` (its id is ignored) and returns the new id.
  Result<std::int64_t> add(const SavedView& v);
  // Replaces the filter of view `id` and stamps updated_at.
  Status replace_filter(std::int64_t id, const std::string& filter, Instant at);
  // Deletes view `id` only when `user` owns it; false when no such view of theirs exists.
  Result<bool> remove(UserId user, std::int64_t id);

 private:
  SqlSession& s_;
};

}  // namespace redress::store
