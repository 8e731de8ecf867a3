#include "store/saved_view_repo.h"

namespace redress::store {

namespace {

constexpr const char* kColumns = "id, user_id, name, filter, created_at, updated_at";

SavedView view_row(const SqlRow& r) {
  return SavedView{.id = r.i64(0),
                   .user = UserId{r.i64(1)},
                   .name = r.text(2),
                   .filter = r.text(3),
                   .created_at = from_epoch_ms(r.i64(4)),
                   .updated_at = from_epoch_ms(r.i64(5))};
}

}  // namespace

Result<std::vector<SavedView>> SavedViewRepo::of_user(UserId user) const {
  REDRESS_TRY(auto rows, s_.query(std::string("SELECT ") + kColumns +
                                      " FROM saved_views WHERE user_id = $1 ORDER BY name, id",
                                  params(user.value)));
  std::vector<SavedView> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(view_row(r));
  return out;
}

Result<std::optional<SavedView>> SavedViewRepo::by_name(UserId user,
                                                        const std::string& name) const {
  REDRESS_TRY(auto rows, s_.query(std::string("SELECT ") + kColumns +
                                      " FROM saved_views WHERE user_id = $1 AND name = $2",
                                  params(user.value, name)));
  if (rows.empty()) return std::optional<SavedView>{};
  return std::optional<SavedView>{view_row(rows.front())};
}

Result<std::int64_t> SavedViewRepo::count_of(UserId user) const {
  REDRESS_TRY(auto rows,
              s_.query("SELECT COUNT(*) FROM saved_views WHERE user_id = $1", params(user.value)));
  return rows.at(0).i64(0);
}

Result<std::int64_t> SavedViewRepo::add(const SavedView& v) {
  REDRESS_TRY(auto rows, s_.query("INSERT INTO saved_views (user_id, name, filter, created_at, "
                                  "updated_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                  params(v.user.value, v.name, v.filter, to_epoch_ms(v.created_at),
                                         to_epoch_ms(v.updated_at))));
  return rows.at(0).i64(0);
}

Status SavedViewRepo::replace_filter(std::int64_t id, const std::string& filter, Instant at) {
  REDRESS_TRY(auto n, s_.exec("UPDATE saved_views SET filter = $1, updated_at = $2 WHERE id = $3",
                              params(filter, to_epoch_ms(at), id)));
  if (n == 0) return fail(Error::not_found("saved view"));
  return {};
}

Result<bool> SavedViewRepo::remove(UserId user, std::int64_t id) {
  REDRESS_TRY(auto n, s_.exec("DELETE FROM saved_views WHERE id = $1 AND user_id = $2",
                              params(id, user.value)));
  return n > 0;
}

}  // namespace redress::store
