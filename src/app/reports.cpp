#include "app/reports.h"

#include "core/lifecycle.h"

namespace redress::app {

Result<Dashboard> Reports::dashboard(const store::ReadTx& tx, const Actor& actor,
                                     std::optional<Instant> from, std::optional<Instant> to) const {
  if (actor.kind != Actor::Kind::user || actor.roles.empty()) {
    return fail(Error::forbidden("reports are for staff"));
  }
  if (from && to && *from >= *to) return fail(Error::invalid("from", "must be before to"));
  store::ReportScope scope{from, to, std::nullopt, false};
  bool sees_all = actor.wide_scope;
  for (Role r : kOrganisationWideRoles.members()) sees_all = sees_all || actor.has(r);
  if (!sees_all) {
    scope.departments = actor.scope;
    scope.include_unrouted = actor.has(Role::supervisor);
  }
  Dashboard d;
  d.from = from;
  d.to = to;
  const auto& reports = tx.reports();
  REDRESS_TRY(d.by_state, reports.count_by(store::GroupColumn::state, scope));
  REDRESS_TRY(d.by_urgency, reports.count_by(store::GroupColumn::urgency, scope));
  REDRESS_TRY(d.by_department, reports.count_by(store::GroupColumn::department, scope));
  REDRESS_TRY(d.by_category, reports.count_by(store::GroupColumn::category, scope));
  REDRESS_TRY(d.by_channel, reports.count_by(store::GroupColumn::channel, scope));
  REDRESS_TRY(d.received_per_day, reports.received_per_day(scope));
  REDRESS_TRY(d.resolved_per_day, reports.resolved_per_day(scope));
  REDRESS_TRY(d.satisfaction, reports.satisfaction_scores(scope));
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
  return d;
}

}  // namespace redress::app
