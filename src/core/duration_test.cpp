#include "core/duration.h"

#include <gtest/gtest.h>

namespace redress {
namespace {

using namespace std::chrono;

TEST(Duration, ParsesFixedUnits) {
  struct Case {
    const char* text;
    Millis expected;
  } cases[] = {
      {"PT3S", seconds{3}},     {"PT24H", hours{24}},
      {"PT1H30M", minutes{90}}, {"P2D", days{2}},
      {"P1W", weeks{1}},        {"P1DT2H3M4S", days{1} + hours{2} + minutes{3} + seconds{4}},
      {"PT0.5S", Millis{500}},  {"PT1,250S", Millis{1250}},
      {"PT0S", Millis{0}},      {"PT90M", minutes{90}},
  };
  for (const auto& c : cases) {
    auto d = parse_iso8601_duration(c.text);
    ASSERT_TRUE(d.has_value()) << c.text;
    EXPECT_EQ(*d, c.expected) << c.text;
  }
}

TEST(Duration, RefusesCalendarUnitsAndJunk) {
  for (const char* bad : {"", "P", "PT", "P1Y", "P1M", "PT1D", "P1H", "P1DT", "-PT1S", "PT1.S",
                          "PT1.5M", "PT1M1H", "P1D1W", "PT1S ", "pt1s", "P1DTT1H", "PTS"}) {
    EXPECT_FALSE(parse_iso8601_duration(bad).has_value()) << bad;
  }
}

TEST(Duration, FormatsCanonically) {
  EXPECT_EQ(format_iso8601_duration(seconds{3}), "PT3S");
  EXPECT_EQ(format_iso8601_duration(hours{26}), "P1DT2H");
  EXPECT_EQ(format_iso8601_duration(Millis{1500}), "PT1.500S");
  EXPECT_EQ(format_iso8601_duration(Millis{0}), "PT0S");
  EXPECT_EQ(format_iso8601_duration(days{2}), "P2D");
  for (const char* text : {"PT3S", "P1DT2H", "PT1H30M", "P3DT4M5S"}) {
    EXPECT_EQ(format_iso8601_duration(*parse_iso8601_duration(text)), text);
  }
}

// Found by fuzz/time.cpp: "P2222222222W" parsed (42 million years), formatted as
// "P15555555554D", which no longer parsed; an SLA target that long would also have sent
// add_business_time day by day through a calendar for ages. Durations are capped.
TEST(Duration, RefusesDurationsBeyondTenYearsAndRoundTripsTheLongest) {
  EXPECT_FALSE(parse_iso8601_duration("P2222222222W"));
  EXPECT_FALSE(parse_iso8601_duration("P3651D"));
  EXPECT_FALSE(parse_iso8601_duration("P3650DT0.001S"));
  auto longest = parse_iso8601_duration("P3650D");
  ASSERT_TRUE(longest);
  EXPECT_EQ(*longest, kMaxDuration);
  EXPECT_EQ(parse_iso8601_duration(format_iso8601_duration(kMaxDuration)), kMaxDuration);
}

}  // namespace
}  // namespace redress
