#include "core/calendar.h"

#include <date/tz.h>
#include <gtest/gtest.h>

#include "core/sla.h"

namespace redress {
namespace {

using namespace std::chrono;

Instant at(const char* iso) {
  auto t = parse_iso8601(iso);
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(Instant{});
}

// Monday to Friday 09:00-17:00 (with a lunch break 12:00-13:00 when asked).
BusinessCalendar office(std::string zone, bool lunch = false) {
  BusinessCalendar c;
  c.time_zone = std::move(zone);
  for (int d = 1; d <= 5; ++d) {
    if (lunch) {
      c.week[d] = {{9 * 60, 12 * 60}, {13 * 60, 17 * 60}};
    } else {
      c.week[d] = {{9 * 60, 17 * 60}};
    }
  }
  return c;
}

struct AddCase {
  const char* name;
  const char* start;
  Millis duration;
  const char* expected;
};

void run_add_cases(const BusinessCalendar& cal, std::initializer_list<AddCase> cases) {
  const date::time_zone* zone = date::locate_zone(cal.time_zone);
  ZonedCalendar zc{cal, *zone};
  for (const AddCase& c : cases) {
    auto got = add_business_time(at(c.start), c.duration, &zc);
    ASSERT_TRUE(got.has_value()) << c.name;
    EXPECT_EQ(format_iso8601(*got), format_iso8601(at(c.expected))) << c.name;
    // The inverse: the working time between start and the result is the duration.
    EXPECT_EQ(business_time_between(at(c.start), *got, &zc), c.duration) << c.name;
  }
}

TEST(Calendar, AroundTheClockWithoutCalendar) {
  EXPECT_EQ(add_business_time(at("2026-03-28T23:00:00Z"), hours{5}, nullptr),
            at("2026-03-29T04:00:00Z"));
  EXPECT_EQ(business_time_between(at("2026-03-28T23:00:00Z"), at("2026-03-29T04:00:00Z"), nullptr),
            hours{5});
  EXPECT_EQ(business_time_between(at("2026-03-29T04:00:00Z"), at("2026-03-28T23:00:00Z"), nullptr),
            Millis{0});
}

TEST(Calendar, OfficeHoursInUtc) {
  // 2026-03-06 is a Friday.
  run_add_cases(
      office("UTC"),
      {
          {"within the day", "2026-03-06T10:00:00Z", hours{2}, "2026-03-06T12:00:00Z"},
          {"before opening", "2026-03-06T06:00:00Z", hours{1}, "2026-03-06T10:00:00Z"},
          {"over the weekend", "2026-03-06T16:00:00Z", hours{2}, "2026-03-09T10:00:00Z"},
          {"started on Saturday", "2026-03-07T12:00:00Z", hours{8}, "2026-03-09T17:00:00Z"},
          {"exactly to closing", "2026-03-06T09:00:00Z", hours{8}, "2026-03-06T17:00:00Z"},
          {"24 working hours", "2026-03-06T09:00:00Z", hours{24}, "2026-03-10T17:00:00Z"},
          {"seconds", "2026-03-06T16:59:58Z", seconds{3}, "2026-03-09T09:00:01Z"},
      });
}

TEST(Calendar, LunchBreak) {
  run_add_cases(
      office("UTC", true),
      {
          {"across lunch", "2026-03-06T11:30:00Z", hours{1}, "2026-03-06T13:30:00Z"},
          {"started at lunch", "2026-03-06T12:15:00Z", minutes{30}, "2026-03-06T13:30:00Z"},
      });
}

TEST(Calendar, Holidays) {
  BusinessCalendar cal = office("UTC");
  cal.holidays = {year{2026} / 12 / 25, year{2026} / 12 / 28};  // Friday and the next Monday
  run_add_cases(
      cal, {
               {"skips Christmas and the next Monday", "2026-12-24T16:00:00Z", hours{2},
                "2026-12-29T10:00:00Z"},
               {"started on a holiday", "2026-12-25T10:00:00Z", hours{1}, "2026-12-29T10:00:00Z"},
           });
}

TEST(Calendar, TimeZones) {
  // 09:00 in Ho Chi Minh City (UTC+7) is 02:00Z; in New York in March (EDT) 13:00Z.
  run_add_cases(office("Asia/Ho_Chi_Minh"),
                {
                    {"Friday evening UTC is Saturday there", "2026-03-06T18:00:00Z", hours{1},
                     "2026-03-09T03:00:00Z"},
                });
  run_add_cases(office("America/New_York"),
                {
                    {"EDT after 8 March", "2026-03-09T12:00:00Z", hours{1}, "2026-03-09T14:00:00Z"},
                    {"EST before", "2026-03-06T13:30:00Z", hours{1}, "2026-03-06T15:00:00Z"},
                    {"across the change", "2026-03-06T21:30:00Z", hours{1}, "2026-03-09T13:30:00Z"},
                });
}

TEST(Calendar, DaylightSavingChangesInParis) {
  // A night shift on Sundays 01:00-05:00 Paris time. On 29 March 2026 02:00
  // does not exist (clocks jump to 03:00): the shift lasts 3 hours. On 25
  // October 2026 02:00-03:00 happens twice: the shift lasts 5 hours.
  BusinessCalendar cal;
  cal.time_zone = "Europe/Paris";
  cal.week[0] = {{60, 300}};
  const date::time_zone* zone = date::locate_zone(cal.time_zone);
  ZonedCalendar zc{cal, *zone};
  EXPECT_EQ(business_time_between(at("2026-03-28T00:00:00Z"), at("2026-03-30T00:00:00Z"), &zc),
            hours{3});
  EXPECT_EQ(business_time_between(at("2026-10-24T00:00:00Z"), at("2026-10-26T00:00:00Z"), &zc),
            hours{5});
  EXPECT_EQ(business_time_between(at("2026-03-21T00:00:00Z"), at("2026-03-23T00:00:00Z"), &zc),
            hours{4});
  run_add_cases(cal, {
                         // 01:00 CET = 00:00Z; 05:00 CEST = 03:00Z.
                         {"spring forward: the shift ends at 03:00Z", "2026-03-28T12:00:00Z",
                          hours{3}, "2026-03-29T03:00:00Z"},
                         {"spring forward: an hour more goes to next Sunday",
                          "2026-03-28T12:00:00Z", hours{4}, "2026-04-05T00:00:00Z"},
                         // 01:00 CEST = 23:00Z the day before; 05:00 CET = 04:00Z.
                         {"fall back: the shift has five hours", "2026-10-24T12:00:00Z", hours{5},
                          "2026-10-25T04:00:00Z"},
                     });
  // Office hours across the spring change: Friday 16:00 CET + 2 h = Monday 10:00 CEST.
  run_add_cases(office("Europe/Paris"), {
                                            {"Friday to Monday across DST", "2026-03-27T15:00:00Z",
                                             hours{2}, "2026-03-30T08:00:00Z"},
                                        });
}

TEST(Calendar, ValidatesPeriods) {
  BusinessCalendar empty;
  EXPECT_FALSE(validate_calendar(empty).empty());
  BusinessCalendar overlap = office("UTC");
  overlap.week[1] = {{600, 700}, {650, 800}};
  EXPECT_FALSE(validate_calendar(overlap).empty());
  EXPECT_TRUE(validate_calendar(office("UTC", true)).empty());
  EXPECT_EQ(parse_working_period("09:00-17:30"), (WorkingPeriod{540, 1050}));
  EXPECT_EQ(parse_working_period("00:00-24:00"), (WorkingPeriod{0, 1440}));
  for (const char* bad :
       {"17:00-09:00", "9:00-17:00", "09:00-24:01", "09:60-10:00", "24:00-24:00", "09:00 17:00"}) {
    EXPECT_FALSE(parse_working_period(bad).has_value()) << bad;
  }
  EXPECT_EQ(format_working_period({540, 1050}), "09:00-17:30");
}

TEST(Sla, DeadlinesOnACalendar) {
  BusinessCalendar cal = office("UTC");
  ZonedCalendar zc{cal, *date::locate_zone("UTC")};
  // 10 working hours from Friday 09:00: warn at 80 % (8 h), due Monday 11:00,
  // director at 200 % (20 h) Tuesday 13:00.
  auto d = sla_deadlines(at("2026-03-06T09:00:00Z"), hours{10}, 80, 200, &zc);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->warn_at, at("2026-03-06T17:00:00Z"));
  EXPECT_EQ(d->due_at, at("2026-03-09T11:00:00Z"));
  EXPECT_EQ(d->director_at, at("2026-03-10T13:00:00Z"));
  auto plain = sla_deadlines(at("2026-03-06T09:00:00Z"), seconds{3}, 50, 200, nullptr);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->warn_at, at("2026-03-06T09:00:01.500Z"));
  EXPECT_EQ(plain->due_at, at("2026-03-06T09:00:03Z"));
}

