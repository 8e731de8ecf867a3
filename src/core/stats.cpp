#include "core/stats.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace redress::stats {

std::optional<double> percentile(std::vector<double> values, double p) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  p = std::clamp(p, 0.0, 100.0);
  const double h = static_cast<double>(values.size() - 1) * p / 100.0;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

std::vector<ParetoItem> pareto(std::vector<std::pair<std::string, std::int64_t>> counts) {
  std::erase_if(counts, [](const auto& c) { return c.second <= 0; });
  std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::int64_t total = 0;
  for (const auto& c : counts) total += c.second;
  std::vector<ParetoItem> out;
  std::int64_t running = 0;
  bool reached = false;
  for (auto& [key, count] : counts) {
    running += count;
    ParetoItem item{std::move(key), count, static_cast<double>(count) / static_cast<double>(total),
                    static_cast<double>(running) / static_cast<double>(total), !reached};
    // 80 % in integers, so 4/5 counts as reached without floating-point doubt.
    if (running * 5 >= total * 4) reached = true;
    out.push_back(std::move(item));
  }
  return out;
}

std::string Month::label() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

Month month_of_day(std::int64_t day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month()))};
}

std::int64_t first_day(Month m) {
  const std::chrono::sys_days d = std::chrono::year{m.year} /
                                  std::chrono::month{static_cast<unsigned>(m.month)} /
                                  std::chrono::day{1};
  return d.time_since_epoch().count();
}

std::vector<Month> months_between(std::int64_t first_day_number, std::int64_t last_day_number) {
  std::vector<Month> out;
  if (last_day_number < first_day_number) return out;
  Month m = month_of_day(first_day_number);
  const Month last = month_of_day(last_day_number);
  while (m <= last) {
    out.push_back(m);
    m = m.month == 12 ? Month{m.year + 1, 1} : Month{m.year, m.month + 1};
  }
  return out;
}

std::optional<double> trend_slope(const std::vector<double>& values) {
  const std::size_t n = values.size();
  if (n < 2) return std::nullopt;
  double mean_x = static_cast<double>(n - 1) / 2.0, mean_y = 0;
  for (double v : values) mean_y += v;
  mean_y /= static_cast<double>(n);
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = static_cast<double>(i) - mean_x;
    sxy += dx * (values[i] - mean_y);
    sxx += dx * dx;
  }
  return sxy / sxx;
}

}  // namespace redress::stats
