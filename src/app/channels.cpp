#include "app/channels.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "app/admin.h"
#include "app/audit.h"
#include "app/crypto.h"
#include "core/lifecycle.h"

namespace redress::app {

namespace {

using Json = nlohmann::json;

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 40) return false;
  return std::all_of(name.begin(), name.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
  });
}

std::string lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// Digits only (and a leading '+'): "+84 90-123 4567" and "+84901234567" match.
std::string digits(const std::string& phone) {
  std::string out;
  for (char ch : phone) {
    if (std::isdigit(static_cast<unsigned char>(ch)) || (ch == '+' && out.empty())) out += ch;
  }
  return out;
}

std::string new_token() {
  return "rch_" + random_token(32);
}

// The complaint a message opens (one definition for the signals computed
// before the write and the complaint stored in it).
IntakeRequest intake_request(const store::InboundChannel& channel, const ChannelMessage& m) {
  IntakeRequest req;
  req.customer = m.customer;
  if (req.customer.name.find_first_not_of(" \t") == std::string::npos) {
    req.customer.name = m.external_id.empty() ? "Customer via " + channel.name : m.external_id;
  }
  req.customer.reply_channel = Channel::chat;
  req.subject = m.subject;
  req.description = m.text;
  req.channel = Channel::chat;
  req.replies_through_bridge = true;
  return req;
}

// The bridge's identity of the customer: channel and external id.
std::string chat_identity(const store::InboundChannel& channel, const ChannelMessage& m) {
  if (m.external_id.empty()) return {};
  return std::to_string(channel.id) + ":" + m.external_id;
}

}  // namespace

Result<std::vector<store::InboundChannel>> Channels::list(const store::ReadTx& tx,
                                                          const Actor& actor) const {
  REDRESS_CHECK(Admin::require_admin(actor));
  return tx.channels().list();
}

Result<std::pair<store::InboundChannel, std::string>> Channels::create(
    store::WriteTx& tx, const Actor& actor, const std::string& name,
    const std::string& description) {
  REDRESS_CHECK(Admin::require_admin(actor));
  std::vector<FieldError> errors;
  if (!valid_name(name)) {
    errors.push_back({"name", "must be 1–40 lower-case letters, digits, '-' or '_'"});
  }
  if (description.size() > 500) errors.push_back(too_long_field("description", 500));
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  REDRESS_TRY(auto existing, tx.channels().by_name(name));
  if (existing) return fail(Error::invalid("name", "a channel with this name exists"));
  store::InboundChannel c;
  c.name = name;
  c.description = description;
  c.created_at = clock_.now();
  std::string token = new_token();
  c.token_hash = sha256_hex(token);
  REDRESS_TRY(c.id, tx.channels().insert(c));
  return std::pair(std::move(c), std::move(token));
}

Result<store::InboundChannel> Channels::update(store::WriteTx& tx, const Actor& actor,
                                               std::int64_t id,
                                               const std::optional<std::string>& description,
                                               const std::optional<bool>& active) {
  REDRESS_CHECK(Admin::require_admin(actor));
  if (description && description->size() > 500) {
    return fail(Error::invalid(too_long_field("description", 500)));
  }
  REDRESS_TRY(auto found, tx.channels().find(id));
  if (!found) return fail(Error::not_found("channel"));
  if (description) found->description = *description;
  if (active) found->active = *active;
  REDRESS_CHECK(tx.channels().update(*found));
  return std::move(*found);
}

Result<std::pair<store::InboundChannel, std::string>> Channels::rotate_token(store::WriteTx& tx,
                                                                             const Actor& actor,
                                                                             std::int64_t id) {
  REDRESS_CHECK(Admin::require_admin(actor));
  REDRESS_TRY(auto found, tx.channels().find(id));
  if (!found) return fail(Error::not_found("channel"));
  std::string token = new_token();
  found->token_hash = sha256_hex(token);
  REDRESS_CHECK(tx.channels().set_token_hash(id, found->token_hash));
  return std::pair(std::move(*found), std::move(token));
}

Status Channels::remove(store::WriteTx& tx, const Actor& actor, std::int64_t id) {
  REDRESS_CHECK(Admin::require_admin(actor));
  return tx.channels().remove(id);
}

