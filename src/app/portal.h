// The customer's side (SPEC §5 public portal): no account, the tracking code
// plus the access token issued at submission. A wrong token looks exactly
// like an unknown code (not_found), so codes cannot be probed.
#pragma once

#include "app/case_records.h"
#include "app/complaints.h"

namespace redress::app {

// What the customer sees: never internal notes, causes, accountability,
// assignee or department.
struct PublicView {
  Complaint complaint;
  std::vector<Message> messages;  // inbound and outbound only
  std::vector<Remedy> remedies;   // the plan once it is put to the customer
  bool plan_visible = false;
  std::vector<std::string> allowed_actions;
  std::optional<std::string> follow_up_tracking_code;
  std::vector<Attachment> attachments;  // the ones the customer added, never staff evidence
  bool can_attach = false;              // the complaint still takes files from the customer
};

// The complaint a customer's upload goes to, checked before any file is written:
// how many attachments its case file already holds (staff ones included: the
// per-complaint limit is the staff route's).
struct AttachTarget {
  Complaint complaint;
  std::size_t held = 0;
};

struct PublicAction {
  std::string action;  // accept_plan, reject_plan, rate, message, appeal, reopen, withdraw
  std::optional<std::string> reason;
  std::optional<std::string> text;
  std::optional<int> score;
  std::optional<std::string> comment;
};

class Portal {
 public:
  Portal(Complaints& complaints, CaseRecords& records)
      : complaints_(complaints), records_(records) {}

  // The customer Actor for `code` if `token` matches; not_found otherwise.
  static Result<std::pair<Actor, Complaint>> authenticate(const store::ReadTx& tx,
                                                          const std::string& code,
                                                          const std::string& token);
  Result<PublicView> view(const store::ReadTx& tx, const std::string& code,
                          const std::string& token) const;
  Result<PublicView> act(store::WriteTx& tx, const std::string& code, const std::string& token,
                         const PublicAction& action);
  // Whether the customer may still add files: not_found for a wrong code or token,
  // failed_precondition naming `file` once the complaint is closed, withdrawn or
  // otherwise finished (the same rule as writing a message).
  Result<AttachTarget> attach_target(const store::ReadTx& tx, const std::string& code,
                                     const std::string& token) const;
  // Records files already checked and stored (http: the shared upload checks) as
  // the customer's evidence, with a timeline event by the customer. Checks the
  // token and the state again: the complaint may have closed since attach_target.
  Result<std::vector<Attachment>> attach(store::WriteTx& tx, const std::string& code,
                                         const std::string& token,
                                         const std::vector<StoredUpload>& uploads);
  // One attachment the customer added (not_found for staff evidence, another
  // complaint's file or a wrong token: all look the same).
  Result<Attachment> attachment(const store::ReadTx& tx, const std::string& code,
                                const std::string& token, std::int64_t attachment_id) const;

 private:
  Complaints& complaints_;
  CaseRecords& records_;
};

}  // namespace redress::app
