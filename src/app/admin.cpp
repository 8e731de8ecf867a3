#include "app/admin.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "app/complaints.h"

namespace redress::app {

using Json = nlohmann::json;

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
  if (blank(u.display_name)) errors.push_back(required_field("display_name"));
  if (u.roles.empty()) errors.push_back({"roles", "at least one role is required"});
  for (Role r : u.roles) {
    if (r == Role::customer) errors.push_back({"roles", "customer is not a staff role"});
  }
  return errors;
}

std::vector<FieldError> Admin::validate_password(const std::string& password) {
  if (password.size() < 8) return {min_length_field("password", 8)};
  if (password.size() > 1024) return {{"password", "is longer than 1024 characters"}};
  return {};
}

Result<User> Admin::add_user(store::WriteTx& tx, const Actor& actor, const NewUser& u) {
  REDRESS_CHECK(require_admin(actor));
  auto errors = validate_user(u);
  if (u.department_id) {
    REDRESS_TRY(auto d, tx.directory().department(DepartmentId{*u.department_id}));
    if (!d) {
      errors.push_back({"department_id", "is not a department"});
    } else if (!d->active) {
      errors.push_back(retired_field("department_id", "department"));
    }
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
  Json roles = Json::array();
  for (Role r : user.roles) roles.push_back(std::string(to_string(r)));
  REDRESS_CHECK(record_change(
      tx, actor, "user", std::to_string(user.id.value), "created", "{}",
      Json{{"username", user.username}, {"display_name", user.display_name}, {"roles", roles}}
          .dump()));
  return user;
}

Result<Department> Admin::add_department(store::WriteTx& tx, const Actor& actor, Department d) {
  REDRESS_CHECK(require_admin(actor));
  std::vector<FieldError> errors;
  if (!valid_code(d.code))
    errors.push_back({"code", "1–64 characters from a-z, 0-9, '.', '_', '-'"});
  if (blank(d.name)) errors.push_back(required_field("name"));
  if (d.parent) {
    REDRESS_TRY(auto p, tx.directory().department(*d.parent));
    if (!p) {
      errors.push_back({"parent_id", "is not a department"});
    } else if (!p->active) {
      errors.push_back(retired_field("parent_id", "department"));
    }
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
  REDRESS_CHECK(record_change(tx, actor, "department", std::to_string(d.id.value), "created", "{}",
                              Json{{"code", d.code}, {"name", d.name}}.dump()));
  return d;
}

Result<Category> Admin::add_category(store::WriteTx& tx, const Actor& actor, Category c) {
  REDRESS_CHECK(require_admin(actor));
  std::vector<FieldError> errors;
  if (!valid_code(c.code))
    errors.push_back({"code", "1–64 characters from a-z, 0-9, '.', '_', '-'"});
  if (blank(c.name)) errors.push_back(required_field("name"));
  if (c.parent_code) {
    REDRESS_TRY(auto p, tx.directory().category(*c.parent_code));
    if (!p) {
      errors.push_back({"parent_code", "is not a category"});
    } else if (!p->active) {
      errors.push_back(retired_field("parent_code", "category"));
    }
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  REDRESS_TRY(auto existing, tx.directory().category(c.code));
  if (existing) return fail(Error::conflict("category '" + c.code + "' exists"));
  REDRESS_CHECK(tx.directory().add_category(c));
  REDRESS_CHECK(record_change(tx, actor, "category", c.code, "created", "{}",
                              Json{{"code", c.code}, {"name", c.name}}.dump()));
  return c;
}

namespace {
std::vector<FieldError> validate_policy(const Policy& p) {
  std::vector<FieldError> errors;
  if (p.name.empty()) errors.push_back(required_field("name"));
  if (p.reopen_window_days < 0 || p.reopen_window_days > 3650) {
    errors.push_back(range_field("reopen_window_days", 0, 3650));
  }
  if (p.appeal_window_days < 0 || p.appeal_window_days > 3650) {
    errors.push_back(range_field("appeal_window_days", 0, 3650));
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
  if (blank(r.name)) errors.push_back(required_field("name"));
  REDRESS_TRY(auto d, tx.directory().department(DepartmentId{r.department_id}));
  if (!d) {
    errors.push_back({"department_id", "is not a department"});
  } else if (!d->active && r.active) {
    // An inactive rule may keep naming a retired department: switching off a
    // rule whose department was retired must not be refused.
    errors.push_back(retired_field("department_id", "department"));
  }
  if (r.category) {
    REDRESS_TRY(auto c, tx.directory().category(*r.category));
    if (!c) {
      errors.push_back({"category", "is not a category"});
    } else if (!c->active && r.active) {
      errors.push_back(retired_field("category", "category"));
    }
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
  if (blank(r.sanction)) errors.push_back(required_field("sanction"));
  if (r.wage_deduction_percent &&
      (*r.wage_deduction_percent < 0 || *r.wage_deduction_percent > 100)) {
    errors.push_back(range_field("wage_deduction_percent", 0, 100));
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  REDRESS_TRY(r.id, tx.rules().add_sanction_rule(r));
  return r;
}

Status Admin::delete_sanction_rule(store::WriteTx& tx, const Actor& actor, std::int64_t id) {
  REDRESS_CHECK(require_admin(actor));
  return tx.rules().delete_sanction_rule(id);
}

Status Admin::record_change(store::WriteTx& tx, const Actor& actor, std::string entity,
                            std::string key, std::string action, const std::string& before,
                            const std::string& after) const {
  store::AdminChange c;
  c.at = clock_.now();
  if (actor.kind == Actor::Kind::user) c.actor = actor.user;
  c.entity = std::move(entity);
  c.key = std::move(key);
  c.action = std::move(action);
  c.before = before;
  c.after = after;
  REDRESS_TRY(auto id, tx.directory().add_change(c));
  (void)id;
  return {};
}

namespace {
bool is_active_admin(const User& u) {
  return u.active && std::ranges::find(u.roles, Role::admin) != u.roles.end();
}

Json roles_json(const std::vector<Role>& roles) {
  Json out = Json::array();
  for (Role r : roles) out.push_back(std::string(to_string(r)));
  return out;
}

Json id_json(const std::optional<DepartmentId>& id) {
  return id ? Json(id->value) : Json(nullptr);
}

// Records field `name` going from `from` to `to` when they differ.
template <class T>
void note_change(Json& before, Json& after, const char* name, const T& from, const T& to) {
  if (from == to) return;
  before[name] = from;
  after[name] = to;
}

// The action a change log row names: retiring and bringing back stand out
// from ordinary edits.
std::string change_action(bool was_active, bool is_active) {
  if (was_active == is_active) return "updated";
  return is_active ? "reactivated" : "deactivated";
}
}  // namespace

Result<User> Admin::update_user(store::WriteTx& tx, const Actor& actor, UserId id,
                                const UserPatch& p) {
  REDRESS_CHECK(require_admin(actor));
  REDRESS_TRY(auto found, tx.directory().user(id));
  if (!found) return fail(Error::not_found("user " + std::to_string(id.value)));
  const User& old = *found;
  User u = old;
  std::vector<FieldError> errors;
  if (p.display_name) {
    if (blank(*p.display_name)) errors.push_back(required_field("display_name"));
    u.display_name = *p.display_name;
  }
  if (p.email) {
    if (!p.email->empty() && p.email->find('@') == std::string::npos) {
      errors.push_back(email_field("email"));
    }
    u.email = *p.email;
  }
  if (p.language) {
    if (!is_supported_language(*p.language)) {
      errors.push_back(language_field("language"));
    }
    u.language = *p.language;
  }
  if (p.roles) {
    if (p.roles->empty()) errors.push_back({"roles", "at least one role is required"});
    if (std::ranges::find(*p.roles, Role::customer) != p.roles->end()) {
      errors.push_back({"roles", "customer is not a staff role"});
    }
    u.roles = *p.roles;
  }
  if (p.department_id) {
    if (*p.department_id) {
      const DepartmentId dept{**p.department_id};
      REDRESS_TRY(auto d, tx.directory().department(dept));
      if (!d) {
        errors.push_back({"department_id", "is not a department"});
      } else if (!d->active && old.department != dept) {
        errors.push_back(retired_field("department_id", "department"));
      }
      u.department = dept;
    } else {
      u.department.reset();
    }
  }
  if (p.wide_scope) u.wide_scope = *p.wide_scope;
  if (p.active) u.active = *p.active;

  const bool self = actor.kind == Actor::Kind::user && actor.user == id;
  if (self && !u.active) {
    errors.push_back({"active", "an administrator cannot deactivate their own account"});
  }
  if (self && std::ranges::find(u.roles, Role::admin) == u.roles.end()) {
    errors.push_back({"roles", "an administrator cannot remove their own admin role"});
  }
  if (is_active_admin(old) && !is_active_admin(u) && !self) {
    REDRESS_CHECK(tx.directory().lock_administrators());
    REDRESS_TRY(auto users, tx.directory().users());
    const bool another =
        std::ranges::any_of(users, [&](const User& x) { return x.id != id && is_active_admin(x); });
    if (!another) {
      errors.push_back(
          {old.active && !u.active ? "active" : "roles", "would leave no active administrator"});
    }
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));

  Json before = Json::object(), after = Json::object();
  note_change(before, after, "display_name", old.display_name, u.display_name);
  note_change(before, after, "email", old.email, u.email);
  note_change(before, after, "language", old.language, u.language);
  if (old.roles != u.roles) {
    before["roles"] = roles_json(old.roles);
    after["roles"] = roles_json(u.roles);
  }
  if (old.department != u.department) {
    before["department_id"] = id_json(old.department);
    after["department_id"] = id_json(u.department);
  }
  note_change(before, after, "wide_scope", old.wide_scope, u.wide_scope);
  note_change(before, after, "active", old.active, u.active);
  if (after.empty()) return u;  // nothing changed: nothing written, nothing logged

  REDRESS_CHECK(tx.directory().update_user(u));
  if (old.active && !u.active) {
    // Log-in and every request already refuse a retired account; ending the
    // sessions as well means none outlives the retirement, even in a cache.
    REDRESS_TRY(auto ended, tx.auth().delete_sessions_of(id));
    after["sessions_ended"] = ended;
  }
  REDRESS_CHECK(record_change(tx, actor, "user", std::to_string(id.value),
                              change_action(old.active, u.active), before.dump(), after.dump()));
  return u;
}

Result<Department> Admin::update_department(store::WriteTx& tx, const Actor& actor, DepartmentId id,
                                            const DepartmentPatch& p) {
  REDRESS_CHECK(require_admin(actor));
  REDRESS_TRY(auto all, tx.directory().departments());
  std::map<std::int64_t, const Department*> by_id;
  for (const auto& d : all) by_id[d.id.value] = &d;
  const auto it = by_id.find(id.value);
  if (it == by_id.end()) return fail(Error::not_found("department " + std::to_string(id.value)));
  const Department old = *it->second;
  Department d = old;
  std::vector<FieldError> errors;
  if (p.name) {
    if (blank(*p.name)) errors.push_back(required_field("name"));
    d.name = *p.name;
  }
  if (p.parent_id) {
    if (*p.parent_id) {
      const std::int64_t parent = **p.parent_id;
      const auto pit = by_id.find(parent);
      if (parent == id.value) {
        errors.push_back({"parent_id", "cannot be the department itself"});
      } else if (pit == by_id.end()) {
        errors.push_back({"parent_id", "is not a department"});
      } else {
        // Walk up from the new parent: meeting this department means a cycle.
        bool cycle = false;
        std::optional<DepartmentId> up = pit->second->parent;
        for (std::size_t steps = 0; up && steps <= all.size(); ++steps) {
          if (up->value == id.value) {
            cycle = true;
            break;
          }
          const auto next = by_id.find(up->value);
          up = next == by_id.end() ? std::nullopt : next->second->parent;
        }
        if (cycle) {
          errors.push_back({"parent_id",
                            "is below this department (a department cannot be "
                            "inside itself)"});
        } else if (!pit->second->active && old.parent != DepartmentId{parent}) {
          errors.push_back(retired_field("parent_id", "department"));
        }
      }
      d.parent = DepartmentId{parent};
    } else {
      d.parent.reset();
    }
  }
  if (p.supervisor_id) {
    if (*p.supervisor_id) {
      const UserId sup{**p.supervisor_id};
      REDRESS_TRY(auto s, tx.directory().user(sup));
      if (!s) {
        errors.push_back({"supervisor_id", "is not a user"});
      } else if (!s->active && old.supervisor != sup) {
        errors.push_back({"supervisor_id", "is deactivated; choose an active user"});
      }
      d.supervisor = sup;
    } else {
      d.supervisor.reset();
    }
  }
  if (p.active) d.active = *p.active;
  if (old.active && !d.active) {
    std::string children;
    for (const auto& other : all) {
      if (other.active && other.parent == id)
        children += (children.empty() ? "" : ", ") + other.code;
    }
    if (!children.empty()) {
      errors.push_back(
          {"active", "has active sub-departments (" + children + "); retire or move them first"});
    }
  }
  if (!old.active && d.active && d.parent) {
    const auto pit = by_id.find(d.parent->value);
    if (pit != by_id.end() && !pit->second->active) {
      errors.push_back({"active", "its parent department is retired; bring it back first"});
    }
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));

  Json before = Json::object(), after = Json::object();
  note_change(before, after, "name", old.name, d.name);
  if (old.parent != d.parent) {
    before["parent_id"] = id_json(old.parent);
    after["parent_id"] = id_json(d.parent);
  }
  if (old.supervisor != d.supervisor) {
    before["supervisor_id"] = old.supervisor ? Json(old.supervisor->value) : Json(nullptr);
    after["supervisor_id"] = d.supervisor ? Json(d.supervisor->value) : Json(nullptr);
  }
  note_change(before, after, "active", old.active, d.active);
  if (after.empty()) return d;
  REDRESS_CHECK(tx.directory().update_department(d));
  REDRESS_CHECK(record_change(tx, actor, "department", std::to_string(id.value),
                              change_action(old.active, d.active), before.dump(), after.dump()));
  return d;
}

Result<Category> Admin::update_category(store::WriteTx& tx, const Actor& actor,
                                        const std::string& code, const CategoryPatch& p) {
  REDRESS_CHECK(require_admin(actor));
  REDRESS_TRY(auto all, tx.directory().categories());
  std::map<std::string, const Category*> by_code;
  for (const auto& c : all) by_code[c.code] = &c;
  const auto it = by_code.find(code);
  if (it == by_code.end()) return fail(Error::not_found("category '" + code + "'"));
  const Category old = *it->second;
  Category c = old;
  std::vector<FieldError> errors;
  if (p.name) {
    if (blank(*p.name)) errors.push_back(required_field("name"));
    c.name = *p.name;
  }
  if (p.parent_code) {
    if (*p.parent_code) {
      const std::string& parent = **p.parent_code;
      const auto pit = by_code.find(parent);
      if (parent == code) {
        errors.push_back({"parent_code", "cannot be the category itself"});
      } else if (pit == by_code.end()) {
        errors.push_back({"parent_code", "is not a category"});
      } else {
        bool cycle = false;
        std::optional<std::string> up = pit->second->parent_code;
        for (std::size_t steps = 0; up && steps <= all.size(); ++steps) {
          if (*up == code) {
            cycle = true;
            break;
          }
          const auto next = by_code.find(*up);
          up = next == by_code.end() ? std::nullopt : next->second->parent_code;
        }
        if (cycle) {
          errors.push_back({"parent_code",
                            "is below this category (a category cannot be "
                            "inside itself)"});
        } else if (!pit->second->active && old.parent_code != parent) {
          errors.push_back(retired_field("parent_code", "category"));
        }
      }
      c.parent_code = parent;
    } else {
      c.parent_code.reset();
    }
  }
  if (p.active) c.active = *p.active;
  if (old.active && !c.active) {
    std::string children;
    for (const auto& other : all) {
      if (other.active && other.parent_code == code) {
        children += (children.empty() ? "" : ", ") + other.code;
      }
    }
    if (!children.empty()) {
      errors.push_back(
          {"active", "has active sub-categories (" + children + "); retire or move them first"});
    }
  }
  if (!old.active && c.active && c.parent_code) {
    const auto pit = by_code.find(*c.parent_code);
    if (pit != by_code.end() && !pit->second->active) {
      errors.push_back({"active", "its parent category is retired; bring it back first"});
    }
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));

  Json before = Json::object(), after = Json::object();
  note_change(before, after, "name", old.name, c.name);
  if (old.parent_code != c.parent_code) {
    before["parent_code"] = old.parent_code ? Json(*old.parent_code) : Json(nullptr);
    after["parent_code"] = c.parent_code ? Json(*c.parent_code) : Json(nullptr);
  }
  note_change(before, after, "active", old.active, c.active);
  if (after.empty()) return c;
  REDRESS_CHECK(tx.directory().update_category(c));
  REDRESS_CHECK(record_change(tx, actor, "category", code, change_action(old.active, c.active),
                              before.dump(), after.dump()));
  return c;
}

Result<std::vector<store::AdminChange>> Admin::changes(const store::ReadTx& tx, const Actor& actor,
                                                       const std::optional<std::string>& entity,
                                                       const std::optional<std::string>& key,
                                                       std::int64_t before,
                                                       std::int64_t limit) const {
  REDRESS_CHECK(require_admin(actor));
  return tx.directory().changes(entity, key, before, std::clamp<std::int64_t>(limit, 1, 500));
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
