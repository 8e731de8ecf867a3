// E-mail in (SPEC §5): what one received mail does to the case files. A new
// mail opens a complaint on the `email` channel (the customer found by the
// From address, or created); a reply is threaded onto its complaint as a
// customer message; automatic mail (auto-replies, bounces, our own) is
// recorded and ignored, so mail loops cannot start. Every outcome is an
// inbound_mail row written in the same transaction as its effects: that row
// is what makes intake exactly-once (jobs/mail_poller.h).
//
// The mail arrives already parsed (mail/inbound.h) and its attachments
// already checked and stored (app/uploads.h): app/ knows no MIME.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/case_records.h"
#include "app/complaints.h"
#include "app/intake_signals.h"

namespace redress::app {

struct InboundMessage {
  // Where it came from: with the UID this names the IMAP message for good.
  std::string mailbox;  // without credentials
  std::int64_t uidvalidity = 0;
  std::int64_t uid = 0;

  std::string message_id;  // "<…>", may be empty
  std::string from_address;
  std::string from_name;
  std::string subject;
  std::string body;      // UTF-8 text
  std::string language;  // for a new customer: en, es, fr, zh-Hans, zh-Hant, vi
  // Message-IDs the mail answers (In-Reply-To, then References newest first).
  std::vector<std::string> replies_to;
  std::vector<std::string> tracking_codes;  // found in the subject
  std::string automatic;                    // non-empty: why it is machine mail
  std::vector<StoredUpload> attachments;    // checked and stored
  std::vector<std::string> refused;         // attachments not kept, and why
  // Set by MailIntake::prepare() off the store's writer: the suggestions
  // and duplicate signature of the complaint this mail would open. Without
  // them, a mail that opens a complaint has them computed in the write.
  std::optional<IntakeSignals> signals;
};

struct MailOutcome {
  std::string outcome;  // opened | threaded | ignored | duplicate | failed
  std::optional<ComplaintId> complaint;
  std::string tracking_code;  // of that complaint
  std::string reason;
};

class MailIntake {
 public:
  // `own_address` is the address our mail goes out from (REDRESS_MAIL_FROM):
  // mail from it is never filed. `max_attachments` per complaint.
  // `triage` (may be null: no suggestions) and `duplicates` are what a
  // complaint opened by mail is suggested and flagged with, as at every
  // intake (app/intake_signals.h).
  MailIntake(const Clock& clock, std::string own_address, std::size_t max_attachments = 50,
             std::shared_ptr<const TriageService> triage = nullptr,
             DuplicateOptions duplicates = {})
      : clock_(clock),
        complaints_(clock),
        records_(clock),
        own_address_(std::move(own_address)),
        max_attachments_(max_attachments),
        triage_(std::move(triage)),
        duplicates_(duplicates) {}

  // Computes `mail.signals` (tokenizer and model: call it before the write,
  // not on the store's writer). Pure apart from `mail`; thread-safe.
  void prepare(InboundMessage& mail) const;

  // Files `mail`. Threading, in order: a Message-ID it answers that is one
  // of our outbound mails or an earlier filed mail; else a tracking code in
  // the subject, but only from the complaint's own customer address (a code
  // is not a secret; anyone else's mail opens a new complaint). The same
  // Message-ID filed before (another mailbox, a UIDVALIDITY reset) is
  // recorded as a duplicate. invalid_argument for a mail intake refuses;
  // conflict when the message was recorded concurrently.
  Result<MailOutcome> receive(store::WriteTx& tx, const InboundMessage& mail);

  // Records a mail that cannot be filed (unparseable, refused), so it is
  // not tried again on every poll and admins see it (GET /api/v1/inbound-mail).
  Result<MailOutcome> record_failure(store::WriteTx& tx, const InboundMessage& mail,
                                     const std::string& reason);

 private:
  Result<MailOutcome> thread(store::WriteTx& tx, const InboundMessage& mail, Complaint c,
                             const std::string& how);
  Result<MailOutcome> open(store::WriteTx& tx, const InboundMessage& mail);
  Result<std::vector<std::string>> attach(store::WriteTx& tx, const InboundMessage& mail,
                                          ComplaintId id);
  Status record(store::WriteTx& tx, const InboundMessage& mail, const MailOutcome& outcome);

  const Clock& clock_;
  Complaints complaints_;
  CaseRecords records_;
  std::string own_address_;
  std::size_t max_attachments_;
  std::shared_ptr<const TriageService> triage_;
  DuplicateOptions duplicates_;
};

}  // namespace redress::app
