// In-app notifications (migration 0017): what a staff user must hear of, one
// row per recipient. Rows are written by the use case that causes them, in its
// transaction; reads and marks are always keyed by the owner, so one user can
// neither list nor mark another's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/time.h"
#include "store/sql.h"

namespace redress::store {

struct Notification {
  std::int64_t id = 0;
  UserId user;
  std::optional<ComplaintId> complaint;
  std::string kind;    // assignment, department_assignment, approval_waiting, escalation, ...
  std::string params;  // JSON object text: the values the text is made of
  Instant created_at;
  std::optional<Instant> read_at;
  std::string tracking_code;  // read only: the complaint's code ("" without a complaint)
};

class NotificationRepo {
 public:
  explicit NotificationRepo(SqlSession& s) : s_(s) {}
  // Inserts `n` (id, read_at and tracking_code are ignored) and returns the new id.
  Result<std::int64_t> add(const Notification& n);
  // The notifications of `user`, newest first: ids below `before` (0: from the
  // newest), only unread ones when `unread_only`, at most `limit`.
  Result<std::vector<Notification>> of_user(UserId user, bool unread_only, std::int64_t before,
                                            int limit) const;
  // How many of `user`'s notifications are unread (the partial index
  // notifications_unread answers it).
  Result<std::int64_t> unread_count(UserId user) const;
  // Notification `id` if `user` owns it.
  Result<std::optional<Notification>> find(UserId user, std::int64_t id) const;
  // Stamps read_at = `at` on `user`'s notification `id` if it is unread
  // (a read one keeps its first time); false when `user` has no such notification.
  Result<bool> mark_read(UserId user, std::int64_t id, Instant at);
  // Marks every unread notification of `user` read at `at`; how many it marked.
  Result<std::int64_t> mark_all_read(UserId user, Instant at);

 private:
  SqlSession& s_;
};

}  // namespace redress::store
