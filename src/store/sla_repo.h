// Storage of calendars, SLA policies and the SLA clocks of complaints.
// Same conventions as repositories.h: one SqlSession per transaction,
// conflict on unique violations, internal otherwise; never throws.
#pragma once

#include <optional>
#include <vector>

#include "core/calendar.h"
#include "core/ids.h"
#include "core/sla.h"
#include "store/sql.h"

namespace redress::store {

// One SLA clock of one complaint (see core/sla.h for the deadlines).
struct SlaClock {
  std::int64_t id = 0;
  ComplaintId complaint;
  SlaClockKind kind = SlaClockKind::first_response;
  std::optional<State> state;  // for kind == state: the state it times
  std::optional<std::int64_t> policy_id;
  Millis target{0};
  std::optional<std::int64_t> calendar_id;
  Instant started_at;
  Instant warn_at;
  Instant due_at;
  Instant director_at;
  std::optional<Instant> paused_at;  // set while the complaint is on hold
  Millis paused{0};                  // wall time spent paused so far
  std::optional<Instant> stopped_at;
  std::optional<Instant> warned_at;
  std::optional<Instant> breached_at;
  std::optional<Instant> director_notified_at;

  bool running() const { return !stopped_at && !paused_at; }
};

class SlaRepo {
 public:
  explicit SlaRepo(SqlSession& s) : s_(s) {}
  Result<std::int64_t> add_calendar(const BusinessCalendar& c);
  Status update_calendar(const BusinessCalendar& c);  // not_found when absent
  Result<std::optional<BusinessCalendar>> calendar(std::int64_t id) const;
  Result<std::vector<BusinessCalendar>> calendars() const;

  // Policy writes forget the write transaction's memo of the policies.
  Result<std::int64_t> add_policy(const SlaPolicy& p);
  Status update_policy(const SlaPolicy& p);  // not_found when absent
  Status delete_policy(std::int64_t id);     // not_found when absent
  // Every policy, by id; read once per write transaction (TxMemo).
  Result<std::vector<SlaPolicy>> policies() const;

  // Writing a clock also refreshes the complaint's due_at (the earliest due time
  // of its running clocks) in the same transaction.
  Result<std::int64_t> add_clock(const SlaClock& c);
  // Adds every one of `clocks` and returns their ids in the same order,
  // refreshing each complaint's due_at once rather than once per clock (a
  // registration starts up to three).
  Result<std::vector<std::int64_t>> add_clocks(std::span<const SlaClock> clocks);
  Status update_clock(const SlaClock& c);
  Result<std::optional<SlaClock>> clock(std::int64_t id) const;
  // Every clock of the complaint, oldest first.
  Result<std::vector<SlaClock>> clocks(ComplaintId complaint) const;
  // Clocks not stopped (running or paused) under `policy_id` and/or on
  // `calendar_id` (each filter only when set), oldest first: what an edit of
  // that policy or calendar re-targets.
  Result<std::vector<SlaClock>> unstopped_clocks(std::optional<std::int64_t> policy_id,
                                                 std::optional<std::int64_t> calendar_id) const;

 private:
  Status refresh_due(ComplaintId complaint);
  void forget_memoised_policies();
  SqlSession& s_;
};

}  // namespace redress::store
