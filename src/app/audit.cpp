#include "app/audit.h"

#include <set>

#include "app/crypto.h"
#include "app/webhooks.h"

namespace redress::app {

namespace {

using Json = nlohmann::json;

// A redacted event's data: {"erased": true, "data_sha256": …, …}.
bool is_redacted(const Json& data) {
  return data.is_object() && data.contains("erased") && data["erased"] == true;
}

}  // namespace

std::string event_hash_input(const Event& e, const std::string& data_part) {
  // A JSON array keeps field boundaries unambiguous.
  Json j = Json::array({e.prev_hash, e.complaint.value, to_epoch_ms(e.at), e.actor_kind,
                        e.actor ? Json(e.actor->value) : Json(nullptr), e.action,
                        e.from_state ? Json(to_string(*e.from_state)) : Json(nullptr),
                        e.to_state ? Json(to_string(*e.to_state)) : Json(nullptr), data_part});
  if (e.hash_version >= 2) j.insert(j.begin(), "v2");
  return j.dump();
}

std::string event_hash_input(const Event& e) {
  return event_hash_input(e, e.hash_version >= 2 ? sha256_hex(e.data) : e.data);
}

Json redaction_stub(const Event& e, const Json& kept) {
  Json stub = kept.is_object() ? kept : Json::object();
  stub["erased"] = true;
  stub["data_sha256"] = sha256_hex(e.data);
  return stub;
}

Result<std::int64_t> append_event(store::WriteTx& tx, const Actor& actor, Instant at,
                                  EventDraft draft) {
  Event e;
  e.complaint = draft.complaint;
  e.at = at;
  switch (actor.kind) {
    case Actor::Kind::user:
      e.actor_kind = "user";
      e.actor = actor.user;
      break;
    case Actor::Kind::customer:
      e.actor_kind = "customer";
      break;
    case Actor::Kind::system:
      e.actor_kind = "system";
      break;
  }
  e.action = std::move(draft.action);
  e.from_state = draft.from_state;
  e.to_state = draft.to_state;
  e.data = draft.data.dump();
  REDRESS_TRY(e.prev_hash, tx.events().last_hash_for_append());
  e.hash = sha256_hex(event_hash_input(e));
  REDRESS_TRY(auto id, tx.events().append(e));
  draft.action = e.action;  // moved into the event above; the announcement names it too
  // Subscribers hear of the event in the transaction that wrote it.
  REDRESS_CHECK(emit_webhook_events(tx, draft, id, at));
  return id;
}

Result<ChainReport> verify_chain(store::Store& store) {
  ChainReport report;
  std::string prev;
  std::int64_t after = 0;
  std::set<std::int64_t> redacted;  // redacted events not yet named by an erasure event
  while (true) {
    REDRESS_TRY(auto batch, store.read<std::vector<Event>>([&](const store::ReadTx& tx) {
      return tx.events().scan(after, 1000);
    }));
    if (batch.empty()) break;
    for (const Event& e : batch) {
      ++report.events_checked;
      if (e.prev_hash != prev) {
        report.first_broken_id = e.id;
        report.problem =
            "its prev_hash does not match the previous event's hash (a row was "
            "removed or edited before it)";
        return report;
      }
      const Json data = Json::parse(e.data, nullptr, false);
      if (is_redacted(data)) {
        redacted.insert(e.id);
        ++report.redacted;
        const bool has_digest = data.contains("data_sha256") && data["data_sha256"].is_string();
        if (e.hash_version >= 2 && !has_digest) {
          report.first_broken_id = e.id;
          report.problem = "its data was redacted without the digest of what it held";
          return report;
        }
        // Version 1 chained the data itself: after redaction only the link and the
        // erasure event that names it vouch for it.
        if (e.hash_version >= 2 &&
            sha256_hex(event_hash_input(e, data["data_sha256"].get<std::string>())) != e.hash) {
          report.first_broken_id = e.id;
          report.problem = "its content does not match its hash (the row was edited)";
          return report;
        }
      } else if (sha256_hex(event_hash_input(e)) != e.hash) {
        report.first_broken_id = e.id;
        report.problem = "its content does not match its hash (the row was edited)";
        return report;
      }
      if (e.action == kCustomerErasedAction && data.is_object() &&
          data.contains("redacted_event_ids") && data["redacted_event_ids"].is_array()) {
        for (const Json& id : data["redacted_event_ids"]) {
          if (id.is_number_integer()) redacted.erase(id.get<std::int64_t>());
        }
      }
      prev = e.hash;
      after = e.id;
    }
  }
  if (!redacted.empty()) {
    report.first_broken_id = *redacted.begin();
    report.problem =
        "its data was redacted, but no customer_erased event names it (only erasure may "
        "redact)";
  }
  return report;
}

}  // namespace redress::app
