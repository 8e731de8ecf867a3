// Personal data erasure (SPEC.md §8: "the complaint stays, the person is
// anonymised"). One use case, one transaction: the customer's name and contact
// details, the free texts of their complaints, messages, feedback, attachment
// names, customer-addressed mail and the personal parts of timeline events are
// overwritten; states, dates, categories, urgencies, amounts, scores and every
// count the reports use stay, so statistics do not move.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/access.h"
#include "core/records.h"
#include "store/store.h"

namespace redress::app {

struct ErasureResult {
  CustomerId customer;
  std::vector<ComplaintId> complaints;
  std::int64_t events_redacted = 0;
  std::int64_t messages = 0;
  std::int64_t attachments = 0;
  std::int64_t outbox_rows = 0;
  // Attachment files no row refers to any more: the caller deletes them after
  // the commit (files are shared by content, so a key still used stays).
  std::vector<std::string> unused_storage_keys;
};

class Privacy {
 public:
  explicit Privacy(const Clock& clock) : clock_(clock) {}

  // Erases customer `id`'s personal data and appends a customer_erased event to
  // each of their complaints naming the redacted events (audit.h explains how
  // the chain still verifies). Administrators (and the system, for the CLI)
  // only: forbidden otherwise; not_found for an unknown customer;
  // failed_precondition when the customer was already erased. `reason` (≤ 500
  // characters, e.g. the request's reference) goes into the events.
  Result<ErasureResult> erase_customer(store::WriteTx& tx, const Actor& actor, CustomerId id,
                                       const std::string& reason);

 private:
  const Clock& clock_;
};

// What of an event's data survives redaction: numbers, booleans, null, and the
// strings under keys that hold codes rather than words (channel, state,
// category, urgency, ids, …); every other string becomes "[erased]".
nlohmann::json redact_event_data(const nlohmann::json& data);

}  // namespace redress::app
