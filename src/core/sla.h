// SLA policies and the deadlines of an SLA clock (SPEC §4). Pure: the
// caller passes the start instant and the calendar; nothing reads the clock.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>

#include "core/calendar.h"
#include "core/enums.h"

namespace redress {

// The clocks a complaint can run. Persisted names are fixed.
enum class SlaClockKind : std::uint8_t { first_response, resolution, state };
REDRESS_ENUM_NAMES(SlaClockKind, {SlaClockKind::first_response, "first_response"},
                   {SlaClockKind::resolution, "resolution"}, {SlaClockKind::state, "state"})

// Targets for complaints of one urgency and/or category; absent targets run
// no clock. Durations are working time on `calendar_id` (around the clock
// when unset).
struct SlaPolicy {
  std::int64_t id = 0;
  std::string name;
  std::optional<Urgency> urgency;       // applies to this urgency only
  std::optional<std::string> category;  // applies to this category code only
  std::optional<Millis> first_response;
  std::optional<Millis> resolution;
  std::map<State, Millis> state_targets;  // time allowed in each listed state
  int warning_percent = 80;               // warn the holder at this share of the target
  int director_percent = 200;             // escalate to a director at this share
  std::optional<std::int64_t> calendar_id;
};

// Checks the percentages (warning 1..99, director > 100) and that targets
// are positive. Empty when valid.
std::vector<FieldError> validate_sla_policy(const SlaPolicy& policy);

// The policy that governs a complaint: most specific match wins (category
// and urgency > category > urgency > neither); among equals, the newest
// (highest id), so a policy added later overrides a seeded one.
// nullopt when none matches: the complaint runs no clocks.
std::optional<SlaPolicy> resolve_sla_policy(std::span<const SlaPolicy> policies,
                                            const std::optional<std::string>& category,
                                            std::optional<Urgency> urgency);

// The three moments of one clock.
struct SlaDeadlines {
  Instant warn_at;      // the holder is warned
  Instant due_at;       // breach: supervisor escalation and accountability
  Instant director_at;  // second level: a director is told
};

// Deadlines of a clock started at `start` with `target` working time.
// nullopt when the calendar has no working time to reach them.
std::optional<SlaDeadlines> sla_deadlines(Instant start, Millis target, int warning_percent,
                                          int director_percent, const ZonedCalendar* calendar);

// Whether entering `s` stops the resolution clock for good (the reply was
// given or the complaint ended otherwise).
bool stops_resolution(State s);

}  // namespace redress
