// Read-only reports. The dashboard (SPEC §6): counts by state, urgency,
// department, category and channel, intake and resolution per day, and
// satisfaction, over a received-date range, within the caller's scope.
#pragma once

#include <optional>

#include "core/access.h"
#include "store/store.h"

namespace redress::app {

// One SLA clock kind's outcome among the complaints of a dashboard: clocks met
// (stopped before their due time), breached, and still running.
struct SlaCompliance {
  std::int64_t met = 0, breached = 0, running = 0;
  // met / (met + breached); absent while no clock has ended.
  std::optional<double> rate() const;
};

struct Dashboard {
  std::optional<Instant> from, to;
  std::int64_t total = 0;
  std::int64_t open = 0;  // not in a terminal state
  std::vector<store::Count> by_state, by_urgency, by_department, by_category, by_channel;
  std::vector<store::DayCount> received_per_day, resolved_per_day;
  std::vector<store::Count> satisfaction;      // ratings per score
  std::optional<double> satisfaction_average;  // absent when nobody rated
  SlaCompliance first_response, resolution;
};

class Reports {
 public:
  // The dashboard for complaints received in [from, to). Staff only;
  // handlers and supervisors see their department scope. invalid_argument
  // when from is not before to. Read from the maintained report counts, so the
  // cost does not grow with the number of complaints; resolved_per_day counts
  // the resolutions that happened in [from, to), whenever the complaint came in.
  Result<Dashboard> dashboard(const store::ReadTx& tx, const Actor& actor,
                              std::optional<Instant> from, std::optional<Instant> to) const;
};

}  // namespace redress::app
