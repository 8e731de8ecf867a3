#include "app/review_mailing.h"

#include <algorithm>

#include "app/admin.h"
#include "app/review.h"
#include "core/stats.h"

namespace redress::app {
namespace {

using Json = nlohmann::json;
constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kSendHourMs =
    std::int64_t{6} * 3'600'000;  // 06:00 UTC: before the working day

stats::Month next_month(stats::Month m) {
  return m.month == 12 ? stats::Month{m.year + 1, 1} : stats::Month{m.year, m.month + 1};
}

std::string iso_date(Instant at) {
  return format_iso8601(at).substr(0, 10);
}

}  // namespace

Instant next_review_mailing(Instant now, int every_months) {
  every_months = std::clamp(every_months, 1, 12);
  const std::int64_t ms = to_epoch_ms(now);
  const std::int64_t today = ms / kDayMs - (ms % kDayMs < 0 ? 1 : 0);
  stats::Month m = stats::month_of_day(today);
  // At most every_months + 1 steps: one month of every cycle qualifies.
  for (;;) {
    const std::int64_t at = stats::first_day(m) * kDayMs + kSendHourMs;
    if (at > ms && (m.month - 1) % every_months == 0) return from_epoch_ms(at);
    m = next_month(m);
  }
}

Status ensure_review_schedule(store::WriteTx& tx, Instant now, int every_months) {
  if (every_months < 0 || every_months > 12) {
    return fail(Error::invalid("review_every_months", "must be between 0 (off) and 12"));
  }
  REDRESS_TRY(auto pending, tx.jobs().pending_count(kReviewMailJob));
  if (pending > 0 || every_months == 0) return {};
  REDRESS_TRY(auto id,
              tx.jobs().enqueue(kReviewMailJob, Json{{"every_months", every_months}}.dump(),
                                next_review_mailing(now, every_months), now));
  (void)id;
  return {};
}

Result<int> queue_review_mail(store::WriteTx& tx, Instant from, Instant to, Instant now) {
  REDRESS_TRY(auto directors, active_directors(tx));
  int queued = 0;
  for (const User& u : directors) {
    if (u.email.empty()) continue;
    const Json payload{{"period_from", iso_date(from)},
                       {"period_to", iso_date(to)},
                       {"recipient_name", u.display_name}};
    store::OutboxMessage m{0,          kReviewMailKind, std::nullopt, "user:" + u.username,
                           u.language, payload.dump(),  now,          std::nullopt};
    REDRESS_TRY(auto id, tx.outbox().enqueue(m));
    (void)id;
    ++queued;
  }
  return queued;
}

std::optional<ReviewMailPeriod> review_mail_period(const Json& payload) {
  if (!payload.is_object()) return std::nullopt;
  const auto from = payload.find("period_from");
  const auto to = payload.find("period_to");
  if (from == payload.end() || to == payload.end() || !from->is_string() || !to->is_string()) {
    return std::nullopt;
  }
  auto f = parse_iso8601(from->get<std::string>());
  auto t = parse_iso8601(to->get<std::string>());
  if (!f || !t || *f >= *t) return std::nullopt;
  return ReviewMailPeriod{*f, *t};
}

}  // namespace redress::app
