#include "core/policy.h"

namespace redress {

Policy resolve_policy(std::span<const Policy> policies, const std::optional<std::string>& category,
                      std::optional<Urgency> urgency) {
  const Policy* best = nullptr;
  int best_score = -1;
  for (const Policy& p : policies) {
    if (p.category && (!category || *p.category != *category)) continue;
    if (p.urgency && (!urgency || *p.urgency != *urgency)) continue;
    const int score = (p.category ? 2 : 0) + (p.urgency ? 1 : 0);
    if (score > best_score) {
      best = &p;
      best_score = score;
    }
  }
  return best ? *best : Policy{};
}

bool director_required(const Policy& policy, Urgency urgency, double total_compensation) {
  if (policy.director_for_urgent && urgency == Urgency::urgent) return true;
  return policy.director_compensation_threshold &&
         total_compensation > *policy.director_compensation_threshold;
}

}  // namespace redress
