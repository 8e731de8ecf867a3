#include "app/complaints.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "app/admin.h"
#include "app/audit.h"
#include "app/crypto.h"
#include "app/duplicates.h"
#include "app/notifications.h"
#include "app/sla.h"
#include "app/triage.h"
#include "core/rules.h"
#include "store/search_index.h"
#include "text/search.h"

namespace redress::app {

namespace {

using Json = nlohmann::json;

bool blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

constexpr std::size_t kMaxText = 20000;

Status write_outbox(store::WriteTx& tx, const Complaint& c, const Customer& customer,
                    std::string kind, Json payload, Instant now) {
  if (customer.email.empty()) return {};  // no address: the agent replies by other channels
  payload["tracking_code"] = c.tracking_code;
  payload["customer_name"] = customer.name;
  store::OutboxMessage m{
      0,   std::move(kind), c.id, customer.email, customer.language, payload.dump(),
      now, std::nullopt};
  REDRESS_TRY(auto id, tx.outbox().enqueue(m));
  (void)id;
  return {};
}

Result<std::int64_t> add_message(store::WriteTx& tx, const Complaint& c, Direction direction,
                                 Channel channel, std::string kind, std::string body,
                                 const Actor& actor, Instant now) {
  Message m;
  m.complaint = c.id;
  m.direction = direction;
  m.channel = channel;
  m.kind = std::move(kind);
  m.body = std::move(body);
  if (actor.kind == Actor::Kind::user) m.author = actor.user;
  m.at = now;
  return tx.records().add_message(m);
}

std::string feedback_source(const Actor& actor) {
  return actor.kind == Actor::Kind::customer ? "portal" : "agent";
}

Status add_feedback(store::WriteTx& tx, const Complaint& c, const Actor& actor, std::string kind,
                    std::string text, Instant now) {
  Feedback f;
  f.complaint = c.id;
  f.kind = std::move(kind);
  f.text = std::move(text);
  f.source = feedback_source(actor);
  f.at = now;
  REDRESS_TRY(auto id, tx.records().add_feedback(f));
  (void)id;
  return {};
}

double monetary_total(const std::vector<Remedy>& remedies) {
  double total = 0;
  for (const Remedy& r : remedies) total += r.amount.value_or(0);
  return total;
}

// Stores `c` under a fresh random tracking code (set on `c`, with its id).
// A drawn code that is taken (a chance of one in 32^8 ≈ 10^12 per complaint
// already stored) is drawn again.
Status insert_with_fresh_code(store::WriteTx& tx, Complaint& c) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    c.tracking_code = "RD-" + random_code(8);
    REDRESS_TRY(auto id, tx.complaints().insert_unless_code_taken(c));
    if (id) {
      c.id = *id;
      return {};
    }
  }
  return fail(Error::internal("could not find a free tracking code"));
}

// Which caller roles could take `action` from any state; for 403-vs-409.
bool any_row_allows(Action action, RoleSet roles) {
  for (const Transition& t : lifecycle_table()) {
    if (t.action == action && t.roles.intersects(roles)) return true;
  }
  return false;
}

}  // namespace

bool is_supported_language(std::string_view tag) {
  return tag == "en" || tag == "es" || tag == "fr" || tag == "zh-Hans" || tag == "zh-Hant" ||
         tag == "vi";
}

Result<Complaint> load_visible(const store::ReadTx& tx, const Actor& actor, ComplaintId id) {
  REDRESS_TRY(auto c, tx.complaints().find(id));
  if (!c || !can_see(actor, c->id, c->department)) return fail(Error::not_found("complaint"));
  return std::move(*c);
}

Result<Complaint> load_for_write(const store::ReadTx& tx, const Actor& actor, ComplaintId id) {
  REDRESS_TRY(auto c, tx.complaints().find(id));
  if (!c) return fail(Error::not_found("complaint"));
  if (!can_see(actor, c->id, c->department)) {
    return fail(Error::forbidden("this complaint is outside your department scope"));
  }
  return std::move(*c);
}

Status save(store::WriteTx& tx, Complaint& c, Instant now) {
  c.updated_at = now;
  REDRESS_TRY(c.version, tx.complaints().update(c));
  return {};
}

Result<Policy> policy_for(const store::ReadTx& tx, const Complaint& c) {
  REDRESS_TRY(auto policies, tx.rules().policies());
  return resolve_policy(policies, c.category, c.urgency);
}

