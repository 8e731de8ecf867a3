// Business calendars and the SLA clock's arithmetic: working hours per
// weekday, holidays and an IANA time zone. All functions are pure: the zone
// is passed in already located (app/ looks it up in the system tzdata once),
// and no function reads the clock. A null calendar means "around the clock".
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace date {
class time_zone;
}

namespace redress {

// Working time within one local day, as minutes after local midnight:
// [start, end), 0 <= start < end <= 1440. "09:00-17:00" is {540, 1020}.
struct WorkingPeriod {
  int start_minute = 0;
  int end_minute = 0;
  friend bool operator==(const WorkingPeriod&, const WorkingPeriod&) = default;
};

// A business calendar. Times in `week` and `holidays` are local to `time_zone`.
struct BusinessCalendar {
  std::int64_t id = 0;
  std::string name;
  std::string time_zone = "UTC";  // IANA name, e.g. "Europe/Paris"
  // Working periods per weekday, index 0 = Sunday … 6 = Saturday; sorted and
  // not overlapping (validate_calendar checks).
  std::array<std::vector<WorkingPeriod>, 7> week;
  std::vector<std::chrono::year_month_day> holidays;  // whole local days off
};

// Checks the periods (in range, sorted, not overlapping), that some day has
// working time, and that holidays are valid dates. Does not check the zone
// name (that needs the tz database; app/ does it). Empty when valid.
std::vector<FieldError> validate_calendar(const BusinessCalendar& calendar);

// Parses "HH:MM-HH:MM" ("24:00" allowed as an end) into a period.
std::optional<WorkingPeriod> parse_working_period(std::string_view text);
// Formats a period as "HH:MM-HH:MM".
std::string format_working_period(const WorkingPeriod& period);

// A calendar together with its located time zone; both are borrowed.
struct ZonedCalendar {
  const BusinessCalendar& calendar;
  const date::time_zone& zone;
};

// The instant at which `duration` of working time has passed after `start`.
// Without a calendar, `start + duration`. Work periods whose local start or
// end does not exist (DST spring-forward) begin or end at the transition;
// ambiguous local times (fall-back) take the earlier instant for a start
// and the later one for an end, so the repeated hour is worked. Fails
// (nullopt) only when no working time exists within ten years.
std::optional<Instant> add_business_time(Instant start, Millis duration,
                                         const ZonedCalendar* calendar);

// Working time in [a, b); zero when b <= a. Without a calendar, b - a.
Millis business_time_between(Instant a, Instant b, const ZonedCalendar* calendar);

}  // namespace redress
