// The domain's closed vocabularies. Each enum has a persisted and wire name
// (snake_case) that is never reused; to_string/parse convert both ways.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace redress {

// Looks a name up in a {value, name} table; the tables below are the single
// source of the wire/persisted names.
template <class E, std::size_t N>
constexpr std::optional<E> enum_from_name(
    const std::array<std::pair<E, std::string_view>, N>& table, std::string_view name) {
  for (const auto& [value, text] : table) {
    if (text == name) return value;
  }
  return std::nullopt;
}
template <class E, std::size_t N>
constexpr std::string_view enum_name(const std::array<std::pair<E, std::string_view>, N>& table,
                                     E value) {
  for (const auto& [v, text] : table) {
    if (v == value) return text;
  }
  return "unknown";
}

#define REDRESS_ENUM_NAMES(Enum, ...)                                               \
  inline constexpr std::array<                                                      \
      std::pair<Enum, std::string_view>,                                            \
      std::initializer_list<std::pair<Enum, std::string_view>>{__VA_ARGS__}.size()> \
      k##Enum##Names{{__VA_ARGS__}};                                                \
  constexpr std::string_view to_string(Enum v) {                                    \
    return enum_name(k##Enum##Names, v);                                            \
  }                                                                                 \
  template <class T>                                                                \
  requires std::is_same_v<T, Enum>                                                  \
  constexpr std::optional<Enum> parse(std::string_view name) {                      \
    return enum_from_name(k##Enum##Names, name);                                    \
  }

// Lifecycle states (SPEC §2). `withdrawn`, `verification_failed` and
// `duplicate` (merged into an earlier complaint, issue 7) are terminal like
// `closed`, kept apart so queues and reports can tell them apart.
enum class State : std::uint8_t {
  new_,
  assessing,
  assigned,
  investigating,
  plan_review,
  awaiting_customer,
  implementing,
  verifying,
  responding,
  resolved,
  closed,
  rejected,
  forwarded,
  withdrawn,
  verification_failed,
  on_hold,
  duplicate,
};
REDRESS_ENUM_NAMES(State, {State::new_, "new"}, {State::assessing, "assessing"},
                   {State::assigned, "assigned"}, {State::investigating, "investigating"},
                   {State::plan_review, "plan_review"},
                   {State::awaiting_customer, "awaiting_customer"},
                   {State::implementing, "implementing"}, {State::verifying, "verifying"},
                   {State::responding, "responding"}, {State::resolved, "resolved"},
                   {State::closed, "closed"}, {State::rejected, "rejected"},
                   {State::forwarded, "forwarded"}, {State::withdrawn, "withdrawn"},
                   {State::verification_failed, "verification_failed"}, {State::on_hold, "on_hold"},
                   {State::duplicate, "duplicate"})

// What a staff member or the customer asks the lifecycle to do.
enum class Action : std::uint8_t {
  take,
  accept,
  reject,
  forward,
  start_investigation,
  propose_plan,
  approve_plan,
  return_plan,
  record_customer_answer,
  submit_for_verification,
  verify_pass,
  verify_fail,
  reply,
  close,
  reopen,
  appeal,
  withdraw,
  hold,
  resume,
  merge,
};
REDRESS_ENUM_NAMES(Action, {Action::take, "take"}, {Action::accept, "accept"},
                   {Action::reject, "reject"}, {Action::forward, "forward"},
                   {Action::start_investigation, "start_investigation"},
                   {Action::propose_plan, "propose_plan"}, {Action::approve_plan, "approve_plan"},
                   {Action::return_plan, "return_plan"},
                   {Action::record_customer_answer, "record_customer_answer"},
                   {Action::submit_for_verification, "submit_for_verification"},
                   {Action::verify_pass, "verify_pass"}, {Action::verify_fail, "verify_fail"},
                   {Action::reply, "reply"}, {Action::close, "close"}, {Action::reopen, "reopen"},
                   {Action::appeal, "appeal"}, {Action::withdraw, "withdraw"},
                   {Action::hold, "hold"}, {Action::resume, "resume"}, {Action::merge, "merge"})

// Roles of SPEC §1. `customer` is the complainant acting through the portal
// with the complaint's access token; it is never stored on a user.
enum class Role : std::uint8_t { customer, agent, handler, qa, supervisor, director, admin };
REDRESS_ENUM_NAMES(Role, {Role::customer, "customer"}, {Role::agent, "agent"},
                   {Role::handler, "handler"}, {Role::qa, "qa"}, {Role::supervisor, "supervisor"},
                   {Role::director, "director"}, {Role::admin, "admin"})

enum class Kind : std::uint8_t { complaint, suggestion, compliment };
REDRESS_ENUM_NAMES(Kind, {Kind::complaint, "complaint"}, {Kind::suggestion, "suggestion"},
                   {Kind::compliment, "compliment"})

enum class Validity : std::uint8_t { pending, founded, unfounded };
REDRESS_ENUM_NAMES(Validity, {Validity::pending, "pending"}, {Validity::founded, "founded"},
                   {Validity::unfounded, "unfounded"})

enum class Urgency : std::uint8_t { urgent, important, general };
REDRESS_ENUM_NAMES(Urgency, {Urgency::urgent, "urgent"}, {Urgency::important, "important"},
                   {Urgency::general, "general"})

enum class Difficulty : std::uint8_t { simple, complex, difficult };
REDRESS_ENUM_NAMES(Difficulty, {Difficulty::simple, "simple"}, {Difficulty::complex, "complex"},
                   {Difficulty::difficult, "difficult"})

enum class Channel : std::uint8_t {
  portal,
  email,
  phone,
  chat,
  letter,
  in_person,
  feedback_form,
  api,
};
REDRESS_ENUM_NAMES(Channel, {Channel::portal, "portal"}, {Channel::email, "email"},
                   {Channel::phone, "phone"}, {Channel::chat, "chat"}, {Channel::letter, "letter"},
                   {Channel::in_person, "in_person"}, {Channel::feedback_form, "feedback_form"},
                   {Channel::api, "api"})

// The six fishbone (Ishikawa) families of a root cause.
enum class CauseFamily : std::uint8_t {
  people,
  method,
  machine,
  material,
  measurement,
  environment
};
REDRESS_ENUM_NAMES(CauseFamily, {CauseFamily::people, "people"}, {CauseFamily::method, "method"},
                   {CauseFamily::machine, "machine"}, {CauseFamily::material, "material"},
                   {CauseFamily::measurement, "measurement"},
                   {CauseFamily::environment, "environment"})

enum class RemedyType : std::uint8_t {
  refund,
  return_goods,
  exchange,
  repair,
  replacement,
  compensation,
  apology,
  service_improvement,
  other,
};
REDRESS_ENUM_NAMES(RemedyType, {RemedyType::refund, "refund"}, {RemedyType::return_goods, "return"},
                   {RemedyType::exchange, "exchange"}, {RemedyType::repair, "repair"},
                   {RemedyType::replacement, "replacement"},
                   {RemedyType::compensation, "compensation"}, {RemedyType::apology, "apology"},
                   {RemedyType::service_improvement, "service_improvement"},
                   {RemedyType::other, "other"})

enum class TaskKind : std::uint8_t { corrective, preventive };
REDRESS_ENUM_NAMES(TaskKind, {TaskKind::corrective, "corrective"},
                   {TaskKind::preventive, "preventive"})

enum class TaskStatus : std::uint8_t { open, in_progress, done, cancelled };
REDRESS_ENUM_NAMES(TaskStatus, {TaskStatus::open, "open"}, {TaskStatus::in_progress, "in_progress"},
                   {TaskStatus::done, "done"}, {TaskStatus::cancelled, "cancelled"})

enum class Direction : std::uint8_t { inbound, outbound, internal };
REDRESS_ENUM_NAMES(Direction, {Direction::inbound, "inbound"}, {Direction::outbound, "outbound"},
                   {Direction::internal, "internal"})

}  // namespace redress
