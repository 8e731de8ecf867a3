#include "core/lifecycle.h"

#include <algorithm>

namespace redress {

namespace {

using enum State;
using R = Requirement;
constexpr auto kNoReq = std::array<Requirement, 4>{};

constexpr Transition row(Action action, StateSet from, State to, RoleSet roles,
                         std::initializer_list<Requirement> reqs, std::string_view summary,
                         Destination destination = Destination::fixed, State alt_to = new_) {
  Transition t{
      action,      from,  to,     destination == Destination::customer_answer ? alt_to : to,
      destination, roles, kNoReq, 0,
      summary};
  for (Requirement r : reqs) t.requirements[t.requirement_count++] = r;
  return t;
}

// SPEC §2, row by row. Staff roles act for the customer where the customer
// talks to an agent (phone, letter, in person).
constexpr std::array kTable{
    row(Action::take, {new_}, assessing, {Role::agent, Role::supervisor}, {},
        "An agent takes the new complaint to assess it."),
    row(Action::accept, {assessing}, assigned, {Role::agent, Role::supervisor},
        {R::category, R::urgency, R::difficulty, R::department},
        "Founded: classify it and route it to a department and person in charge."),
    row(Action::reject, {assessing}, rejected, {Role::agent, Role::supervisor},
        {R::reason, R::reply_text}, "Unfounded: a tactful explanation is sent to the customer."),
    row(Action::forward, {assessing}, forwarded, {Role::agent, Role::supervisor},
        {R::department_ids, R::note}, "A suggestion: sent to the units concerned as input."),
    row(Action::start_investigation, {assigned}, investigating,
        {Role::handler, Role::qa, Role::supervisor}, {},
        "The handler starts the root-cause analysis."),
    row(Action::propose_plan, {investigating}, plan_review,
        {Role::handler, Role::qa, Role::supervisor}, {R::remedies, R::feasibility},
        "A remedy plan is proposed for review."),
    row(Action::approve_plan, {plan_review}, awaiting_customer, {Role::supervisor, Role::director},
        {R::instructions}, "The plan is approved, with instructions."),
    row(Action::return_plan, {plan_review}, investigating, {Role::supervisor, Role::director},
        {R::instructions}, "The plan is sent back to the investigation, with instructions."),
    row(Action::record_customer_answer, {awaiting_customer}, implementing,
        {Role::customer, Role::agent}, {R::accepted},
        "The customer accepts the plan, or rejects it with reasons.", Destination::customer_answer,
        investigating),
    row(Action::submit_for_verification, {implementing}, verifying,
        {Role::handler, Role::supervisor}, {R::tasks_done},
        "All tasks are done: quality assurance checks the result."),
    row(Action::verify_pass, {verifying}, responding, {Role::qa}, {},
        "Verification passed: the result can be told to the customer."),
    row(Action::verify_fail, {verifying}, verification_failed, {Role::qa}, {R::findings},
        "Verification failed: the case closes and a linked follow-up opens."),
    row(Action::reply, {responding}, resolved, {Role::agent}, {R::channel, R::text},
        "The result is replied to the customer and a survey sent."),
    row(Action::close, {resolved}, closed, {Role::agent, Role::supervisor}, {R::lessons_if_major},
        "Feedback received or the survey window elapsed."),
    row(Action::reopen, {resolved}, investigating, {Role::customer, Role::agent}, {},
        "The customer reopens within the reopen window."),
    row(Action::reopen, {closed}, investigating, {Role::supervisor}, {},
        "A supervisor reopens a closed complaint."),
    row(Action::appeal, {rejected}, assessing, {Role::customer, Role::agent}, {},
        "The customer appeals the rejection within the appeal window."),
    row(Action::withdraw,
        {new_, assessing, assigned, investigating, plan_review, awaiting_customer, implementing,
         verifying, responding, on_hold},
        withdrawn, {Role::customer, Role::agent}, {}, "The customer withdraws the complaint."),
    row(Action::hold,
        {assessing, assigned, investigating, plan_review, awaiting_customer, implementing,
         verifying, responding},
        on_hold, {Role::agent, Role::handler, Role::supervisor}, {R::reason},
        "Waiting for the customer: the resolution clock pauses."),
    row(Action::resume, {on_hold}, on_hold, {Role::agent, Role::handler, Role::supervisor}, {},
        "Back to the state it was held from.", Destination::held_from),
    row(Action::merge, {new_, assessing, on_hold}, duplicate, {Role::agent, Role::supervisor},
        {R::duplicate_of},
        "A duplicate: merged into the earlier complaint, its messages and attachments move over."),
};

bool blank(const std::optional<std::string>& s) {
  return !s || s->find_first_not_of(" \t\r\n") == std::string::npos;
}

}  // namespace

std::vector<Role> RoleSet::members() const {
  std::vector<Role> out;
  for (const auto& [role, name] : kRoleNames) {
    if (contains(role)) out.push_back(role);
  }
  return out;
}

std::string_view requirement_field(Requirement r) {
  switch (r) {
    case R::category:
      return "category";
    case R::urgency:
      return "urgency";
    case R::difficulty:
      return "difficulty";
    case R::department:
      return "department_id";
    case R::reason:
      return "reason";
    case R::reply_text:
      return "reply_text";
    case R::department_ids:
      return "department_ids";
    case R::note:
      return "note";
    case R::remedies:
      return "remedies";
    case R::feasibility:
      return "feasibility";
    case R::instructions:
      return "instructions";
    case R::accepted:
      return "accepted";
    case R::findings:
      return "findings";
    case R::channel:
      return "channel";
    case R::text:
      return "text";
    case R::lessons_if_major:
      return "lessons";
    case R::tasks_done:
      return "tasks";
    case R::duplicate_of:
      return "duplicate_of";
  }
  return "unknown";
}

const std::span<const Transition> lifecycle_table() {
  return kTable;
}

const Transition* find_transition(Action action, State state) {
  for (const Transition& t : kTable) {
    if (t.action == action && t.from.contains(state)) return &t;
  }
  return nullptr;
}

std::vector<Action> actions_for(State state, RoleSet roles) {
  std::vector<Action> out;
  for (const Transition& t : kTable) {
    if (t.from.contains(state) && t.roles.intersects(roles) &&
        std::find(out.begin(), out.end(), t.action) == out.end()) {
      out.push_back(t.action);
    }
  }
  return out;
}

std::vector<FieldError> missing_data(const Transition& t, const TransitionInput& in,
                                     const ComplaintFacts& facts) {
  std::vector<FieldError> missing;
  // Most requirements are a missing value (rule "required", the message says
  // what is expected); the others name their own rule, or none.
  auto need = [&](Requirement r, std::string message, std::string rule = "required") {
    missing.push_back({std::string(requirement_field(r)), std::move(message), std::move(rule)});
  };
  for (Requirement r : t.required()) {
    switch (r) {
      case R::category:
        if (blank(in.category)) need(r, "is required to accept a complaint");
        break;
      case R::urgency:
        if (!in.urgency) need(r, "is required: urgent, important or general");
        break;
      case R::difficulty:
        if (!in.difficulty) need(r, "is required: simple, complex or difficult");
        break;
      case R::department:
        if (!in.department_id && !facts.department_proposed) {
          need(r, "is required: no routing rule proposes a department for this complaint");
        }
        break;
      case R::reason:
        if (blank(in.reason)) need(r, "is required");
        break;
      case R::reply_text:
        if (blank(in.reply_text)) need(r, "is required: the explanation sent to the customer");
        break;
      case R::department_ids:
        if (in.department_ids.empty()) need(r, "must name at least one department", "min_items");
        break;
      case R::note:
        if (blank(in.note)) need(r, "is required");
        break;
      case R::remedies:
        if (in.remedy_count == 0) need(r, "must contain at least one remedy", "min_items");
        break;
      case R::feasibility:
        if (blank(in.feasibility)) need(r, "is required");
        break;
      case R::instructions:
        if (blank(in.instructions)) need(r, "is required");
        break;
      case R::accepted:
        if (!in.accepted) {
          need(r, "is required: true or false");
        } else if (!*in.accepted && blank(in.reason)) {
          missing.push_back(
              {"reason", "is required when the customer rejects the plan", "required"});
        }
        break;
      case R::findings:
        if (blank(in.findings)) need(r, "is required");
        break;
      case R::channel:
        if (!in.channel) need(r, "is required: the channel the reply was sent through");
        break;
      case R::text:
        if (blank(in.text)) need(r, "is required: the reply told to the customer");
        break;
      case R::lessons_if_major:
        if (facts.is_major && !facts.has_lessons && blank(in.lessons)) {
          need(r, "are required to close a major complaint");
        }
        break;
      case R::tasks_done:
        if (facts.open_tasks > 0) {
          need(r, std::to_string(facts.open_tasks) + " task(s) are still open", "");
        }
        break;
      case R::duplicate_of:
        if (!in.duplicate_of) need(r, "is required: the id of the earlier complaint");
        break;
    }
  }
  return missing;
}

}  // namespace redress
