#include "store/notification_repo.h"

#include "store/row_values.h"

namespace redress::store {

namespace {

using values::ms;
using values::opt_id;
using values::opt_instant;

constexpr const char* kSelect =
    "SELECT n.id, n.user_id, n.complaint_id, n.kind, n.params, n.created_at, n.read_at, "
    "COALESCE(c.tracking_code, '') FROM notifications n LEFT JOIN complaints c ON c.id = "
    "n.complaint_id";

Notification notification_row(const SqlRow& r) {
  return Notification{.id = r.i64(0),
                      .user = UserId{r.i64(1)},
                      .complaint = opt_id<ComplaintTag>(r, 2),
                      .kind = r.text(3),
                      .params = r.text(4),
                      .created_at = from_epoch_ms(r.i64(5)),
                      .read_at = opt_instant(r, 6),
                      .tracking_code = r.text(7)};
}

}  // namespace

Result<std::int64_t> NotificationRepo::add(const Notification& n) {
  REDRESS_TRY(auto rows, s_.query("INSERT INTO notifications (user_id, complaint_id, kind, params, "
                                  "created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                  std::vector<SqlValue>{n.user.value, values::id(n.complaint),
                                                        n.kind, n.params, ms(n.created_at)}));
  return rows.at(0).i64(0);
}

Result<std::vector<Notification>> NotificationRepo::of_user(UserId user, bool unread_only,
                                                            std::int64_t before, int limit) const {
  // Optional conditions are added only when set (PostgreSQL cannot type "$2 = 0").
  std::string sql = std::string(kSelect) + " WHERE n.user_id = $1";
  std::vector<SqlValue> p{user.value};
  if (unread_only) sql += " AND n.read_at IS NULL";
  if (before > 0) {
    p.emplace_back(before);
    sql += " AND n.id < $" + std::to_string(p.size());
  }
  p.emplace_back(static_cast<std::int64_t>(limit));
  sql += " ORDER BY n.id DESC LIMIT $" + std::to_string(p.size());
  REDRESS_TRY(auto rows, s_.query(sql, p));
  std::vector<Notification> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(notification_row(r));
  return out;
}

Result<std::int64_t> NotificationRepo::unread_count(UserId user) const {
  REDRESS_TRY(auto rows, s_.query("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND "
                                  "read_at IS NULL",
                                  params(user.value)));
  return rows.at(0).i64(0);
}

Result<std::optional<Notification>> NotificationRepo::find(UserId user, std::int64_t id) const {
  REDRESS_TRY(auto rows, s_.query(std::string(kSelect) + " WHERE n.id = $1 AND n.user_id = $2",
                                  params(id, user.value)));
  if (rows.empty()) return std::optional<Notification>{};
  return std::optional<Notification>{notification_row(rows.front())};
}

Result<bool> NotificationRepo::mark_read(UserId user, std::int64_t id, Instant at) {
  REDRESS_TRY(auto owned,
              s_.query("SELECT read_at FROM notifications WHERE id = $1 AND user_id = $2",
                       params(id, user.value)));
  if (owned.empty()) return false;
  if (!owned.front().is_null(0)) return true;  // already read: keeps its first time
  REDRESS_TRY(auto n, s_.exec("UPDATE notifications SET read_at = $1 WHERE id = $2 AND user_id = "
                              "$3 AND read_at IS NULL",
                              params(to_epoch_ms(at), id, user.value)));
  (void)n;
  return true;
}

Result<std::int64_t> NotificationRepo::mark_all_read(UserId user, Instant at) {
  return s_.exec("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL",
                 params(to_epoch_ms(at), user.value));
}

}  // namespace redress::store