TEST(Sla, MostSpecificPolicyWins) {
  std::vector<SlaPolicy> policies(4);
  policies[0].id = 1;  // default
  policies[1].id = 2;
  policies[1].urgency = Urgency::urgent;
  policies[2].id = 3;
  policies[2].category = "billing";
  policies[3].id = 4;
  policies[3].category = "billing";
  policies[3].urgency = Urgency::urgent;
  EXPECT_EQ(resolve_sla_policy(policies, std::nullopt, std::nullopt)->id, 1);
  EXPECT_EQ(resolve_sla_policy(policies, std::nullopt, Urgency::urgent)->id, 2);
  EXPECT_EQ(resolve_sla_policy(policies, std::string("billing"), Urgency::general)->id, 3);
  EXPECT_EQ(resolve_sla_policy(policies, std::string("billing"), Urgency::urgent)->id, 4);
  // Among equally specific policies the newest wins (it overrides a seeded default).
  std::vector<SlaPolicy> twins(2);
  twins[0].id = 1;
  twins[1].id = 7;
  EXPECT_EQ(resolve_sla_policy(twins, std::nullopt, Urgency::general)->id, 7);
  std::swap(twins[0], twins[1]);
  EXPECT_EQ(resolve_sla_policy(twins, std::nullopt, Urgency::general)->id, 7);
  EXPECT_FALSE(resolve_sla_policy(std::span<const SlaPolicy>(policies).subspan(1), std::nullopt,
                                  Urgency::general)
                   .has_value());
  SlaPolicy bad;
  bad.warning_percent = 120;
  bad.first_response = Millis{-1};
  EXPECT_EQ(validate_sla_policy(bad).size(), 3U);  // name, warning_percent, first_response
}

}  // namespace
}  // namespace redress
