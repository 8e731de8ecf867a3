// ISO 8601 durations as SLA targets are written ("PT24H", "P2D", "PT3S").
// Only fixed-length units are accepted: weeks, days, hours, minutes and
// (fractional) seconds. Years and months are refused because their length
// depends on the calendar, which an SLA target must not.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace redress {

// The longest duration accepted: ten years of 365 days. No SLA target is longer, and
// business-time arithmetic over a longer one (day by day through a calendar) would
// occupy the server for minutes; format_iso8601_duration's output of anything up to
// this parses back.
inline constexpr Millis kMaxDuration = std::chrono::days{3650};

// Parses "P[nW][nD][T[nH][nM][n[.fff]S]]" (a day is 24 hours). Returns nullopt
// for anything else: empty designators ("P", "PT"), years or months, signs,
// units out of order, a total above kMaxDuration; more than millisecond
// precision is truncated.
std::optional<Millis> parse_iso8601_duration(std::string_view text);

// Formats `d` (>= 0) canonically: "PT0S", "P1DT2H", "PT1.500S".
std::string format_iso8601_duration(Millis d);

}  // namespace redress
