#include "core/calendar.h"

#include <date/tz.h>

#include <algorithm>
#include <cstdio>

namespace redress {

namespace {

constexpr int kMinutesPerDay = 24 * 60;
constexpr int kMaxDays = 3660;  // ten years of days searched for working time

bool is_holiday(const BusinessCalendar& cal, date::local_days day) {
  const date::year_month_day ymd{day};
  const std::chrono::year_month_day std_ymd{std::chrono::year{static_cast<int>(ymd.year())},
                                            std::chrono::month{static_cast<unsigned>(ymd.month())},
                                            std::chrono::day{static_cast<unsigned>(ymd.day())}};
  return std::find(cal.holidays.begin(), cal.holidays.end(), std_ymd) != cal.holidays.end();
}

struct Interval {
  Instant begin;
  Instant end;
};

// The working intervals of local day `day` as UTC instants, in order.
std::vector<Interval> intervals_of(const ZonedCalendar& zc, date::local_days day) {
  std::vector<Interval> out;
  if (is_holiday(zc.calendar, day)) return out;
  const unsigned wd = date::weekday{day}.c_encoding();
  for (const WorkingPeriod& p : zc.calendar.week[wd]) {
    const auto local_begin = date::local_time<Millis>{day} + std::chrono::minutes{p.start_minute};
    const auto local_end = date::local_time<Millis>{day} + std::chrono::minutes{p.end_minute};
    const Instant begin{zc.zone.to_sys(local_begin, date::choose::earliest)};
    const Instant end{zc.zone.to_sys(local_end, date::choose::latest)};
    if (end > begin) out.push_back({begin, end});
  }
  return out;
}

date::local_days local_day_of(const ZonedCalendar& zc, Instant at) {
  return date::floor<date::days>(zc.zone.to_local(at));
}

}  // namespace

std::vector<FieldError> validate_calendar(const BusinessCalendar& calendar) {
  std::vector<FieldError> errors;
  static constexpr const char* kDays[] = {"sunday",   "monday", "tuesday", "wednesday",
                                          "thursday", "friday", "saturday"};
  bool any = false;
  for (std::size_t d = 0; d < 7; ++d) {
    int previous_end = -1;
    for (const WorkingPeriod& p : calendar.week[d]) {
      const std::string field = std::string("working_hours.") + kDays[d];
      if (p.start_minute < 0 || p.end_minute > kMinutesPerDay || p.start_minute >= p.end_minute) {
        errors.push_back({field, "a period must start before it ends, within the day"});
      } else if (p.start_minute < previous_end) {
        errors.push_back(
            {field, "periods must be in order and must not overlap", "periods_overlap"});
      } else {
        any = true;
      }
      previous_end = std::max(previous_end, p.end_minute);
    }
  }
  if (!any && errors.empty()) {
    errors.push_back({"working_hours", "at least one day needs working hours"});
  }
  for (const auto& h : calendar.holidays) {
    if (!h.ok()) errors.push_back({"holidays", "contains an impossible date"});
  }
  if (calendar.time_zone.empty()) errors.push_back(required_field("time_zone"));
  return errors;
}

std::optional<WorkingPeriod> parse_working_period(std::string_view text) {
  auto hm = [](std::string_view s) -> std::optional<int> {
    if (s.size() != 5 || s[2] != ':') return std::nullopt;
    for (std::size_t i : {0U, 1U, 3U, 4U}) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
    }
    const int h = (s[0] - '0') * 10 + (s[1] - '0');
    const int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
    return h * 60 + m;
  };
  if (text.size() != 11 || text[5] != '-') return std::nullopt;
  auto start = hm(text.substr(0, 5));
  auto end = hm(text.substr(6, 5));
  if (!start || !end || *start >= *end || *start == kMinutesPerDay) return std::nullopt;
  return WorkingPeriod{*start, *end};
}

std::string format_working_period(const WorkingPeriod& p) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d-%02d:%02d", p.start_minute / 60,
                p.start_minute % 60, p.end_minute / 60, p.end_minute % 60);
  return buffer;
}

std::optional<Instant> add_business_time(Instant start, Millis duration,
                                         const ZonedCalendar* calendar) {
  if (duration <= Millis{0}) return start;
  if (calendar == nullptr) return start + duration;
  Millis remaining = duration;
  date::local_days day = local_day_of(*calendar, start) - date::days{1};
  for (int i = 0; i < kMaxDays; ++i, day += date::days{1}) {
    for (const Interval& iv : intervals_of(*calendar, day)) {
      if (iv.end <= start) continue;
      const Instant from = std::max(iv.begin, start);
      const Millis available = iv.end - from;
      if (remaining <= available) return from + remaining;
      remaining -= available;
    }
  }
  return std::nullopt;
}

Millis business_time_between(Instant a, Instant b, const ZonedCalendar* calendar) {
  if (b <= a) return Millis{0};
  if (calendar == nullptr) return b - a;
  Millis total{0};
  const date::local_days last = local_day_of(*calendar, b) + date::days{1};
  for (date::local_days day = local_day_of(*calendar, a) - date::days{1}; day <= last;
       day += date::days{1}) {
    for (const Interval& iv : intervals_of(*calendar, day)) {
      const Instant from = std::max(iv.begin, a);
      const Instant to = std::min(iv.end, b);
      if (to > from) total += to - from;
    }
  }
  return total;
}

}  // namespace redress
