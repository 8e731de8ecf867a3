// E-mail in (migration 0007): the record of every IMAP message the poller
// handled, and the look-ups that thread a reply onto its complaint. A row is
// written in the same transaction as the complaint or message it produced,
// which is what makes intake exactly-once (jobs/mail_poller.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/time.h"
#include "store/sql.h"

namespace redress::store {

struct InboundMailRow {
  std::int64_t id = 0;
  std::string mailbox;  // imap://host:port/MAILBOX, never with credentials
  std::int64_t uidvalidity = 0;
  std::int64_t uid = 0;
  std::string message_id;  // "<…>" as in the header, empty when absent
  std::string from_address;
  std::string subject;
  std::string outcome;  // opened | threaded | ignored | duplicate | failed
  std::string reason;   // why ignored / failed, or a note (attachments refused)
  std::optional<ComplaintId> complaint;
  Instant received_at;
};

class InboundMailRepo {
 public:
  explicit InboundMailRepo(SqlSession& s) : s_(s) {}
  // The row of one IMAP message, if it was handled.
  Result<std::optional<InboundMailRow>> find(const std::string& mailbox, std::int64_t uidvalidity,
                                             std::int64_t uid) const;
  // The earliest filed (opened or threaded) row with this Message-ID: the
  // same mail seen again (another mailbox, a UIDVALIDITY reset), or the
  // customer's own earlier mail a reply refers to.
  Result<std::optional<InboundMailRow>> filed_with_message_id(const std::string& message_id) const;
  // Inserts a row; a second row for the same (mailbox, uidvalidity, uid)
  // fails with conflict (two pollers racing on PostgreSQL).
  Result<std::int64_t> insert(const InboundMailRow& row);
  // Rows with `outcome` (all when unset) below `before_id` (0: from the
  // newest), newest first, at most `limit`.
  Result<std::vector<InboundMailRow>> list(const std::optional<std::string>& outcome,
                                           std::int64_t before_id, int limit) const;
  // The complaint an outbound mail with this Message-ID ("<…>") was about.
  Result<std::optional<ComplaintId>> complaint_of_outbox_message(
      const std::string& message_id) const;
  // The newest customer with this e-mail address (case-insensitive) whose
  // data was not erased.
  Result<std::optional<CustomerId>> customer_by_email(const std::string& address) const;
  // Erasure: forgets the sender and subject of the complaint's mails.
  Result<std::int64_t> erase_for(ComplaintId complaint);

 private:
  SqlSession& s_;
};

}  // namespace redress::store
