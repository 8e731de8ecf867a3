#include "app/audit.h"

#include "app/crypto.h"

namespace redress::app {

std::string event_hash_input(const Event& e) {
  // A JSON array keeps field boundaries unambiguous.
  nlohmann::json j = nlohmann::json::array(
      {e.prev_hash, e.complaint.value, to_epoch_ms(e.at), e.actor_kind,
       e.actor ? nlohmann::json(e.actor->value) : nlohmann::json(nullptr), e.action,
       e.from_state ? nlohmann::json(to_string(*e.from_state)) : nlohmann::json(nullptr),
       e.to_state ? nlohmann::json(to_string(*e.to_state)) : nlohmann::json(nullptr), e.data});
  return j.dump();
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
  return tx.events().append(e);
}

Result<ChainReport> verify_chain(store::Store& store) {
  ChainReport report;
  std::string prev;
  std::int64_t after = 0;
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
      if (sha256_hex(event_hash_input(e)) != e.hash) {
        report.first_broken_id = e.id;
        report.problem = "its content does not match its hash (the row was edited)";
        return report;
      }
      prev = e.hash;
      after = e.id;
    }
  }
  return report;
}

}  // namespace redress::app
