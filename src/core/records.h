// The records of SPEC §3 as plain values. They carry no behaviour beyond
// defaults: the lifecycle rules live in lifecycle.h, persistence in store/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/enums.h"
#include "core/ids.h"
#include "core/time.h"

namespace redress {

struct Customer {
  CustomerId id;
  std::string name;
  std::string email;
  std::string phone;
  std::string language = "en";  // BCP 47 tag among en, es, fr, zh-Hans, zh-Hant, vi
  std::optional<Channel> reply_channel;
};

// A complaint and everything that is one value per complaint. Lists (causes,
// remedies, tasks, messages…) are separate records keyed by the complaint.
struct Complaint {
  ComplaintId id;
  std::string tracking_code;
  std::string access_token_hash;  // SHA-256 of the customer's portal token, hex
  State state = State::new_;
  std::optional<State> held_from;  // set while on_hold
  std::int64_t version = 1;        // bumped by every change (optimistic concurrency)

  // Registration
  CustomerId customer;
  Channel channel = Channel::portal;
  Instant received_at;
  std::optional<Instant> occurred_at;
  std::string place;
  std::string object_type;  // product, order, service, employee…
  std::string object_ref;   // e.g. the order reference or product name
  std::string subject;
  std::string description;
  std::string demands;
  std::string people_involved;
  std::string language = "en";

  // Assessment
  Kind kind = Kind::complaint;
  Validity validity = Validity::pending;
  std::string validity_reason;
  std::optional<std::string> category;
  std::optional<Urgency> urgency;
  std::optional<Difficulty> difficulty;
  std::string impact_customer;
  std::string impact_reputation;
  std::optional<double> estimated_loss;
  std::vector<std::string> tags;

  // Routing
  std::optional<DepartmentId> department;
  std::optional<UserId> assignee;
  int escalation_level = 0;

  // Plan (the remedies themselves are Remedy records)
  std::string feasibility;
  std::optional<double> estimated_cost;
  int plan_round = 0;
  bool supervisor_approved = false;
  bool director_approved = false;
  std::string plan_instructions;
  std::optional<bool> customer_accepted;
  std::string customer_answer_reason;

  // Satisfaction and review
  std::optional<int> satisfaction_score;
  std::string satisfaction_comment;
  std::string lessons;

  std::optional<ComplaintId> follow_up_of;
  int reopen_count = 0;
  int appeal_count = 0;
  std::optional<Instant> rejected_at;
  std::optional<Instant> resolved_at;
  std::optional<Instant> closed_at;
  Instant created_at;
  Instant updated_at;
  // The earliest due time of the complaint's running SLA clocks (none while every
  // clock is stopped or paused). Derived: the store keeps it whenever a clock is
  // written; writing a Complaint never changes it.
  std::optional<Instant> due_at;
};

struct Cause {
  std::int64_t id = 0;
  ComplaintId complaint;
  CauseFamily family = CauseFamily::method;
  std::string description;
  std::string responsible;             // person or unit responsible
  std::vector<std::string> five_whys;  // optional chain, first why first
  std::string evidence;
  UserId recorded_by;
  Instant recorded_at;
};

struct Remedy {
  std::int64_t id = 0;
  ComplaintId complaint;
  int plan_round = 0;
  RemedyType type = RemedyType::other;
  std::string description;
  std::optional<double> amount;
  std::string currency;
};

struct Task {
  std::int64_t id = 0;
  ComplaintId complaint;
  std::string title;
  TaskKind kind = TaskKind::corrective;
  std::optional<UserId> owner;
  std::optional<Instant> due_at;
  TaskStatus status = TaskStatus::open;
  std::vector<std::string> notes;  // progress notes, oldest first
  Instant created_at;
};

// Every message to or from the customer, and internal notes.
struct Message {
  std::int64_t id = 0;
  ComplaintId complaint;
  Direction direction = Direction::outbound;
  Channel channel = Channel::email;
  std::string
      kind;  // acknowledgement, question, proposal, rejection, reply, survey, customer, note
  std::string body;
  std::optional<UserId> author;
  Instant at;
};

struct Attachment {
  std::int64_t id = 0;
  ComplaintId complaint;
  std::string filename;
  std::string content_type;
  std::int64_t size = 0;
  std::string sha256;       // hex
  std::string storage_key;  // file name under the attachment directory
  std::optional<UserId> uploaded_by;
  Instant at;
  // Added by the complainant on the portal: the only attachments the portal lists
  // and serves back to them (staff evidence stays internal).
  bool by_customer = false;
};

struct AccountabilityEntry {
  std::int64_t id = 0;
  ComplaintId complaint;
  std::string kind = "finding";  // finding | delay
  std::string subject;           // person or unit responsible
  std::string finding;
  std::optional<double> loss_amount;
  std::string proposed_sanction;
  std::optional<double> proposed_deduction_percent;
  std::optional<std::int64_t> sanction_rule_id;
  std::string sanction;  // as confirmed by a supervisor
  std::optional<double> deduction_percent;
  std::optional<UserId> confirmed_by;
  std::optional<Instant> confirmed_at;
  UserId recorded_by;
  Instant recorded_at;
};

struct ImprovementAction {
  std::int64_t id = 0;
  ComplaintId complaint;
  std::string title;
  std::optional<UserId> owner;
  std::optional<Instant> due_at;
  std::string resources;
  std::string status = "planned";  // planned | in_progress | done
};

// The feedback log: every piece of customer feedback (ratings, messages,
// appeals, reopen and plan answers) with where it came from.
struct Feedback {
  std::int64_t id = 0;
  ComplaintId complaint;
  std::string kind;  // rating | message | appeal | reopen | plan_answer | withdrawal
  std::optional<int> score;
  std::string text;
  std::string source;  // portal | agent
  Instant at;
};

// One timeline entry. Events are append-only and hash-chained across the
// whole store: `hash` = SHA-256(prev_hash ‖ canonical content).
struct Event {
  std::int64_t id = 0;
  ComplaintId complaint;
  Instant at;
  std::string actor_kind;  // user | customer | system
  std::optional<UserId> actor;
  std::string action;  // a lifecycle action or a record change, e.g. "cause_added"
  std::optional<State> from_state;
  std::optional<State> to_state;
  std::string data;  // JSON object with the details (before → after, ids, texts)
  std::string prev_hash;
  std::string hash;
  // 1: the hash covers `data` itself (events before migration 0005); 2: it covers
  // sha256(data), so erasure can redact `data` and the chain still verifies.
  int hash_version = 2;
};

struct Department {
  DepartmentId id;
  std::string code;
  std::string name;
  std::optional<DepartmentId> parent;
  std::optional<UserId> supervisor;
  // Retired departments stay (complaints and users keep naming them) but are
  // no longer offered for routing.
  bool active = true;
};

struct Category {
  std::string code;
  std::string name;
  std::optional<std::string> parent_code;
  // Retired categories stay (complaints keep naming them) but are no longer
  // offered for classification.
  bool active = true;
};

struct User {
  UserId id;
  std::string username;
  std::string password_hash;  // Argon2id encoded string
  std::string display_name;
  std::vector<Role> roles;
  std::optional<DepartmentId> department;
  bool wide_scope = false;
  std::string language = "en";
  bool active = true;
  Instant created_at;
  std::string email;  // where notifications to this staff member go; may be empty
};

}  // namespace redress
