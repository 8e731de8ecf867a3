#include "app/notifications.h"

#include "app/admin.h"

namespace redress::app {

namespace {

using Json = nlohmann::json;

// Staff users only: the system has no inbox, customers follow the portal.
Status require_user(const Actor& actor) {
  REDRESS_CHECK(Admin::require_staff(actor));
  if (actor.kind != Actor::Kind::user) {
    return fail(Error::forbidden("notifications belong to users"));
  }
  return {};
}

}  // namespace

Status notify_user(store::WriteTx& tx, const User& u, const Complaint& c, const std::string& kind,
                   Json params, Instant now, NoticeMail mail) {
  if (!params.is_object()) params = Json::object();
  params["tracking_code"] = c.tracking_code;
  if (u.active) {
    Json in_app = params;
    in_app.erase("notified_user_ids");  // the timeline keeps who else heard of it
    store::Notification n{.id = 0,
                          .user = u.id,
                          .complaint = c.id,
                          .kind = kind,
                          .params = in_app.dump(),
                          .created_at = now,
                          .read_at = std::nullopt,
                          .tracking_code = {}};
    REDRESS_TRY(auto nid, tx.notifications().add(n));
    (void)nid;
  }
  if (mail == NoticeMail::also) {
    params["complaint_id"] = c.id.value;
    params["recipient_name"] = u.display_name;
    store::OutboxMessage m{0,          kind,          c.id, "user:" + u.username,
                           u.language, params.dump(), now,  std::nullopt};
    REDRESS_TRY(auto id, tx.outbox().enqueue(m));
    (void)id;
  }
  return {};
}

Result<std::vector<User>> supervisor_or_directors(const store::ReadTx& tx,
                                                  std::optional<DepartmentId> department) {
  if (department) {
    REDRESS_TRY(auto dept, tx.directory().department(*department));
    if (dept && dept->supervisor) {
      REDRESS_TRY(auto sup, tx.directory().user(*dept->supervisor));
      if (sup) return std::vector<User>{std::move(*sup)};
    }
  }
  return active_directors(tx);
}

Result<NotificationPage> Notifications::list(const store::ReadTx& tx, const Actor& actor,
                                             bool unread_only, std::int64_t before,
                                             int limit) const {
  REDRESS_CHECK(require_user(actor));
  NotificationPage page;
  REDRESS_TRY(page.items, tx.notifications().of_user(actor.user, unread_only, before, limit));
  REDRESS_TRY(page.unread, tx.notifications().unread_count(actor.user));
  return page;
}

Result<std::int64_t> Notifications::unread_count(const store::ReadTx& tx,
                                                 const Actor& actor) const {
  REDRESS_CHECK(require_user(actor));
  return tx.notifications().unread_count(actor.user);
}

Result<store::Notification> Notifications::mark_read(store::WriteTx& tx, const Actor& actor,
                                                     std::int64_t id) const {
  REDRESS_CHECK(require_user(actor));
  REDRESS_TRY(bool found, tx.notifications().mark_read(actor.user, id, clock_.now()));
  if (!found) return fail(Error::not_found("notification " + std::to_string(id)));
  REDRESS_TRY(auto n, tx.notifications().find(actor.user, id));
  if (!n) return fail(Error::not_found("notification " + std::to_string(id)));
  return std::move(*n);
}

Result<std::int64_t> Notifications::mark_all_read(store::WriteTx& tx, const Actor& actor) const {
  REDRESS_CHECK(require_user(actor));
  return tx.notifications().mark_all_read(actor.user, clock_.now());
}

}  // namespace redress::app
