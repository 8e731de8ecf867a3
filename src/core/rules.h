// Routing and sanction rules as data (issue: "routing and sanction rules as
// data"). Matching is pure: the app loads the rules and asks.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/enums.h"

namespace redress {

// An ordered routing rule: every condition that is set must hold; the first
// matching rule (lowest position) proposes the department.
struct RoutingRule {
  std::int64_t id = 0;
  int position = 0;
  std::string name;
  std::optional<Kind> kind;
  std::optional<std::string> category;  // matches the category or any of its sub-categories
  std::optional<Channel> channel;
  std::optional<Urgency> urgency;
  std::vector<std::string> keywords;  // any keyword found in the text (case-insensitive) matches
  std::int64_t department_id = 0;
  std::optional<std::int64_t> assignee_id;
  bool active = true;
};

// What routing sees of a complaint.
struct RoutingSubject {
  Kind kind = Kind::complaint;
  std::optional<std::string> category;
  std::vector<std::string> category_ancestors;  // parent codes of `category`, nearest first
  Channel channel = Channel::portal;
  std::optional<Urgency> urgency;
  std::string text;  // description, demands and object
};

// The first active rule, in position order, whose conditions all hold.
const RoutingRule* first_matching_rule(std::span<const RoutingRule> rules,
                                       const RoutingSubject& subject);

// A band of loss amounts [min_loss, max_loss) and the sanction it proposes.
struct SanctionRule {
  std::int64_t id = 0;
  double min_loss = 0;
  std::optional<double> max_loss;  // open-ended when absent
  std::string sanction;            // e.g. "written warning"
  std::optional<double> wage_deduction_percent;
};

// The rule whose band holds `loss`; when bands overlap, the one with the
// highest min_loss wins. nullptr when none does.
const SanctionRule* sanction_for_loss(std::span<const SanctionRule> rules, double loss);

// Lower-cases ASCII and leaves other bytes as they are; enough for keyword
// matching in the six languages, where keywords are written as they appear.
std::string ascii_lower(std::string_view text);

}  // namespace redress