Result<store::InboundChannel> Channels::authenticate(const store::ReadTx& tx,
                                                     const std::string& name,
                                                     const std::string& token) const {
  const auto refused = Error::unauthenticated("a valid channel token is required");
  if (token.empty()) return fail(refused);
  REDRESS_TRY(auto found, tx.channels().by_name(name));
  // Compared as hashes in constant time; an unknown name costs the same hash.
  const std::string hash = sha256_hex(token);
  if (!found || !found->active || !equal_constant_time(hash, found->token_hash)) {
    return fail(refused);
  }
  return std::move(*found);
}

IntakeSignals Channels::signals_for(const TriageService* triage,
                                    const store::InboundChannel& channel, const ChannelMessage& m) {
  return compute_intake_signals(triage, intake_request(channel, m), chat_identity(channel, m));
}

Result<InboundResult> Channels::receive(store::WriteTx& tx, const store::InboundChannel& channel,
                                        const ChannelMessage& m, const IntakeSignals& signals,
                                        const DuplicateOptions& duplicates) {
  const Instant now = clock_.now();
  std::vector<FieldError> errors;
  if (m.message_id.empty() || m.message_id.size() > 200) {
    errors.push_back({"message_id", "is required: 1–200 characters"});
  }
  if (m.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    errors.push_back(required_field("text"));
  }
  if (m.text.size() > 20000) errors.push_back(too_long_field("text", 20000));
  if (m.external_id.size() > 200) {
    errors.push_back(too_long_field("customer.external_id", 200));
  }
  if (m.conversation_id && (m.conversation_id->empty() || m.conversation_id->size() > 200)) {
    errors.push_back({"conversation_id", "must be 1–200 characters"});
  }
  if (m.external_id.empty() && m.customer.email.empty() && m.customer.phone.empty()) {
    errors.push_back(
        {"customer.external_id", "an external id, phone number or e-mail is required"});
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));

  std::optional<Complaint> target;
  if (m.tracking_code) {
    REDRESS_TRY(target, tx.complaints().find_by_tracking_code(*m.tracking_code));
    if (!target) return fail(Error::invalid("tracking_code", "is not a known tracking code"));
    // The sender must be that complaint's customer: known by this channel's
    // external id, or with the same e-mail address or phone number.
    REDRESS_TRY(auto owner, tx.customers().find(target->customer));
    bool same = false;
    if (!m.external_id.empty()) {
      REDRESS_TRY(auto linked, tx.channels().customer(channel.id, m.external_id));
      same = linked && *linked == target->customer;
    }
    if (owner && !same) {
      same =
          (!m.customer.email.empty() && lower(owner->email) == lower(m.customer.email)) ||
          (!digits(m.customer.phone).empty() && digits(owner->phone) == digits(m.customer.phone));
    }
    if (!same) {
      return fail(Error::invalid("tracking_code", "belongs to another customer's complaint"));
    }
  } else if (m.conversation_id) {
    REDRESS_TRY(auto cid, tx.channels().conversation(channel.id, *m.conversation_id));
    if (cid) {
      REDRESS_TRY(target, tx.complaints().find(*cid));
    }
  }

  InboundResult out;
  if (target) {
    if (is_terminal(target->state)) {
      return fail(Error::precondition("complaint " + target->tracking_code + " is " +
                                      std::string(to_string(target->state)) +
                                      "; the customer may appeal or reopen it on the portal"));
    }
    Message msg{0,          target->id, Direction::inbound, Channel::chat,
                "customer", m.text,     std::nullopt,       now};
    REDRESS_TRY(msg.id, tx.records().add_message(msg));
    const Actor customer{.kind = Actor::Kind::customer, .complaint = target->id};
    REDRESS_TRY(auto ev, append_event(tx, customer, now,
                                      {target->id, "message_customer", std::nullopt, std::nullopt,
                                       Json{{"message_id", msg.id}, {"channel", channel.name}}}));
    (void)ev;
    out.message = msg.id;
    out.complaint = std::move(*target);
  } else {
    REDRESS_TRY(auto intake, complaints_.submit(tx, Actor{.kind = Actor::Kind::customer},
                                                intake_request(channel, m)));
    REDRESS_TRY(out.likely_duplicates,
                record_intake_signals(tx, intake.complaint, signals, duplicates));
    out.opened = true;
    out.access_token = std::move(intake.access_token);
    out.complaint = std::move(intake.complaint);
  }
  if (m.conversation_id) {
    REDRESS_CHECK(
        tx.channels().link_conversation(channel.id, *m.conversation_id, out.complaint.id));
  }
  if (!m.external_id.empty()) {
    REDRESS_CHECK(tx.channels().link_customer(channel.id, m.external_id, out.complaint.customer));
  }
  return out;
}

}  // namespace redress::app
