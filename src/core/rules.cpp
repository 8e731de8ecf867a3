#include "core/rules.h"

#include <algorithm>

namespace redress {

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

namespace {

bool category_matches(const RoutingRule& rule, const RoutingSubject& s) {
  if (!rule.category) return true;
  if (s.category && *s.category == *rule.category) return true;
  return std::find(s.category_ancestors.begin(), s.category_ancestors.end(), *rule.category) !=
         s.category_ancestors.end();
}

bool keywords_match(const RoutingRule& rule, const std::string& lowered_text) {
  if (rule.keywords.empty()) return true;
  return std::any_of(rule.keywords.begin(), rule.keywords.end(), [&](const std::string& k) {
    return !k.empty() && lowered_text.find(ascii_lower(k)) != std::string::npos;
  });
}

}  // namespace

const RoutingRule* first_matching_rule(std::span<const RoutingRule> rules,
                                       const RoutingSubject& subject) {
  std::vector<const RoutingRule*> ordered;
  for (const RoutingRule& r : rules) ordered.push_back(&r);
  std::stable_sort(ordered.begin(), ordered.end(), [](const RoutingRule* a, const RoutingRule* b) {
    return a->position < b->position;
  });
  const std::string text = ascii_lower(subject.text);
  for (const RoutingRule* r : ordered) {
    if (!r->active) continue;
    if (r->kind && *r->kind != subject.kind) continue;
    if (r->channel && *r->channel != subject.channel) continue;
    if (r->urgency && (!subject.urgency || *r->urgency != *subject.urgency)) continue;
    if (!category_matches(*r, subject)) continue;
    if (!keywords_match(*r, text)) continue;
    return r;
  }
  return nullptr;
}

const SanctionRule* sanction_for_loss(std::span<const SanctionRule> rules, double loss) {
  const SanctionRule* best = nullptr;
  for (const SanctionRule& r : rules) {
    if (loss < r.min_loss) continue;
    if (r.max_loss && loss >= *r.max_loss) continue;
    if (!best || r.min_loss > best->min_loss) best = &r;
  }
  return best;
}

}  // namespace redress
