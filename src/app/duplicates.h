// Likely duplicates and repeats (SPEC §6 last bullet, issue 7 item 3): at
// intake a complaint's text is compared with the complaints received in the
// last N days from the same customer or on the same object; near-identical
// ones are flagged with a score and a link. An agent merges a duplicate
// into the original with the lifecycle action `merge` (Complaints::transition).
//
// Cost: the MinHash signature is computed on the request thread (tokenizer
// and hashing never run on the store's single writer); the writer stores it
// with its 20 band keys and finds candidates with one indexed query over the
// band keys, filtered by customer/object and the time window in SQL, so the
// lookup does not grow with the number of stored complaints.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/access.h"
#include "core/records.h"
#include "store/store.h"
#include "triage/near_duplicates.h"

namespace redress::app {

struct DuplicateOptions {
  int window_days = 30;               // only complaints received this recently are compared
  double threshold = 0.5;             // estimated Jaccard similarity that raises a flag
  std::size_t max_flags = 5;          // best-scoring flags kept per complaint
  std::int64_t max_candidates = 200;  // rows read per lookup (a bound, never reached in practice)
};

// The key that says two complaints come from the same customer: SHA-256 of
// the trimmed, lower-cased e-mail address, else of the phone number's
// digits; '' without either. Hashed so the table holds no contact data.
std::string customer_key(std::string_view email, std::string_view phone);

// The key that says two complaints are about the same object: object type
// and reference, trimmed and lower-cased; '' without a reference.
std::string object_key(std::string_view object_type, std::string_view object_ref);

// The signature of an intake's subject and description (request thread).
triage::Signature intake_signature(std::string_view subject, std::string_view description);

// In the intake transaction of new complaint `c`: stores its signature and
// flags the earlier complaints (same customer key or object key, received
// within the window, not themselves merged away) whose estimated similarity
// reaches the threshold, best `max_flags` of them. Returns the flags.
Result<std::vector<store::DuplicateFlag>> record_duplicates(store::WriteTx& tx, const Complaint& c,
                                                            const std::string& customer_key,
                                                            const triage::Signature& signature,
                                                            const DuplicateOptions& options);

// The stored comma-separated reasons of a flag as a list.
std::vector<std::string> duplicate_reasons(const std::string& reasons);

// One flag as a caller sees it from one complaint.
struct DuplicateLink {
  ComplaintId other;
  // "duplicate_of": this complaint resembles the earlier `other`;
  // "duplicated_by": the later `other` resembles this one.
  std::string relation;
  double score = 0;
  std::vector<std::string> reasons;  // same_customer, same_object
  Instant flagged_at;
  std::string tracking_code;
  std::string subject;
  State state = State::new_;
  Instant received_at;
};

// The flags of complaint `id` for `actor` (not_found outside the actor's
// scope); flags whose other complaint the actor may not see are left out.
Result<std::vector<DuplicateLink>> duplicate_links(const store::ReadTx& tx, const Actor& actor,
                                                   ComplaintId id);

}  // namespace redress::app
