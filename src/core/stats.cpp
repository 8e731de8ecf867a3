#include "core/stats.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

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

double binomial_upper_tail(std::int64_t k, std::int64_t n, double q) {
  if (k <= 0) return 1.0;
  if (k > n || q <= 0.0) return 0.0;
  if (q >= 1.0) return 1.0;
  const double nn = static_cast<double>(n);
  const double lq = std::log(q), lr = std::log1p(-q);
  auto log_term = [&](std::int64_t i) {
    const double ii = static_cast<double>(i);
    return std::lgamma(nn + 1) - std::lgamma(ii + 1) - std::lgamma(nn - ii + 1) + ii * lq +
           (nn - ii) * lr;
  };
  // Sum the tail away from the mode: terms shrink geometrically there, so the
  // loop stops once they no longer change the sum.
  const bool upper_is_short = static_cast<double>(k) > nn * q;
  double sum = 0;
  if (upper_is_short) {
    const double first = log_term(k);
    for (std::int64_t i = k; i <= n; ++i) {
      const double t = std::exp(log_term(i) - first);
      sum += t;
      if (t < 1e-17 * sum) break;
    }
    return std::min(1.0, std::exp(first) * sum);
  }
  // P(X >= k) = 1 − P(X <= k − 1), the lower tail summed downwards.
  const double first = log_term(k - 1);
  for (std::int64_t i = k - 1; i >= 0; --i) {
    const double t = std::exp(log_term(i) - first);
    sum += t;
    if (t < 1e-17 * sum) break;
  }
  return std::clamp(1.0 - std::exp(first) * sum, 0.0, 1.0);
}

std::vector<Rise> rises(const std::vector<WindowCount>& counts, double recent_days,
                        double baseline_days, const RiseThresholds& thresholds) {
  std::vector<Rise> out;
  const double q = recent_days / (recent_days + baseline_days);
  for (const WindowCount& c : counts) {
    if (c.recent <= 0) continue;
    Rise r;
    r.key = c.key;
    r.recent = c.recent;
    r.baseline = c.baseline;
    r.expected = static_cast<double>(c.baseline) * recent_days / baseline_days;
    if (c.baseline > 0) r.rate_ratio = static_cast<double>(c.recent) / r.expected;
    r.p_value = binomial_upper_tail(c.recent, c.recent + c.baseline, q);
    r.flagged = r.p_value < thresholds.alpha && c.recent >= thresholds.min_count &&
                static_cast<double>(c.recent) > r.expected;
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const Rise& a, const Rise& b) {
    if (a.p_value != b.p_value) return a.p_value < b.p_value;
    if (a.recent != b.recent) return a.recent > b.recent;
    return a.key < b.key;
  });
  return out;
}

std::vector<RepeatMark> repeats(const std::vector<RecordEntry>& entries, std::int64_t window_ms) {
  std::vector<std::size_t> order(entries.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(entries[a].received_ms, entries[a].id) <
           std::tie(entries[b].received_ms, entries[b].id);
  });
  std::vector<RepeatMark> out(entries.size());
  // The latest entry seen so far per customer and per object (index into entries).
  std::map<std::int64_t, std::size_t> last_customer;
  std::map<std::string, std::size_t> last_object;
  for (std::size_t i : order) {
    const RecordEntry& e = entries[i];
    auto within = [&](std::size_t j) {
      return e.received_ms - entries[j].received_ms <= window_ms;
    };
    if (e.customer) {
      auto it = last_customer.find(*e.customer);
      if (it != last_customer.end() && within(it->second)) {
        out[i] = {entries[it->second].id, "customer"};
      }
      last_customer[*e.customer] = i;
    }
    if (!e.object_ref.empty()) {
      auto it = last_object.find(e.object_ref);
      if (!out[i].repeat_of && it != last_object.end() && within(it->second)) {
        out[i] = {entries[it->second].id, "object"};
      }
      last_object[e.object_ref] = i;
    }
  }
  return out;
}

}  // namespace redress::stats
