// What every intake path learns about a new complaint besides storing it:
// the triage suggestions (app/triage.h) and the likely-duplicate flags
// (app/duplicates.h). The staff route (POST /api/v1/complaints), the portal,
// e-mail in (app/mail_intake.h) and chat channels (app/channels.h) all go
// through these two functions, so a complaint is suggested and flagged the
// same way whichever way it arrived.
//
// Two steps because of where they run: compute_intake_signals() tokenizes
// and runs the model on the caller's thread (a request thread, the mail
// poller), never on the store's single writer; record_intake_signals() only
// stores and looks up, inside the intake transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/complaints.h"
#include "app/duplicates.h"
#include "app/triage.h"

namespace redress::app {

struct IntakeSignals {
  std::optional<Suggestions> suggestions;  // nullopt: no model serving
  std::string customer_key;                // duplicates.h customer_key(), or a chat identity
  triage::Signature signature;             // MinHash of subject and description
};

// The signals of `request`. `triage` may be null (no suggestions).
// `chat_identity`: the bridge's id of a chat customer ("channel:external
// id"), the customer key when the request has neither e-mail nor phone, so
// repeats over a chat app are recognised too. Pure; thread-safe.
IntakeSignals compute_intake_signals(const TriageService* triage, const IntakeRequest& request,
                                     std::string_view chat_identity = {});

// In the intake transaction of `created`: stores the suggestions (if any)
// and the signature, and flags earlier complaints it likely repeats
// (record_duplicates). Returns the flags, best first.
Result<std::vector<store::DuplicateFlag>> record_intake_signals(store::WriteTx& tx,
                                                                const Complaint& created,
                                                                const IntakeSignals& signals,
                                                                const DuplicateOptions& options);

// The suggestion row record_intake_signals stores for `created` (nullopt
// when no model served), for building the new complaint's view without
// reading it back.
std::optional<store::StoredTriageSuggestion> recorded_suggestion(const Complaint& created,
                                                                 const IntakeSignals& signals);

// The customer key of a chat customer known only by the bridge's id.
std::string chat_customer_key(std::string_view chat_identity);

}  // namespace redress::app
