// Bulk import of complaints recorded elsewhere (the public CFPB export, later
// Redress's own CSV format). Rows arrive already mapped to ImportRecord by an
// ingest adapter; this use case writes a batch of them in the caller's one
// transaction: customer, complaint in its final state, an `imported` event
// carrying the source fields verbatim, and the link that makes a re-import
// of the same record a no-op.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/access.h"
#include "core/records.h"
#include "store/store.h"

namespace redress::app {

// One complaint from an external source, mapped onto Redress's vocabulary.
struct ImportRecord {
  std::string source;       // e.g. "cfpb"; with external_id, the identity of the record
  std::string external_id;  // e.g. the CFPB Complaint ID
  Instant received_at;
  std::optional<Instant> sent_at;  // when it was routed to the organisation unit
  Channel channel = Channel::api;
  std::string category_name;     // created under the source's prefix when new
  std::string subcategory_name;  // optional child of category_name
  std::string organisation;      // the organisation unit (department), created when new
  std::string subject;
  std::string description;
  std::string object_ref;
  std::string place;
  std::vector<std::string> tags;
  std::string customer_name;
  bool closed = false;         // the source says the case is closed
  std::string outcome;         // the source's own words for the outcome
  std::optional<bool> timely;  // whether the source says the answer was on time
  bool disputed = false;       // the customer disputed the answer
  nlohmann::json source_fields = nlohmann::json::object();
  // Set by Redress's own format (ingest/redress_csv.h): the complaint and its
  // customer as another installation exported them, written as they are —
  // state, assessment, texts and times — instead of the mapping above. Ids of
  // the other installation are not kept: the department is found (or created)
  // by `department_code`, the category by its code; the assignee, follow-up
  // link and SLA clocks are not carried over.
  std::optional<Complaint> native;
  std::optional<Customer> native_customer;
  std::string department_code;
};

struct ImportBatchResult {
  int created = 0;
  int skipped = 0;  // already imported earlier
};

// A lower-case ASCII code from free text ("Credit card" → "credit_card"),
// at most `max` characters.
std::string slug(std::string_view text, std::size_t max = 40);

class Importer {
 public:
  explicit Importer(const Clock& clock) : clock_(clock) {}
  // Writes `records` (admin or system only). Categories and departments are
  // created on first sight and cached for later batches. Not thread-safe.
  // `stopped` (optional) is asked before each row; when it answers true the
  // batch fails with `unavailable` and its writes roll back, so a server
  // shutting down need not wait for a batch of thousands of rows (the import
  // resumes from its last committed batch).
  // A failed batch forgets what it cached (forget_uncommitted) before it
  // returns the error.
  Result<ImportBatchResult> write_batch(store::WriteTx& tx, const Actor& actor,
                                        const std::vector<ImportRecord>& records,
                                        const std::function<bool()>& stopped = {});
  // Drops every cached category and department, so the next batch looks them
  // up again. The caller calls it when the transaction a successful
  // write_batch wrote into did not commit after all: the cache would
  // otherwise hand out ids of rows that were rolled back.
  void forget_uncommitted();

 private:
  Result<ImportBatchResult> write_rows(store::WriteTx& tx, const Actor& actor,
                                       const std::vector<ImportRecord>& records,
                                       const std::function<bool()>& stopped);
  // Categories and departments created here are logged by `actor` at `now`.
  Result<std::string> category_for(store::WriteTx& tx, const Actor& actor, Instant now,
                                   const ImportRecord& r);
  Result<DepartmentId> department_for(store::WriteTx& tx, const Actor& actor, Instant now,
                                      const ImportRecord& r);
  // The department with `code`, created with `name` when missing.
  Result<DepartmentId> department_by_code(store::WriteTx& tx, const Actor& actor, Instant now,
                                          const std::string& code, const std::string& name);
  // Writes a native record and returns its complaint, not yet linked to the
  // record; nullopt when its tracking code is already taken.
  Result<std::optional<ComplaintId>> write_native(store::WriteTx& tx, const Actor& actor,
                                                  const ImportRecord& r, Instant now);
  const Clock& clock_;
  std::map<std::string, std::string> category_codes_;           // name path → code
  std::map<std::string, DepartmentId> department_ids_;          // organisation → id
  std::map<std::string, DepartmentId> department_ids_by_code_;  // every department, by code
  bool departments_loaded_ = false;
};

}  // namespace redress::app
