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

// The canonical bytes an event's hash covers (everything but id and hash). For
// hash_version 2 the data enters as its sha256 digest, so redacting the data (erasure)
// leaves the hash checkable from the digest kept in the redaction stub.
std::string event_hash_input(const Event& e);
// The same with `data_part` in the place of the data (or of its digest).
std::string event_hash_input(const Event& e, const std::string& data_part);

// The action of the event erasure appends to each complaint of the erased
// customer; its data lists the redacted events ("redacted_event_ids").
inline constexpr std::string_view kCustomerErasedAction = "customer_erased";

// The data that replaces `e`'s when it is redacted: `kept` (what may stay, e.g.
// codes and numbers) plus "erased": true and the digest of the original data.
nlohmann::json redaction_stub(const Event& e, const nlohmann::json& kept);

struct ChainReport {
  std::int64_t events_checked = 0;
  std::int64_t redacted = 0;                    // events whose data erasure replaced by a stub
  std::optional<std::int64_t> first_broken_id;  // set when the chain is broken
  std::string problem;                          // what is wrong with that event
};

// Walks every event in id order and recomputes the chain. A redacted event passes
// when its digest still matches (version 2) and a later customer_erased event
// names it; otherwise it is reported as the first broken link.
Result<ChainReport> verify_chain(store::Store& store);

}  // namespace redress::app
