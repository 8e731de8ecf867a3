// Department warning records, hotspots and the board report (SPEC §6, issue 5
// items 5 and 6; docs/reports.md). Each builds one JSON document from the
// store's counts and core/stats' tests, like the management review, so the
// API, the CLI and the board PDF draw the same figures.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "core/access.h"
#include "core/stats.h"
#include "store/store.h"

namespace redress::app {

// The configurable thresholds (server and CLI flags --hotspot-*, --repeat-window-days).
struct InsightOptions {
  int recent_days = 30;              // default recent window of the hotspot test, ending now
  int baseline_days = 180;           // the baseline: this many days before the recent window
  stats::RiseThresholds thresholds;  // p-value below 0.01 and at least 5 recent complaints
  int repeat_window_days = 90;       // a founded complaint repeats one at most this many days older
  int list_limit = 50;               // longest list per section
};

class Insight {
 public:
  Insight(const Clock& clock, InsightOptions options) : clock_(clock), options_(options) {}

  // Directors, QA and administrators (and the system): organisation-wide
  // comparisons (the ranking, the board report).
  static Status require_organisation_reader(const Actor& actor);

  // The warning record of `department` and its sub-departments: every founded
  // complaint received in [from, to), with severity, repeat flag and outcome,
  // counts and the monthly trend. Readers: as above, plus the supervisors
  // whose department scope holds `department`. not_found for an unknown
  // department, invalid_argument when from is not before to.
  Result<nlohmann::json> warning_record(const store::ReadTx& tx, const Actor& actor,
                                        DepartmentId department, Instant from, Instant to) const;

  // Every department ranked by its founded complaints in [from, to) (each
  // complaint under the department it is routed to, no roll-up).
  Result<nlohmann::json> warning_ranking(const store::ReadTx& tx, const Actor& actor, Instant from,
                                         Instant to) const;

  // The hotspot test over the recent window [from, to) (defaults: to = the
  // end of today, UTC; from = to − recent_days) against the baseline_days before it, within the
  // caller's department scope (staff only, scoped like the dashboard).
  // Categories come from the maintained report counts; `full` adds objects
  // and root causes (read from the window's complaints) and the recurring and
  // influential complaints. The dashboard asks without them, to stay fast.
  Result<nlohmann::json> hotspots(const store::ReadTx& tx, const Actor& actor,
                                  std::optional<Instant> from, std::optional<Instant> to,
                                  bool full = true) const;

  // The board report: the flagged hotspots, influential and recurring
  // complaints and the departments with the most founded complaints over the
  // recent window, organisation-wide, in `language` (one of the six).
  Result<nlohmann::json> board(const store::ReadTx& tx, const Actor& actor,
                               std::optional<Instant> from, std::optional<Instant> to,
                               const std::string& language) const;

  const InsightOptions& options() const { return options_; }

 private:
  const Clock& clock_;
  InsightOptions options_;
};

}  // namespace redress::app
