// Webhooks (SPEC §5: "API and webhooks for chat apps, web shops and CRMs"):
// administrators subscribe URLs to complaint events; every event that a
// subscriber wants becomes an outbox row (channel "webhook") written in the
// transaction that caused it, and jobs/ delivers it as a signed HTTP POST
// with the outbox's retries and dead-letter state.
//
// Wire format (docs/operations.md "Webhooks"): the body is a JSON object
// {"id", "type", "created_at", "data"}; the header
//   Redress-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>
// is computed at each attempt, so a receiver can refuse stale timestamps
// (replays) and de-duplicate retries by the event id.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/audit.h"
#include "core/access.h"
#include "store/store.h"

namespace redress::app {

// The job kind that delivers one webhook outbox row; payload {"outbox_id": N}.
inline constexpr const char* kWebhookDeliverJob = "webhook.deliver";

// The event types a webhook may subscribe to.
inline constexpr std::array<std::string_view, 3> kWebhookEventTypes = {
    "complaint.created", "complaint.transitioned", "complaint.breached"};

// The event type a timeline event announces: "registered" → created, an
// event that moves the complaint between two different states →
// transitioned, "sla_breached" → breached; nullopt otherwise (imports,
// notes, edits…).
std::optional<std::string> webhook_event_type(const EventDraft& e);

// The body of one webhook event (stable across retries): the event id, its
// type, when it happened, and data naming the complaint (id, tracking code,
// state, channel, urgency, category, department), the timeline event, the
// action and its states; a breach adds the clock. No personal data: a
// receiver that needs more calls the API.
nlohmann::json webhook_payload(const std::string& event_id, const std::string& type, Instant at,
                               const Complaint& c, const EventDraft& e,
                               std::int64_t timeline_event_id);

// The Redress-Signature header value for `body` sent at `unix_seconds`:
// "t=<unix_seconds>,v1=<lower-case hex HMAC-SHA256(secret, "<t>." + body)>".
std::string webhook_signature(std::string_view secret, std::int64_t unix_seconds,
                              std::string_view body);

// Queues one webhook outbox row per active subscriber of the event's type;
// nothing when the event announces none or nobody subscribed. Called by
// append_event, so every event is announced in the transaction that wrote it.
Status emit_webhook_events(store::WriteTx& tx, const EventDraft& e, std::int64_t timeline_event_id,
                           Instant at);

// Why `url` cannot be a webhook target (not http/https, no host, spaces,
// credentials, longer than 2000 bytes), or nullopt when it can.
std::optional<std::string> webhook_url_problem(const std::string& url);

// What an administrator sends to create (url and events required) or change
// (any subset) a webhook.
struct WebhookInput {
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> events;
  std::optional<bool> active;
  std::optional<std::string> description;
};

// Administration of webhooks: administrators only (forbidden otherwise);
// invalid_argument names the field and the rule.
class Webhooks {
 public:
  explicit Webhooks(const Clock& clock) : clock_(clock) {}
  Result<std::vector<store::Webhook>> list(const store::ReadTx& tx, const Actor& actor) const;
  Result<store::Webhook> get(const store::ReadTx& tx, const Actor& actor, std::int64_t id) const;
  // Creates the webhook with a fresh random secret; the returned row carries
  // the secret, which the API shows this once.
  Result<store::Webhook> create(store::WriteTx& tx, const Actor& actor, const WebhookInput& in);
  Result<store::Webhook> update(store::WriteTx& tx, const Actor& actor, std::int64_t id,
                                const WebhookInput& in);
  // Deletes the subscription; rows already queued for it die at delivery.
  Status remove(store::WriteTx& tx, const Actor& actor, std::int64_t id);

 private:
  const Clock& clock_;
};

}  // namespace redress::app
