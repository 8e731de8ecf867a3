// Who may see and act on a complaint (SPEC §1): roles, and the department
// scope of handlers and supervisors.
#pragma once

#include <optional>
#include <span>

#include "core/ids.h"
#include "core/lifecycle.h"

namespace redress {

// The authenticated caller as the domain sees it.
struct Actor {
  enum class Kind { user, customer, system };
  Kind kind = Kind::user;
  UserId user;  // for Kind::user
  RoleSet roles;
  std::optional<DepartmentId> department;  // the user's own department
  std::vector<DepartmentId> scope;         // own department and all its sub-departments
  bool wide_scope = false;                 // granted to see every department
  std::optional<ComplaintId> complaint;    // for Kind::customer: the only complaint it may touch

  bool has(Role r) const { return roles.contains(r); }
};

// Roles that see every complaint regardless of department.
inline constexpr RoleSet kOrganisationWideRoles{Role::agent, Role::qa, Role::director, Role::admin};

// Whether `actor` reads the complaints of every department (an
// organisation-wide role or a granted wide scope); other staff read their
// department scope only, in lists and reports alike.
bool sees_every_department(const Actor& actor);

// Whether `actor` may read a complaint routed to `department` (nullopt: not
// routed yet). Handlers see only routed complaints of their scope; supervisors
// also see unrouted ones, since appeals and escalations reach them first.
bool can_see(const Actor& actor, ComplaintId complaint, std::optional<DepartmentId> department);

// The roles `actor` may use on that complaint: organisation-wide roles
// always, handler and supervisor only within their department scope.
RoleSet effective_roles(const Actor& actor, ComplaintId complaint,
                        std::optional<DepartmentId> department);

}  // namespace redress
