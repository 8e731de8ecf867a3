#include "app/case_records.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "app/audit.h"
#include "app/complaints.h"
#include "app/lessons.h"
#include "app/sla.h"
#include "core/rules.h"

namespace redress::app {

namespace {

using Json = nlohmann::json;

bool blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

// Loads the complaint and checks that the caller holds one of `allowed` on it.
Result<Complaint> load_for(store::WriteTx& tx, const Actor& actor, ComplaintId id, RoleSet allowed,
                           const char* what) {
  REDRESS_TRY(auto c, load_for_write(tx, actor, id));
  if (!effective_roles(actor, c.id, c.department).intersects(allowed)) {
    return fail(Error::forbidden(std::string("your roles do not allow you to ") + what +
                                 " on this complaint"));
  }
  return c;
}

Status require_state(const Complaint& c, StateSet allowed, const char* what) {
  if (allowed.contains(c.state)) return {};
  return fail(Error::precondition(std::string("cannot ") + what + " while the complaint is " +
                                  std::string(to_string(c.state))));
}

Status record_event(store::WriteTx& tx, const Actor& actor, Complaint& c, Instant now,
                    std::string action, Json data) {
  REDRESS_CHECK(save(tx, c, now));
  REDRESS_TRY(auto id, append_event(tx, actor, now,
                                    {c.id, std::move(action), c.state, c.state, std::move(data)}));
  (void)id;
  return {};
}

constexpr StateSet kInvestigationStates{State::investigating, State::plan_review};
constexpr StateSet kTaskStates{State::investigating, State::plan_review, State::awaiting_customer,
                               State::implementing, State::on_hold};

}  // namespace

Result<Cause> CaseRecords::add_cause(store::WriteTx& tx, const Actor& actor, ComplaintId id,
                                     const CauseRequest& req) {
  const Instant now = clock_.now();
  std::vector<FieldError> errors;
  if (!req.family) {
    errors.push_back({"family",
                      "is required: people, method, machine, material, measurement or "
                      "environment"});
  }
  if (blank(req.description)) errors.push_back(required_field("description"));
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  REDRESS_TRY(auto c, load_for(tx, actor, id, {Role::handler, Role::qa, Role::supervisor},
                               "record root causes"));
  REDRESS_CHECK(require_state(c, kInvestigationStates, "record root causes"));
  Cause cause{0,
              c.id,
              req.family.value_or(CauseFamily::method),  // checked above
              req.description,
              req.responsible,
              req.five_whys,
              req.evidence,
              actor.user,
              now};
  REDRESS_TRY(cause.id, tx.records().add_cause(cause));
  REDRESS_CHECK(record_event(tx, actor, c, now, "cause_added",
                             Json{{"cause_id", cause.id},
                                  {"family", to_string(cause.family)},
                                  {"description", cause.description},
                                  {"responsible", cause.responsible}}));
  return cause;
}

Result<Task> CaseRecords::add_task(store::WriteTx& tx, const Actor& actor, ComplaintId id,
                                   const TaskRequest& req) {
  const Instant now = clock_.now();
  std::vector<FieldError> errors;
  if (blank(req.title)) errors.push_back(required_field("title"));
  if (!req.kind) errors.push_back({"kind", "is required: corrective or preventive"});
  if (req.owner_id) {
    REDRESS_TRY(auto owner, tx.directory().user(UserId{*req.owner_id}));
    if (!owner) errors.push_back({"owner_id", "is not a user"});
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  REDRESS_TRY(auto c,
              load_for(tx, actor, id, {Role::handler, Role::qa, Role::supervisor}, "plan tasks"));
  REDRESS_CHECK(require_state(c, kTaskStates, "add tasks"));
  Task task;
  task.complaint = c.id;
  task.title = req.title;
  task.kind = req.kind.value_or(TaskKind::corrective);  // checked above
  if (req.owner_id) task.owner = UserId{*req.owner_id};
  task.due_at = req.due_at;
  task.created_at = now;
  REDRESS_TRY(task.id, tx.records().add_task(task));
  REDRESS_CHECK(record_event(
      tx, actor, c, now, "task_added",
      Json{{"task_id", task.id}, {"title", task.title}, {"kind", to_string(task.kind)}}));
  return task;
}

Result<Task> CaseRecords::update_task(store::WriteTx& tx, const Actor& actor, ComplaintId id,
                                      std::int64_t task_id, const TaskUpdate& req) {
  const Instant now = clock_.now();
  REDRESS_TRY(auto c, load_for_write(tx, actor, id));
  REDRESS_TRY(auto tasks, tx.records().tasks(c.id));
  auto it =
      std::find_if(tasks.begin(), tasks.end(), [&](const Task& t) { return t.id == task_id; });
  if (it == tasks.end()) return fail(Error::not_found("task"));
  Task task = *it;
  const bool owner = task.owner && actor.kind == Actor::Kind::user && *task.owner == actor.user;
  if (!owner && !effective_roles(actor, c.id, c.department)
                     .intersects({Role::handler, Role::qa, Role::supervisor})) {
    return fail(Error::forbidden("only the task's owner or the handling department update it"));
  }
  REDRESS_CHECK(require_state(c, kTaskStates, "update tasks"));
  if (!req.status && (!req.note || blank(*req.note))) {
    return fail(Error::invalid("status", "give a new status or a progress note"));
  }
  Json before{{"status", to_string(task.status)}};
  if (req.status) task.status = *req.status;
  if (req.note && !blank(*req.note)) task.notes.push_back(*req.note);
  REDRESS_CHECK(tx.records().update_task(task));
  REDRESS_CHECK(record_event(tx, actor, c, now, "task_updated",
                             Json{{"task_id", task.id},
                                  {"before", before},
                                  {"after", Json{{"status", to_string(task.status)}}},
                                  {"note", req.note.value_or("")}}));
  return task;
}

Result<Message> CaseRecords::add_message(store::WriteTx& tx, const Actor& actor, ComplaintId id,
                                         const MessageRequest& req) {
  const Instant now = clock_.now();
  std::vector<FieldError> errors;
  if (req.kind != "question" && req.kind != "note" && req.kind != "inbound") {
    errors.push_back({"kind", "must be question, note or inbound"});
  }
  if (blank(req.text)) errors.push_back(required_field("text"));
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  REDRESS_TRY(auto c,
              load_for(tx, actor, id,
                       {Role::agent, Role::handler, Role::qa, Role::supervisor, Role::director},
                       "write messages"));
  if (req.kind != "note" && !effective_roles(actor, c.id, c.department)
                                 .intersects({Role::agent, Role::supervisor, Role::handler})) {
    return fail(Error::forbidden("only agents, handlers and supervisors talk to the customer"));
  }
  Message m;
  m.complaint = c.id;
  m.direction = req.kind == "note"      ? Direction::internal
                : req.kind == "inbound" ? Direction::inbound
                                        : Direction::outbound;
  m.channel = req.channel.value_or(req.kind == "note" ? Channel::api : Channel::email);
  m.kind = req.kind == "inbound" ? "customer" : req.kind;
  m.body = req.text;
  m.author = actor.user;
  m.at = now;
  REDRESS_TRY(m.id, tx.records().add_message(m));
  if (req.kind == "question") {
    REDRESS_TRY(auto customer, tx.customers().find(c.customer));
    if (customer && !customer->email.empty()) {
      store::OutboxMessage o{0,
                             "question",
                             c.id,
                             customer->email,
                             customer->language,
                             Json{{"tracking_code", c.tracking_code}, {"text", req.text}}.dump(),
                             now,
                             std::nullopt};
      REDRESS_TRY(auto oid, tx.outbox().enqueue(o));
      (void)oid;
    }
    REDRESS_CHECK(record_first_response(tx, c.id, now));
  }
  REDRESS_CHECK(record_event(tx, actor, c, now, "message_" + m.kind,
                             Json{{"message_id", m.id},
                                  {"direction", to_string(m.direction)},
                                  {"channel", to_string(m.channel)}}));
  return m;
}

Result<void> check_may_attach(const Actor& actor, const Complaint& complaint) {
  if (actor.kind == Actor::Kind::user &&
      !effective_roles(actor, complaint.id, complaint.department)
           .intersects({Role::agent, Role::handler, Role::qa, Role::supervisor})) {
    return fail(Error::forbidden("your roles do not allow you to attach evidence"));
  }
  return {};
}

Result<std::vector<Attachment>> CaseRecords::add_attachments(
    store::WriteTx& tx, const Actor& actor, ComplaintId id,
    const std::vector<StoredUpload>& uploads) {
  const Instant now = clock_.now();
  REDRESS_TRY(auto c, load_for_write(tx, actor, id));
  REDRESS_CHECK(check_may_attach(actor, c));
  std::vector<Attachment> out;
  Json ids = Json::array();
  for (const StoredUpload& u : uploads) {
    Attachment a{0,
                 c.id,
                 u.filename,
                 u.content_type,
                 u.size,
                 u.sha256,
                 u.storage_key,
                 actor.kind == Actor::Kind::user ? std::optional<UserId>(actor.user) : std::nullopt,
                 now,
                 actor.kind == Actor::Kind::customer};
    REDRESS_TRY(a.id, tx.records().add_attachment(a));
    ids.push_back(Json{{"id", a.id}, {"filename", a.filename}, {"sha256", a.sha256}});
    out.push_back(std::move(a));
  }
  REDRESS_CHECK(record_event(tx, actor, c, now, "attachments_added", Json{{"attachments", ids}}));
  return out;
}

Result<AccountabilityEntry> CaseRecords::add_accountability(store::WriteTx& tx, const Actor& actor,
                                                            ComplaintId id,
                                                            const AccountabilityRequest& req) {
  const Instant now = clock_.now();
  std::vector<FieldError> errors;
  if (blank(req.subject)) errors.push_back({"subject", "is required: the person or unit"});
  if (blank(req.finding)) errors.push_back(required_field("finding"));
  if (req.loss_amount && *req.loss_amount < 0) {
    errors.push_back({"loss_amount", "cannot be negative"});
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  REDRESS_TRY(auto c,
              load_for(tx, actor, id, {Role::handler, Role::qa, Role::supervisor, Role::director},
                       "record accountability"));
  if (c.state == State::new_ || c.state == State::assessing) {
    return fail(Error::precondition("accountability is decided once the complaint is founded"));
  }
  AccountabilityEntry e;
  e.complaint = c.id;
  e.subject = req.subject;
  e.finding = req.finding;
  e.loss_amount = req.loss_amount;
  e.recorded_by = actor.user;
  e.recorded_at = now;
  REDRESS_TRY(auto rules, tx.rules().sanction_rules());
  if (const SanctionRule* rule = sanction_for_loss(rules, req.loss_amount.value_or(0))) {
    e.proposed_sanction = rule->sanction;
    e.proposed_deduction_percent = rule->wage_deduction_percent;
    e.sanction_rule_id = rule->id;
  }
  if (req.sanction && !blank(*req.sanction)) {
    e.proposed_sanction = *req.sanction;
    e.sanction_rule_id.reset();
    e.proposed_deduction_percent.reset();
  }
  REDRESS_TRY(e.id, tx.records().add_accountability(e));
  REDRESS_CHECK(
      record_event(tx, actor, c, now, "accountability_recorded",
                   Json{{"entry_id", e.id},
                        {"subject", e.subject},
                        {"loss_amount", e.loss_amount ? Json(*e.loss_amount) : Json(nullptr)},
                        {"proposed_sanction", e.proposed_sanction}}));
  return e;
}

Result<AccountabilityEntry> CaseRecords::confirm_sanction(store::WriteTx& tx, const Actor& actor,
                                                          ComplaintId id, std::int64_t entry_id,
                                                          const ConfirmSanction& req) {
  const Instant now = clock_.now();
  if (blank(req.sanction)) return fail(Error::invalid(required_field("sanction")));
  if (req.deduction_percent && (*req.deduction_percent < 0 || *req.deduction_percent > 100)) {
    return fail(Error::invalid(range_field("deduction_percent", 0, 100)));
  }
  REDRESS_TRY(auto c,
              load_for(tx, actor, id, {Role::supervisor, Role::director}, "decide sanctions"));
  REDRESS_TRY(auto entries, tx.records().accountability(c.id));
  auto it = std::find_if(entries.begin(), entries.end(),
                         [&](const AccountabilityEntry& e) { return e.id == entry_id; });
  if (it == entries.end()) return fail(Error::not_found("accountability entry"));
  AccountabilityEntry e = *it;
  e.sanction = req.sanction;
  e.deduction_percent = req.deduction_percent;
  e.confirmed_by = actor.user;
  e.confirmed_at = now;
  REDRESS_CHECK(tx.records().update_accountability(e));
  REDRESS_CHECK(record_event(tx, actor, c, now, "sanction_confirmed",
                             Json{{"entry_id", e.id},
                                  {"proposed", it->proposed_sanction},
                                  {"sanction", e.sanction},
                                  {"changed", e.sanction != it->proposed_sanction}}));
  return e;
}

Result<ReviewRequest> CaseRecords::put_review(store::WriteTx& tx, const Actor& actor,
                                              ComplaintId id, const ReviewRequest& req) {
  const Instant now = clock_.now();
  std::vector<FieldError> errors;
  if (blank(req.lessons)) errors.push_back(required_field("lessons"));
  for (std::size_t i = 0; i < req.improvement_actions.size(); ++i) {
    const auto& a = req.improvement_actions[i];
    const std::string f = "improvement_actions[" + std::to_string(i) + "]";
    if (blank(a.title)) errors.push_back(required_field(f + ".title"));
    if (!is_improvement_status(a.status)) {
      errors.push_back({f + ".status", "must be planned, in_progress or done"});
    }
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  REDRESS_TRY(auto c,
              load_for(tx, actor, id,
                       {Role::agent, Role::handler, Role::qa, Role::supervisor, Role::director},
                       "record the review"));
  if (c.state == State::new_ || c.state == State::assessing) {
    return fail(Error::precondition("the review comes after the complaint is handled"));
  }
  Json before{{"lessons", c.lessons}};
  c.lessons = req.lessons;
  REDRESS_CHECK(tx.records().replace_improvement_actions(c.id, req.improvement_actions));
  REDRESS_CHECK(tx.search().index_lessons(c.id, c.lessons));
  REDRESS_CHECK(record_event(tx, actor, c, now, "review_recorded",
                             Json{{"before", before},
                                  {"lessons", c.lessons},
                                  {"improvement_actions", req.improvement_actions.size()}}));
  return req;
}

Status CaseRecords::record_satisfaction(store::WriteTx& tx, const Actor& actor, ComplaintId id,
                                        int score, const std::string& comment) {
  const Instant now = clock_.now();
  if (score < 1 || score > 5) return fail(Error::invalid(range_field("score", 1, 5)));
  REDRESS_TRY(auto c, load_for_write(tx, actor, id));
  if (actor.kind == Actor::Kind::user &&
      !effective_roles(actor, c.id, c.department).intersects({Role::agent, Role::supervisor})) {
    return fail(Error::forbidden("only agents record the customer's satisfaction"));
  }
  REDRESS_CHECK(require_state(c, {State::resolved, State::closed}, "rate satisfaction"));
  c.satisfaction_score = score;
  c.satisfaction_comment = comment;
  Feedback f{0,     c.id,    "rating",
             score, comment, actor.kind == Actor::Kind::customer ? "portal" : "agent",
             now};
  REDRESS_TRY(auto fid, tx.records().add_feedback(f));
  (void)fid;
  return record_event(tx, actor, c, now, "satisfaction_recorded",
                      Json{{"score", score}, {"comment", comment}});
}

Status CaseRecords::customer_message(store::WriteTx& tx, const Actor& actor, ComplaintId id,
                                     const std::string& text, Channel channel) {
  const Instant now = clock_.now();
  if (blank(text)) return fail(Error::invalid(required_field("text")));
  if (text.size() > 20000) return fail(Error::invalid(too_long_field("text", 20000)));
  REDRESS_TRY(auto c, load_visible(tx, actor, id));
  Message m{0, c.id, Direction::inbound, channel, "customer", text, std::nullopt, now};
  REDRESS_TRY(m.id, tx.records().add_message(m));
  Feedback f{0, c.id, "message", std::nullopt, text, std::string(to_string(channel)), now};
  REDRESS_TRY(auto fid, tx.records().add_feedback(f));
  (void)fid;
  return record_event(tx, actor, c, now, "message_customer", Json{{"message_id", m.id}});
}

}  // namespace redress::app
