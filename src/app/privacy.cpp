#include "app/privacy.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "app/admin.h"
#include "app/audit.h"
#include "app/crypto.h"

namespace redress::app {

namespace {

using Json = nlohmann::json;

// Keys whose string values are codes, not free text or personal data.
constexpr std::array<std::string_view, 22> kCodeKeys{
    "action",         "category",      "channel",
    "currency",       "difficulty",    "direction",
    "family",         "from_state",    "kind",
    "language",       "policy",        "reason_code",
    "state",          "status",        "step",
    "to_state",       "tracking_code", "type",
    "urgency",        "validity",      "original_tracking_code",
    "department_code"};

bool is_code_key(std::string_view key) {
  return std::find(kCodeKeys.begin(), kCodeKeys.end(), key) != kCodeKeys.end();
}

Json redact(const Json& value, bool keep_strings) {
  if (value.is_object()) {
    Json out = Json::object();
    for (const auto& [k, v] : value.items()) out[k] = redact(v, is_code_key(k));
    return out;
  }
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& v : value) out.push_back(redact(v, keep_strings));
    return out;
  }
  if (value.is_string() && !keep_strings) return "[erased]";
  return value;
}

}  // namespace

Json redact_event_data(const Json& data) {
  return redact(data, false);
}

Result<ErasureResult> Privacy::erase_customer(store::WriteTx& tx, const Actor& actor, CustomerId id,
                                              const std::string& reason) {
  if (actor.kind != Actor::Kind::system && !actor.has(Role::admin)) {
    return fail(Error::forbidden("only administrators erase a customer's personal data"));
  }
  if (reason.size() > 500) return fail(Error::invalid("reason", "is longer than 500 characters"));
  REDRESS_TRY(auto customer, tx.customers().find(id));
  if (!customer) return fail(Error::not_found("customer " + std::to_string(id.value)));
  REDRESS_TRY(auto erased, tx.customers().erased_at(id));
  if (erased) {
    return fail(Error::precondition("customer " + std::to_string(id.value) +
                                    " was already erased on " + format_iso8601(*erased)));
  }
  const Instant now = clock_.now();
  ErasureResult result;
  result.customer = id;
  REDRESS_TRY(result.complaints, tx.customers().complaints_of(id));
  REDRESS_TRY(auto changed, tx.erasure().customer(id, now));
  (void)changed;
  std::vector<std::string> keys;
  for (ComplaintId cid : result.complaints) {
    REDRESS_TRY(auto complaint, tx.complaints().find(cid));
    if (!complaint) continue;
    // A hash no token has: the portal link of an erased person stops working.
    REDRESS_TRY(changed, tx.erasure().complaint_texts(cid, "erased:" + random_token(16)));
    REDRESS_TRY(auto messages, tx.erasure().messages(cid));
    result.messages += messages;
    REDRESS_TRY(changed, tx.erasure().feedback(cid));
    REDRESS_TRY(changed, tx.inbound_mail().erase_for(cid));  // sender and subject of its mails
    REDRESS_TRY(auto files, tx.erasure().attachments(cid));
    result.attachments += static_cast<std::int64_t>(files.size());
    keys.insert(keys.end(), files.begin(), files.end());
    REDRESS_TRY(auto outbox, tx.erasure().outbox(cid));
    result.outbox_rows += outbox;
    REDRESS_TRY(changed, tx.erasure().idempotent_answers(complaint->tracking_code));
    REDRESS_CHECK(tx.duplicates().erase(cid));

    Json redacted_ids = Json::array();
    REDRESS_TRY(auto events, tx.events().for_complaint(cid));
    for (const Event& e : events) {
      if (e.action == kCustomerErasedAction) continue;  // holds no personal data
      const Json data = Json::parse(e.data, nullptr, false);
      if (data.is_object() && data.contains("erased") && data["erased"] == true) continue;
      REDRESS_CHECK(tx.events().redact(e.id, redaction_stub(e, redact_event_data(data)).dump()));
      redacted_ids.push_back(e.id);
      ++result.events_redacted;
    }
    REDRESS_TRY(auto ev, append_event(tx, actor, now,
                                      {cid, std::string(kCustomerErasedAction), complaint->state,
                                       complaint->state,
                                       Json{{"customer_id", id.value},
                                            {"reason", reason},
                                            {"redacted_event_ids", redacted_ids},
                                            {"messages", messages},
                                            {"attachments", files.size()}}}));
    (void)ev;
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  for (const std::string& key : keys) {
    REDRESS_TRY(auto used, tx.erasure().storage_key_used(key));
    if (!used) result.unused_storage_keys.push_back(key);
  }
  return result;
}

}  // namespace redress::app
