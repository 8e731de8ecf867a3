// Policies switch the optional steps of SPEC §2 on or off per category and
// urgency. They never skip a record: the app writes a timeline event naming
// the policy for every step it passes straight through.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "core/enums.h"

namespace redress {

struct Policy {
  std::int64_t id = 0;
  std::string name = "default";
  std::optional<std::string> category;  // applies to this category code only
  std::optional<Urgency> urgency;       // applies to this urgency only
  bool supervisor_approval = true;      // plan_review needs a supervisor's approval
  bool director_for_urgent = true;      // urgent complaints also need a director's guidance
  std::optional<double> director_compensation_threshold = 1000.0;  // above it a director decides
  bool customer_agreement = true;  // the approved plan is put to the customer
  bool qa_verification = true;     // QA verifies the result
  int reopen_window_days = 30;     // a resolved complaint may be reopened this long
  int appeal_window_days = 30;     // a rejection may be appealed this long
};

// The policy that governs a complaint: the most specific match wins
// (category and urgency > category > urgency > neither). Falls back to
// `Policy{}` (all steps on) when nothing matches.
Policy resolve_policy(std::span<const Policy> policies, const std::optional<std::string>& category,
                      std::optional<Urgency> urgency);

// Whether the plan needs a director's guidance under `policy`.
bool director_required(const Policy& policy, Urgency urgency, double total_compensation);

}  // namespace redress
