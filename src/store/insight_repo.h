// Queries behind the department warning records and the hotspots (issue 5
// items 5 and 6, SPEC §6). Every query takes a ReportScope: the received-time
// range and the departments it covers (a warning record's subtree, or the
// caller's department scope); the statistics (repeats, rises) are computed by
// the caller in core/stats, so both SQL dialects only count.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/stats.h"
#include "store/report_repo.h"

namespace redress::store {

// A founded complaint: one entry of its department's warning record.
struct FoundedRow {
  std::int64_t id = 0;
  std::string tracking_code, subject;
  std::int64_t received_ms = 0;
  std::optional<std::int64_t> department_id;
  std::string category, object_ref;  // "" when none
  std::int64_t customer_id = 0;
  std::string urgency, difficulty, state;  // "" when not assessed
  std::optional<int> satisfaction;
  std::optional<std::int64_t> resolved_ms;
};

// A remedy of a complaint's current plan round.
struct RemedyOf {
  std::int64_t complaint_id = 0;
  std::string type;
};

// The three windows of a hotspot test: baseline [baseline_from, recent_from),
// recent [recent_from, to).
struct HotspotWindows {
  Instant baseline_from, recent_from, to;
};

// A complaint of major impact (urgent, or judged difficult).
struct MajorRow {
  std::int64_t id = 0;
  std::string tracking_code, subject, category, state, urgency, difficulty;
  std::optional<std::int64_t> department_id;
  Instant received_at;
};

// A customer or object with two or more complaints.
struct RepeatGroup {
  std::string key;    // customer id, or the object reference
  std::string label;  // customer name, or the object reference
  std::int64_t count = 0;
};

class InsightRepo {
 public:
  explicit InsightRepo(SqlSession& s) : s_(s) {}
  // Founded complaints (kind complaint) received within the scope, by received
  // time then id. Unrouted ones only when the scope has no department list.
  Result<std::vector<FoundedRow>> founded(const ReportScope& scope) const;
  // The remedies of the current plan round of the same complaints.
  Result<std::vector<RemedyOf>> founded_remedies(const ReportScope& scope) const;
  // Complaints per object reference (non-empty) in the recent and baseline
  // windows, for the objects with at least `min_recent` recent complaints (the
  // others cannot be flagged, and at a million complaints most objects are
  // one-offs: counting them all costs seconds).
  Result<std::vector<stats::WindowCount>> object_counts(const ReportScope& scope,
                                                        const HotspotWindows& w,
                                                        std::int64_t min_recent) const;
  // Root causes per family and description (key "family\x1f description") of
  // the complaints received in the windows, for the causes with at least
  // `min_recent` in the recent window.
  Result<std::vector<stats::WindowCount>> cause_counts(const ReportScope& scope,
                                                       const HotspotWindows& w,
                                                       std::int64_t min_recent) const;
  // Customers (by_customer) or object references with two or more complaints
  // received within the scope, largest first.
  Result<std::vector<RepeatGroup>> repeat_groups(const ReportScope& scope, bool by_customer) const;
  // How many complaints of major impact were received within the scope, and
  // the first `limit` of them by received time.
  Result<std::int64_t> major_count(const ReportScope& scope) const;
  Result<std::vector<MajorRow>> major(const ReportScope& scope, int limit) const;

 private:
  SqlSession& s_;
};

}  // namespace redress::store
