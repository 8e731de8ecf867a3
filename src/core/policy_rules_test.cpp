#include <gtest/gtest.h>

#include "core/access.h"
#include "core/policy.h"
#include "core/rules.h"

namespace redress {
namespace {

TEST(Policy, MostSpecificMatchWins) {
  std::vector<Policy> policies(4);
  policies[0].name = "default";
  policies[1].name = "urgent";
  policies[1].urgency = Urgency::urgent;
  policies[2].name = "billing";
  policies[2].category = "billing";
  policies[3].name = "urgent billing";
  policies[3].category = "billing";
  policies[3].urgency = Urgency::urgent;
  EXPECT_EQ(resolve_policy(policies, "billing", Urgency::urgent).name, "urgent billing");
  EXPECT_EQ(resolve_policy(policies, "billing", Urgency::general).name, "billing");
  EXPECT_EQ(resolve_policy(policies, "delivery", Urgency::urgent).name, "urgent");
  EXPECT_EQ(resolve_policy(policies, "delivery", std::nullopt).name, "default");
  EXPECT_EQ(resolve_policy({}, "x", Urgency::urgent).name, "default");
}

TEST(Policy, DirectorRequiredForUrgentOrLargeCompensation) {
  Policy p;
  EXPECT_TRUE(director_required(p, Urgency::urgent, 0));
  EXPECT_FALSE(director_required(p, Urgency::general, 1000));
  EXPECT_TRUE(director_required(p, Urgency::general, 1000.01));
  p.director_for_urgent = false;
  p.director_compensation_threshold.reset();
  EXPECT_FALSE(director_required(p, Urgency::urgent, 1e9));
}

TEST(Routing, FirstMatchInPositionOrder) {
  std::vector<RoutingRule> rules(3);
  rules[0] = {
      .id = 1, .position = 20, .name = "quality", .category = "quality", .department_id = 2};
  rules[1] = {
      .id = 2, .position = 10, .name = "delivery", .category = "delivery", .department_id = 3};
  rules[2] = {.id = 3,
              .position = 5,
              .name = "late words",
              .keywords = {"LATE", "retraso"},
              .department_id = 4};
  RoutingSubject s;
  s.category = "delivery";
  s.text = "the parcel arrived";
  EXPECT_EQ(first_matching_rule(rules, s)->id, 2);
  s.text = "The parcel was late";
  EXPECT_EQ(first_matching_rule(rules, s)->id, 3);
  s.text = "un retraso de dos semanas";
  EXPECT_EQ(first_matching_rule(rules, s)->id, 3);
  s.category = "quality.defect";
  s.category_ancestors = {"quality"};
  s.text = "broken";
  EXPECT_EQ(first_matching_rule(rules, s)->id, 1);
  s.category = "billing";
  s.category_ancestors = {};
  EXPECT_EQ(first_matching_rule(rules, s), nullptr);
  rules[2].active = false;
  s.category = "delivery";
  s.text = "late";
  EXPECT_EQ(first_matching_rule(rules, s)->id, 2);
}

TEST(Sanction, BandsByLoss) {
  std::vector<SanctionRule> rules{
      {.id = 1, .min_loss = 0, .max_loss = 100, .sanction = "verbal warning"},
      {.id = 2,
       .min_loss = 100,
       .max_loss = 1000,
       .sanction = "written warning",
       .wage_deduction_percent = 5},
      {.id = 3, .min_loss = 1000, .sanction = "deduction", .wage_deduction_percent = 20},
  };
  EXPECT_EQ(sanction_for_loss(rules, 50)->id, 1);
  EXPECT_EQ(sanction_for_loss(rules, 100)->id, 2);
  EXPECT_EQ(sanction_for_loss(rules, 1e6)->id, 3);
  EXPECT_EQ(sanction_for_loss(rules, -1), nullptr);
}

TEST(Access, DepartmentScope) {
  Actor handler;
  handler.roles = RoleSet{Role::handler};
  handler.department = DepartmentId{3};
  handler.scope = {DepartmentId{3}, DepartmentId{7}};
  const ComplaintId c{1};
  EXPECT_TRUE(can_see(handler, c, DepartmentId{7}));
  EXPECT_FALSE(can_see(handler, c, DepartmentId{4}));
  EXPECT_FALSE(can_see(handler, c, std::nullopt));
  handler.wide_scope = true;
  EXPECT_TRUE(can_see(handler, c, DepartmentId{4}));

  Actor supervisor;
  supervisor.roles = RoleSet{Role::supervisor};
  supervisor.scope = {DepartmentId{3}};
  EXPECT_TRUE(can_see(supervisor, c, std::nullopt));
  EXPECT_FALSE(can_see(supervisor, c, DepartmentId{4}));

  Actor agent;
  agent.roles = RoleSet{Role::agent, Role::handler};
  agent.scope = {DepartmentId{3}};
  const RoleSet r = effective_roles(agent, c, DepartmentId{4});
  EXPECT_TRUE(r.contains(Role::agent));
  EXPECT_FALSE(r.contains(Role::handler));

  Actor customer;
  customer.kind = Actor::Kind::customer;
  customer.complaint = ComplaintId{1};
  EXPECT_TRUE(effective_roles(customer, c, std::nullopt).contains(Role::customer));
  EXPECT_FALSE(can_see(customer, ComplaintId{2}, std::nullopt));
}

}  // namespace
}  // namespace redress
