#include "app/webhooks.h"

#include <algorithm>

#include "app/admin.h"
#include "app/crypto.h"

namespace redress::app {

namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxUrl = 2000;
constexpr std::size_t kMaxDescription = 500;

bool known_event_type(const std::string& t) {
  return std::find(kWebhookEventTypes.begin(), kWebhookEventTypes.end(), t) !=
         kWebhookEventTypes.end();
}

void validate(const WebhookInput& in, bool creating, std::vector<FieldError>& errors) {
  if (creating && !in.url) errors.push_back(required_field("url"));
  if (in.url) {
    if (auto why = webhook_url_problem(*in.url)) errors.push_back({"url", *why});
  }
  if (creating && !in.events) errors.push_back(required_field("events"));
  if (in.events) {
    if (in.events->empty()) errors.push_back({"events", "must name at least one event type"});
    for (const auto& e : *in.events) {
      if (!known_event_type(e)) {
        errors.push_back({"events", "'" + e +
                                        "' is not an event type (complaint.created, "
                                        "complaint.transitioned, complaint.breached)"});
      }
    }
  }
  if (in.description && in.description->size() > kMaxDescription) {
    errors.push_back(too_long_field("description", 500));
  }
}

std::vector<std::string> normalised(std::vector<std::string> events) {
  std::sort(events.begin(), events.end());
  events.erase(std::unique(events.begin(), events.end()), events.end());
  return events;
}

}  // namespace

std::optional<std::string> webhook_event_type(const EventDraft& e) {
  if (e.action == "registered") return "complaint.created";
  if (e.action == "sla_breached") return "complaint.breached";
  if (e.from_state && e.to_state && *e.from_state != *e.to_state) return "complaint.transitioned";
  return std::nullopt;
}

Json webhook_payload(const std::string& event_id, const std::string& type, Instant at,
                     const Complaint& c, const EventDraft& e, std::int64_t timeline_event_id) {
  const State state = e.to_state.value_or(c.state);
  Json complaint{{"id", c.id.value},
                 {"tracking_code", c.tracking_code},
                 {"state", to_string(state)},
                 {"channel", to_string(c.channel)},
                 {"urgency", c.urgency ? Json(to_string(*c.urgency)) : Json(nullptr)},
                 {"category", c.category ? Json(*c.category) : Json(nullptr)},
                 {"department_id", c.department ? Json(c.department->value) : Json(nullptr)},
                 {"received_at", format_iso8601(c.received_at)}};
  Json data{{"complaint", complaint},
            {"timeline_event_id", timeline_event_id},
            {"action", e.action},
            {"from_state", e.from_state ? Json(to_string(*e.from_state)) : Json(nullptr)},
            {"to_state", e.to_state ? Json(to_string(*e.to_state)) : Json(nullptr)}};
  if (type == "complaint.breached" && e.data.is_object()) {
    // The clock that breached; its holder (a staff member's name) stays inside.
    Json clock = Json::object();
    for (const char* key : {"clock", "clock_label", "state", "target", "due_at", "sla_policy_id"}) {
      if (e.data.contains(key)) clock[key] = e.data[key];
    }
    data["sla"] = clock;
  }
  return Json{{"id", event_id}, {"type", type}, {"created_at", format_iso8601(at)}, {"data", data}};
}

std::string webhook_signature(std::string_view secret, std::int64_t unix_seconds,
                              std::string_view body) {
  const std::string t = std::to_string(unix_seconds);
  std::string signed_text;
  signed_text.reserve(t.size() + 1 + body.size());
  signed_text.append(t).append(".").append(body);
  return "t=" + t + ",v1=" + hmac_sha256_hex(secret, signed_text);
}

