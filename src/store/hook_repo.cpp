#include "store/hook_repo.h"

namespace redress::store {

namespace {

Status changed_one(const Result<std::int64_t>& r, const char* what) {
  if (!r) return fail(r.error());
  if (*r == 0) return fail(Error::not_found(what));
  return {};
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const auto end = comma == std::string::npos ? text.size() : comma;
    if (end > start) out.push_back(text.substr(start, end - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

constexpr const char* kWebhookColumns =
    "id, url, events, active, description, secret, created_at, updated_at";

Webhook webhook_from_row(const SqlRow& r) {
  Webhook w;
  w.id = r.i64(0);
  w.url = r.text(1);
  w.events = split(r.text(2));
  w.active = r.i64(3) != 0;
  w.description = r.text(4);
  w.secret = r.text(5);
  w.created_at = from_epoch_ms(r.i64(6));
  w.updated_at = from_epoch_ms(r.i64(7));
  return w;
}

constexpr const char* kChannelColumns = "id, name, description, active, token_hash, created_at";

InboundChannel channel_from_row(const SqlRow& r) {
  InboundChannel c;
  c.id = r.i64(0);
  c.name = r.text(1);
  c.description = r.text(2);
  c.active = r.i64(3) != 0;
  c.token_hash = r.text(4);
  c.created_at = from_epoch_ms(r.i64(5));
  return c;
}

constexpr const char* kTemplateColumns = "kind, language, subject, body, updated_at, updated_by";

TemplateOverride template_from_row(const SqlRow& r) {
  TemplateOverride t;
  t.kind = r.text(0);
  t.language = r.text(1);
  t.subject = r.text(2);
  t.body = r.text(3);
  t.updated_at = from_epoch_ms(r.i64(4));
  if (!r.is_null(5)) t.updated_by = UserId{r.i64(5)};
  return t;
}

}  // namespace

// ---- webhooks ---------------------------------------------------------------------------

void WebhookRepo::forget_memoised() {
  if (TxMemo* memo = s_.tx_memo()) memo->active_webhook_rows.reset();
}

Result<std::int64_t> WebhookRepo::insert(const Webhook& w) {
  forget_memoised();
  REDRESS_TRY(auto rows, s_.query("INSERT INTO webhooks (url, events, active, description, secret, "
                                  "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                                  "RETURNING id",
                                  params(w.url, join(w.events), w.active, w.description, w.secret,
                                         to_epoch_ms(w.created_at), to_epoch_ms(w.updated_at))));
  return rows.at(0).i64(0);
}

Status WebhookRepo::update(const Webhook& w) {
  forget_memoised();
  return changed_one(s_.exec("UPDATE webhooks SET url = $1, events = $2, active = $3, "
                             "description = $4, updated_at = $5 WHERE id = $6",
                             params(w.url, join(w.events), w.active, w.description,
                                    to_epoch_ms(w.updated_at), w.id)),
                     "webhook");
}

Status WebhookRepo::remove(std::int64_t id) {
  forget_memoised();
  return changed_one(s_.exec("DELETE FROM webhooks WHERE id = $1", params(id)), "webhook");
}

Result<std::optional<Webhook>> WebhookRepo::find(std::int64_t id) const {
  REDRESS_TRY(auto rows,
              s_.query(std::string("SELECT ") + kWebhookColumns + " FROM webhooks WHERE id = $1",
                       params(id)));
  if (rows.empty()) return std::optional<Webhook>{};
  return webhook_from_row(rows[0]);
}

Result<std::vector<Webhook>> WebhookRepo::list() const {
  REDRESS_TRY(
      auto rows,
      s_.query(std::string("SELECT ") + kWebhookColumns + " FROM webhooks ORDER BY id", {}));
  std::vector<Webhook> out;
  for (const auto& r : rows) out.push_back(webhook_from_row(r));
  return out;
}

Result<std::vector<Webhook>> WebhookRepo::subscribed(const std::string& event_type) const {
  // A handful of rows: filtered here rather than with LIKE on the list. Read once
  // per write transaction: every event of a complaint's write asks.
  TxMemo* memo = s_.tx_memo();
  if (memo == nullptr || !memo->active_webhook_rows) {
    REDRESS_TRY(auto rows, s_.query(std::string("SELECT ") + kWebhookColumns +
                                        " FROM webhooks WHERE active = 1 ORDER BY id",
                                    {}));
    if (memo == nullptr) return matching(rows, event_type);
    memo->active_webhook_rows = std::move(rows);
  }
  return matching(*memo->active_webhook_rows, event_type);
}

std::vector<Webhook> WebhookRepo::matching(const std::vector<SqlRow>& rows,
                                           const std::string& event_type) {
  std::vector<Webhook> out;
  for (const auto& r : rows) {
    Webhook w = webhook_from_row(r);
    for (const auto& e : w.events) {
      if (e == event_type) {
        out.push_back(std::move(w));
        break;
      }
    }
  }
  return out;
}

// ---- inbound channels -------------------------------------------------------------------

Result<std::int64_t> ChannelRepo::insert(const InboundChannel& c) {
  REDRESS_TRY(auto rows, s_.query("INSERT INTO channels (name, description, active, token_hash, "
                                  "created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                  params(c.name, c.description, c.active, c.token_hash,
                                         to_epoch_ms(c.created_at))));
  return rows.at(0).i64(0);
}

Status ChannelRepo::update(const InboundChannel& c) {
  return changed_one(s_.exec("UPDATE channels SET description = $1, active = $2 WHERE id = $3",
                             params(c.description, c.active, c.id)),
                     "channel");
}

Status ChannelRepo::set_token_hash(std::int64_t id, const std::string& token_hash) {
  return changed_one(
      s_.exec("UPDATE channels SET token_hash = $1 WHERE id = $2", params(token_hash, id)),
      "channel");
}

Status ChannelRepo::remove(std::int64_t id) {
  REDRESS_TRY(auto a,
              s_.exec("DELETE FROM channel_conversations WHERE channel_id = $1", params(id)));
  REDRESS_TRY(auto b, s_.exec("DELETE FROM channel_customers WHERE channel_id = $1", params(id)));
  (void)a;
  (void)b;
  return changed_one(s_.exec("DELETE FROM channels WHERE id = $1", params(id)), "channel");
}

Result<std::optional<InboundChannel>> ChannelRepo::find(std::int64_t id) const {
  REDRESS_TRY(auto rows,
              s_.query(std::string("SELECT ") + kChannelColumns + " FROM channels WHERE id = $1",
                       params(id)));
  if (rows.empty()) return std::optional<InboundChannel>{};
  return channel_from_row(rows[0]);
}

Result<std::optional<InboundChannel>> ChannelRepo::by_name(const std::string& name) const {
  REDRESS_TRY(auto rows,
              s_.query(std::string("SELECT ") + kChannelColumns + " FROM channels WHERE name = $1",
                       params(name)));
  if (rows.empty()) return std::optional<InboundChannel>{};
  return channel_from_row(rows[0]);
}

Result<std::vector<InboundChannel>> ChannelRepo::list() const {
  REDRESS_TRY(
      auto rows,
      s_.query(std::string("SELECT ") + kChannelColumns + " FROM channels ORDER BY id", {}));
  std::vector<InboundChannel> out;
  for (const auto& r : rows) out.push_back(channel_from_row(r));
  return out;
}

Result<std::optional<ComplaintId>> ChannelRepo::conversation(
    std::int64_t channel, const std::string& conversation_id) const {
  REDRESS_TRY(auto rows, s_.query("SELECT complaint_id FROM channel_conversations WHERE "
                                  "channel_id = $1 AND conversation_id = $2",
                                  params(channel, conversation_id)));
  if (rows.empty()) return std::optional<ComplaintId>{};
  return std::optional<ComplaintId>(ComplaintId{rows[0].i64(0)});
}

Status ChannelRepo::link_conversation(std::int64_t channel, const std::string& conversation_id,
                                      ComplaintId complaint) {
  REDRESS_TRY(auto n, s_.exec("INSERT INTO channel_conversations (channel_id, conversation_id, "
                              "complaint_id) VALUES ($1, $2, $3) ON CONFLICT (channel_id, "
                              "conversation_id) DO UPDATE SET complaint_id = excluded.complaint_id",
                              params(channel, conversation_id, complaint.value)));
  (void)n;
  return {};
}

Result<std::optional<CustomerId>> ChannelRepo::customer(std::int64_t channel,
                                                        const std::string& external_id) const {
  REDRESS_TRY(auto rows, s_.query("SELECT customer_id FROM channel_customers WHERE "
                                  "channel_id = $1 AND external_id = $2",
                                  params(channel, external_id)));
  if (rows.empty()) return std::optional<CustomerId>{};
  return std::optional<CustomerId>(CustomerId{rows[0].i64(0)});
}

Status ChannelRepo::link_customer(std::int64_t channel, const std::string& external_id,
                                  CustomerId customer) {
  REDRESS_TRY(auto n, s_.exec("INSERT INTO channel_customers (channel_id, external_id, "
                              "customer_id) VALUES ($1, $2, $3) ON CONFLICT (channel_id, "
                              "external_id) DO UPDATE SET customer_id = excluded.customer_id",
                              params(channel, external_id, customer.value)));
  (void)n;
  return {};
}

// ---- mail template overrides ------------------------------------------------------------

Result<std::vector<TemplateOverride>> TemplateRepo::list() const {
  REDRESS_TRY(auto rows, s_.query(std::string("SELECT ") + kTemplateColumns +
                                      " FROM mail_templates ORDER BY kind, language",
                                  {}));
  std::vector<TemplateOverride> out;
  for (const auto& r : rows) out.push_back(template_from_row(r));
  return out;
}

Result<std::optional<TemplateOverride>> TemplateRepo::find(const std::string& kind,
                                                           const std::string& language) const {
  REDRESS_TRY(auto rows, s_.query(std::string("SELECT ") + kTemplateColumns +
                                      " FROM mail_templates WHERE kind = $1 AND language = $2",
                                  params(kind, language)));
  if (rows.empty()) return std::optional<TemplateOverride>{};
  return template_from_row(rows[0]);
}

Status TemplateRepo::put(const TemplateOverride& t) {
  std::optional<std::int64_t> by;
  if (t.updated_by) by = t.updated_by->value;
  REDRESS_TRY(auto n, s_.exec("INSERT INTO mail_templates (kind, language, subject, body, "
                              "updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6) "
                              "ON CONFLICT (kind, language) DO UPDATE SET subject = "
                              "excluded.subject, body = excluded.body, updated_at = "
                              "excluded.updated_at, updated_by = excluded.updated_by",
                              params(t.kind, t.language, t.subject, t.body,
                                     to_epoch_ms(t.updated_at), by)));
  (void)n;
  return {};
}

Result<bool> TemplateRepo::remove(const std::string& kind, const std::string& language) {
  REDRESS_TRY(auto n, s_.exec("DELETE FROM mail_templates WHERE kind = $1 AND language = $2",
                              params(kind, language)));
  return n > 0;
}

}  // namespace redress::store
