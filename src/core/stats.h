// Pure statistics for reports (the management review, issue 5): percentiles of
// durations, Pareto shares, monthly series and their trend. No I/O, so the
// numbers are the same whichever database the inputs came from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace redress::stats {

// The p-th percentile (0 ≤ p ≤ 100) of `values` by linear interpolation between
// the closest ranks on the sorted values: rank h = (n − 1)·p/100, result
// x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) (Hyndman–Fan type 7, the default of
// R, NumPy and Excel's PERCENTILE.INC; Python's statistics.quantiles with
// method="inclusive"). nullopt for no values. `values` need not be sorted.
std::optional<double> percentile(std::vector<double> values, double p);

// One item of a Pareto analysis.
struct ParetoItem {
  std::string key;
  std::int64_t count = 0;
  double share = 0;             // count / total
  double cumulative_share = 0;  // this item's share plus every larger one's
  bool vital_few = false;       // among the items that make up the first 80 %
};

// Sorts (key, count) pairs by count descending (ties by key, so the order is
// stable across databases) and adds shares. The "vital few" are the items
// before the cumulative share first reaches 80 %, plus the one that reaches
// it. Items with a zero count are dropped.
std::vector<ParetoItem> pareto(std::vector<std::pair<std::string, std::int64_t>> counts);

// A calendar month, UTC.
struct Month {
  int year = 0;
  int month = 0;              // 1–12
  std::string label() const;  // "2025-03"
  auto operator<=>(const Month&) const = default;
};

// The month of a day number (days since 1970-01-01, UTC).
Month month_of_day(std::int64_t day);
// The day number of the first day of `m`.
std::int64_t first_day(Month m);
// Every month from the month of `first_day_number` to that of
// `last_day_number`, inclusive, in order (empty when last < first).
std::vector<Month> months_between(std::int64_t first_day_number, std::int64_t last_day_number);

// Least-squares slope of `values` against their index 0, 1, 2, …: the change
// per step (per month for a monthly series). nullopt for fewer than two values.
std::optional<double> trend_slope(const std::vector<double>& values);

// ---- Hotspots (issue 5 item 6) ------------------------------------------------------

// P(X >= k) for X ~ Binomial(n, q), summed in log space over the shorter tail,
// so it stays accurate for the tiny p-values a hotspot test looks for and for
// n in the millions. 1 for k <= 0, 0 for k > n.
double binomial_upper_tail(std::int64_t k, std::int64_t n, double q);

// The exact one-sided test that a count rose: `recent` complaints in a window
// of `recent_days` against `baseline` complaints in the `baseline_days` before
// it. Under "same rate in both windows" the two counts are Poisson, and given
// their sum n the recent one is Binomial(n, recent_days / (recent_days +
// baseline_days)) (the conditional test for two Poisson rates); the p-value is
// that binomial's upper tail at `recent`. Unlike a Poisson test against the
// baseline rate, it needs no special case for an empty baseline.
struct Rise {
  std::string key;
  std::int64_t recent = 0;
  std::int64_t baseline = 0;
  double expected = 0;               // baseline · recent_days / baseline_days
  std::optional<double> rate_ratio;  // recent rate / baseline rate; none for an empty baseline
  double p_value = 1;
  bool flagged = false;  // p_value < alpha, recent >= min_count, recent > expected
};

struct RiseThresholds {
  double alpha = 0.01;         // the p-value below which a rise is significant
  std::int64_t min_count = 5;  // and the fewest recent complaints worth a hotspot
};

// One (key, recent, baseline) count per item.
struct WindowCount {
  std::string key;
  std::int64_t recent = 0;
  std::int64_t baseline = 0;
};

// Tests every item with at least one recent complaint; sorted by p-value, then
// by recent count (descending), then key. recent_days and baseline_days > 0.
std::vector<Rise> rises(const std::vector<WindowCount>& counts, double recent_days,
                        double baseline_days, const RiseThresholds& thresholds);

// ---- Repeats in a department's warning record (issue 5 item 5) ----------------------

// A founded complaint of a warning record.
struct RecordEntry {
  std::int64_t id = 0;
  std::int64_t received_ms = 0;
  std::optional<std::int64_t> customer;  // none once erased
  std::string object_ref;                // "" when none was recorded
};

// Whether an entry repeats an earlier one of the same record.
struct RepeatMark {
  std::optional<std::int64_t> repeat_of;  // id of the latest earlier entry it repeats
  std::string reason;                     // "customer" | "object" | ""
};

// For each entry (in the given order), the latest entry received earlier (by
// received time, then id) within `window_ms` before it that has the same
// customer, or else the same non-empty object reference. Customer matches win
// over object matches. `entries` need not be sorted.
std::vector<RepeatMark> repeats(const std::vector<RecordEntry>& entries, std::int64_t window_ms);

}  // namespace redress::stats
