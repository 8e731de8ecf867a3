// Likely duplicates (migration 0010): the MinHash signature stored for each
// complaint taken in at intake, its LSH band keys, the flags raised against
// earlier complaints, and the case-file moves of a merge.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/time.h"
#include "store/sql.h"

namespace redress::store {

struct StoredSignature {
  ComplaintId complaint;
  Instant received_at;
  std::string customer_key;  // '' when the customer gave neither e-mail nor phone
  std::string object_key;    // '' when the complaint names no object
  std::string signature;     // hex
};

struct DuplicateFlag {
  ComplaintId complaint;  // the later complaint
  ComplaintId original;   // the earlier complaint it resembles
  double score = 0;
  std::string reasons;  // comma-separated: same_customer, same_object
  Instant flagged_at;
};

class DuplicateRepo {
 public:
  explicit DuplicateRepo(SqlSession& s) : s_(s) {}
  // Stores a complaint's signature and one row per band key.
  Status add_signature(const StoredSignature& s, std::span<const std::int64_t> band_keys);
  // Complaints received at or after `since`, other than `self`, not merged away
  // (state 'duplicate'), sharing at least one of `band_keys` and having
  // `customer_key` or `object_key` (each only when non-empty). One index probe
  // per band; at most `limit` rows.
  Result<std::vector<StoredSignature>> candidates(std::span<const std::int64_t> band_keys,
                                                  Instant since, ComplaintId self,
                                                  const std::string& customer_key,
                                                  const std::string& object_key,
                                                  std::int64_t limit) const;
  Status add_flag(const DuplicateFlag& f);
  // Flags where `id` is the later complaint or the original, best score first.
  Result<std::vector<DuplicateFlag>> flags_of(ComplaintId id) const;
  // The best-scoring flag of each complaint among `ids` that is a later
  // complaint (for queue markers); complaints without flags are absent.
  Result<std::vector<DuplicateFlag>> best_flags(std::span<const ComplaintId> ids) const;
  // The stored customer key of `id` ('' when it has no signature row).
  Result<std::string> customer_key(ComplaintId id) const;
  // Erasure: the keys and the signature of `id` are cleared and its bands
  // removed (they are derived from the person's contact data and texts), so
  // it is never matched again; its flags stay (they hold no personal data).
  Status erase(ComplaintId id);
  // Merge: moves every message / attachment row of `from` to `to`, each
  // remembering the complaint it was first written on (origin_complaint_id,
  // for erasure); returns
  // the ids moved, oldest first. Moving messages rebuilds both complaints'
  // search index rows (message text is indexed per complaint).
  Result<std::vector<std::int64_t>> move_messages(ComplaintId from, ComplaintId to);
  Result<std::vector<std::int64_t>> move_attachments(ComplaintId from, ComplaintId to);

 private:
  SqlSession& s_;
};

}  // namespace redress::store
