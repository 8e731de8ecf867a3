// Complaint use cases: intake, reading, editing and every lifecycle
// transition. Each method runs inside the one transaction it is given and
// either writes everything (complaint, timeline events, messages, outbox
// rows) or fails and writes nothing — the caller's transaction rolls back.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/access.h"
#include "core/lifecycle.h"
#include "core/policy.h"
#include "core/records.h"
#include "store/store.h"
#include "text/search.h"

namespace redress::app {

struct CustomerInput {
  std::string name;
  std::string email;
  std::string phone;
  std::string language = "en";
  std::optional<Channel> reply_channel;
};

// A new complaint from the portal, an integration or an agent's intake form.
struct IntakeRequest {
  CustomerInput customer;
  std::string subject;
  std::string description;
  std::string demands;
  std::string place;
  std::string people_involved;
  std::string object_type;
  std::string object_ref;
  std::optional<Instant> occurred_at;
  std::optional<Channel> channel;
  std::optional<Instant> received_at;  // staff intake of a letter or call received earlier
  std::vector<std::string> tags;
  // A customer already on file (e-mail in finds one by address): the
  // complaint is theirs and `customer` is not stored again.
  std::optional<CustomerId> existing_customer;
  // An inbound channel's bridge (app/channels.h) knows the customer by its
  // chat id and relays replies: no e-mail address or phone number needed.
  bool replies_through_bridge = false;
};

struct IntakeResult {
  Complaint complaint;
  Customer customer;         // as stored
  std::string access_token;  // shown once to the customer; only its hash is stored
};

// A complaint as the API shows it to one caller.
// Where a search hit matched, shown as a short extract with the matching
// terms marked (text::snippet).
struct SearchSnippet {
  std::string field;            // "subject", "description" or "message"
  std::int64_t message_id = 0;  // for "message"
  std::vector<text::SnippetPart> parts;
};

struct ComplaintView {
  Complaint complaint;
  Customer customer;
  std::vector<Remedy> remedies;  // of the current plan round
  bool director_required = false;
  std::vector<Action> allowed_actions;  // for this caller, in table order
  // The best-scoring earlier complaint this one was flagged as a likely
  // duplicate of at intake (app/duplicates.h), if any.
  std::optional<store::DuplicateFlag> likely_duplicate;
  // Triage's top category suggestion made at intake, while the complaint has
  // no category yet (the queue's marker; the full list is on /suggestions).
  std::optional<std::string> suggested_category;
  double suggested_confidence = 0;
  // Set on the rows of a search (list with filter.search).
  std::optional<SearchSnippet> snippet;
};

struct TransitionRequest {
  Action action = Action::take;
  TransitionInput input;
  std::vector<Remedy> remedies;  // propose_plan
  std::optional<double> estimated_cost;
  std::optional<std::int64_t> expected_version;  // If-Match
};

struct TransitionResult {
  ComplaintView view;
  std::optional<ComplaintId> follow_up;  // verify_fail
};

// Editable registration and assessment fields; absent fields stay as they are.
struct ComplaintPatch {
  std::optional<std::string> subject, description, demands, place, people_involved, object_type,
      object_ref, language, impact_customer, impact_reputation, category;
  std::optional<std::vector<std::string>> tags;
  std::optional<Urgency> urgency;
  std::optional<Difficulty> difficulty;
  std::optional<std::optional<double>> estimated_loss;
  std::optional<std::int64_t> expected_version;
};

// The six languages of SPEC §7.
bool is_supported_language(std::string_view tag);

// Loads a complaint the actor may see; not_found otherwise (no hint that it
// exists outside the caller's scope).
Result<Complaint> load_visible(const store::ReadTx& tx, const Actor& actor, ComplaintId id);

// Loads a complaint the actor wants to change: not_found when it does not
// exist, forbidden when it is outside the caller's scope (docs/api-contract.md:
// reads outside the scope say 404, writes say 403, as transitions do). The
// caller still checks which of its effective roles may make the change.
Result<Complaint> load_for_write(const store::ReadTx& tx, const Actor& actor, ComplaintId id);

// Saves `c` with a version bump; fails with stale_version/conflict if it changed.
Status save(store::WriteTx& tx, Complaint& c, Instant now);

// The policy that governs `c` now.
Result<Policy> policy_for(const store::ReadTx& tx, const Complaint& c);

class Complaints {
 public:
  explicit Complaints(const Clock& clock) : clock_(clock) {}

  // Registers a complaint: customer, complaint in `new`, the registration
  // event, the acknowledgement message and its outbox row. `staff` intake
  // requires a channel; public intake is `portal` unless the request names
  // another public channel. The system actor registers what a channel
  // brought in (e-mail in) and, like staff, names the channel.
  Result<IntakeResult> submit(store::WriteTx& tx, const Actor& actor, IntakeRequest request);

  // The view of a complaint `submit` registered in this transaction, from
  // what the registration holds instead of reading it back: its customer, no
  // remedies (a new complaint has none), and the duplicate flags and triage
  // suggestion just recorded for it (record_intake_signals). Reads only the
  // policies (when an urgency is set) and the retired categories (when a
  // suggestion names a category). Equal to what get() would answer.
  Result<ComplaintView> view_of_registered(
      const store::ReadTx& tx, const Actor& actor, IntakeResult created,
      std::span<const store::DuplicateFlag> flags,
      const std::optional<store::StoredTriageSuggestion>& suggestion) const;

  Result<ComplaintView> get(const store::ReadTx& tx, const Actor& actor, ComplaintId id) const;
  // A page of the complaints in the caller's scope that pass `filter`. With
  // filter.search, the best matches first, each with a snippet from the first
  // of subject, description and indexed messages that holds a query term.
  Result<std::vector<ComplaintView>> list(const store::ReadTx& tx, const Actor& actor,
                                          store::ComplaintFilter filter) const;
  Result<ComplaintView> patch(store::WriteTx& tx, const Actor& actor, ComplaintId id,
                              const ComplaintPatch& patch);
  // Runs one lifecycle action. Errors: not_found; forbidden (role or scope);
  // failed_precondition (wrong state, closed window); invalid_argument
  // (missing or invalid data, naming each field); stale_version.
  Result<TransitionResult> transition(store::WriteTx& tx, const Actor& actor, ComplaintId id,
                                      TransitionRequest request);
  // The complaint's timeline, preceded by the original's for a follow-up.
  Result<std::vector<Event>> timeline(const store::ReadTx& tx, const Actor& actor,
                                      ComplaintId id) const;
  // Builds the view of `c` for `actor`.
  Result<ComplaintView> view(const store::ReadTx& tx, const Actor& actor, Complaint c) const;

 private:
  const Clock& clock_;
};

}  // namespace redress::app
