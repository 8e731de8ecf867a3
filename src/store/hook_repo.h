// Rows of the integrations (SPEC §5 "API and webhooks for chat apps, web
// shops and CRMs"): webhook subscriptions, inbound channels with their
// tokens and conversation links, and administrators' mail template
// overrides. Plain rows; the rules about them live in app/.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/time.h"
#include "store/sql.h"

namespace redress::store {

struct Webhook {
  std::int64_t id = 0;
  std::string url;
  std::vector<std::string> events;  // event types, e.g. "complaint.created"
  bool active = true;
  std::string description;
  std::string secret;  // signs deliveries; never leaves the server after creation
  Instant created_at;
  Instant updated_at;
};

class WebhookRepo {
 public:
  explicit WebhookRepo(SqlSession& s) : s_(s) {}
  Result<std::int64_t> insert(const Webhook& w);
  // Replaces url, events, active, description and updated_at (never the
  // secret); not_found when there is no such row.
  Status update(const Webhook& w);
  Status remove(std::int64_t id);
  Result<std::optional<Webhook>> find(std::int64_t id) const;
  // Every subscription, oldest first.
  Result<std::vector<Webhook>> list() const;
  // Active subscriptions to `event_type`, oldest first. Inside a write
  // transaction the active rows are read once and memoised (TxMemo); the
  // writes above forget them.
  Result<std::vector<Webhook>> subscribed(const std::string& event_type) const;

 private:
  // The webhooks among `rows` (active ones) subscribed to `event_type`.
  static std::vector<Webhook> matching(const std::vector<SqlRow>& rows,
                                       const std::string& event_type);
  // Drops the transaction's memoised active rows before a write changes them.
  void forget_memoised();

  SqlSession& s_;
};

struct InboundChannel {
  std::int64_t id = 0;
  std::string name;  // the {name} of /api/v1/channels/{name}/messages
  std::string description;
  bool active = true;
  std::string token_hash;  // SHA-256 hex of the bearer token
  Instant created_at;
};

class ChannelRepo {
 public:
  explicit ChannelRepo(SqlSession& s) : s_(s) {}
  // conflict when the name (or, vanishingly unlikely, the token) exists.
  Result<std::int64_t> insert(const InboundChannel& c);
  // Replaces description and active; not_found when absent.
  Status update(const InboundChannel& c);
  Status set_token_hash(std::int64_t id, const std::string& token_hash);
  // Removes the channel with its conversation and customer links (the
  // complaints stay).
  Status remove(std::int64_t id);
  Result<std::optional<InboundChannel>> find(std::int64_t id) const;
  Result<std::optional<InboundChannel>> by_name(const std::string& name) const;
  Result<std::vector<InboundChannel>> list() const;

  // The complaint a bridge's conversation belongs to.
  Result<std::optional<ComplaintId>> conversation(std::int64_t channel,
                                                  const std::string& conversation_id) const;
  // Links (or re-links) a conversation to a complaint.
  Status link_conversation(std::int64_t channel, const std::string& conversation_id,
                           ComplaintId complaint);
  // The customer a bridge knows by `external_id`.
  Result<std::optional<CustomerId>> customer(std::int64_t channel,
                                             const std::string& external_id) const;
  Status link_customer(std::int64_t channel, const std::string& external_id, CustomerId customer);

 private:
  SqlSession& s_;
};

struct TemplateOverride {
  std::string kind;
  std::string language;
  std::string subject;  // mustache
  std::string body;     // mustache
  Instant updated_at;
  std::optional<UserId> updated_by;
};

class TemplateRepo {
 public:
  explicit TemplateRepo(SqlSession& s) : s_(s) {}
  Result<std::vector<TemplateOverride>> list() const;
  Result<std::optional<TemplateOverride>> find(const std::string& kind,
                                               const std::string& language) const;
  // Inserts or replaces the override of (kind, language).
  Status put(const TemplateOverride& t);
  // Removes the override; false when there was none.
  Result<bool> remove(const std::string& kind, const std::string& language);

 private:
  SqlSession& s_;
};

}  // namespace redress::store
