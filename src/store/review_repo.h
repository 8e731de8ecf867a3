// Queries behind the management-review report (issue 5 item 4) and the
// training needs (item 7). Organisation-wide: the review is for directors,
// so there is no department scope. Each query covers the complaints received
// in [from, to); rows that belong to a complaint (causes, remedies, clocks,
// accountability, improvement actions) follow their complaint. Every
// statistic beyond counting and summing is left to the caller, so the two
// SQL dialects only ever agree on integers and sums.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "store/sql.h"

namespace redress::store {

struct ReviewPeriod {
  Instant from;  // received_at >= from
  Instant to;    // received_at < to
};

// Causes recorded on the period's complaints, by fishbone family and description.
struct CauseCount {
  std::string family;
  std::string description;
  std::int64_t count = 0;
};

// Remedies of the plan that was carried out (the complaint's current plan
// round, once the complaint reached implementing or a later handled state).
struct RemedyTotal {
  std::string type;
  std::string currency;  // empty when no amount was given
  std::int64_t count = 0;
  std::int64_t with_amount = 0;
  double amount = 0;  // sum of the amounts given
};

// One SLA clock of a period's complaint: what the caller needs for durations
// and compliance.
struct ClockRow {
  std::string kind;  // first_response | resolution
  Instant started_at;
  std::optional<Instant> stopped_at;
  std::int64_t paused_ms = 0;
  Instant due_at;
  std::optional<Instant> breached_at;
};

// Satisfaction ratings by the day the complaint was received, and score.
struct DayScoreCount {
  std::int64_t day = 0;
  int score = 0;
  std::int64_t count = 0;
};

// Counts over the period's complaints. All but with_lessons come from one pass
// over the covering received-time index (migration 0024), without a sort.
struct PeriodCounts {
  std::int64_t total = 0;
  std::int64_t complaints = 0, suggestions = 0, compliments = 0;  // by kind
  std::int64_t founded = 0, unfounded = 0, pending = 0;           // by validity
  std::int64_t reopened = 0;  // complaints reopened at least once
  std::int64_t appealed = 0;  // complaints appealed at least once
  std::int64_t rejected = 0;  // complaints rejected as unfounded at some point (or appealed)
  std::int64_t major = 0;     // urgent or difficult (core/lifecycle.h is_major)
  std::int64_t with_lessons = 0;
};

struct AccountabilityTotal {
  std::string kind;  // finding | delay
  std::int64_t count = 0;
  std::int64_t confirmed = 0;
  std::int64_t with_sanction = 0;
  double loss = 0;
};

struct AccountabilityRow {
  std::string tracking_code;
  std::optional<std::int64_t> department_id;
  std::string kind, subject, finding, sanction;
  std::optional<double> loss_amount;
  bool confirmed = false;
};

// A customer or an object with two or more complaints in the period.
struct RecurringGroup {
  std::string key;    // customer id, or object reference
  std::string label;  // customer name, or the object reference again
  std::int64_t count = 0;
};

// The customers (or objects) with two or more complaints in the period.
struct RecurringSummary {
  std::int64_t groups = 0;          // how many customers (objects) recur
  std::int64_t complaints = 0;      // their complaints in the period
  std::vector<RecurringGroup> top;  // the largest groups, largest first, ties by key
};

struct Recurring {
  RecurringSummary customers, objects;
};

// A complaint of major impact (core/lifecycle.h is_major: urgent or difficult).
struct InfluentialRow {
  std::int64_t id = 0;
  std::string tracking_code, subject, category, state, urgency, difficulty;
  std::optional<std::int64_t> department_id;
  Instant received_at;
};

struct ImprovementRow {
  std::string tracking_code;
  std::optional<std::int64_t> department_id;
  std::string title, owner, status;
  std::optional<Instant> due_at;
};

// A training-need group: a department and a topic (cause description, or the
// category of service-attitude complaints).
struct TrainingRow {
  std::optional<std::int64_t> department_id;
  std::string source;  // people_cause | service_attitude
  std::string topic;
  std::int64_t count = 0;
};

class ReviewRepo {
 public:
  explicit ReviewRepo(SqlSession& s) : s_(s) {}
  Result<std::vector<CauseCount>> causes(const ReviewPeriod& p) const;
  Result<std::vector<RemedyTotal>> granted_remedies(const ReviewPeriod& p) const;
  // (received_at, resolved_at) in milliseconds since the epoch, for resolved complaints.
  Result<std::vector<std::pair<std::int64_t, std::int64_t>>> resolutions(
      const ReviewPeriod& p) const;
  // First-response and resolution clocks.
  Result<std::vector<ClockRow>> clocks(const ReviewPeriod& p) const;
  Result<std::vector<DayScoreCount>> satisfaction_by_day(const ReviewPeriod& p) const;
  Result<PeriodCounts> counts(const ReviewPeriod& p) const;
  Result<std::vector<AccountabilityTotal>> accountability_totals(const ReviewPeriod& p) const;
  // The largest losses first, at most `limit`.
  Result<std::vector<AccountabilityRow>> accountability_entries(const ReviewPeriod& p,
                                                                int limit) const;
  // Customers and objects (non-empty references) with two or more complaints
  // in the period; `top` holds at most `limit` of each. Counted here from one
  // read of the period's (customer, object) pairs rather than by two SQL GROUP
  // BYs, which sorted a quarter of a million index entries each and cost twice
  // as much at a million complaints. Only the top customers' names are read.
  Result<Recurring> recurring(const ReviewPeriod& p, int limit) const;
  // The first `limit` major complaints by received time (their count is in
  // PeriodCounts::major).
  Result<std::vector<InfluentialRow>> influential(const ReviewPeriod& p, int limit) const;
  Result<std::vector<ImprovementRow>> improvement_actions(const ReviewPeriod& p) const;
  // Causes of the people family, and complaints whose category is
  // `attitude_category` or one of its sub-categories, by department and topic.
  Result<std::vector<TrainingRow>> training_needs(const ReviewPeriod& p,
                                                  const std::string& attitude_category) const;
  // The data of the `imported` events of the period's complaints (JSON text:
  // the source's outcome, timeliness and dispute flag).
  Result<std::vector<std::string>> imported_facts(const ReviewPeriod& p) const;

 private:
  SqlSession& s_;
};

}  // namespace redress::store
