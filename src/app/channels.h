// Inbound channels (SPEC §5: chat apps, web shops): a bridge (Zalo,
// WhatsApp, a web shop) posts its customers' messages to
// POST /api/v1/channels/{name}/messages with the channel's own bearer token.
// A message opens a complaint on the `chat` channel, or is threaded onto one
// — by the tracking code it names, or by the bridge's conversation id.
// Administrators create channels; a token is shown once and stored hashed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/complaints.h"
#include "app/intake_signals.h"
#include "core/access.h"
#include "store/store.h"

namespace redress::app {

// What a bridge sends.
struct ChannelMessage {
  std::string message_id;  // the bridge's id: the same id twice is one message
  std::optional<std::string> conversation_id;
  std::optional<std::string> tracking_code;
  std::string external_id;  // the customer's id in the chat app
  CustomerInput customer;   // name, phone, e-mail, language
  std::string subject;
  std::string text;
};

struct InboundResult {
  Complaint complaint;
  bool opened = false;       // a new complaint (else threaded onto an existing one)
  std::string access_token;  // when opened: the customer's portal token, for the bridge to relay
  std::int64_t message = 0;  // the stored message's id
  // When opened: the earlier complaints it likely repeats (as at every intake).
  std::vector<store::DuplicateFlag> likely_duplicates;
};

// Administration of channels (administrators only) and the inbound path.
class Channels {
 public:
  Channels(const Clock& clock, Complaints& complaints) : clock_(clock), complaints_(complaints) {}

  Result<std::vector<store::InboundChannel>> list(const store::ReadTx& tx,
                                                  const Actor& actor) const;
  // Creates a channel; returns it with its bearer token (shown once; only
  // the hash is kept). invalid_argument: name (lower-case letters, digits,
  // '-' and '_', 1–40) or taken.
  Result<std::pair<store::InboundChannel, std::string>> create(store::WriteTx& tx,
                                                               const Actor& actor,
                                                               const std::string& name,
                                                               const std::string& description);
  Result<store::InboundChannel> update(store::WriteTx& tx, const Actor& actor, std::int64_t id,
                                       const std::optional<std::string>& description,
                                       const std::optional<bool>& active);
  // A new token; the old one stops working in the same transaction.
  Result<std::pair<store::InboundChannel, std::string>> rotate_token(store::WriteTx& tx,
                                                                     const Actor& actor,
                                                                     std::int64_t id);
  Status remove(store::WriteTx& tx, const Actor& actor, std::int64_t id);

  // The active channel `name` whose token `token` is; unauthenticated
  // otherwise (the same answer whether the name or the token is wrong).
  Result<store::InboundChannel> authenticate(const store::ReadTx& tx, const std::string& name,
                                             const std::string& token) const;

  // The intake signals (suggestions, duplicate signature, customer key) of
  // `m` should it open a complaint; computed before the write, on the
  // request thread. A customer known only by the bridge's id is keyed by
  // channel and external id, so their repeats are flagged too.
  static IntakeSignals signals_for(const TriageService* triage,
                                   const store::InboundChannel& channel, const ChannelMessage& m);

  // Opens or threads `m` on `channel`, all in this transaction; a complaint
  // it opens gets `signals` recorded as every intake does
  // (record_intake_signals: suggestions and likely-duplicate flags).
  // invalid_argument names the field: message_id, text, customer.*, or a
  // tracking_code that is unknown or belongs to another customer (a code
  // alone does not let one customer write into another's complaint);
  // precondition when the complaint is closed to messages (terminal).
  Result<InboundResult> receive(store::WriteTx& tx, const store::InboundChannel& channel,
                                const ChannelMessage& m, const IntakeSignals& signals,
                                const DuplicateOptions& duplicates);

 private:
  const Clock& clock_;
  Complaints& complaints_;
};

}  // namespace redress::app
