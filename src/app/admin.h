// Administration use cases: the organisation (departments, users,
// categories) and the rules that drive the lifecycle (policies, routing
// rules, sanction rules). Writes need the admin role; every staff role may
// read them (the console needs the lists to fill its forms).
#pragma once

#include "core/access.h"
#include "core/policy.h"
#include "core/records.h"
#include "core/rules.h"
#include "store/store.h"

namespace redress::app {

struct NewUser {
  std::string username;
  std::string password;  // hashed by the caller (slow) into password_hash
  std::string password_hash;
  std::string display_name;
  std::vector<Role> roles;
  std::optional<std::int64_t> department_id;
  bool wide_scope = false;
  std::string language = "en";
  std::string email;  // for notifications (escalations, warnings, assignments)
};

// A partial edit of a staff account: absent fields stay as they are. The user
// name and password are not edited here (the password has its own route).
struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<std::string> email;
  std::optional<std::string> language;
  std::optional<std::vector<Role>> roles;
  std::optional<std::optional<std::int64_t>> department_id;  // engaged nullopt: no department
  std::optional<bool> wide_scope;
  std::optional<bool> active;
};

// A partial edit of a department; the code never changes (imports and
// routing rules refer to it).
struct DepartmentPatch {
  std::optional<std::string> name;
  std::optional<std::optional<std::int64_t>> parent_id;      // engaged nullopt: a top department
  std::optional<std::optional<std::int64_t>> supervisor_id;  // engaged nullopt: no supervisor
  std::optional<bool> active;
};

// A partial edit of a category; the code never changes (complaints, policies
// and the triage model refer to it).
struct CategoryPatch {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> parent_code;  // engaged nullopt: a top category
  std::optional<bool> active;
};

class Admin {
 public:
  explicit Admin(const Clock& clock) : clock_(clock) {}

  // Fails forbidden unless `actor` is an administrator (or the system).
  static Status require_admin(const Actor& actor);
  // Fails forbidden unless `actor` is staff (a user with any role).
  static Status require_staff(const Actor& actor);

  // Validates everything but the password hash (checked by validate_password).
  static std::vector<FieldError> validate_user(const NewUser& u);
  static std::vector<FieldError> validate_password(const std::string& password);
  Result<User> add_user(store::WriteTx& tx, const Actor& actor, const NewUser& u);
  Result<Department> add_department(store::WriteTx& tx, const Actor& actor, Department d);
  Result<Category> add_category(store::WriteTx& tx, const Actor& actor, Category c);
  // Edits, retires (active=false) or brings back a user. Refuses, naming the
  // field: an administrator retiring themselves or dropping their own admin
  // role, and any change leaving no active administrator. Retiring ends every
  // session of the user in the same transaction (log-in already refuses them).
  Result<User> update_user(store::WriteTx& tx, const Actor& actor, UserId id, const UserPatch& p);
  // Edits or retires a department. Refuses a parent that is itself or one of
  // its descendants (a cycle), a retired parent or supervisor, and retiring a
  // department that still has active sub-departments.
  Result<Department> update_department(store::WriteTx& tx, const Actor& actor, DepartmentId id,
                                       const DepartmentPatch& p);
  // Edits or retires a category, with the same tree rules as departments.
  Result<Category> update_category(store::WriteTx& tx, const Actor& actor, const std::string& code,
                                   const CategoryPatch& p);
  // The organisation's change log, newest first, ids below `before` (0: from
  // the newest), at most `limit` (1–500) rows (administrators only).
  Result<std::vector<store::AdminChange>> changes(const store::ReadTx& tx, const Actor& actor,
                                                  const std::optional<std::string>& entity,
                                                  const std::optional<std::string>& key,
                                                  std::int64_t before, std::int64_t limit) const;
  Result<Policy> add_policy(store::WriteTx& tx, const Actor& actor, Policy p);
  Result<Policy> update_policy(store::WriteTx& tx, const Actor& actor, Policy p);
  Result<RoutingRule> add_routing_rule(store::WriteTx& tx, const Actor& actor, RoutingRule r);
  Result<RoutingRule> update_routing_rule(store::WriteTx& tx, const Actor& actor, RoutingRule r);
  Status delete_routing_rule(store::WriteTx& tx, const Actor& actor, std::int64_t id);
  Result<SanctionRule> add_sanction_rule(store::WriteTx& tx, const Actor& actor, SanctionRule r);
  Status delete_sanction_rule(store::WriteTx& tx, const Actor& actor, std::int64_t id);

 private:
  Status validate_routing_rule(const store::ReadTx& tx, const RoutingRule& r) const;
  // Appends one row to the change log; `before`/`after` are JSON objects.
  Status record_change(store::WriteTx& tx, const Actor& actor, std::string entity, std::string key,
                       std::string action, const std::string& before,
                       const std::string& after) const;
  const Clock& clock_;
};

// The active users holding the director role: who receives escalations past
// the department supervisor and the scheduled management review.
Result<std::vector<User>> active_directors(const store::ReadTx& tx);

}  // namespace redress::app
