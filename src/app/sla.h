// SLA use cases (SPEC §4): calendars and SLA policies (admin writes, staff
// reads), the clocks of each complaint (started, paused, resumed and stopped
// in the transaction that registers or moves the complaint), and the timer
// check the job runner calls: warning before the breach, escalation with an
// accountability entry at the breach, a director at the second level.
#pragma once

#include <optional>
#include <vector>

#include "core/access.h"
#include "core/calendar.h"
#include "core/records.h"
#include "core/sla.h"
#include "store/store.h"

namespace date {
class time_zone;
}

namespace redress::app {

// The job kind that checks one SLA clock; payload {"clock_id": N}.
inline constexpr const char* kSlaCheckJob = "sla.check";

// Locates an IANA zone in the system tzdata and loads its rules, so that
// core's arithmetic afterwards reads no files. invalid_argument("time_zone")
// for an unknown name. Thread-safe; zones live for the whole process.
Result<const date::time_zone*> locate_time_zone(const std::string& name);

// Starts, re-targets, pauses, resumes and stops the complaint's clocks for
// its current state (`from` is the state it left; nullopt at registration)
// and queues `sla.check` jobs at each new deadline. Call after every change
// of state, urgency or category, in the same transaction. No policy: no
// clocks.
Status sync_sla_clocks(store::WriteTx& tx, const Complaint& c, std::optional<State> from,
                       Instant now);

// Stops the first-response clock: staff sent the customer a message
// (question, rejection, proposal or reply). The automatic acknowledgement
// does not count.
Status record_first_response(store::WriteTx& tx, ComplaintId complaint, Instant now);

// What the check of one clock did (for tests and logs).
struct SlaCheckOutcome {
  bool warned = false;
  bool breached = false;
  bool director_notified = false;
};

class Sla {
 public:
  explicit Sla(const Clock& clock) : clock_(clock) {}

  // Calendars: staff read, admins write. invalid_argument names the field.
  Result<std::vector<BusinessCalendar>> calendars(const store::ReadTx& tx,
                                                  const Actor& actor) const;
  Result<BusinessCalendar> add_calendar(store::WriteTx& tx, const Actor& actor, BusinessCalendar c);
  // Replaces a calendar and, in the same transaction, recomputes the
  // deadlines of the clocks running on it (except clocks that breached or
  // were on hold, which keep theirs).
  Result<BusinessCalendar> update_calendar(store::WriteTx& tx, const Actor& actor,
                                           BusinessCalendar c);

  // SLA policies: staff read, admins write.
  Result<std::vector<SlaPolicy>> policies(const store::ReadTx& tx, const Actor& actor) const;
  Result<SlaPolicy> add_policy(store::WriteTx& tx, const Actor& actor, SlaPolicy p);
  // Replaces a policy and re-targets its running clocks (targets, calendar,
  // deadlines) in the same transaction; same exceptions as update_calendar.
  Result<SlaPolicy> update_policy(store::WriteTx& tx, const Actor& actor, SlaPolicy p);
  Status delete_policy(store::WriteTx& tx, const Actor& actor, std::int64_t id);

  // The clocks of a complaint the actor may see.
  Result<std::vector<store::SlaClock>> clocks(const store::ReadTx& tx, const Actor& actor,
                                              ComplaintId id) const;

  // The timer: acts on clock `clock_id` as of now, all in this transaction —
  // a warning (event + mail to the holder), the breach (event, escalation to
  // the department's supervisor with a mail, a `delay` accountability entry
  // attributed to whoever holds the complaint), the second level (event and
  // mail to every director). Idempotent: each step happens once per clock;
  // a stopped or paused clock does nothing.
  Result<SlaCheckOutcome> check(store::WriteTx& tx, std::int64_t clock_id);

 private:
  Status validate_policy(const store::ReadTx& tx, const SlaPolicy& p) const;
  const Clock& clock_;
};

}  // namespace redress::app
