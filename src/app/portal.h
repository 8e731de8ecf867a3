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

 private:
  Complaints& complaints_;
  CaseRecords& records_;
};

}  // namespace redress::app
