#include "app/reports.h"

#include <algorithm>
#include <map>

#include "core/lifecycle.h"

namespace redress::app {

std::optional<double> SlaCompliance::rate() const {
  if (met + breached == 0) return std::nullopt;
  return static_cast<double>(met) / static_cast<double>(met + breached);
}

Result<Dashboard> Reports::dashboard(const store::ReadTx& tx, const Actor& actor,
                                     std::optional<Instant> from, std::optional<Instant> to) const {
  if (actor.kind != Actor::Kind::user || actor.roles.empty()) {
    return fail(Error::forbidden("reports are for staff"));
  }
  if (from && to && *from >= *to) return fail(Error::invalid("from", "must be before to"));
  store::ReportScope scope{from, to, std::nullopt, false};
  if (!sees_every_department(actor)) {
    scope.departments = actor.scope;
    scope.include_unrouted = actor.has(Role::supervisor);
  }
  Dashboard d;
  d.from = from;
  d.to = to;
  const auto& reports = tx.reports();
  REDRESS_TRY(const auto tallies, reports.tallies(scope));
  REDRESS_TRY(d.received_per_day, reports.per_day(scope, store::DaySeries::received));
  REDRESS_TRY(d.resolved_per_day, reports.per_day(scope, store::DaySeries::resolved));
  // Sums per value of one dimension over departments, largest first.
  std::map<std::string, std::map<std::string, std::int64_t>> sums;
  for (const store::Tally& t : tallies) {
    const std::string key = t.dimension == "received"
                                ? (t.department == 0 ? "" : std::to_string(t.department))
                                : t.value;
    sums[t.dimension][key] += t.n;
  }
  auto counts = [&](const std::string& dimension) {
    std::vector<store::Count> out;
    for (const auto& [key, n] : sums[dimension]) out.push_back({key, n});
    std::ranges::stable_sort(
        out, [](const store::Count& a, const store::Count& b) { return a.count > b.count; });
    return out;
  };
  d.by_state = counts("state");
  d.by_urgency = counts("urgency");
  d.by_department = counts("received");
  d.by_category = counts("category");
  d.by_channel = counts("channel");
  d.satisfaction = counts("satisfaction");
  for (const auto& c : d.by_state) {
    d.total += c.count;
    const auto state = parse<State>(c.key);
    if (state && !is_terminal(*state)) d.open += c.count;
  }
  std::int64_t ratings = 0, sum = 0;
  for (const auto& c : d.satisfaction) {
    ratings += c.count;
    sum += std::stoll(c.key) * c.count;
  }
  if (ratings > 0) d.satisfaction_average = static_cast<double>(sum) / static_cast<double>(ratings);
  auto compliance = [&](const std::string& dimension) {
    SlaCompliance out;
    out.met = sums[dimension]["met"];
    out.breached = sums[dimension]["breached"];
    out.running = sums[dimension]["running"];
    return out;
  };
  d.first_response = compliance("sla_first_response");
  d.resolution = compliance("sla_resolution");
  return d;
}

}  // namespace redress::app
