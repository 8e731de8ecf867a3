// When the scheduled management review goes out, and which period it covers;
// the mailing itself (job, outbox, PDF over SMTP) is tests/api/test_review_mail.py.
#include "app/review_mailing.h"

#include <gtest/gtest.h>

#include "app/review.h"

namespace redress::app {
namespace {

Instant at(const char* iso) {
  return *parse_iso8601(iso);
}

TEST(ReviewSchedule, SixMonthlyOnTheFirstOfJanuaryAndJuly) {
  EXPECT_EQ(next_review_mailing(at("2026-11-23T10:00:00Z"), 6), at("2027-01-01T06:00:00Z"));
  EXPECT_EQ(next_review_mailing(at("2026-01-01T05:59:59Z"), 6), at("2026-01-01T06:00:00Z"));
  // Strictly after: the mailing that is running now schedules the next one.
  EXPECT_EQ(next_review_mailing(at("2026-07-01T06:00:00Z"), 6), at("2027-01-01T06:00:00Z"));
  EXPECT_EQ(next_review_mailing(at("2026-02-10T00:00:00Z"), 6), at("2026-07-01T06:00:00Z"));
}

TEST(ReviewSchedule, OtherCadences) {
  EXPECT_EQ(next_review_mailing(at("2026-02-10T00:00:00Z"), 3), at("2026-04-01T06:00:00Z"));
  EXPECT_EQ(next_review_mailing(at("2026-12-31T23:00:00Z"), 1), at("2027-01-01T06:00:00Z"));
  EXPECT_EQ(next_review_mailing(at("2026-01-05T00:00:00Z"), 12), at("2027-01-01T06:00:00Z"));
  EXPECT_EQ(next_review_mailing(at("2026-05-05T00:00:00Z"), 4), at("2026-09-01T06:00:00Z"));
}

TEST(ReviewSchedule, PeriodIsTheFullMonthsBeforeTheRun) {
  const auto [from, to] = ManagementReview::default_period(at("2026-07-01T06:00:00Z"), 6);
  EXPECT_EQ(from, at("2026-01-01T00:00:00Z"));
  EXPECT_EQ(to, at("2026-07-01T00:00:00Z"));
  const auto [q_from, q_to] = ManagementReview::default_period(at("2026-01-01T06:00:00Z"), 3);
  EXPECT_EQ(q_from, at("2025-10-01T00:00:00Z"));
  EXPECT_EQ(q_to, at("2026-01-01T00:00:00Z"));
}

TEST(ReviewSchedule, PayloadPeriodIsReadBack) {
  auto p = review_mail_period({{"period_from", "2026-01-01"}, {"period_to", "2026-07-01"}});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->from, at("2026-01-01T00:00:00Z"));
  EXPECT_EQ(p->to, at("2026-07-01T00:00:00Z"));
  EXPECT_FALSE(
      review_mail_period({{"period_from", "2026-07-01"}, {"period_to", "2026-01-01"}}).has_value());
  EXPECT_FALSE(review_mail_period({{"period_from", "2026-01-01"}}).has_value());
  EXPECT_FALSE(review_mail_period(nlohmann::json::array()).has_value());
}

}  // namespace
}  // namespace redress::app