Status emit_webhook_events(store::WriteTx& tx, const EventDraft& e, std::int64_t timeline_event_id,
                           Instant at) {
  const auto type = webhook_event_type(e);
  if (!type) return {};
  REDRESS_TRY(auto hooks, tx.webhooks().subscribed(*type));
  if (hooks.empty()) return {};
  REDRESS_TRY(auto complaint, tx.complaints().find(e.complaint));
  if (!complaint) return {};
  for (const store::Webhook& w : hooks) {
    // One event id per subscriber and event: what a receiver de-duplicates on.
    const std::string event_id = "evt_" + random_token(18);
    store::OutboxMessage m;
    m.kind = *type;
    m.complaint = complaint->id;
    m.recipient = "webhook:" + std::to_string(w.id);
    m.payload = webhook_payload(event_id, *type, at, *complaint, e, timeline_event_id).dump();
    m.created_at = at;
    m.channel = "webhook";
    m.message_id = event_id;
    REDRESS_TRY(auto id, tx.outbox().enqueue(m));
    (void)id;
  }
  return {};
}

std::optional<std::string> webhook_url_problem(const std::string& url) {
  if (url.size() > kMaxUrl) return "is longer than 2000 bytes";
  std::string rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return "must be an http:// or https:// URL";
  }
  for (char ch : url) {
    if (static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f) {
      return "must not contain spaces or control characters";
    }
  }
  const std::string authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string::npos) {
    return "must not carry credentials (the signature authenticates the sender)";
  }
  std::string host = authority;
  if (host.starts_with("[")) {
    const auto close = host.find(']');
    host = close == std::string::npos ? "" : host.substr(1, close - 1);  // an IPv6 literal
  } else if (const auto colon = host.rfind(':'); colon != std::string::npos) {
    host = host.substr(0, colon);
  }
  if (host.empty()) return "must name a host";
  return std::nullopt;
}

Result<std::vector<store::Webhook>> Webhooks::list(const store::ReadTx& tx,
                                                   const Actor& actor) const {
  REDRESS_CHECK(Admin::require_admin(actor));
  return tx.webhooks().list();
}

Result<store::Webhook> Webhooks::get(const store::ReadTx& tx, const Actor& actor,
                                     std::int64_t id) const {
  REDRESS_CHECK(Admin::require_admin(actor));
  REDRESS_TRY(auto w, tx.webhooks().find(id));
  if (!w) return fail(Error::not_found("webhook"));
  return std::move(*w);
}

Result<store::Webhook> Webhooks::create(store::WriteTx& tx, const Actor& actor,
                                        const WebhookInput& in) {
  REDRESS_CHECK(Admin::require_admin(actor));
  std::vector<FieldError> errors;
  validate(in, /*creating=*/true, errors);
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  store::Webhook w;
  w.url = in.url.value_or("");  // validate() required both
  w.events = normalised(in.events.value_or(std::vector<std::string>{}));
  w.active = in.active.value_or(true);
  w.description = in.description.value_or("");
  w.secret = "whsec_" + random_token(32);
  w.created_at = w.updated_at = clock_.now();
  REDRESS_TRY(w.id, tx.webhooks().insert(w));
  return w;
}

Result<store::Webhook> Webhooks::update(store::WriteTx& tx, const Actor& actor, std::int64_t id,
                                        const WebhookInput& in) {
  REDRESS_CHECK(Admin::require_admin(actor));
  std::vector<FieldError> errors;
  validate(in, /*creating=*/false, errors);
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  REDRESS_TRY(auto found, tx.webhooks().find(id));
  if (!found) return fail(Error::not_found("webhook"));
  store::Webhook w = std::move(*found);
  if (in.url) w.url = *in.url;
  if (in.events) w.events = normalised(*in.events);
  if (in.active) w.active = *in.active;
  if (in.description) w.description = *in.description;
  w.updated_at = clock_.now();
  REDRESS_CHECK(tx.webhooks().update(w));
  return w;
}

Status Webhooks::remove(store::WriteTx& tx, const Actor& actor, std::int64_t id) {
  REDRESS_CHECK(Admin::require_admin(actor));
  return tx.webhooks().remove(id);
}

}  // namespace redress::app
