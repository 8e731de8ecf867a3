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

}  // namespace redress::stats
