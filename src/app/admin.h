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
  Result<Policy> add_policy(store::WriteTx& tx, const Actor& actor, Policy p);
  Result<Policy> update_policy(store::WriteTx& tx, const Actor& actor, Policy p);
  Result<RoutingRule> add_routing_rule(store::WriteTx& tx, const Actor& actor, RoutingRule r);
  Result<RoutingRule> update_routing_rule(store::WriteTx& tx, const Actor& actor, RoutingRule r);
  Status delete_routing_rule(store::WriteTx& tx, const Actor& actor, std::int64_t id);
  Result<SanctionRule> add_sanction_rule(store::WriteTx& tx, const Actor& actor, SanctionRule r);
  Status delete_sanction_rule(store::WriteTx& tx, const Actor& actor, std::int64_t id);

 private:
  Status validate_routing_rule(const store::ReadTx& tx, const RoutingRule& r) const;
  const Clock& clock_;
};

// The active users holding the director role: who receives escalations past
// the department supervisor and the scheduled management review.
Result<std::vector<User>> active_directors(const store::ReadTx& tx);

}  // namespace redress::app
