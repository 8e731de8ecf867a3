#include "core/time.h"

#include <gtest/gtest.h>

namespace redress {
namespace {

TEST(Time, FormatAndParseRoundTrip) {
  const auto t = parse_iso8601("2026-11-22T09:30:15.250Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_iso8601(*t), "2026-11-22T09:30:15.250Z");
  EXPECT_EQ(format_iso8601(from_epoch_ms(0)), "1970-01-01T00:00:00.000Z");
}

TEST(Time, OffsetsAndDates) {
  EXPECT_EQ(parse_iso8601("2026-11-22T10:30:00+01:00"), parse_iso8601("2026-11-22T09:30:00Z"));
  EXPECT_EQ(parse_iso8601("2026-11-22T04:00-05:30"), parse_iso8601("2026-11-22T09:30:00Z"));
  EXPECT_EQ(parse_iso8601("2026-11-22"), parse_iso8601("2026-11-22T00:00:00Z"));
}

TEST(Time, RejectsBadInput) {
  for (const char* bad : {"", "2026-02-30", "2026-11-22T25:00Z", "2026-11-22T10:00", "22/11/2026",
                          "2026-11-22T10:00:00Zjunk", "2026-1-2"}) {
    EXPECT_FALSE(parse_iso8601(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace redress