Result<IntakeResult> Complaints::submit(store::WriteTx& tx, const Actor& actor, IntakeRequest req) {
  const Instant now = clock_.now();
  const bool is_public = actor.kind == Actor::Kind::customer;
  std::vector<FieldError> errors;
  if (blank(req.customer.name)) errors.push_back(required_field("customer.name"));
  if (!req.customer.email.empty() &&
      (req.customer.email.find('@') == std::string::npos || req.customer.email.size() > 254)) {
    errors.push_back(email_field("customer.email"));
  }
  if (is_public && req.customer.email.empty() && req.customer.phone.empty() &&
      !req.replies_through_bridge) {
    errors.push_back({"customer.email", "an e-mail address or a phone number is required"});
  }
  if (!is_supported_language(req.customer.language)) {
    errors.push_back(language_field("customer.language"));
  }
  if (blank(req.description)) errors.push_back(required_field("description"));
  if (req.description.size() > kMaxText) {
    errors.push_back(too_long_field("description", kMaxText));
  }
  if (req.demands.size() > kMaxText) errors.push_back(too_long_field("demands", kMaxText));
  if (!is_public && !req.channel) {
    errors.push_back({"channel", "is required for staff intake (phone, letter, in_person, …)"});
  }
  if (is_public && req.channel && *req.channel != Channel::portal &&
      *req.channel != Channel::feedback_form && *req.channel != Channel::chat) {
    errors.push_back({"channel", "must be portal, feedback_form or chat on the public portal"});
  }
  if (req.received_at && *req.received_at > now) {
    errors.push_back({"received_at", "cannot be in the future"});
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  if (actor.kind == Actor::Kind::user && !actor.has(Role::agent) && !actor.has(Role::supervisor)) {
    return fail(Error::forbidden("only agents and supervisors register complaints"));
  }

  Customer customer{CustomerId{},       req.customer.name,     req.customer.email,
                    req.customer.phone, req.customer.language, req.customer.reply_channel};
  if (req.existing_customer) {
    REDRESS_TRY(auto known, tx.customers().find(*req.existing_customer));
    if (!known) return fail(Error::not_found("customer"));
    customer = std::move(*known);
  } else {
    REDRESS_TRY(customer.id, tx.customers().insert(customer));
  }

  IntakeResult result;
  result.access_token = random_token(32);  // 256 bits
  Complaint& c = result.complaint;
  c.access_token_hash = sha256_hex(result.access_token);
  c.customer = customer.id;
  c.channel = req.channel.value_or(Channel::portal);
  c.received_at = req.received_at.value_or(now);
  c.occurred_at = req.occurred_at;
  c.place = req.place;
  c.object_type = req.object_type;
  c.object_ref = req.object_ref;
  c.subject = req.subject;
  c.description = req.description;
  c.demands = req.demands;
  c.people_involved = req.people_involved;
  c.language = customer.language;
  c.tags = req.tags;
  c.created_at = now;
  c.updated_at = now;
  REDRESS_CHECK(insert_with_fresh_code(tx, c));

  REDRESS_TRY(
      auto ev,
      append_event(tx, actor, now,
                   {c.id, "registered", std::nullopt, State::new_,
                    Json{{"channel", to_string(c.channel)}, {"tracking_code", c.tracking_code}}}));
  (void)ev;
  const std::string ack = "We have registered your complaint under tracking code " +
                          c.tracking_code + " and will keep you informed.";
  REDRESS_TRY(
      auto msg,
      add_message(tx, c, Direction::outbound, customer.email.empty() ? c.channel : Channel::email,
                  "acknowledgement", ack, Actor{.kind = Actor::Kind::system}, now));
  (void)msg;
  // The token rides in the row only until the mail is sent (jobs/ erases it),
  // so the acknowledgement can carry a working tracking link.
  REDRESS_CHECK(write_outbox(tx, c, customer, "acknowledgement",
                             Json{{"access_token", result.access_token}}, now));
  REDRESS_CHECK(sync_sla_clocks(tx, c, std::nullopt, now));
  result.customer = std::move(customer);
  return result;
}

namespace {

// The top category suggestion of a stored suggestion row that is not a
// retired category, onto `v` while the complaint has no category.
void attach_suggestion(ComplaintView& v, const store::StoredTriageSuggestion& s,
                       const std::set<std::string>& retired) {
  if (v.complaint.category) return;
  const Json j = Json::parse(s.suggestions, nullptr, false);
  if (!j.is_object() || !j.contains("category") || !j["category"].is_array()) return;
  for (const Json& item : j["category"]) {
    if (!item.is_object() || !item.contains("value") || !item["value"].is_string()) continue;
    std::string value = item["value"].get<std::string>();
    if (retired.contains(value)) continue;
    v.suggested_category = std::move(value);
    v.suggested_confidence = item.value("confidence", 0.0);
    return;
  }
}

// The view of `c` for `actor`, from its already loaded customer, current
// remedies and the organisation's policies.
ComplaintView assemble_view(const Actor& actor, Complaint c, Customer customer,
                            std::vector<Remedy> remedies, std::span<const Policy> policies) {
  ComplaintView v;
  v.customer = std::move(customer);
  v.remedies = std::move(remedies);
  if (c.urgency) {
    const Policy policy = resolve_policy(policies, c.category, c.urgency);
    v.director_required = director_required(policy, *c.urgency, monetary_total(v.remedies));
  }
  v.allowed_actions = actions_for(c.state, effective_roles(actor, c.id, c.department));
  v.complaint = std::move(c);
  return v;
}

}  // namespace

Result<ComplaintView> Complaints::view(const store::ReadTx& tx, const Actor& actor,
                                       Complaint c) const {
  REDRESS_TRY(auto customer, tx.customers().find(c.customer));
  REDRESS_TRY(auto remedies, tx.records().remedies(c.id, c.plan_round));
  REDRESS_TRY(auto policies, tx.rules().policies());
  const ComplaintId ids[] = {c.id};
  REDRESS_TRY(auto flags, tx.duplicates().best_flags(ids));
  ComplaintView v = assemble_view(actor, std::move(c), customer.value_or(Customer{}),
                                  std::move(remedies), policies);
  if (!flags.empty()) v.likely_duplicate = std::move(flags.front());
  REDRESS_TRY(auto suggestions, tx.triage().suggestions_of(ids));
  if (!suggestions.empty() && !v.complaint.category) {
    REDRESS_TRY(const auto retired, retired_categories(tx));
    attach_suggestion(v, suggestions.front(), retired);
  }
  return v;
}

Result<ComplaintView> Complaints::view_of_registered(
    const store::ReadTx& tx, const Actor& actor, IntakeResult created,
    std::span<const store::DuplicateFlag> flags,
    const std::optional<store::StoredTriageSuggestion>& suggestion) const {
  std::vector<Policy> policies;  // assemble_view reads them only for an urgency
  if (created.complaint.urgency) {
    REDRESS_TRY(policies, tx.rules().policies());
  }
  ComplaintView v =
      assemble_view(actor, std::move(created.complaint), std::move(created.customer), {}, policies);
  // The flag view() shows: the best score, then the earliest original
  // (DuplicateRepo::best_flags' order).
  const auto best = std::ranges::min_element(flags, [](const auto& a, const auto& b) {
    return a.score != b.score ? a.score > b.score : a.original.value < b.original.value;
  });
  if (best != flags.end()) v.likely_duplicate = *best;
  if (suggestion && !v.complaint.category) {
    REDRESS_TRY(const auto retired, retired_categories(tx));
    attach_suggestion(v, *suggestion, retired);
  }
  return v;
}

Result<ComplaintView> Complaints::get(const store::ReadTx& tx, const Actor& actor,
                                      ComplaintId id) const {
  REDRESS_TRY(auto c, load_visible(tx, actor, id));
  return view(tx, actor, std::move(c));
}

namespace {

// The snippet of a search hit: subject, then description, then the indexed
// messages in order (loaded only when the complaint's own texts do not hold
// a query term — the hit then came from a message).
Result<std::optional<SearchSnippet>> search_snippet(const store::ReadTx& tx, const Complaint& c,
                                                    const text::SearchQuery& query) {
  if (auto parts = text::snippet(c.subject, query)) {
    return std::optional<SearchSnippet>(SearchSnippet{"subject", 0, std::move(*parts)});
  }
  if (auto parts = text::snippet(c.description, query)) {
    return std::optional<SearchSnippet>(SearchSnippet{"description", 0, std::move(*parts)});
  }
  REDRESS_TRY(auto messages, tx.records().messages(c.id));
  for (const Message& m : messages) {
    if (!store::SearchIndexRepo::indexes_message_kind(m.kind)) continue;
    if (auto parts = text::snippet(m.body, query)) {
      return std::optional<SearchSnippet>(SearchSnippet{"message", m.id, std::move(*parts)});
    }
  }
  // Not expected (the index holds the terms of these very texts), but a
  // missing snippet is no reason to fail the search.
  return std::optional<SearchSnippet>{};
}

}  // namespace

Result<std::vector<ComplaintView>> Complaints::list(const store::ReadTx& tx, const Actor& actor,
                                                    store::ComplaintFilter filter) const {
  if (!sees_every_department(actor)) {
    filter.scope = actor.scope;
    filter.include_unrouted = actor.has(Role::supervisor);
  }
  REDRESS_TRY(auto rows, tx.complaints().list(filter));
  // Three queries for the whole page instead of three per row: customers,
  // remedies and policies are loaded once and matched here.
  std::vector<CustomerId> customer_ids;
  std::vector<ComplaintId> complaint_ids;
  for (const Complaint& c : rows) {
    customer_ids.push_back(c.customer);
    complaint_ids.push_back(c.id);
  }
  REDRESS_TRY(auto customers, tx.customers().find_many(customer_ids));
  REDRESS_TRY(auto remedies, tx.records().remedies_of(complaint_ids));
  REDRESS_TRY(auto policies, tx.rules().policies());
  REDRESS_TRY(auto flags, tx.duplicates().best_flags(complaint_ids));
  std::map<std::int64_t, store::DuplicateFlag> flag_by_id;
  for (store::DuplicateFlag& f : flags) flag_by_id.emplace(f.complaint.value, std::move(f));
  REDRESS_TRY(auto suggestions, tx.triage().suggestions_of(complaint_ids));
  std::set<std::string> retired;
  if (!suggestions.empty()) {
    REDRESS_TRY(retired, retired_categories(tx));
  }
  std::map<std::int64_t, store::StoredTriageSuggestion> suggestion_by_id;
  for (auto& sg : suggestions) suggestion_by_id.emplace(sg.complaint.value, std::move(sg));
  std::map<std::int64_t, Customer> customer_by_id;
  for (Customer& cu : customers) customer_by_id.emplace(cu.id.value, std::move(cu));
  std::vector<ComplaintView> out;
  out.reserve(rows.size());
  for (Complaint& c : rows) {
    Customer customer;
    if (auto it = customer_by_id.find(c.customer.value); it != customer_by_id.end()) {
      customer = it->second;
    }
    std::vector<Remedy> current;
    for (const Remedy& r : remedies) {
      if (r.complaint == c.id && r.plan_round == c.plan_round) current.push_back(r);
    }
    const auto flag = flag_by_id.find(c.id.value);
    out.push_back(
        assemble_view(actor, std::move(c), std::move(customer), std::move(current), policies));
    if (flag != flag_by_id.end()) out.back().likely_duplicate = flag->second;
    if (auto sg = suggestion_by_id.find(out.back().complaint.id.value);
        sg != suggestion_by_id.end()) {
      attach_suggestion(out.back(), sg->second, retired);
    }
  }
  if (filter.search) {
    for (ComplaintView& v : out) {
      REDRESS_TRY(v.snippet, search_snippet(tx, v.complaint, *filter.search));
    }
  }
  return out;
}

Result<ComplaintView> Complaints::patch(store::WriteTx& tx, const Actor& actor, ComplaintId id,
                                        const ComplaintPatch& p) {
  const Instant now = clock_.now();
  REDRESS_TRY(auto c, load_for_write(tx, actor, id));
  const RoleSet roles = effective_roles(actor, c.id, c.department);
  if (!roles.intersects({Role::agent, Role::supervisor, Role::handler})) {
    return fail(
        Error::forbidden("only agents, supervisors and the handling department edit a "
                         "complaint"));
  }
  if (is_terminal(c.state)) {
    return fail(Error::precondition("a " + std::string(to_string(c.state)) +
                                    " complaint can no longer be edited"));
  }
  if (p.expected_version && *p.expected_version != c.version) {
    return fail(Error{ErrorCode::stale_version,
                      "the complaint is at version " + std::to_string(c.version) + ", not " +
                          std::to_string(*p.expected_version),
                      {}});
  }
  std::vector<FieldError> errors;
  if (p.description && blank(*p.description)) errors.push_back({"description", "cannot be empty"});
  if (p.language && !is_supported_language(*p.language)) {
    errors.push_back(language_field("language"));
  }
  if (p.category) {
    REDRESS_TRY(auto cat, tx.directory().category(*p.category));
    if (!cat) {
      errors.push_back({"category", "is not in the taxonomy"});
    } else if (!cat->active && c.category != p.category) {
      // Complaints already in a retired category keep it; no new one gets it.
      errors.push_back({"category", "is retired and no longer offered for classification"});
    }
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));

  Json before = Json::object(), after = Json::object();
  auto set = [&](const char* field, auto& target, const auto& value) {
    if (!value) return;
    before[field] = target;
    target = *value;
    after[field] = target;
  };
  set("subject", c.subject, p.subject);
  set("description", c.description, p.description);
  set("demands", c.demands, p.demands);
  set("place", c.place, p.place);
  set("people_involved", c.people_involved, p.people_involved);
  set("object_type", c.object_type, p.object_type);
  set("object_ref", c.object_ref, p.object_ref);
  set("language", c.language, p.language);
  set("impact_customer", c.impact_customer, p.impact_customer);
  set("impact_reputation", c.impact_reputation, p.impact_reputation);
  set("tags", c.tags, p.tags);
  if (p.category) {
    before["category"] = c.category ? Json(*c.category) : Json(nullptr);
    c.category = *p.category;
    after["category"] = *p.category;
  }
  if (p.urgency) {
    before["urgency"] = c.urgency ? Json(to_string(*c.urgency)) : Json(nullptr);
    c.urgency = p.urgency;
    after["urgency"] = to_string(*p.urgency);
  }
  if (p.difficulty) {
    before["difficulty"] = c.difficulty ? Json(to_string(*c.difficulty)) : Json(nullptr);
    c.difficulty = p.difficulty;
    after["difficulty"] = to_string(*p.difficulty);
  }
  if (p.estimated_loss) {
    before["estimated_loss"] = c.estimated_loss ? Json(*c.estimated_loss) : Json(nullptr);
    c.estimated_loss = *p.estimated_loss;
    after["estimated_loss"] = c.estimated_loss ? Json(*c.estimated_loss) : Json(nullptr);
  }
  if (after.empty()) return view(tx, actor, std::move(c));
  REDRESS_CHECK(save(tx, c, now));
  // The search index holds subject and description terms (store/search_index.h).
  if (after.contains("subject") || after.contains("description")) {
    REDRESS_CHECK(tx.search().rebuild(c.id));
  }
  if (p.urgency || p.category) REDRESS_CHECK(sync_sla_clocks(tx, c, c.state, now));
  REDRESS_TRY(auto ev, append_event(tx, actor, now,
                                    {c.id, "updated", c.state, c.state,
                                     Json{{"before", before}, {"after", after}}}));
  (void)ev;
  return view(tx, actor, std::move(c));
}

