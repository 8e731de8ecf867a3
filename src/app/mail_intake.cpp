#include "app/mail_intake.h"

#include <algorithm>
#include <cctype>

#include "app/audit.h"
#include "text/tokenize.h"

namespace redress::app {

namespace {

constexpr std::size_t kMaxText = 20000;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// At most `limit` bytes, cut at a UTF-8 character boundary.
std::string cut(const std::string& s, std::size_t limit) {
  return std::string(text::utf8_prefix(s, limit));
}

bool blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

Actor system_actor() {
  return Actor{.kind = Actor::Kind::system};
}

}  // namespace

Status MailIntake::record(store::WriteTx& tx, const InboundMessage& mail,
                          const MailOutcome& outcome) {
  store::InboundMailRow row;
  row.mailbox = mail.mailbox;
  row.uidvalidity = mail.uidvalidity;
  row.uid = mail.uid;
  row.message_id = cut(mail.message_id, 500);
  row.from_address = cut(mail.from_address, 254);
  row.subject = cut(mail.subject, 500);
  row.outcome = outcome.outcome;
  row.reason = cut(outcome.reason, 2000);
  row.complaint = outcome.complaint;
  row.received_at = clock_.now();
  REDRESS_TRY(auto id, tx.inbound_mail().insert(row));
  (void)id;
  return {};
}

Result<MailOutcome> MailIntake::record_failure(store::WriteTx& tx, const InboundMessage& mail,
                                               const std::string& reason) {
  REDRESS_TRY(auto known, tx.inbound_mail().find(mail.mailbox, mail.uidvalidity, mail.uid));
  if (known) return MailOutcome{known->outcome, known->complaint, "", known->reason};
  MailOutcome out{"failed", std::nullopt, "", reason};
  REDRESS_CHECK(record(tx, mail, out));
  return out;
}

Result<std::vector<std::string>> MailIntake::attach(store::WriteTx& tx, const InboundMessage& mail,
                                                    ComplaintId id) {
  std::vector<std::string> refused = mail.refused;
  if (mail.attachments.empty()) return refused;
  REDRESS_TRY(auto held, tx.records().attachments(id));
  std::vector<StoredUpload> kept;
  for (const StoredUpload& u : mail.attachments) {
    if (held.size() + kept.size() >= max_attachments_) {
      refused.push_back(u.filename + ": the complaint already holds " +
                        std::to_string(max_attachments_) + " attachments");
      continue;
    }
    kept.push_back(u);
  }
  if (!kept.empty()) {
    REDRESS_TRY(auto stored, records_.add_attachments(tx, system_actor(), id, kept));
    (void)stored;
  }
  return refused;
}

Result<MailOutcome> MailIntake::thread(store::WriteTx& tx, const InboundMessage& mail, Complaint c,
                                       const std::string& how) {
  const Instant now = clock_.now();
  Actor customer;
  customer.kind = Actor::Kind::customer;
  customer.roles = RoleSet{Role::customer};
  customer.complaint = c.id;
  std::string text =
      blank(mail.body) ? "(an e-mail without text: " + mail.subject + ")" : mail.body;
  std::vector<std::string> notes;
  if (text.size() > kMaxText) {
    text = cut(text, kMaxText);
    notes.emplace_back("the e-mail's text was cut to 20000 bytes");
  }
  REDRESS_CHECK(records_.customer_message(tx, customer, c.id, text, Channel::email));
  REDRESS_TRY(auto refused, attach(tx, mail, c.id));
  notes.insert(notes.end(), refused.begin(), refused.end());
  MailOutcome out{"threaded", c.id, c.tracking_code, how};
  if (!notes.empty()) {
    std::string note = "E-mail from " + mail.from_address + ":";
    for (const auto& n : notes) note += "\n- " + n;
    Message m{0, c.id, Direction::internal, Channel::email, "note", note, std::nullopt, now};
    REDRESS_TRY(m.id, tx.records().add_message(m));
    out.reason += "; " + notes.front() + (notes.size() > 1 ? " (and more)" : "");
  }
  REDRESS_CHECK(record(tx, mail, out));
  return out;
}

namespace {

// The complaint a mail opens, without the customer lookup (one definition
// for prepare() and open()); `notes` gets what was changed on the way.
IntakeRequest mail_request(const InboundMessage& mail, std::vector<std::string>& notes) {
  IntakeRequest req;
  req.channel = Channel::email;
  req.customer.email = cut(mail.from_address, 254);
  req.customer.name = blank(mail.from_name)
                          ? mail.from_address.substr(0, mail.from_address.find('@'))
                          : cut(mail.from_name, 200);
  req.customer.language = is_supported_language(mail.language) ? mail.language : "en";
  req.customer.reply_channel = Channel::email;
  req.subject = cut(mail.subject, 500);
  req.description = mail.body;
  if (blank(req.description)) {
    req.description = blank(mail.subject) ? "(an e-mail without text)" : mail.subject;
  }
  if (req.description.size() > kMaxText) {
    req.description = cut(req.description, kMaxText);
    notes.emplace_back("the e-mail's text was cut to 20000 bytes");
  }
  return req;
}

}  // namespace

void MailIntake::prepare(InboundMessage& mail) const {
  std::vector<std::string> notes;
  mail.signals = compute_intake_signals(triage_.get(), mail_request(mail, notes));
}

Result<MailOutcome> MailIntake::open(store::WriteTx& tx, const InboundMessage& mail) {
  const Instant now = clock_.now();
  std::vector<std::string> notes;
  IntakeRequest req = mail_request(mail, notes);
  REDRESS_TRY(req.existing_customer, tx.inbound_mail().customer_by_email(mail.from_address));
  const IntakeSignals signals =
      mail.signals ? *mail.signals : compute_intake_signals(triage_.get(), req);
  REDRESS_TRY(auto made, complaints_.submit(tx, system_actor(), std::move(req)));
  const Complaint& c = made.complaint;
  // Flags are for staff (the queue and GET /complaints/{id}/duplicates).
  REDRESS_TRY(auto flags, record_intake_signals(tx, c, signals, duplicates_));
  (void)flags;
  REDRESS_TRY(auto refused, attach(tx, mail, c.id));
  notes.insert(notes.end(), refused.begin(), refused.end());
  MailOutcome out{"opened", c.id, c.tracking_code, ""};
  if (!notes.empty()) {
    std::string note = "E-mail from " + mail.from_address + ":";
    for (const auto& n : notes) note += "\n- " + n;
    Message m{0, c.id, Direction::internal, Channel::email, "note", note, std::nullopt, now};
    REDRESS_TRY(m.id, tx.records().add_message(m));
    out.reason = notes.front() + (notes.size() > 1 ? " (and more)" : "");
  }
  REDRESS_CHECK(record(tx, mail, out));
  return out;
}

Result<MailOutcome> MailIntake::receive(store::WriteTx& tx, const InboundMessage& mail) {
  REDRESS_TRY(auto known, tx.inbound_mail().find(mail.mailbox, mail.uidvalidity, mail.uid));
  if (known) {
    return fail(Error::conflict("IMAP message " + std::to_string(mail.uid) + " in " + mail.mailbox +
                                " was recorded already"));
  }
  if (!mail.automatic.empty()) {
    MailOutcome out{"ignored", std::nullopt, "", "automatic mail: " + mail.automatic};
    REDRESS_CHECK(record(tx, mail, out));
    return out;
  }
  if (!own_address_.empty() && lower(mail.from_address) == lower(own_address_)) {
    MailOutcome out{"ignored", std::nullopt, "", "sent from our own address " + own_address_};
    REDRESS_CHECK(record(tx, mail, out));
    return out;
  }
  REDRESS_TRY(auto same, tx.inbound_mail().filed_with_message_id(mail.message_id));
  if (same) {
    MailOutcome out{"duplicate", same->complaint, "",
                    "the same Message-ID was filed from " + same->mailbox + " (UID " +
                        std::to_string(same->uid) + ")"};
    REDRESS_CHECK(record(tx, mail, out));
    return out;
  }
  for (const std::string& id : mail.replies_to) {
    REDRESS_TRY(auto ours, tx.inbound_mail().complaint_of_outbox_message(id));
    if (!ours) {
      REDRESS_TRY(auto earlier, tx.inbound_mail().filed_with_message_id(id));
      if (earlier && earlier->complaint) ours = earlier->complaint;
    }
    if (!ours) continue;
    REDRESS_TRY(auto c, tx.complaints().find(*ours));
    if (c) return thread(tx, mail, std::move(*c), "a reply to " + id);
  }
  for (const std::string& code : mail.tracking_codes) {
    REDRESS_TRY(auto c, tx.complaints().find_by_tracking_code(code));
    if (!c) continue;
    REDRESS_TRY(auto customer, tx.customers().find(c->customer));
    if (customer && !customer->email.empty() &&
        lower(customer->email) == lower(mail.from_address)) {
      return thread(tx, mail, std::move(*c), "tracking code " + code + " in the subject");
    }
  }
  return open(tx, mail);
}

}  // namespace redress::app
