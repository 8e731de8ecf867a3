#include "app/duplicates.h"

#include <algorithm>
#include <cctype>

#include "app/complaints.h"
#include "app/crypto.h"

namespace redress::app {

namespace {

std::string trimmed_lower(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

}  // namespace

std::vector<std::string> duplicate_reasons(const std::string& reasons) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < reasons.size()) {
    const auto comma = reasons.find(',', start);
    const auto end = comma == std::string::npos ? reasons.size() : comma;
    if (end > start) out.push_back(reasons.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string customer_key(std::string_view email, std::string_view phone) {
  const std::string mail = trimmed_lower(email);
  if (!mail.empty()) return sha256_hex("email:" + mail);
  std::string digits;
  for (char ch : phone) {
    if (std::isdigit(static_cast<unsigned char>(ch))) digits.push_back(ch);
  }
  if (digits.size() >= 5) return sha256_hex("phone:" + digits);
  return {};
}

std::string object_key(std::string_view object_type, std::string_view object_ref) {
  const std::string ref = trimmed_lower(object_ref);
  if (ref.empty()) return {};
  return trimmed_lower(object_type) + ":" + ref;
}

triage::Signature intake_signature(std::string_view subject, std::string_view description) {
  std::string text(subject);
  text += '\n';
  text += description;
  return triage::minhash(text);
}

Result<std::vector<store::DuplicateFlag>> record_duplicates(store::WriteTx& tx, const Complaint& c,
                                                            const std::string& customer,
                                                            const triage::Signature& signature,
                                                            const DuplicateOptions& options) {
  std::vector<store::DuplicateFlag> flags;
  const std::string object = object_key(c.object_type, c.object_ref);
  std::vector<std::int64_t> keys;
  if (!signature.empty) {
    const auto bands = triage::band_keys(signature);
    keys.assign(bands.begin(), bands.end());
  }
  REDRESS_CHECK(
      tx.duplicates().add_signature(store::StoredSignature{.complaint = c.id,
                                                           .received_at = c.received_at,
                                                           .customer_key = customer,
                                                           .object_key = object,
                                                           .signature = triage::to_hex(signature)},
                                    keys));
  if (signature.empty) return flags;
  REDRESS_TRY(auto candidates, tx.duplicates().candidates(
                                   keys, c.received_at - std::chrono::days(options.window_days),
                                   c.id, customer, object, options.max_candidates));
  for (const store::StoredSignature& cand : candidates) {
    // Only earlier complaints are originals (a letter registered late may be
    // received before complaints already stored).
    if (cand.received_at > c.received_at) continue;
    const auto other = triage::signature_from_hex(cand.signature);
    if (!other) continue;
    const double score = triage::similarity(signature, *other);
    if (score < options.threshold) continue;
    std::string reasons;
    if (!customer.empty() && cand.customer_key == customer) reasons = "same_customer";
    if (!object.empty() && cand.object_key == object) {
      reasons += reasons.empty() ? "same_object" : ",same_object";
    }
    flags.push_back(store::DuplicateFlag{.complaint = c.id,
                                         .original = cand.complaint,
                                         .score = score,
                                         .reasons = std::move(reasons),
                                         .flagged_at = c.created_at});
  }
  std::sort(flags.begin(), flags.end(), [](const auto& a, const auto& b) {
    return a.score != b.score ? a.score > b.score : a.original.value > b.original.value;
  });
  if (flags.size() > options.max_flags) flags.resize(options.max_flags);
  for (const auto& f : flags) REDRESS_CHECK(tx.duplicates().add_flag(f));
  return flags;
}

Result<std::vector<DuplicateLink>> duplicate_links(const store::ReadTx& tx, const Actor& actor,
                                                   ComplaintId id) {
  REDRESS_TRY(auto c, load_visible(tx, actor, id));
  REDRESS_TRY(auto flags, tx.duplicates().flags_of(c.id));
  std::vector<DuplicateLink> out;
  for (const store::DuplicateFlag& f : flags) {
    const bool later = f.complaint == c.id;
    const ComplaintId other_id = later ? f.original : f.complaint;
    REDRESS_TRY(auto other, tx.complaints().find(other_id));
    if (!other || !can_see(actor, other->id, other->department)) continue;
    out.push_back(DuplicateLink{.other = other_id,
                                .relation = later ? "duplicate_of" : "duplicated_by",
                                .score = f.score,
                                .reasons = duplicate_reasons(f.reasons),
                                .flagged_at = f.flagged_at,
                                .tracking_code = other->tracking_code,
                                .subject = other->subject,
                                .state = other->state,
                                .received_at = other->received_at});
  }
  return out;
}

}  // namespace redress::app
