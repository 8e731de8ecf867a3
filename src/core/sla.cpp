#include "core/sla.h"

#include "core/lifecycle.h"

namespace redress {

std::vector<FieldError> validate_sla_policy(const SlaPolicy& p) {
  std::vector<FieldError> errors;
  if (p.name.empty()) errors.push_back(required_field("name"));
  if (p.warning_percent < 1 || p.warning_percent > 99) {
    errors.push_back(range_field("warning_percent", 1, 99));
  }
  if (p.director_percent <= 100 || p.director_percent > 10000) {
    errors.push_back({"director_percent", "must be above 100 (a share of the target)"});
  }
  auto positive = [&](const std::optional<Millis>& d, const char* field) {
    if (d && *d <= Millis{0}) errors.push_back({field, "must be a positive duration"});
  };
  positive(p.first_response, "first_response");
  positive(p.resolution, "resolution");
  for (const auto& [state, d] : p.state_targets) {
    if (d <= Millis{0}) {
      errors.push_back({"state_targets." + std::string(to_string(state)), "must be positive"});
    }
    if (is_terminal(state) || state == State::on_hold) {
      errors.push_back({"state_targets." + std::string(to_string(state)),
                        "no clock runs in a terminal or paused state"});
    }
  }
  return errors;
}

std::optional<SlaPolicy> resolve_sla_policy(std::span<const SlaPolicy> policies,
                                            const std::optional<std::string>& category,
                                            std::optional<Urgency> urgency) {
  const SlaPolicy* best = nullptr;
  int best_score = -1;
  for (const SlaPolicy& p : policies) {
    if (p.category && (!category || *p.category != *category)) continue;
    if (p.urgency && (!urgency || *p.urgency != *urgency)) continue;
    const int score = (p.category ? 2 : 0) + (p.urgency ? 1 : 0);
    // Among equals the newest wins: an administrator's policy overrides the
    // seeded default of the same specificity without deleting it.
    if (score > best_score || (score == best_score && best != nullptr && p.id > best->id)) {
      best = &p;
      best_score = score;
    }
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

std::optional<SlaDeadlines> sla_deadlines(Instant start, Millis target, int warning_percent,
                                          int director_percent, const ZonedCalendar* calendar) {
  const auto warn = add_business_time(start, target * warning_percent / 100, calendar);
  const auto due = add_business_time(start, target, calendar);
  const auto director = add_business_time(start, target * director_percent / 100, calendar);
  if (!warn || !due || !director) return std::nullopt;
  return SlaDeadlines{*warn, *due, *director};
}

bool stops_resolution(State s) {
  return s == State::resolved || is_terminal(s);
}

}  // namespace redress
