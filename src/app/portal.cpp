#include "app/portal.h"

#include "app/crypto.h"

namespace redress::app {

namespace {

constexpr StateSet kPlanVisible{State::awaiting_customer, State::implementing, State::verifying,
                                State::responding,        State::resolved,     State::closed};

std::vector<std::string> public_actions(const Complaint& c) {
  std::vector<std::string> out;
  const RoleSet customer{Role::customer};
  for (Action a : actions_for(c.state, customer)) {
    if (a == Action::record_customer_answer) {
      out.push_back("accept_plan");
      out.push_back("reject_plan");
    } else {
      out.emplace_back(to_string(a));
    }
  }
  if (c.state == State::resolved || c.state == State::closed) out.push_back("rate");
  if (!is_terminal(c.state)) out.push_back("message");
  return out;
}

// Files are taken while the customer may still write: not once the complaint is
// finished (closed, withdrawn, rejected, ...); an appeal or a reopening opens it again.
Status check_takes_files(const Complaint& c) {
  if (!is_terminal(c.state)) return {};
  const std::string state(to_string(c.state));
  return fail(Error{ErrorCode::failed_precondition,
                    "this complaint is " + state + "; files can no longer be added",
                    {{"file", "cannot be added to a " + state + " complaint"}}});
}

}  // namespace

Result<std::pair<Actor, Complaint>> Portal::authenticate(const store::ReadTx& tx,
                                                         const std::string& code,
                                                         const std::string& token) {
  REDRESS_TRY(auto c, tx.complaints().find_by_tracking_code(code));
  if (!c || token.empty() || !equal_constant_time(sha256_hex(token), c->access_token_hash)) {
    return fail(Error::not_found("complaint"));
  }
  Actor actor;
  actor.kind = Actor::Kind::customer;
  actor.roles = RoleSet{Role::customer};
  actor.complaint = c->id;
  return std::pair{actor, std::move(*c)};
}

Result<PublicView> Portal::view(const store::ReadTx& tx, const std::string& code,
                                const std::string& token) const {
  REDRESS_TRY(auto found, authenticate(tx, code, token));
  PublicView v;
  v.complaint = std::move(found.second);
  REDRESS_TRY(auto messages, tx.records().messages(v.complaint.id));
  for (auto& m : messages) {
    if (m.direction != Direction::internal) v.messages.push_back(std::move(m));
  }
  v.plan_visible = kPlanVisible.contains(v.complaint.state) && v.complaint.plan_round > 0;
  if (v.plan_visible) {
    REDRESS_TRY(v.remedies, tx.records().remedies(v.complaint.id, v.complaint.plan_round));
  }
  v.allowed_actions = public_actions(v.complaint);
  v.can_attach = !is_terminal(v.complaint.state);
  REDRESS_TRY(v.attachments, tx.records().customer_attachments(v.complaint.id));
  if (v.complaint.state == State::verification_failed) {
    // The customer keeps following the case under the follow-up.
    REDRESS_TRY(v.follow_up_tracking_code, tx.complaints().follow_up_code(v.complaint.id));
  }
  return v;
}

Result<PublicView> Portal::act(store::WriteTx& tx, const std::string& code,
                               const std::string& token, const PublicAction& a) {
  REDRESS_TRY(auto found, authenticate(tx, code, token));
  const Actor& actor = found.first;
  const ComplaintId id = found.second.id;
  auto run = [&](Action action, TransitionInput in) -> Status {
    TransitionRequest req;
    req.action = action;
    req.input = std::move(in);
    REDRESS_TRY(auto r, complaints_.transition(tx, actor, id, std::move(req)));
    (void)r;
    return {};
  };
  if (a.action == "accept_plan") {
    REDRESS_CHECK(run(Action::record_customer_answer, TransitionInput{.accepted = true}));
  } else if (a.action == "reject_plan") {
    REDRESS_CHECK(run(Action::record_customer_answer,
                      TransitionInput{.reason = a.reason, .accepted = false}));
  } else if (a.action == "appeal" || a.action == "reopen") {
    if (!a.reason || a.reason->find_first_not_of(" \t\r\n") == std::string::npos) {
      return fail(Error::invalid("reason", "tell us why"));
    }
    REDRESS_CHECK(run(a.action == "appeal" ? Action::appeal : Action::reopen,
                      TransitionInput{.reason = a.reason}));
  } else if (a.action == "withdraw") {
    REDRESS_CHECK(run(Action::withdraw, TransitionInput{.reason = a.reason}));
  } else if (a.action == "rate") {
    if (!a.score) return fail(Error::invalid("score", "is required: 1 to 5"));
    REDRESS_CHECK(records_.record_satisfaction(tx, actor, id, *a.score, a.comment.value_or("")));
  } else if (a.action == "message") {
    if (is_terminal(found.second.state)) {
      return fail(Error::precondition("this complaint is " +
                                      std::string(to_string(found.second.state)) +
                                      "; appeal or reopen it to write again"));
    }
    REDRESS_CHECK(records_.customer_message(tx, actor, id, a.text.value_or("")));
  } else {
    return fail(Error::invalid("action",
                               "must be accept_plan, reject_plan, rate, message, appeal, reopen "
                               "or withdraw"));
  }
  return view(tx, code, token);
}

Result<AttachTarget> Portal::attach_target(const store::ReadTx& tx, const std::string& code,
                                           const std::string& token) const {
  REDRESS_TRY(auto found, authenticate(tx, code, token));
  REDRESS_CHECK(check_takes_files(found.second));
  REDRESS_TRY(auto rows, tx.records().attachments(found.second.id));
  return AttachTarget{std::move(found.second), rows.size()};
}

Result<std::vector<Attachment>> Portal::attach(store::WriteTx& tx, const std::string& code,
                                               const std::string& token,
                                               const std::vector<StoredUpload>& uploads) {
  REDRESS_TRY(auto found, authenticate(tx, code, token));
  REDRESS_CHECK(check_takes_files(found.second));
  return records_.add_attachments(tx, found.first, found.second.id, uploads);
}

Result<Attachment> Portal::attachment(const store::ReadTx& tx, const std::string& code,
                                      const std::string& token, std::int64_t attachment_id) const {
  REDRESS_TRY(auto found, authenticate(tx, code, token));
  REDRESS_TRY(auto rows, tx.records().customer_attachments(found.second.id));
  for (auto& a : rows) {
    if (a.id == attachment_id) return std::move(a);
  }
  return fail(Error::not_found("attachment"));
}

}  // namespace redress::app
