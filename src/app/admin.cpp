#include "app/admin.h"

#include <algorithm>

namespace redress::app {

namespace {
bool blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

bool valid_code(const std::string& code) {
  if (code.empty() || code.size() > 64) return false;
  for (char ch : code) {
    const bool ok =
        (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
    if (!ok) return false;
  }
  return true;
}
}  // namespace

Status Admin::require_admin(const Actor& actor) {
  if (actor.kind == Actor::Kind::system || actor.has(Role::admin)) return {};
  return fail(Error::forbidden("only administrators change the organisation and its rules"));
}

Status Admin::require_staff(const Actor& actor) {
  if (actor.kind == Actor::Kind::system ||
      (actor.kind == Actor::Kind::user && !actor.roles.empty())) {
    return {};
  }
  return fail(Error::forbidden("staff only"));
}

std::vector<FieldError> Admin::validate_user(const NewUser& u) {
  std::vector<FieldError> errors;
  if (u.username.size() < 2 || u.username.size() > 64 || !valid_code(u.username)) {
    errors.push_back({"username", "2–64 characters from a-z, 0-9, '.', '_', '-'"});
  }
  if (blank(u.display_name)) errors.push_back({"display_name", "is required"});
  if (u.roles.empty()) errors.push_back({"roles", "at least one role is required"});
  for (Role r : u.roles) {
    if (r == Role::customer) errors.push_back({"roles", "customer is not a staff role"});
  }
  return errors;
}

std::vector<FieldError> Admin::validate_password(const std::string& password) {
  if (password.size() < 8) return {{"password", "must be at least 8 characters"}};
  if (password.size() > 1024) return {{"password", "is longer than 1024 characters"}};
  return {};
}

Result<User> Admin::add_user(store::WriteTx& tx, const Actor& actor, const NewUser& u) {
  REDRESS_CHECK(require_admin(actor));
  auto errors = validate_user(u);
  if (u.department_id) {
    REDRESS_TRY(auto d, tx.directory().department(DepartmentId{*u.department_id}));
    if (!d) errors.push_back({"department_id", "is not a department"});
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  REDRESS_TRY(auto existing, tx.directory().user_by_name(u.username));
  if (existing) return fail(Error::conflict("the user name '" + u.username + "' is taken"));
  User user;
  user.username = u.username;
  user.password_hash = u.password_hash;
  user.display_name = u.display_name;
  user.roles = u.roles;
  if (u.department_id) user.department = DepartmentId{*u.department_id};
  user.wide_scope = u.wide_scope;
  user.language = u.language;
  user.email = u.email;
  user.created_at = clock_.now();
  REDRESS_TRY(user.id, tx.directory().add_user(user));
  return user;
}

Result<Department> Admin::add_department(store::WriteTx& tx, const Actor& actor, Department d) {
  REDRESS_CHECK(require_admin(actor));
  std::vector<FieldError> errors;
  if (!valid_code(d.code))
    errors.push_back({"code", "1–64 characters from a-z, 0-9, '.', '_', '-'"});
  if (blank(d.name)) errors.push_back({"name", "is required"});
  if (d.parent) {
    REDRESS_TRY(auto p, tx.directory().department(*d.parent));
    if (!p) errors.push_back({"parent_id", "is not a department"});
  }
  if (d.supervisor) {
    REDRESS_TRY(auto s, tx.directory().user(*d.supervisor));
    if (!s) errors.push_back({"supervisor_id", "is not a user"});
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  for (const auto& other : tx.directory().departments().value_or(std::vector<Department>{})) {
    if (other.code == d.code)
      return fail(Error::conflict("department code '" + d.code + "' exists"));
  }
  REDRESS_TRY(d.id, tx.directory().add_department(d));
  return d;
}

Result<Category> Admin::add_category(store::WriteTx& tx, const Actor& actor, Category c) {
  REDRESS_CHECK(require_admin(actor));
  std::vector<FieldError> errors;
  if (!valid_code(c.code))
    errors.push_back({"code", "1–64 characters from a-z, 0-9, '.', '_', '-'"});
  if (blank(c.name)) errors.push_back({"name", "is required"});
  if (c.parent_code) {
    REDRESS_TRY(auto p, tx.directory().category(*c.parent_code));
    if (!p) errors.push_back({"parent_code", "is not a category"});
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  REDRESS_TRY(auto existing, tx.directory().category(c.code));
  if (existing) return fail(Error::conflict("category '" + c.code + "' exists"));
  REDRESS_CHECK(tx.directory().add_category(c));
  return c;
}

namespace {
std::vector<FieldError> validate_policy(const Policy& p) {
  std::vector<FieldError> errors;
  if (p.name.empty()) errors.push_back({"name", "is required"});
  if (p.reopen_window_days < 0 || p.reopen_window_days > 3650) {
    errors.push_back({"reopen_window_days", "must be between 0 and 3650"});
  }
  if (p.appeal_window_days < 0 || p.appeal_window_days > 3650) {
    errors.push_back({"appeal_window_days", "must be between 0 and 3650"});
  }
  if (p.director_compensation_threshold && *p.director_compensation_threshold < 0) {
    errors.push_back({"director_compensation_threshold", "cannot be negative"});
  }
  return errors;
}
}  // namespace

Result<Policy> Admin::add_policy(store::WriteTx& tx, const Actor& actor, Policy p) {
  REDRESS_CHECK(require_admin(actor));
  auto errors = validate_policy(p);
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  REDRESS_TRY(p.id, tx.rules().add_policy(p));
  return p;
}

Result<Policy> Admin::update_policy(store::WriteTx& tx, const Actor& actor, Policy p) {
  REDRESS_CHECK(require_admin(actor));
  auto errors = validate_policy(p);
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  REDRESS_CHECK(tx.rules().update_policy(p));
  return p;
}

Status Admin::validate_routing_rule(const store::ReadTx& tx, const RoutingRule& r) const {
  std::vector<FieldError> errors;
  if (blank(r.name)) errors.push_back({"name", "is required"});
  REDRESS_TRY(auto d, tx.directory().department(DepartmentId{r.department_id}));
  if (!d) errors.push_back({"department_id", "is not a department"});
  if (r.category) {
    REDRESS_TRY(auto c, tx.directory().category(*r.category));
    if (!c) errors.push_back({"category", "is not a category"});
  }
  if (r.assignee_id) {
    REDRESS_TRY(auto u, tx.directory().user(UserId{*r.assignee_id}));
    if (!u) errors.push_back({"assignee_id", "is not a user"});
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  return {};
}

Result<RoutingRule> Admin::add_routing_rule(store::WriteTx& tx, const Actor& actor, RoutingRule r) {
  REDRESS_CHECK(require_admin(actor));
  REDRESS_CHECK(validate_routing_rule(tx, r));
  REDRESS_TRY(r.id, tx.rules().add_routing_rule(r));
  return r;
}

Result<RoutingRule> Admin::update_routing_rule(store::WriteTx& tx, const Actor& actor,
                                               RoutingRule r) {
  REDRESS_CHECK(require_admin(actor));
  REDRESS_CHECK(validate_routing_rule(tx, r));
  REDRESS_CHECK(tx.rules().update_routing_rule(r));
  return r;
}

Status Admin::delete_routing_rule(store::WriteTx& tx, const Actor& actor, std::int64_t id) {
  REDRESS_CHECK(require_admin(actor));
  return tx.rules().delete_routing_rule(id);
}

Result<SanctionRule> Admin::add_sanction_rule(store::WriteTx& tx, const Actor& actor,
                                              SanctionRule r) {
  REDRESS_CHECK(require_admin(actor));
  std::vector<FieldError> errors;
  if (r.min_loss < 0) errors.push_back({"min_loss", "cannot be negative"});
  if (r.max_loss && *r.max_loss <= r.min_loss) {
    errors.push_back({"max_loss", "must be above min_loss"});
  }
  if (blank(r.sanction)) errors.push_back({"sanction", "is required"});
  if (r.wage_deduction_percent &&
      (*r.wage_deduction_percent < 0 || *r.wage_deduction_percent > 100)) {
    errors.push_back({"wage_deduction_percent", "must be between 0 and 100"});
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  REDRESS_TRY(r.id, tx.rules().add_sanction_rule(r));
  return r;
}

Status Admin::delete_sanction_rule(store::WriteTx& tx, const Actor& actor, std::int64_t id) {
  REDRESS_CHECK(require_admin(actor));
  return tx.rules().delete_sanction_rule(id);
}

Result<std::vector<User>> active_directors(const store::ReadTx& tx) {
  REDRESS_TRY(auto users, tx.directory().users());
  std::vector<User> out;
  for (User& u : users) {
    if (u.active && std::ranges::find(u.roles, Role::director) != u.roles.end()) {
      out.push_back(std::move(u));
    }
  }
  return out;
}

}  // namespace redress::app
