#include "core/lifecycle.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace redress {
namespace {

using enum State;

// An independent statement of SPEC §2: (action, from) → to. Every pair not
// listed must be refused.
const std::map<std::pair<Action, State>, State>& expected_pairs() {
  static const auto* pairs = [] {
    auto* m = new std::map<std::pair<Action, State>, State>{
        {{Action::take, new_}, assessing},
        {{Action::accept, assessing}, assigned},
        {{Action::reject, assessing}, rejected},
        {{Action::forward, assessing}, forwarded},
        {{Action::start_investigation, assigned}, investigating},
        {{Action::propose_plan, investigating}, plan_review},
        {{Action::approve_plan, plan_review}, awaiting_customer},
        {{Action::return_plan, plan_review}, investigating},
        {{Action::record_customer_answer, awaiting_customer}, implementing},
        {{Action::submit_for_verification, implementing}, verifying},
        {{Action::verify_pass, verifying}, responding},
        {{Action::verify_fail, verifying}, verification_failed},
        {{Action::reply, responding}, resolved},
        {{Action::close, resolved}, closed},
        {{Action::reopen, resolved}, investigating},
        {{Action::reopen, closed}, investigating},
        {{Action::appeal, rejected}, assessing},
        {{Action::resume, on_hold}, on_hold},
    };
    for (State s : {new_, assessing, assigned, investigating, plan_review, awaiting_customer,
                    implementing, verifying, responding, on_hold}) {
      (*m)[{Action::withdraw, s}] = withdrawn;
    }
    for (State s : {assessing, assigned, investigating, plan_review, awaiting_customer,
                    implementing, verifying, responding}) {
      (*m)[{Action::hold, s}] = on_hold;
    }
    // Issue 7: a likely duplicate is merged before it is routed.
    for (State s : {new_, assessing, on_hold}) (*m)[{Action::merge, s}] = duplicate;
    return m;
  }();
  return *pairs;
}

TEST(Lifecycle, EveryStateActionPairIsAllowedOrRefusedAsSpecified) {
  int allowed = 0;
  for (const auto& [state, state_name] : kStateNames) {
    for (const auto& [action, action_name] : kActionNames) {
      const Transition* t = find_transition(action, state);
      const auto it = expected_pairs().find({action, state});
      if (it == expected_pairs().end()) {
        EXPECT_EQ(t, nullptr) << action_name << " from " << state_name << " must be refused";
      } else {
        ASSERT_NE(t, nullptr) << action_name << " from " << state_name << " must be allowed";
        EXPECT_EQ(t->to, it->second) << action_name << " from " << state_name;
        ++allowed;
      }
    }
  }
  EXPECT_EQ(allowed, static_cast<int>(expected_pairs().size()));
}

TEST(Lifecycle, RowsOfOneActionHaveDisjointSources) {
  for (const auto& [state, name] : kStateNames) {
    for (const auto& [action, aname] : kActionNames) {
      int rows = 0;
      for (const Transition& t : lifecycle_table()) {
        if (t.action == action && t.from.contains(state)) ++rows;
      }
      EXPECT_LE(rows, 1) << aname << " from " << name;
    }
  }
}

TEST(Lifecycle, TerminalStatesOnlyAllowAppealOrReopen) {
  for (State s : {closed, rejected, forwarded, withdrawn, verification_failed, duplicate}) {
    EXPECT_TRUE(is_terminal(s));
    for (const auto& [action, name] : kActionNames) {
      if (!find_transition(action, s)) continue;
      EXPECT_TRUE(action == Action::appeal || action == Action::reopen) << name;
    }
  }
}

TEST(Lifecycle, RolesFollowSpec) {
  const auto roles_of = [](Action a, State s) { return find_transition(a, s)->roles; };
  EXPECT_TRUE(roles_of(Action::verify_pass, verifying).contains(Role::qa));
  EXPECT_FALSE(roles_of(Action::verify_pass, verifying).contains(Role::handler));
  EXPECT_FALSE(roles_of(Action::approve_plan, plan_review).contains(Role::handler));
  EXPECT_TRUE(roles_of(Action::approve_plan, plan_review).contains(Role::director));
  EXPECT_TRUE(roles_of(Action::appeal, rejected).contains(Role::customer));
  EXPECT_FALSE(roles_of(Action::reopen, closed).contains(Role::customer));
  EXPECT_TRUE(roles_of(Action::reopen, closed).contains(Role::supervisor));
  EXPECT_FALSE(roles_of(Action::reply, responding).contains(Role::handler));
  // Administrators configure; they never move complaints.
  for (const Transition& t : lifecycle_table()) EXPECT_FALSE(t.roles.contains(Role::admin));
}

TEST(Lifecycle, ActionsForFiltersByRole) {
  const auto agent = actions_for(assessing, RoleSet{Role::agent});
  EXPECT_EQ(std::set<Action>(agent.begin(), agent.end()),
            (std::set<Action>{Action::accept, Action::reject, Action::forward, Action::withdraw,
                              Action::hold, Action::merge}));
  const auto handler = actions_for(assessing, RoleSet{Role::handler});
  EXPECT_EQ(std::set<Action>(handler.begin(), handler.end()), std::set<Action>{Action::hold});
  EXPECT_TRUE(actions_for(closed, RoleSet{Role::agent}).empty());
}

TEST(Lifecycle, MissingDataNamesEveryField) {
  const Transition* accept = find_transition(Action::accept, assessing);
  auto missing = missing_data(*accept, {}, {});
  std::set<std::string> fields;
  for (const auto& f : missing) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"category", "urgency", "difficulty", "department_id"}));

  // A routing proposal satisfies the department.
  TransitionInput in;
  in.category = "delivery";
  in.urgency = Urgency::general;
  in.difficulty = Difficulty::simple;
  EXPECT_TRUE(missing_data(*accept, in, ComplaintFacts{.department_proposed = true}).empty());
  EXPECT_EQ(missing_data(*accept, in, {}).size(), 1u);

  const Transition* reject = find_transition(Action::reject, assessing);
  TransitionInput blank_reason;
  blank_reason.reason = "   ";
  blank_reason.reply_text = "We are sorry, but…";
  missing = missing_data(*reject, blank_reason, {});
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].field, "reason");
}

