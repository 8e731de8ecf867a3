// The tamper-evident timeline. Every change to a complaint appends an Event
// in the same transaction; each event's hash covers the previous event's
// hash and its own content, so editing or deleting any row breaks the chain
// from that row on, and `verify_chain` names the first broken link.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/access.h"
#include "core/records.h"
#include "store/store.h"

namespace redress::app {

// What a use case says happened; append_event fills in time and hashes.
struct EventDraft {
  ComplaintId complaint;
  std::string action;
  std::optional<State> from_state;
  std::optional<State> to_state;
  nlohmann::json data = nlohmann::json::object();
};

// Appends `draft` as done by `actor` at `at`, chained to the newest event.
Result<std::int64_t> append_event(store::WriteTx& tx, const Actor& actor, Instant at,
                                  EventDraft draft);

// The canonical bytes an event's hash covers (everything but id and hash).
std::string event_hash_input(const Event& e);

struct ChainReport {
  std::int64_t events_checked = 0;
  std::optional<std::int64_t> first_broken_id;  // set when the chain is broken
  std::string problem;                          // what is wrong with that event
};

// Walks every event in id order and recomputes the chain.
Result<ChainReport> verify_chain(store::Store& store);

}  // namespace redress::app
