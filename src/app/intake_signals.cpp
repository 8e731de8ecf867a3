#include "app/intake_signals.h"

#include "app/crypto.h"

namespace redress::app {

std::string chat_customer_key(std::string_view chat_identity) {
  if (chat_identity.empty()) return {};
  return sha256_hex("chat:" + std::string(chat_identity));
}

IntakeSignals compute_intake_signals(const TriageService* triage, const IntakeRequest& request,
                                     std::string_view chat_identity) {
  IntakeSignals s;
  if (triage != nullptr) s.suggestions = triage->suggest(request.subject, request.description);
  s.signature = intake_signature(request.subject, request.description);
  s.customer_key = customer_key(request.customer.email, request.customer.phone);
  if (s.customer_key.empty()) s.customer_key = chat_customer_key(chat_identity);
  return s;
}

std::optional<store::StoredTriageSuggestion> recorded_suggestion(const Complaint& created,
                                                                 const IntakeSignals& signals) {
  if (!signals.suggestions) return std::nullopt;
  return stored_suggestion(created.id, *signals.suggestions, created.created_at);
}

Result<std::vector<store::DuplicateFlag>> record_intake_signals(store::WriteTx& tx,
                                                                const Complaint& created,
                                                                const IntakeSignals& signals,
                                                                const DuplicateOptions& options) {
  if (auto suggestion = recorded_suggestion(created, signals)) {
    REDRESS_CHECK(tx.triage().add_suggestion(*suggestion));
  }
  return record_duplicates(tx, created, signals.customer_key, signals.signature, options);
}

}  // namespace redress::app
