#include "app/sla.h"

#include <date/tz.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "app/admin.h"
#include "app/audit.h"
#include "app/complaints.h"
#include "app/notifications.h"
#include "core/duration.h"
#include "core/lifecycle.h"

namespace redress::app {

namespace {

using Json = nlohmann::json;

// A calendar loaded from the store with its zone; `get()` is null for
// around-the-clock.
class LoadedCalendar {
 public:
  const ZonedCalendar* get() const { return zoned_ ? &*zoned_ : nullptr; }
  Status load(const store::ReadTx& tx, std::optional<std::int64_t> id) {
    if (!id) return {};
    REDRESS_TRY(auto cal, tx.sla().calendar(*id));
    if (!cal) return fail(Error::internal("calendar " + std::to_string(*id) + " is missing"));
    calendar_ = std::move(*cal);
    REDRESS_TRY(const date::time_zone* zone, locate_time_zone(calendar_->time_zone));
    zoned_.emplace(ZonedCalendar{*calendar_, *zone});
    return {};
  }

 private:
  std::optional<BusinessCalendar> calendar_;
  std::optional<ZonedCalendar> zoned_;
};

// The sla.check jobs of `clock`: at its warning, its deadline and its
// director alert, each not yet passed (and not before `now`).
void add_checks(std::vector<store::JobDraft>& jobs, const store::SlaClock& clock, Instant now) {
  const std::string payload = Json{{"clock_id", clock.id}}.dump();
  auto at = [&](Instant moment) { jobs.push_back({payload, std::max(moment, now)}); };
  if (!clock.warned_at && !clock.breached_at) at(clock.warn_at);
  if (!clock.breached_at) at(clock.due_at);
  if (!clock.director_notified_at) at(clock.director_at);
}

Status schedule_checks(store::WriteTx& tx, const store::SlaClock& clock, Instant now) {
  std::vector<store::JobDraft> jobs;
  add_checks(jobs, clock, now);
  return tx.jobs().enqueue_all(kSlaCheckJob, jobs, now);
}

// A clock of `kind` started at `start` under `policy` with `target`, not yet
// stored.
Result<store::SlaClock> new_clock(ComplaintId complaint, SlaClockKind kind,
                                  std::optional<State> state, const SlaPolicy& policy,
                                  Millis target, const LoadedCalendar& cal, Instant start) {
  auto deadlines =
      sla_deadlines(start, target, policy.warning_percent, policy.director_percent, cal.get());
  if (!deadlines) {
    return fail(Error::precondition("calendar " + std::to_string(policy.calendar_id.value_or(0)) +
                                    " has no working time in the next ten years"));
  }
  store::SlaClock clock;
  clock.complaint = complaint;
  clock.kind = kind;
  clock.state = state;
  clock.policy_id = policy.id;
  clock.target = target;
  clock.calendar_id = policy.calendar_id;
  clock.started_at = start;
  clock.warn_at = deadlines->warn_at;
  clock.due_at = deadlines->due_at;
  clock.director_at = deadlines->director_at;
  return clock;
}

// Stores `clocks` and queues their checks: one due_at refresh and one jobs
// INSERT for all of them.
Status start_clocks(store::WriteTx& tx, std::vector<store::SlaClock>& clocks, Instant now) {
  if (clocks.empty()) return {};
  REDRESS_TRY(auto ids, tx.sla().add_clocks(clocks));
  std::vector<store::JobDraft> jobs;
  for (std::size_t i = 0; i < clocks.size(); ++i) {
    clocks[i].id = ids.at(i);
    add_checks(jobs, clocks[i], now);
  }
  return tx.jobs().enqueue_all(kSlaCheckJob, jobs, now);
}

// Moves a deadline that was still ahead at `paused_at` by the pause.
Instant shifted(Instant deadline, Instant paused_at, Instant now, const ZonedCalendar* cal) {
  if (deadline <= paused_at) return deadline;
  const Millis left = business_time_between(paused_at, deadline, cal);
  return add_business_time(now, left, cal).value_or(deadline + (now - paused_at));
}

// The target `policy` sets for `clock`'s kind (and state), if any.
std::optional<Millis> target_for(const SlaPolicy& policy, const store::SlaClock& clock) {
  if (clock.kind == SlaClockKind::first_response) return policy.first_response;
  if (clock.kind == SlaClockKind::resolution) return policy.resolution;
  if (clock.kind == SlaClockKind::state && clock.state) {
    auto it = policy.state_targets.find(*clock.state);
    if (it != policy.state_targets.end()) return it->second;
  }
  return std::nullopt;
}

// After an edit of a policy or a calendar: recomputes each clock's deadlines
// from its start under its policy and calendar as now stored, and schedules
// checks at the new moments (complaints.due_at follows in update_clock).
// Clocks that breached keep their deadlines (the breach happened under the
// old rule), and so do clocks that were ever on hold (their deadlines were
// moved by the pause; recomputing from the start would drop it).
Status retarget(store::WriteTx& tx, const std::vector<store::SlaClock>& clocks, Instant now) {
  if (clocks.empty()) return {};
  REDRESS_TRY(auto policies, tx.sla().policies());
  for (store::SlaClock clock : clocks) {
    if (clock.paused_at || clock.paused != Millis{0} || clock.breached_at) continue;
    const auto policy = std::find_if(policies.begin(), policies.end(),
                                     [&](const SlaPolicy& p) { return p.id == clock.policy_id; });
    if (policy == policies.end()) continue;
    const auto target = target_for(*policy, clock);
    if (!target) continue;  // the policy no longer times this: the clock keeps its deadline
    LoadedCalendar cal;
    REDRESS_CHECK(cal.load(tx, policy->calendar_id));
    auto d = sla_deadlines(clock.started_at, *target, policy->warning_percent,
                           policy->director_percent, cal.get());
    if (!d) {
      return fail(Error::precondition("calendar " +
                                      std::to_string(policy->calendar_id.value_or(0)) +
                                      " has no working time in the next ten years"));
    }
    if (clock.target == *target && clock.calendar_id == policy->calendar_id &&
        clock.warn_at == d->warn_at && clock.due_at == d->due_at &&
        clock.director_at == d->director_at) {
      continue;
    }
    clock.target = *target;
    clock.calendar_id = policy->calendar_id;
    clock.warn_at = d->warn_at;
    clock.due_at = d->due_at;
    clock.director_at = d->director_at;
    REDRESS_CHECK(tx.sla().update_clock(clock));
    REDRESS_CHECK(schedule_checks(tx, clock, now));
  }
  return {};
}

// Who holds the complaint: the assignee, else the department, else intake.
struct Holder {
  std::string subject;
  std::optional<User> user;
  std::optional<Department> department;
};

Result<Holder> holder_of(const store::ReadTx& tx, const Complaint& c) {
  Holder h;
  if (c.department) {
    REDRESS_TRY(h.department, tx.directory().department(*c.department));
  }
  if (c.assignee) {
    REDRESS_TRY(h.user, tx.directory().user(*c.assignee));
  }
  if (h.user) {
    h.subject = h.user->display_name + " (" + h.user->username + ")";
  } else if (h.department) {
    h.subject = h.department->name + " (department " + h.department->code + ")";
  } else {
    h.subject = "intake (not yet routed to a department)";
  }
  return h;
}

std::string clock_label(const store::SlaClock& clock) {
  if (clock.kind == SlaClockKind::state && clock.state) {
    return "time in " + std::string(to_string(*clock.state));
  }
  return clock.kind == SlaClockKind::first_response ? "first response" : "resolution";
}

Json clock_json(const store::SlaClock& clock) {
  Json j{{"clock_id", clock.id},
         {"clock", to_string(clock.kind)},
         {"clock_label", clock_label(clock)},
         {"target", format_iso8601_duration(clock.target)},
         {"due_at", format_iso8601(clock.due_at)}};
  if (clock.state) j["state"] = to_string(*clock.state);
  if (clock.policy_id) j["sla_policy_id"] = *clock.policy_id;
  return j;
}

}  // namespace

Result<const date::time_zone*> locate_time_zone(const std::string& name) {
  try {
    const date::time_zone* zone = date::locate_zone(name);
    (void)zone->get_info(date::sys_seconds{});  // loads the zone's rules now
    return zone;
  } catch (const std::exception&) {
    return fail(Error::invalid("time_zone", "'" + name + "' is not an IANA time zone"));
  }
}

Status sync_sla_clocks(store::WriteTx& tx, const Complaint& c, std::optional<State> from,
                       Instant now) {
  REDRESS_TRY(auto policies, tx.sla().policies());
  std::vector<store::SlaClock> clocks;
  if (from) {  // a complaint being registered has no clocks yet: nothing to read
    REDRESS_TRY(clocks, tx.sla().clocks(c.id));
  }
  if (policies.empty() && clocks.empty()) return {};
  const std::optional<SlaPolicy> policy = resolve_sla_policy(policies, c.category, c.urgency);
  LoadedCalendar cal;
  if (policy) REDRESS_CHECK(cal.load(tx, policy->calendar_id));
  const bool ended = stops_resolution(c.state);
  const bool held = c.state == State::on_hold;

  bool has_first_response = false, has_running_resolution = false, has_state_clock = false;
  for (store::SlaClock& clock : clocks) {
    if (clock.kind == SlaClockKind::first_response) has_first_response = true;
    if (clock.stopped_at) continue;
    bool changed = false;
    const bool state_clock_left =
        clock.kind == SlaClockKind::state && clock.state != c.state && !held;
    if (ended || state_clock_left) {
      clock.stopped_at = now;
      if (clock.paused_at) {
        clock.paused += now - *clock.paused_at;
        clock.paused_at.reset();
      }
      REDRESS_CHECK(tx.sla().update_clock(clock));
      continue;
    }
    if (held && !clock.paused_at) {
      clock.paused_at = now;  // on_hold pauses every running clock
      changed = true;
    } else if (!held && clock.paused_at) {
      LoadedCalendar own;
      REDRESS_CHECK(own.load(tx, clock.calendar_id));
      const Instant paused_at = *clock.paused_at;
      clock.warn_at = shifted(clock.warn_at, paused_at, now, own.get());
      clock.due_at = shifted(clock.due_at, paused_at, now, own.get());
      clock.director_at = shifted(clock.director_at, paused_at, now, own.get());
      clock.paused += now - paused_at;
      clock.paused_at.reset();
      changed = true;
    }
    // Urgency or category may have changed the policy: re-target from the start.
    if (policy && !clock.paused_at && clock.paused == Millis{0} && !clock.breached_at) {
      std::optional<Millis> target;
      if (clock.kind == SlaClockKind::first_response) target = policy->first_response;
      if (clock.kind == SlaClockKind::resolution) target = policy->resolution;
      if (clock.kind == SlaClockKind::state && clock.state) {
        auto it = policy->state_targets.find(*clock.state);
        if (it != policy->state_targets.end()) target = it->second;
      }
      if (target && (clock.policy_id != policy->id || clock.target != *target)) {
        auto d = sla_deadlines(clock.started_at, *target, policy->warning_percent,
                               policy->director_percent, cal.get());
        if (d) {
          clock.policy_id = policy->id;
          clock.target = *target;
          clock.calendar_id = policy->calendar_id;
          clock.warn_at = d->warn_at;
          clock.due_at = d->due_at;
          clock.director_at = d->director_at;
          changed = true;
        }
      }
    }
    if (changed) {
      REDRESS_CHECK(tx.sla().update_clock(clock));
      if (!clock.paused_at) REDRESS_CHECK(schedule_checks(tx, clock, now));
    }
    if (clock.kind == SlaClockKind::resolution) has_running_resolution = true;
    if (clock.kind == SlaClockKind::state && clock.state == c.state) has_state_clock = true;
  }
  if (!policy || ended || held) return {};

  std::vector<store::SlaClock> started;
  auto start = [&](SlaClockKind kind, std::optional<State> state, Millis target,
                   Instant at) -> Status {
    REDRESS_TRY(auto clock, new_clock(c.id, kind, state, *policy, target, cal, at));
    started.push_back(clock);
    return {};
  };
  if (!from && !has_first_response && policy->first_response) {
    REDRESS_CHECK(
        start(SlaClockKind::first_response, std::nullopt, *policy->first_response, c.received_at));
  }
  if (!has_running_resolution && policy->resolution) {
    // At registration the clock starts when the complaint was received; after
    // a reopen or an appeal it starts again now.
    REDRESS_CHECK(start(SlaClockKind::resolution, std::nullopt, *policy->resolution,
                        from ? now : c.received_at));
  }
  auto target = policy->state_targets.find(c.state);
  if (!has_state_clock && target != policy->state_targets.end()) {
    REDRESS_CHECK(start(SlaClockKind::state, c.state, target->second, from ? now : c.received_at));
  }
  return start_clocks(tx, started, now);
}

Status record_first_response(store::WriteTx& tx, ComplaintId complaint, Instant now) {
  REDRESS_TRY(auto clocks, tx.sla().clocks(complaint));
  for (store::SlaClock& clock : clocks) {
    if (clock.kind != SlaClockKind::first_response || clock.stopped_at) continue;
    clock.stopped_at = now;
    if (clock.paused_at) {
      clock.paused += now - *clock.paused_at;
      clock.paused_at.reset();
    }
    REDRESS_CHECK(tx.sla().update_clock(clock));
  }
  return {};
}

Result<SlaCheckOutcome> Sla::check(store::WriteTx& tx, std::int64_t clock_id) {
  const Instant now = clock_.now();
  SlaCheckOutcome out;
  REDRESS_TRY(auto found, tx.sla().clock(clock_id));
  if (!found) return out;  // nothing to do: e.g. the complaint's clocks were reset
  store::SlaClock clock = *found;
  if (!clock.running()) return out;
  REDRESS_TRY(auto complaint, tx.complaints().find(clock.complaint));
  if (!complaint) return out;
  Complaint c = std::move(*complaint);
  REDRESS_TRY(Holder holder, holder_of(tx, c));
  const Actor system{.kind = Actor::Kind::system};
  Json base = clock_json(clock);
  base["holder"] = holder.subject;
  const int level_before = c.escalation_level;

  if (!clock.warned_at && !clock.breached_at && now >= clock.warn_at && now < clock.due_at) {
    clock.warned_at = now;
    out.warned = true;
    REDRESS_TRY(auto ev, append_event(tx, system, now,
                                      {c.id, "sla_warning", std::nullopt, std::nullopt, base}));
    (void)ev;
    // The warning goes to the holder: the assignee, else the department's supervisor.
    std::optional<User> to = holder.user;
    if (!to && holder.department && holder.department->supervisor) {
      REDRESS_TRY(to, tx.directory().user(*holder.department->supervisor));
    }
    if (to) {
      REDRESS_CHECK(notify_user(tx, *to, c, kNotifySlaWarning, base, now, NoticeMail::also));
    }
  }

  if (!clock.breached_at && now >= clock.due_at) {
    clock.breached_at = now;
    if (!clock.warned_at) clock.warned_at = now;
    out.breached = true;
    REDRESS_TRY(auto ev, append_event(tx, system, now,
                                      {c.id, "sla_breached", std::nullopt, std::nullopt, base}));
    (void)ev;
    // Escalation to the department's supervisor (to the directors when the
    // complaint has no department, or its department no supervisor).
    REDRESS_TRY(auto recipients, supervisor_or_directors(tx, c.department));
    c.escalation_level = std::max(c.escalation_level, 1);
    Json esc = base;
    esc["reason"] = "sla_breach";
    esc["level"] = 1;
    Json ids = Json::array();
    for (const User& u : recipients) ids.push_back(u.id.value);
    esc["notified_user_ids"] = ids;
    REDRESS_TRY(auto ev2, append_event(tx, system, now,
                                       {c.id, "escalated", std::nullopt, std::nullopt, esc}));
    (void)ev2;
    for (const User& u : recipients) {
      REDRESS_CHECK(notify_user(tx, u, c, kNotifyEscalation, esc, now, NoticeMail::also));
    }
    // Accountability for the delay (SPEC §3): whoever held the complaint.
    AccountabilityEntry entry;
    entry.complaint = c.id;
    entry.kind = "delay";
    entry.subject = holder.subject;
    entry.finding = "SLA breached: " + clock_label(clock) + " target " +
                    format_iso8601_duration(clock.target) + " was due at " +
                    format_iso8601(clock.due_at) + " while " + holder.subject +
                    " held the complaint";
    entry.recorded_at = now;
    REDRESS_TRY(auto aid, tx.records().add_accountability(entry));
    REDRESS_TRY(
        auto ev3,
        append_event(
            tx, system, now,
            {c.id, "accountability_added", std::nullopt, std::nullopt,
             Json{{"accountability_id", aid}, {"kind", "delay"}, {"subject", holder.subject}}}));
    (void)ev3;
  }

  if (clock.breached_at && !clock.director_notified_at && now >= clock.director_at) {
    clock.director_notified_at = now;
    out.director_notified = true;
    REDRESS_TRY(auto recipients, active_directors(tx));
    c.escalation_level = std::max(c.escalation_level, 2);
    Json esc = base;
    esc["reason"] = "sla_breach";
    esc["level"] = 2;
    Json ids = Json::array();
    for (const User& u : recipients) ids.push_back(u.id.value);
    esc["notified_user_ids"] = ids;
    REDRESS_TRY(auto ev, append_event(tx, system, now,
                                      {c.id, "escalated", std::nullopt, std::nullopt, esc}));
    (void)ev;
    for (const User& u : recipients) {
      REDRESS_CHECK(notify_user(tx, u, c, kNotifyEscalation, esc, now, NoticeMail::also));
    }
  }

  if (out.warned || out.breached || out.director_notified) {
    REDRESS_CHECK(tx.sla().update_clock(clock));
  }
  if (c.escalation_level != level_before) REDRESS_CHECK(save(tx, c, now));
  return out;
}

// ---- administration -----------------------------------------------------------------

Result<std::vector<BusinessCalendar>> Sla::calendars(const store::ReadTx& tx,
                                                     const Actor& actor) const {
  REDRESS_CHECK(Admin::require_staff(actor));
  return tx.sla().calendars();
}

Result<BusinessCalendar> Sla::add_calendar(store::WriteTx& tx, const Actor& actor,
                                           BusinessCalendar c) {
  REDRESS_CHECK(Admin::require_admin(actor));
  auto errors = validate_calendar(c);
  if (c.name.empty()) errors.push_back(required_field("name"));
  if (!c.time_zone.empty() && !locate_time_zone(c.time_zone)) {
    errors.push_back({"time_zone", "is not an IANA time zone"});
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  auto id = tx.sla().add_calendar(c);
  if (!id && id.error().code == ErrorCode::conflict) {
    return fail(Error::invalid("name", "a calendar with this name exists"));
  }
  if (!id) return fail(id.error());
  c.id = *id;
  return c;
}

Result<BusinessCalendar> Sla::update_calendar(store::WriteTx& tx, const Actor& actor,
                                              BusinessCalendar c) {
  REDRESS_CHECK(Admin::require_admin(actor));
  auto errors = validate_calendar(c);
  if (c.name.empty()) errors.push_back(required_field("name"));
  if (!c.time_zone.empty() && !locate_time_zone(c.time_zone)) {
    errors.push_back({"time_zone", "is not an IANA time zone"});
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  REDRESS_CHECK(tx.sla().update_calendar(c));
  // Running clocks on this calendar move with it, in this transaction.
  REDRESS_TRY(auto clocks, tx.sla().unstopped_clocks(std::nullopt, c.id));
  REDRESS_CHECK(retarget(tx, clocks, clock_.now()));
  return c;
}

Result<std::vector<SlaPolicy>> Sla::policies(const store::ReadTx& tx, const Actor& actor) const {
  REDRESS_CHECK(Admin::require_staff(actor));
  return tx.sla().policies();
}

Status Sla::validate_policy(const store::ReadTx& tx, const SlaPolicy& p) const {
  auto errors = validate_sla_policy(p);
  if (p.calendar_id) {
    REDRESS_TRY(auto cal, tx.sla().calendar(*p.calendar_id));
    if (!cal) errors.push_back({"calendar_id", "is not a calendar"});
  }
  if (p.category) {
    REDRESS_TRY(auto cat, tx.directory().category(*p.category));
    if (!cat) errors.push_back({"category", "is not in the taxonomy"});
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  return {};
}

Result<SlaPolicy> Sla::add_policy(store::WriteTx& tx, const Actor& actor, SlaPolicy p) {
  REDRESS_CHECK(Admin::require_admin(actor));
  REDRESS_CHECK(validate_policy(tx, p));
  auto id = tx.sla().add_policy(p);
  if (!id && id.error().code == ErrorCode::conflict) {
    return fail(Error::invalid("name", "an SLA policy with this name exists"));
  }
  if (!id) return fail(id.error());
  p.id = *id;
  return p;
}

Result<SlaPolicy> Sla::update_policy(store::WriteTx& tx, const Actor& actor, SlaPolicy p) {
  REDRESS_CHECK(Admin::require_admin(actor));
  REDRESS_CHECK(validate_policy(tx, p));
  REDRESS_CHECK(tx.sla().update_policy(p));
  // Running clocks under this policy take its new targets and calendar.
  REDRESS_TRY(auto clocks, tx.sla().unstopped_clocks(p.id, std::nullopt));
  REDRESS_CHECK(retarget(tx, clocks, clock_.now()));
  return p;
}

Status Sla::delete_policy(store::WriteTx& tx, const Actor& actor, std::int64_t id) {
  REDRESS_CHECK(Admin::require_admin(actor));
  return tx.sla().delete_policy(id);
}

Result<std::vector<store::SlaClock>> Sla::clocks(const store::ReadTx& tx, const Actor& actor,
                                                 ComplaintId id) const {
  REDRESS_TRY(auto c, load_visible(tx, actor, id));
  return tx.sla().clocks(c.id);
}

}  // namespace redress::app
