#include "store/mail_repo.h"

namespace redress::store {

namespace {

constexpr const char* kColumns =
    "id, mailbox, uidvalidity, uid, message_id, from_address, subject, outcome, reason, "
    "complaint_id, received_at";

InboundMailRow from_row(const SqlRow& r) {
  InboundMailRow m;
  m.id = r.i64(0);
  m.mailbox = r.text(1);
  m.uidvalidity = r.i64(2);
  m.uid = r.i64(3);
  m.message_id = r.text(4);
  m.from_address = r.text(5);
  m.subject = r.text(6);
  m.outcome = r.text(7);
  m.reason = r.text(8);
  if (auto c = r.opt_i64(9)) m.complaint = ComplaintId{*c};
  m.received_at = from_epoch_ms(r.i64(10));
  return m;
}

}  // namespace

Result<std::optional<InboundMailRow>> InboundMailRepo::find(const std::string& mailbox,
                                                            std::int64_t uidvalidity,
                                                            std::int64_t uid) const {
  REDRESS_TRY(auto rows, s_.query(std::string("SELECT ") + kColumns +
                                      " FROM inbound_mail WHERE mailbox = $1 AND uidvalidity = "
                                      "$2 AND uid = $3",
                                  params(mailbox, uidvalidity, uid)));
  if (rows.empty()) return std::optional<InboundMailRow>{};
  return std::optional<InboundMailRow>(from_row(rows[0]));
}

Result<std::optional<InboundMailRow>> InboundMailRepo::filed_with_message_id(
    const std::string& message_id) const {
  if (message_id.empty()) return std::optional<InboundMailRow>{};
  REDRESS_TRY(auto rows, s_.query(std::string("SELECT ") + kColumns +
                                      " FROM inbound_mail WHERE message_id = $1 AND outcome IN "
                                      "('opened', 'threaded') ORDER BY id LIMIT 1",
                                  params(message_id)));
  if (rows.empty()) return std::optional<InboundMailRow>{};
  return std::optional<InboundMailRow>(from_row(rows[0]));
}

Result<std::int64_t> InboundMailRepo::insert(const InboundMailRow& m) {
  REDRESS_TRY(
      auto rows,
      s_.query("INSERT INTO inbound_mail (mailbox, uidvalidity, uid, message_id, "
               "from_address, subject, outcome, reason, complaint_id, received_at) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
               params(m.mailbox, m.uidvalidity, m.uid, m.message_id, m.from_address, m.subject,
                      m.outcome, m.reason,
                      m.complaint ? std::optional<std::int64_t>(m.complaint->value) : std::nullopt,
                      to_epoch_ms(m.received_at))));
  return rows.at(0).i64(0);
}

Result<std::vector<InboundMailRow>> InboundMailRepo::list(const std::optional<std::string>& outcome,
                                                          std::int64_t before_id, int limit) const {
  // Conditions only when set (PostgreSQL cannot type a NULL "$1 IS NULL").
  std::string sql = std::string("SELECT ") + kColumns + " FROM inbound_mail WHERE 1 = 1";
  std::vector<SqlValue> p;
  if (outcome) {
    p.emplace_back(*outcome);
    sql += " AND outcome = $" + std::to_string(p.size());
  }
  if (before_id > 0) {
    p.emplace_back(before_id);
    sql += " AND id < $" + std::to_string(p.size());
  }
  p.emplace_back(static_cast<std::int64_t>(limit));
  sql += " ORDER BY id DESC LIMIT $" + std::to_string(p.size());
  REDRESS_TRY(auto rows, s_.query(sql, p));
  std::vector<InboundMailRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(from_row(r));
  return out;
}

Result<std::optional<ComplaintId>> InboundMailRepo::complaint_of_outbox_message(
    const std::string& message_id) const {
  if (message_id.empty()) return std::optional<ComplaintId>{};
  REDRESS_TRY(auto rows, s_.query("SELECT complaint_id FROM outbox WHERE message_id = $1 AND "
                                  "complaint_id IS NOT NULL ORDER BY id LIMIT 1",
                                  params(message_id)));
  if (rows.empty()) return std::optional<ComplaintId>{};
  return std::optional<ComplaintId>(ComplaintId{rows[0].i64(0)});
}

Result<std::optional<CustomerId>> InboundMailRepo::customer_by_email(
    const std::string& address) const {
  if (address.empty()) return std::optional<CustomerId>{};
  REDRESS_TRY(auto rows, s_.query("SELECT id FROM customers WHERE lower(email) = lower($1) AND "
                                  "erased_at IS NULL ORDER BY id DESC LIMIT 1",
                                  params(address)));
  if (rows.empty()) return std::optional<CustomerId>{};
  return std::optional<CustomerId>(CustomerId{rows[0].i64(0)});
}

Result<std::int64_t> InboundMailRepo::erase_for(ComplaintId complaint) {
  return s_.exec("UPDATE inbound_mail SET from_address = '', subject = '' WHERE complaint_id = $1",
                 params(complaint.value));
}

}  // namespace redress::store
