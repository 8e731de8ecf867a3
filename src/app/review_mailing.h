// The scheduled management review (SPEC §6, issue 5 item 4): every N months
// (six by default) the review of the N full months before goes to each active
// director by e-mail, as a PDF in the director's language. A self-requeuing
// job (kReviewMailJob) queues one outbox row per director; mail delivery
// renders and attaches the PDF (jobs/MailDeliveryHandler with the attachment
// maker the composition root gives it), so a retry re-sends the same period.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "core/time.h"
#include "store/store.h"

namespace redress::app {

// The job kind; payload {"every_months": N} (the schedule it belongs to).
inline constexpr const char* kReviewMailJob = "review.mail";
// The outbox kind of a director's copy; payload {"period_from", "period_to"
// (ISO dates of the period [from, to)), "recipient_name"}: the template's
// variables.
inline constexpr const char* kReviewMailKind = "management_review";

// When the next scheduled review goes out: 06:00 UTC on the first day of a
// month whose number minus one is a multiple of `every_months` (1–12; for six:
// 1 January and 1 July), strictly after `now`.
Instant next_review_mailing(Instant now, int every_months);

// Queues the next mailing unless one is already pending (serve calls it at
// start, so a fresh database gets its schedule); nothing when every_months is
// 0 (the schedule is off). invalid_argument outside 0–12.
Status ensure_review_schedule(store::WriteTx& tx, Instant now, int every_months);

// Queues one copy of the review of [from, to) per active director who has an
// e-mail address, in the director's language; returns how many.
Result<int> queue_review_mail(store::WriteTx& tx, Instant from, Instant to, Instant now);

// The period and language of a management_review outbox row's payload;
// nullopt when the payload is not one.
struct ReviewMailPeriod {
  Instant from, to;
};
std::optional<ReviewMailPeriod> review_mail_period(const nlohmann::json& payload);

}  // namespace redress::app