TEST(Lifecycle, CustomerAnswerNeedsReasonWhenRejecting) {
  const Transition* t = find_transition(Action::record_customer_answer, awaiting_customer);
  EXPECT_EQ(t->destination, Destination::customer_answer);
  EXPECT_EQ(t->alt_to, investigating);
  TransitionInput no;
  no.accepted = false;
  auto missing = missing_data(*t, no, {});
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].field, "reason");
  TransitionInput yes;
  yes.accepted = true;
  EXPECT_TRUE(missing_data(*t, yes, {}).empty());
}

TEST(Lifecycle, CloseNeedsLessonsOnlyForMajorComplaints) {
  const Transition* t = find_transition(Action::close, resolved);
  EXPECT_TRUE(missing_data(*t, {}, ComplaintFacts{.is_major = false}).empty());
  EXPECT_EQ(missing_data(*t, {}, ComplaintFacts{.is_major = true}).size(), 1u);
  EXPECT_TRUE(missing_data(*t, {}, ComplaintFacts{.has_lessons = true, .is_major = true}).empty());
  EXPECT_TRUE(is_major(Urgency::urgent, Difficulty::simple));
  EXPECT_TRUE(is_major(Urgency::general, Difficulty::difficult));
  EXPECT_FALSE(is_major(Urgency::important, Difficulty::complex));
}

TEST(Lifecycle, VerificationNeedsAllTasksDone) {
  const Transition* t = find_transition(Action::submit_for_verification, implementing);
  auto missing = missing_data(*t, {}, ComplaintFacts{.open_tasks = 2});
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].field, "tasks");
  EXPECT_TRUE(missing_data(*t, {}, ComplaintFacts{.open_tasks = 0}).empty());
}

TEST(Enums, NamesRoundTrip) {
  for (const auto& [state, name] : kStateNames) EXPECT_EQ(parse<State>(name), state);
  EXPECT_EQ(to_string(State::new_), "new");
  EXPECT_EQ(parse<RemedyType>("return"), RemedyType::return_goods);
  EXPECT_FALSE(parse<Urgency>("critical").has_value());
}

}  // namespace
}  // namespace redress
