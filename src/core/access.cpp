#include "core/access.h"

#include <algorithm>

namespace redress {

namespace {

bool in_scope(const Actor& actor, std::optional<DepartmentId> department) {
  if (actor.wide_scope) return true;
  if (!department) return false;
  return std::find(actor.scope.begin(), actor.scope.end(), *department) != actor.scope.end();
}

}  // namespace

RoleSet effective_roles(const Actor& actor, ComplaintId complaint,
                        std::optional<DepartmentId> department) {
  RoleSet out;
  if (actor.kind == Actor::Kind::customer) {
    if (actor.complaint && *actor.complaint == complaint) out.add(Role::customer);
    return out;
  }
  for (Role r : {Role::agent, Role::qa, Role::director, Role::admin}) {
    if (actor.has(r)) out.add(r);
  }
  if (actor.has(Role::handler) && in_scope(actor, department)) out.add(Role::handler);
  if (actor.has(Role::supervisor) && (!department || in_scope(actor, department))) {
    out.add(Role::supervisor);
  }
  return out;
}

bool sees_every_department(const Actor& actor) {
  if (actor.wide_scope) return true;
  return std::ranges::any_of(kOrganisationWideRoles.members(),
                             [&](Role r) { return actor.has(r); });
}

bool can_see(const Actor& actor, ComplaintId complaint, std::optional<DepartmentId> department) {
  if (actor.kind == Actor::Kind::system) return true;
  return !effective_roles(actor, complaint, department).empty();
}

}  // namespace redress
