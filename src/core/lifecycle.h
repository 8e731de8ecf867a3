// The complaint lifecycle of SPEC §2 as data. One constexpr table says, for
// every action, the states it may start from, where it leads, who may take it
// and what data it needs. The state machine, the API's allowed_actions, the
// web app and docs/lifecycle.md all read this table, so they cannot disagree.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/enums.h"
#include "core/result.h"

namespace redress {

// A set of states as a bit mask; constexpr so the table stays a literal.
class StateSet {
 public:
  constexpr StateSet() = default;
  constexpr StateSet(std::initializer_list<State> states) {
    for (State s : states) bits_ |= bit(s);
  }
  constexpr bool contains(State s) const { return (bits_ & bit(s)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }

 private:
  static constexpr std::uint32_t bit(State s) { return 1u << static_cast<unsigned>(s); }
  std::uint32_t bits_ = 0;
};

// A set of roles as a bit mask.
class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr RoleSet(std::initializer_list<Role> roles) {
    for (Role r : roles) bits_ |= bit(r);
  }
  constexpr bool contains(Role r) const { return (bits_ & bit(r)) != 0; }
  constexpr bool intersects(RoleSet other) const { return (bits_ & other.bits_) != 0; }
  constexpr void add(Role r) { bits_ |= bit(r); }
  constexpr bool empty() const { return bits_ == 0; }
  std::vector<Role> members() const;

 private:
  static constexpr std::uint8_t bit(Role r) {
    return static_cast<std::uint8_t>(1u << static_cast<unsigned>(r));
  }
  std::uint8_t bits_ = 0;
};

// A piece of data a transition cannot go without. Each maps to the request
// field it is reported against (requirement_field), so a refusal names it.
enum class Requirement : std::uint8_t {
  category,          // accept: nature category from the taxonomy
  urgency,           // accept
  difficulty,        // accept
  department,        // accept: given, or proposed by a routing rule
  reason,            // reject, hold
  reply_text,        // reject: the tactful explanation sent to the customer
  department_ids,    // forward: the units that receive the suggestion
  note,              // forward
  remedies,          // propose_plan: at least one remedy
  feasibility,       // propose_plan
  instructions,      // approve_plan, return_plan
  accepted,          // record_customer_answer (and a reason when not accepted)
  findings,          // verify_fail
  channel,           // reply: how the result was told
  text,              // reply: what was told
  lessons_if_major,  // close: lessons learned are required for major complaints
  tasks_done,        // submit_for_verification: no task may still be open
  duplicate_of,      // merge: the earlier complaint this one duplicates
};

// The request field a requirement is reported against, e.g. "reply_text".
std::string_view requirement_field(Requirement r);

// Where a transition leads when the outcome is not a fixed state.
enum class Destination : std::uint8_t {
  fixed,            // Transition::to
  held_from,        // resume: back to the state the complaint was put on hold from
  customer_answer,  // record_customer_answer: `to` if accepted, `alt_to` if not
};

// One row of the lifecycle table.
struct Transition {
  Action action;
  StateSet from;
  State to;
  State alt_to;
  Destination destination;
  RoleSet roles;
  std::array<Requirement, 4> requirements;
  std::uint8_t requirement_count;
  std::string_view summary;  // one line for docs and tooltips

  constexpr std::span<const Requirement> required() const {
    return {requirements.data(), requirement_count};
  }
};

// States in which staff work on the case; hold and withdraw start here.
inline constexpr StateSet kWorkingStates{
    State::assessing,         State::assigned,     State::investigating, State::plan_review,
    State::awaiting_customer, State::implementing, State::verifying,     State::responding};

// States from which no action but appeal (rejected) or reopen (closed) leads on.
constexpr bool is_terminal(State s) {
  return s == State::closed || s == State::rejected || s == State::forwarded ||
         s == State::withdrawn || s == State::verification_failed || s == State::duplicate;
}

// The lifecycle table. Rows for the same action have disjoint `from` sets.
const std::span<const Transition> lifecycle_table();

// The row for `action` starting from `state`, or nullptr when the action is
// not possible from that state.
const Transition* find_transition(Action action, State state);

// Every action that some row allows from `state` for a holder of any of `roles`
// (role check only; department scope and data are checked by the caller).
std::vector<Action> actions_for(State state, RoleSet roles);

// What a transition request carries, already parsed. Absent fields are empty.
struct TransitionInput {
  std::optional<std::string> category;
  std::optional<Urgency> urgency;
  std::optional<Difficulty> difficulty;
  std::optional<std::int64_t> department_id;
  std::optional<std::int64_t> assignee_id;
  std::optional<std::string> reason;
  std::optional<std::string> reply_text;
  std::vector<std::int64_t> department_ids;
  std::optional<std::string> note;
  std::size_t remedy_count = 0;
  std::optional<std::string> feasibility;
  std::optional<std::string> instructions;
  std::optional<bool> accepted;
  std::optional<std::string> findings;
  std::optional<Channel> channel;
  std::optional<std::string> text;
  std::optional<std::string> lessons;
  std::optional<std::int64_t> duplicate_of;
};

// What the complaint already holds that can satisfy a requirement.
struct ComplaintFacts {
  bool department_proposed = false;  // a routing rule proposes a department
  bool has_lessons = false;          // a review with lessons is already recorded
  bool is_major = false;             // see is_major()
  std::size_t open_tasks = 0;        // tasks not done or cancelled
};

// Checks every requirement of `t`; returns one FieldError per missing piece
// (empty when all are met). Blank strings count as missing.
std::vector<FieldError> missing_data(const Transition& t, const TransitionInput& input,
                                     const ComplaintFacts& facts);

// A major complaint needs director guidance and lessons learned: urgent, or
// judged difficult.
constexpr bool is_major(Urgency urgency, Difficulty difficulty) {
  return urgency == Urgency::urgent || difficulty == Difficulty::difficult;
}

}  // namespace redress
