// In-app notifications (issue 4): assignments, approvals waiting, escalations
// and SLA warnings addressed to a staff user, with an unread count for the
// console's header. A notice is written by the use case that causes it, in
// its transaction, through notify_user below, which is also the one place
// that queues the matching staff e-mail: whoever is mailed about a complaint
// also finds it in the app. Reading and marking are for the owner only.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/access.h"
#include "core/records.h"
#include "store/store.h"

namespace redress::app {

// The kinds of notification (the web app words each one).
inline constexpr const char* kNotifyAssignment = "assignment";  // you are the assignee
// routed to your department with no assignee: you, its supervisor, answer for it
inline constexpr const char* kNotifyDepartmentAssignment = "department_assignment";
inline constexpr const char* kNotifyApprovalWaiting = "approval_waiting";  // a plan awaits you
// your plan came back from the approver, with instructions to rework it
inline constexpr const char* kNotifyPlanReturned = "plan_returned";
inline constexpr const char* kNotifyEscalation = "escalation";
inline constexpr const char* kNotifySlaWarning = "sla_warning";

// How a notice reaches its recipient: in the app only, or also by e-mail
// (through the outbox, kind = the notification's kind, so a mail template of
// that kind must exist).
enum class NoticeMail : std::uint8_t { none, also };

// Tells staff user `u` about complaint `c`, in `tx`: an in-app notification
// of `kind` carrying `params` (plus the tracking code), and, with
// NoticeMail::also, the e-mail (payload: `params`, tracking_code,
// complaint_id, recipient_name). Deactivated users get no in-app row (they
// cannot sign in to read it); the mail behaves as before.
Status notify_user(store::WriteTx& tx, const User& u, const Complaint& c, const std::string& kind,
                   nlohmann::json params, Instant now, NoticeMail mail);

// The escalation addressing (SPEC §4): the supervisor of `department`, else
// (no department, or no supervisor) every active director.
Result<std::vector<User>> supervisor_or_directors(const store::ReadTx& tx,
                                                  std::optional<DepartmentId> department);

// One page of the caller's notifications and their unread count.
struct NotificationPage {
  std::vector<store::Notification> items;
  std::int64_t unread = 0;
};

class Notifications {
 public:
  explicit Notifications(const Clock& clock) : clock_(clock) {}

  // The caller's notifications, newest first: ids below `before` (0: from the
  // newest), only unread when `unread_only`, at most `limit`. Staff users
  // only (forbidden for others).
  Result<NotificationPage> list(const store::ReadTx& tx, const Actor& actor, bool unread_only,
                                std::int64_t before, int limit) const;
  // How many of the caller's notifications are unread.
  Result<std::int64_t> unread_count(const store::ReadTx& tx, const Actor& actor) const;
  // Marks the caller's notification `id` read (again: no change) and returns
  // it; not_found when it is not the caller's, never forbidden, so ids of
  // other users' notifications reveal nothing.
  Result<store::Notification> mark_read(store::WriteTx& tx, const Actor& actor,
                                        std::int64_t id) const;
  // Marks all the caller's unread notifications read; how many it marked.
  Result<std::int64_t> mark_all_read(store::WriteTx& tx, const Actor& actor) const;

 private:
  const Clock& clock_;
};

}  // namespace redress::app
