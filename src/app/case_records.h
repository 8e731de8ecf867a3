// Use cases on the records of a complaint's case file (SPEC §3): root causes,
// tasks, messages, attachments, accountability, review, satisfaction. Each
// checks role, department scope and state, writes its record, bumps the
// complaint's version and appends a timeline event, in the caller's
// transaction.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/access.h"
#include "core/records.h"
#include "store/store.h"

namespace redress::app {

// Whether `actor` may attach evidence to `complaint` (customers of the complaint and
// agents, handlers, QA and supervisors in scope). Pure; checked by add_attachments and,
// before any file is written, by the upload route, so a refused upload leaves no file.
Result<void> check_may_attach(const Actor& actor, const Complaint& complaint);

struct CauseRequest {
  std::optional<CauseFamily> family;
  std::string description;
  std::string responsible;
  std::vector<std::string> five_whys;
  std::string evidence;
};

struct TaskRequest {
  std::string title;
  std::optional<TaskKind> kind;
  std::optional<std::int64_t> owner_id;
  std::optional<Instant> due_at;
};

struct TaskUpdate {
  std::optional<TaskStatus> status;
  std::optional<std::string> note;
};

struct MessageRequest {
  std::string kind;  // question | note | inbound
  std::string text;
  std::optional<Channel> channel;
};

struct AccountabilityRequest {
  std::string subject;
  std::string finding;
  std::optional<double> loss_amount;
  std::optional<std::string> sanction;  // the recorder's own proposal, overriding the rules
};

struct ConfirmSanction {
  std::string sanction;
  std::optional<double> deduction_percent;
};

struct ReviewRequest {
  std::string lessons;
  std::vector<ImprovementAction> improvement_actions;
};

// An uploaded file already checked and written under the attachment
// directory by the caller (http), described here for the record.
struct StoredUpload {
  std::string filename;
  std::string content_type;
  std::int64_t size = 0;
  std::string sha256;
  std::string storage_key;
};

class CaseRecords {
 public:
  explicit CaseRecords(const Clock& clock) : clock_(clock) {}

  Result<Cause> add_cause(store::WriteTx& tx, const Actor& actor, ComplaintId id,
                          const CauseRequest& req);
  Result<Task> add_task(store::WriteTx& tx, const Actor& actor, ComplaintId id,
                        const TaskRequest& req);
  Result<Task> update_task(store::WriteTx& tx, const Actor& actor, ComplaintId id,
                           std::int64_t task_id, const TaskUpdate& req);
  Result<Message> add_message(store::WriteTx& tx, const Actor& actor, ComplaintId id,
                              const MessageRequest& req);
  // Records already stored files as evidence; a customer's (the portal) are marked
  // by_customer, so the portal shows them back. The timeline event names the actor.
  Result<std::vector<Attachment>> add_attachments(store::WriteTx& tx, const Actor& actor,
                                                  ComplaintId id,
                                                  const std::vector<StoredUpload>& uploads);
  // Records a finding; proposes a sanction from the sanction rules by loss.
  Result<AccountabilityEntry> add_accountability(store::WriteTx& tx, const Actor& actor,
                                                 ComplaintId id, const AccountabilityRequest& req);
  // A supervisor or director confirms (or changes) the proposed sanction.
  Result<AccountabilityEntry> confirm_sanction(store::WriteTx& tx, const Actor& actor,
                                               ComplaintId id, std::int64_t entry_id,
                                               const ConfirmSanction& req);
  Result<ReviewRequest> put_review(store::WriteTx& tx, const Actor& actor, ComplaintId id,
                                   const ReviewRequest& req);
  // Records a satisfaction score (1–5) given by the customer (portal or agent).
  Status record_satisfaction(store::WriteTx& tx, const Actor& actor, ComplaintId id, int score,
                             const std::string& comment);
  // A message from the customer: on the portal, or a reply by e-mail
  // (`channel` email) threaded onto the complaint.
  Status customer_message(store::WriteTx& tx, const Actor& actor, ComplaintId id,
                          const std::string& text, Channel channel = Channel::portal);

 private:
  const Clock& clock_;
};

}  // namespace redress::app