Result<std::vector<Event>> Complaints::timeline(const store::ReadTx& tx, const Actor& actor,
                                                ComplaintId id) const {
  REDRESS_TRY(auto c, load_visible(tx, actor, id));
  std::vector<ComplaintId> chain{c.id};
  std::optional<ComplaintId> up = c.follow_up_of;
  while (up && chain.size() < 50) {
    chain.push_back(*up);
    REDRESS_TRY(auto original, tx.complaints().find(*up));
    up = original ? original->follow_up_of : std::nullopt;
  }
  std::vector<Event> out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    REDRESS_TRY(auto events, tx.events().for_complaint(*it));
    out.insert(out.end(), events.begin(), events.end());
  }
  return out;
}

Result<TransitionResult> Complaints::transition(store::WriteTx& tx, const Actor& actor,
                                                ComplaintId id, TransitionRequest req) {
  const Instant now = clock_.now();
  // Writes answer "forbidden" outside the caller's scope (reads say not_found).
  REDRESS_TRY(auto found, tx.complaints().find(id));
  if (!found) return fail(Error::not_found("complaint"));
  Complaint c = std::move(*found);
  const RoleSet roles = effective_roles(actor, c.id, c.department);
  const std::string action_name(to_string(req.action));
  if (roles.empty()) {
    return fail(Error::forbidden("this complaint is outside your department scope"));
  }
  if (!any_row_allows(req.action, roles)) {
    return fail(
        Error::forbidden("your roles do not allow '" + action_name + "' on this complaint"));
  }
  const Transition* t = find_transition(req.action, c.state);
  if (!t) {
    return fail(Error::precondition("'" + action_name +
                                    "' is not possible while the complaint is " +
                                    std::string(to_string(c.state))));
  }
  if (!t->roles.intersects(roles)) {
    return fail(Error::forbidden("your roles do not allow '" + action_name + "' from state " +
                                 std::string(to_string(c.state))));
  }
  if (req.expected_version && *req.expected_version != c.version) {
    return fail(Error{ErrorCode::stale_version,
                      "the complaint is at version " + std::to_string(c.version) + ", not " +
                          std::to_string(*req.expected_version),
                      {}});
  }

  // Facts the table's requirements may be satisfied by.
  ComplaintFacts facts;
  TransitionInput& in = req.input;
  in.remedy_count = req.remedies.size();
  const RoutingRule* rule = nullptr;
  std::vector<RoutingRule> routing_rules;
  if (req.action == Action::accept && !in.department_id) {
    REDRESS_TRY(routing_rules, tx.rules().routing_rules());
    {
      // A rule pointing at a retired department proposes nothing.
      REDRESS_TRY(auto depts, tx.directory().departments());
      std::erase_if(routing_rules, [&](const RoutingRule& r) {
        return std::ranges::none_of(
            depts, [&](const Department& d) { return d.id.value == r.department_id && d.active; });
      });
    }
    RoutingSubject subject;
    subject.kind = c.kind;
    subject.category = in.category;
    if (in.category) {
      REDRESS_TRY(auto cats, tx.directory().categories());
      std::optional<std::string> parent;
      for (const auto& cat : cats) {
        if (cat.code == *in.category) parent = cat.parent_code;
      }
      while (parent && subject.category_ancestors.size() < 10) {
        subject.category_ancestors.push_back(*parent);
        std::optional<std::string> next;
        for (const auto& cat : cats) {
          if (cat.code == *parent) next = cat.parent_code;
        }
        parent = next;
      }
    }
    subject.channel = c.channel;
    subject.urgency = in.urgency;
    subject.text = c.subject + "\n" + c.description + "\n" + c.demands + "\n" + c.object_ref;
    rule = first_matching_rule(routing_rules, subject);
    facts.department_proposed = rule != nullptr;
  }
  if (req.action == Action::submit_for_verification) {
    REDRESS_TRY(auto tasks, tx.records().tasks(c.id));
    facts.open_tasks =
        static_cast<std::size_t>(std::count_if(tasks.begin(), tasks.end(), [](const Task& task) {
          return task.status != TaskStatus::done && task.status != TaskStatus::cancelled;
        }));
  }
  if (req.action == Action::close) {
    facts.is_major =
        is_major(c.urgency.value_or(Urgency::general), c.difficulty.value_or(Difficulty::simple));
    facts.has_lessons = !blank(c.lessons);
  }
  std::vector<FieldError> missing = missing_data(*t, in, facts);

  // Validate what was given, beyond presence.
  if (req.action == Action::accept) {
    if (in.category) {
      REDRESS_TRY(auto cat, tx.directory().category(*in.category));
      if (!cat) {
        missing.push_back({"category", "is not in the taxonomy"});
      } else if (!cat->active) {
        missing.push_back({"category", "is retired and no longer offered for classification"});
      }
    }
    if (in.department_id) {
      REDRESS_TRY(auto dept, tx.directory().department(DepartmentId{*in.department_id}));
      if (!dept) {
        missing.push_back({"department_id", "is not a department"});
      } else if (!dept->active) {
        missing.push_back({"department_id", "is retired and no longer offered for routing"});
      }
    }
    if (in.assignee_id) {
      REDRESS_TRY(auto user, tx.directory().user(UserId{*in.assignee_id}));
      if (!user) {
        missing.push_back({"assignee_id", "is not a user"});
      } else if (!user->active) {
        missing.push_back({"assignee_id", "is deactivated"});
      }
    }
  }
  if (req.action == Action::forward) {
    for (std::size_t i = 0; i < in.department_ids.size(); ++i) {
      REDRESS_TRY(auto dept, tx.directory().department(DepartmentId{in.department_ids[i]}));
      const std::string field = "department_ids[" + std::to_string(i) + "]";
      if (!dept) {
        missing.push_back({field, "is not a department"});
      } else if (!dept->active) {
        missing.push_back({field, "is retired and no longer offered for routing"});
      }
    }
  }
  std::optional<Complaint> original;  // merge: the complaint `c` is merged into
  if (req.action == Action::merge && in.duplicate_of) {
    if (*in.duplicate_of == c.id.value) {
      missing.push_back({"duplicate_of", "cannot be the complaint itself"});
    } else {
      REDRESS_TRY(original, tx.complaints().find(ComplaintId{*in.duplicate_of}));
      if (!original) missing.push_back({"duplicate_of", "is not a complaint"});
    }
  }
  if (req.action == Action::propose_plan) {
    for (std::size_t i = 0; i < req.remedies.size(); ++i) {
      const Remedy& r = req.remedies[i];
      const std::string field = "remedies[" + std::to_string(i) + "]";
      if (r.amount && *r.amount < 0) missing.push_back({field + ".amount", "cannot be negative"});
      if (r.amount && r.currency.size() != 3) {
        missing.push_back({field + ".currency", "an ISO 4217 code is required with an amount"});
      }
      if (r.type == RemedyType::compensation && !r.amount) {
        missing.push_back({field + ".amount", "is required for compensation"});
      }
    }
  }
  if (!missing.empty()) return fail(Error::invalid(std::move(missing)));

  if (original) {
    // Both complaints change: the caller must be allowed to merge on the
    // original too, and it must still be open to receive the case file.
    if (!effective_roles(actor, original->id, original->department)
             .intersects({Role::agent, Role::supervisor})) {
      return fail(Error::forbidden("the complaint to merge into is outside your department scope"));
    }
    if (is_terminal(original->state)) {
      return fail(Error::precondition("the complaint to merge into is " +
                                      std::string(to_string(original->state)) +
                                      "; a duplicate is merged into an open complaint"));
    }
    // Messages and attachments move over and the portal shows the original's
    // messages to its customer: only one person's complaints may be merged.
    REDRESS_TRY(auto mine, tx.customers().find(c.customer));
    REDRESS_TRY(auto theirs, tx.customers().find(original->customer));
    const std::string my_key = mine ? customer_key(mine->email, mine->phone) : std::string();
    const std::string their_key =
        theirs ? customer_key(theirs->email, theirs->phone) : std::string();
    if (c.customer != original->customer && (my_key.empty() || my_key != their_key)) {
      return fail(Error::invalid(
          "duplicate_of",
          "belongs to another customer (different e-mail and phone): merging would show this "
          "customer's messages to them"));
    }
  }

  REDRESS_TRY(Policy policy, policy_for(tx, c));
  // Time windows for the customer's second chances.
  if (req.action == Action::appeal && c.rejected_at &&
      now - *c.rejected_at > std::chrono::days(policy.appeal_window_days)) {
    return fail(Error::precondition("the appeal window of " +
                                    std::to_string(policy.appeal_window_days) +
                                    " days after the rejection has passed"));
  }
  if (req.action == Action::reopen && c.state == State::resolved && c.resolved_at &&
      now - *c.resolved_at > std::chrono::days(policy.reopen_window_days)) {
    return fail(Error::precondition("the reopen window of " +
                                    std::to_string(policy.reopen_window_days) +
                                    " days after the reply has passed"));
  }

  REDRESS_TRY(auto customer_opt, tx.customers().find(c.customer));
  const Customer customer = customer_opt.value_or(Customer{});
  const State from = c.state;
  State to = t->to;
  Json data = Json::object();
  std::vector<EventDraft> extra_events;  // written after the transition event
  // Whose approval the plan now waits for ("supervisor" or "director"), if anyone's.
  std::optional<std::string> awaiting_approval;
  TransitionResult result;

  auto skip = [&](State skipped, State next, const char* why) {
    extra_events.push_back(
        {c.id, "step_skipped", skipped, next,
         Json{{"step", to_string(skipped)}, {"policy", policy.name}, {"reason", why}}});
    return next;
  };
  // Where an approved plan goes next.
  auto after_approval = [&]() {
    return policy.customer_agreement ? State::awaiting_customer
                                     : skip(State::awaiting_customer, State::implementing,
                                            "the policy does not ask for the customer's agreement");
  };

  switch (req.action) {
    case Action::take:
      c.assignee = actor.user;
      break;
    case Action::accept: {
      c.kind = Kind::complaint;
      c.validity = Validity::founded;
      c.category = in.category;
      c.urgency = in.urgency;
      c.difficulty = in.difficulty;
      if (in.department_id) {
        c.department = DepartmentId{*in.department_id};
        data["routed_by"] = "agent";
      } else {
        c.department = DepartmentId{rule->department_id};
        data["routed_by"] = "rule";
        data["routing_rule"] = Json{{"id", rule->id}, {"name", rule->name}};
      }
      c.assignee = in.assignee_id ? std::optional<UserId>(UserId{*in.assignee_id})
                                  : (rule && rule->assignee_id && !in.department_id
                                         ? std::optional<UserId>(UserId{*rule->assignee_id})
                                         : std::nullopt);
      data["department_id"] = c.department->value;
      data["assignee_id"] = c.assignee ? Json(c.assignee->value) : Json(nullptr);
      if (c.assignee && *c.assignee != actor.user) {
        // The new person in charge hears of it (an agent taking a complaint does not).
        REDRESS_TRY(auto assignee, tx.directory().user(*c.assignee));
        if (assignee) {
          REDRESS_CHECK(notify_user(tx, *assignee, c, kNotifyAssignment, Json::object(), now,
                                    NoticeMail::also));
        }
      } else if (!c.assignee) {
        // Routed to a department with no one assigned: its supervisor answers
        // for it until someone is (the holder the SLA warning goes to).
        REDRESS_TRY(auto dept, tx.directory().department(*c.department));
        if (dept && dept->supervisor && *dept->supervisor != actor.user) {
          REDRESS_TRY(auto sup, tx.directory().user(*dept->supervisor));
          if (sup) {
            REDRESS_CHECK(notify_user(tx, *sup, c, kNotifyDepartmentAssignment,
                                      Json{{"department_id", c.department->value}}, now,
                                      NoticeMail::none));
          }
        }
      }
      data["category"] = *c.category;
      data["urgency"] = to_string(*c.urgency);
      data["difficulty"] = to_string(*c.difficulty);
      {
        // What triage suggested at intake against what the agent chose: the
        // next model's training data, and its measured hit rate.
        REDRESS_TRY(auto outcome, record_triage_outcome(tx, c));
        if (outcome) data["triage"] = std::move(*outcome);
      }
      if (*c.urgency == Urgency::urgent) {
        // SPEC §4: urgent complaints go to the department's supervisor at once.
        REDRESS_TRY(auto dept, tx.directory().department(*c.department));
        c.escalation_level = std::max(c.escalation_level, 1);
        Json esc{{"reason", "urgent"},
                 {"department_id", c.department->value},
                 {"supervisor_id",
                  dept && dept->supervisor ? Json(dept->supervisor->value) : Json(nullptr)}};
        extra_events.push_back({c.id, "escalated", std::nullopt, std::nullopt, esc});
        if (dept && dept->supervisor) {
          REDRESS_TRY(auto sup, tx.directory().user(*dept->supervisor));
          if (sup) {
            REDRESS_CHECK(notify_user(tx, *sup, c, kNotifyEscalation,
                                      Json{{"reason", "urgent"}, {"level", 1}}, now,
                                      NoticeMail::also));
          }
        }
      }
      break;
    }
    case Action::reject:
      c.validity = Validity::unfounded;
      c.validity_reason = *in.reason;
      c.rejected_at = now;
      data["reason"] = *in.reason;
      {
        REDRESS_TRY(auto mid, add_message(tx, c, Direction::outbound,
                                          customer.email.empty() ? c.channel : Channel::email,
                                          "rejection", *in.reply_text, actor, now));
        data["message_id"] = mid;
      }
      REDRESS_CHECK(
          write_outbox(tx, c, customer, "rejection", Json{{"text", *in.reply_text}}, now));
      REDRESS_CHECK(record_first_response(tx, c.id, now));
      break;
    case Action::forward:
      c.kind = Kind::suggestion;
      c.closed_at = now;
      data["department_ids"] = in.department_ids;
      data["note"] = *in.note;
      break;
    case Action::start_investigation:
      if (in.note) data["note"] = *in.note;
      break;
    case Action::propose_plan: {
      c.plan_round += 1;
      c.feasibility = *in.feasibility;
      c.estimated_cost = req.estimated_cost;
      c.supervisor_approved = false;
      c.director_approved = false;
      c.customer_accepted.reset();
      c.customer_answer_reason.clear();
      Json remedies = Json::array();
      for (Remedy r : req.remedies) {
        r.complaint = c.id;
        r.plan_round = c.plan_round;
        REDRESS_TRY(r.id, tx.records().add_remedy(r));
        remedies.push_back(Json{{"id", r.id},
                                {"type", to_string(r.type)},
                                {"description", r.description},
                                {"amount", r.amount ? Json(*r.amount) : Json(nullptr)},
                                {"currency", r.currency}});
      }
      data["plan_round"] = c.plan_round;
      data["remedies"] = remedies;
      data["feasibility"] = c.feasibility;
      const bool director = director_required(policy, c.urgency.value_or(Urgency::general),
                                              monetary_total(req.remedies));
      data["director_required"] = director;
      if (!policy.supervisor_approval && !director) {
        to = skip(State::plan_review, State::awaiting_customer,
                  "the policy does not ask for a supervisor's approval");
        if (!policy.customer_agreement) to = after_approval();
      } else {
        // The supervisor first (a director's approval would also do); a
        // policy without one waits for a director only.
        awaiting_approval = policy.supervisor_approval ? "supervisor" : "director";
      }
      break;
    }
    case Action::approve_plan: {
      REDRESS_TRY(auto remedies, tx.records().remedies(c.id, c.plan_round));
      const bool director =
          director_required(policy, c.urgency.value_or(Urgency::general), monetary_total(remedies));
      if (roles.contains(Role::director)) c.director_approved = true;
      if (roles.contains(Role::supervisor)) c.supervisor_approved = true;
      c.plan_instructions = *in.instructions;
      data["instructions"] = *in.instructions;
      data["approved_as"] = roles.contains(Role::director) ? "director" : "supervisor";
      const bool supervisor_ok =
          !policy.supervisor_approval || c.supervisor_approved || c.director_approved;
      const bool director_ok = !director || c.director_approved;
      if (!(supervisor_ok && director_ok)) {
        to = State::plan_review;
        data["awaiting"] = director_ok ? "supervisor" : "director";
        awaiting_approval = director_ok ? "supervisor" : "director";
      } else {
        to = after_approval();
      }
      break;
    }
    case Action::return_plan:
      c.plan_instructions = *in.instructions;
      c.supervisor_approved = false;
      c.director_approved = false;
      data["instructions"] = *in.instructions;
      if (c.assignee && *c.assignee != actor.user) {
        // The handler who must rework the plan hears of it, with the reason.
        REDRESS_TRY(auto handler, tx.directory().user(*c.assignee));
        if (handler) {
          REDRESS_CHECK(
              notify_user(tx, *handler, c, kNotifyPlanReturned,
                          Json{{"instructions", *in.instructions}, {"plan_round", c.plan_round}},
                          now, NoticeMail::none));
        }
      }
      break;
    case Action::record_customer_answer:
      c.customer_accepted = in.accepted;
      c.customer_answer_reason = in.reason.value_or("");
      to = *in.accepted ? t->to : t->alt_to;
      data["accepted"] = *in.accepted;
      if (in.reason) data["reason"] = *in.reason;
      REDRESS_CHECK(
          add_feedback(tx, c, actor, "plan_answer",
                       (*in.accepted ? "accepted" : "rejected: ") + in.reason.value_or(""), now));
      break;
    case Action::submit_for_verification:
      if (!policy.qa_verification) {
        to = skip(State::verifying, State::responding,
                  "the policy does not ask for QA verification");
      }
      if (in.note) data["note"] = *in.note;
      break;
    case Action::verify_pass:
      if (in.note) data["note"] = *in.note;
      break;
    case Action::verify_fail: {
      c.closed_at = now;
      data["findings"] = *in.findings;
      Complaint f = c;
      f.id = ComplaintId{};
      f.state = State::assessing;
      f.held_from.reset();
      f.version = 1;
      f.validity = Validity::pending;
      f.follow_up_of = c.id;
      f.plan_round = 0;
      f.feasibility.clear();
      f.estimated_cost.reset();
      f.supervisor_approved = f.director_approved = false;
      f.plan_instructions.clear();
      f.customer_accepted.reset();
      f.customer_answer_reason.clear();
      f.satisfaction_score.reset();
      f.satisfaction_comment.clear();
      f.closed_at.reset();
      f.resolved_at.reset();
      f.rejected_at.reset();
      f.reopen_count = f.appeal_count = 0;
      f.received_at = now;
      f.created_at = f.updated_at = now;
      REDRESS_CHECK(insert_with_fresh_code(tx, f));
      REDRESS_CHECK(tx.complaints().link(f.id, c.id, "follow_up_of"));
      REDRESS_TRY(auto fe,
                  append_event(tx, actor, now,
                               {f.id, "opened_as_follow_up", std::nullopt, State::assessing,
                                Json{{"original_id", c.id.value},
                                     {"original_tracking_code", c.tracking_code},
                                     {"findings", *in.findings}}}));
      (void)fe;
      REDRESS_CHECK(sync_sla_clocks(tx, f, std::nullopt, now));
      data["follow_up_id"] = f.id.value;
      result.follow_up = f.id;
      break;
    }
    case Action::reply: {
      c.resolved_at = now;
      REDRESS_TRY(auto mid, add_message(tx, c, Direction::outbound, *in.channel, "reply", *in.text,
                                        actor, now));
      data["message_id"] = mid;
      data["channel"] = to_string(*in.channel);
      REDRESS_CHECK(write_outbox(tx, c, customer, "reply", Json{{"text", *in.text}}, now));
      REDRESS_CHECK(write_outbox(tx, c, customer, "survey", Json::object(), now));
      REDRESS_CHECK(record_first_response(tx, c.id, now));
      break;
    }
    case Action::close:
      if (in.lessons && !blank(*in.lessons)) {
        c.lessons = *in.lessons;
        data["lessons"] = *in.lessons;
        REDRESS_CHECK(tx.search().index_lessons(c.id, c.lessons));
      }
      c.closed_at = now;
      break;
    case Action::reopen:
      c.reopen_count += 1;
      c.closed_at.reset();
      if (in.reason) data["reason"] = *in.reason;
      if (actor.kind == Actor::Kind::customer) {
        REDRESS_CHECK(add_feedback(tx, c, actor, "reopen", in.reason.value_or(""), now));
      }
      break;
    case Action::appeal:
      c.appeal_count += 1;
      c.validity = Validity::pending;
      if (in.reason) data["reason"] = *in.reason;
      REDRESS_CHECK(add_feedback(tx, c, actor, "appeal", in.reason.value_or(""), now));
      break;
    case Action::withdraw:
      c.closed_at = now;
      c.held_from.reset();
      if (in.reason) data["reason"] = *in.reason;
      REDRESS_CHECK(add_feedback(tx, c, actor, "withdrawal", in.reason.value_or(""), now));
      break;
    case Action::hold:
      c.held_from = c.state;
      data["reason"] = *in.reason;
      break;
    case Action::resume:
      to = c.held_from.value_or(State::assessing);
      c.held_from.reset();
      break;
    case Action::merge: {
      c.closed_at = now;
      c.held_from.reset();
      REDRESS_TRY(auto moved_messages, tx.duplicates().move_messages(c.id, original->id));
      REDRESS_TRY(auto moved_files, tx.duplicates().move_attachments(c.id, original->id));
      REDRESS_CHECK(tx.complaints().link(c.id, original->id, "duplicate_of"));
      data["original_id"] = original->id.value;
      data["original_tracking_code"] = original->tracking_code;
      data["moved_message_ids"] = moved_messages;
      data["moved_attachment_ids"] = moved_files;
      if (in.note) data["note"] = *in.note;
      // The original's timeline says what it received, and from where.
      extra_events.push_back({original->id, "merged_in", original->state, original->state,
                              Json{{"duplicate_id", c.id.value},
                                   {"duplicate_tracking_code", c.tracking_code},
                                   {"moved_message_ids", moved_messages},
                                   {"moved_attachment_ids", moved_files}}});
      // The customer follows the merged complaint by its own tracking code:
      // told where the case continues (after the move, so it stays here).
      const std::string text = "Your complaint " + c.tracking_code +
                               " is the same as your complaint " + original->tracking_code +
                               ": we handle them together under " + original->tracking_code +
                               ", where your messages and attachments now are.";
      REDRESS_TRY(auto mid, add_message(tx, c, Direction::outbound,
                                        customer.email.empty() ? c.channel : Channel::email,
                                        "merged", text, actor, now));
      data["message_id"] = mid;
      REDRESS_CHECK(write_outbox(tx, c, customer, "merged",
                                 Json{{"original_tracking_code", original->tracking_code}}, now));
      break;
    }
  }

  if (to == State::awaiting_customer && from != State::awaiting_customer) {
    // The approved plan is put to the customer.
    REDRESS_TRY(auto remedies, tx.records().remedies(c.id, c.plan_round));
    std::string text = "We propose: ";
    for (std::size_t i = 0; i < remedies.size(); ++i) {
      text += (i ? "; " : "") + std::string(to_string(remedies[i].type));
      if (!remedies[i].description.empty()) text += " (" + remedies[i].description + ")";
      if (remedies[i].amount) {
        char amount[32];
        std::snprintf(amount, sizeof amount, "%.2f", *remedies[i].amount);
        text += std::string(" ") + amount + " " + remedies[i].currency;
      }
    }
    REDRESS_TRY(auto mid, add_message(tx, c, Direction::outbound, Channel::email, "proposal", text,
                                      actor, now));
    (void)mid;
    REDRESS_CHECK(write_outbox(tx, c, customer, "proposal", Json{{"text", text}}, now));
    REDRESS_CHECK(record_first_response(tx, c.id, now));
  }

  if (awaiting_approval) {
    // A plan waits for an approval: the department's supervisor (the
    // directors when it has none) or the directors hear of it in the app.
    std::vector<User> approvers;
    if (*awaiting_approval == "supervisor") {
      REDRESS_TRY(approvers, supervisor_or_directors(tx, c.department));
    } else {
      REDRESS_TRY(approvers, active_directors(tx));
    }
    for (const User& u : approvers) {
      if (actor.kind == Actor::Kind::user && u.id == actor.user) continue;
      REDRESS_CHECK(
          notify_user(tx, u, c, kNotifyApprovalWaiting,
                      Json{{"awaiting", *awaiting_approval}, {"plan_round", c.plan_round}}, now,
                      NoticeMail::none));
    }
  }

  c.state = to;
  REDRESS_CHECK(save(tx, c, now));
  REDRESS_CHECK(sync_sla_clocks(tx, c, from, now));
  // The transition event records where the action itself led; skipped steps follow.
  State action_to = to;
  if (!extra_events.empty() && extra_events.front().action == "step_skipped") {
    action_to = *extra_events.front().from_state;
  }
  REDRESS_TRY(auto ev, append_event(tx, actor, now, {c.id, action_name, from, action_to, data}));
  (void)ev;
  for (EventDraft& e : extra_events) {
    REDRESS_TRY(auto id2, append_event(tx, actor, now, std::move(e)));
    (void)id2;
  }
  REDRESS_TRY(result.view, view(tx, actor, std::move(c)));
  return result;
}

}  // namespace redress::app
