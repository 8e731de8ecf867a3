#include "http/json_io.h"

namespace redress::http {

namespace {
template <class T>
Json opt(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}
template <class Tag>
Json opt_id(const std::optional<Id<Tag>>& v) {
  return v ? Json(v->value) : Json(nullptr);
}
template <class E>
Json opt_name(const std::optional<E>& v) {
  return v ? Json(to_string(*v)) : Json(nullptr);
}
}  // namespace

Result<Json> parse_json_object(const std::string& body) {
  Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return fail(Error::invalid("body", "is not valid JSON"));
  if (!j.is_object()) return fail(Error::invalid("body", "must be a JSON object"));
  return j;
}

const Json* FieldReader::get(const char* name, Json::value_t type, const char* type_name,
                             const char* type_key) {
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) return nullptr;
  const bool ok = it->type() == type || (type == Json::value_t::number_float && it->is_number()) ||
                  (type == Json::value_t::number_integer && it->is_number_integer());
  if (!ok) {
    error({name, std::string("must be ") + type_name, "type", {{"type", type_key}}});
    return nullptr;
  }
  return &*it;
}

void FieldReader::error(const char* name, std::string message) {
  errors_.push_back({field(name), std::move(message)});
}

void FieldReader::error(FieldError e) {
  e.field = prefix_ + e.field;
  errors_.push_back(std::move(e));
}

std::optional<std::string> FieldReader::str(const char* name, std::size_t max_bytes) {
  const Json* j = get(name, Json::value_t::string, "a string", "string");
  if (!j) return std::nullopt;
  std::string s = j->get<std::string>();
  if (s.size() > max_bytes) {
    error(too_long_field(name, max_bytes));
    return std::nullopt;
  }
  return s;
}

std::optional<std::int64_t> FieldReader::integer(const char* name) {
  const Json* j = get(name, Json::value_t::number_integer, "an integer", "integer");
  if (!j) return std::nullopt;
  return j->get<std::int64_t>();
}

std::optional<double> FieldReader::number(const char* name) {
  const Json* j = get(name, Json::value_t::number_float, "a number", "number");
  if (!j) return std::nullopt;
  return j->get<double>();
}

std::optional<bool> FieldReader::boolean(const char* name) {
  const Json* j = get(name, Json::value_t::boolean, "true or false", "boolean");
  if (!j) return std::nullopt;
  return j->get<bool>();
}

std::optional<Instant> FieldReader::instant(const char* name) {
  auto text = str(name, 64);
  if (!text) return std::nullopt;
  if (auto t = parse_iso8601(*text)) return t;
  error(
      {name, "must be an ISO 8601 date-time with a zone, e.g. 2026-11-22T09:30:00Z", "date_time"});
  return std::nullopt;
}

std::optional<std::vector<std::string>> FieldReader::strings(const char* name) {
  const Json* j = get(name, Json::value_t::array, "an array of strings", "strings");
  if (!j) return std::nullopt;
  std::vector<std::string> out;
  for (const Json& item : *j) {
    if (!item.is_string()) {
      error({name, "must contain only strings", "type", {{"type", "strings"}}});
      return std::nullopt;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<std::vector<std::int64_t>> FieldReader::integers(const char* name) {
  const Json* j = get(name, Json::value_t::array, "an array of integers", "integers");
  if (!j) return std::nullopt;
  std::vector<std::int64_t> out;
  for (const Json& item : *j) {
    if (!item.is_number_integer()) {
      error({name, "must contain only integers", "type", {{"type", "integers"}}});
      return std::nullopt;
    }
    out.push_back(item.get<std::int64_t>());
  }
  return out;
}

const Json* FieldReader::object(const char* name) {
  return get(name, Json::value_t::object, "an object", "object");
}

const Json* FieldReader::array(const char* name) {
  return get(name, Json::value_t::array, "an array", "array");
}

Json iso(const std::optional<Instant>& t) {
  return t ? Json(format_iso8601(*t)) : Json(nullptr);
}

Json remedy_json(const Remedy& r) {
  return {{"id", r.id},
          {"type", to_string(r.type)},
          {"description", r.description},
          {"amount", opt(r.amount)},
          {"currency", r.currency}};
}

Json complaint_json(const app::ComplaintView& v) {
  const Complaint& c = v.complaint;
  Json remedies = Json::array();
  for (const Remedy& r : v.remedies) remedies.push_back(remedy_json(r));
  Json allowed = Json::array();
  for (Action a : v.allowed_actions) allowed.push_back(to_string(a));
  Json j = {
      {"id", c.id.value},
      {"tracking_code", c.tracking_code},
      {"state", to_string(c.state)},
      {"version", c.version},
      {"kind", to_string(c.kind)},
      {"validity", to_string(c.validity)},
      {"validity_reason", c.validity_reason},
      {"category", opt(c.category)},
      {"urgency", opt_name(c.urgency)},
      {"difficulty", opt_name(c.difficulty)},
      {"department_id", opt_id(c.department)},
      {"assignee_id", opt_id(c.assignee)},
      {"escalation_level", c.escalation_level},
      {"channel", to_string(c.channel)},
      {"received_at", format_iso8601(c.received_at)},
      {"occurred_at", iso(c.occurred_at)},
      {"place", c.place},
      {"object", {{"type", c.object_type}, {"ref", c.object_ref}}},
      {"subject", c.subject},
      {"description", c.description},
      {"demands", c.demands},
      {"people_involved", c.people_involved},
      {"language", c.language},
      {"tags", c.tags},
      {"impact",
       {{"customer", c.impact_customer},
        {"reputation", c.impact_reputation},
        {"estimated_loss", opt(c.estimated_loss)}}},
      {"customer",
       {{"id", v.customer.id.value},
        {"name", v.customer.name},
        {"email", v.customer.email},
        {"phone", v.customer.phone},
        {"language", v.customer.language},
        {"reply_channel", opt_name(v.customer.reply_channel)}}},
      {"plan",
       {{"round", c.plan_round},
        {"feasibility", c.feasibility},
        {"estimated_cost", opt(c.estimated_cost)},
        {"remedies", remedies},
        {"supervisor_approved", c.supervisor_approved},
        {"director_approved", c.director_approved},
        {"director_required", v.director_required},
        {"instructions", c.plan_instructions},
        {"customer_accepted", opt(c.customer_accepted)},
        {"customer_reason", c.customer_answer_reason}}},
      {"satisfaction", {{"score", opt(c.satisfaction_score)}, {"comment", c.satisfaction_comment}}},
      {"lessons", c.lessons},
      {"follow_up_of", opt_id(c.follow_up_of)},
      {"held_from", opt_name(c.held_from)},
      {"reopen_count", c.reopen_count},
      {"appeal_count", c.appeal_count},
      {"resolved_at", iso(c.resolved_at)},
      {"closed_at", iso(c.closed_at)},
      {"created_at", format_iso8601(c.created_at)},
      {"updated_at", format_iso8601(c.updated_at)},
      {"due_at", iso(c.due_at)},
      {"allowed_actions", allowed},
      {"likely_duplicate_of", v.likely_duplicate
                                  ? Json{{"complaint_id", v.likely_duplicate->original.value},
                                         {"score", v.likely_duplicate->score}}
                                  : Json(nullptr)},
      {"suggested_category", v.suggested_category ? Json{{"value", *v.suggested_category},
                                                         {"confidence", v.suggested_confidence}}
                                                  : Json(nullptr)},
  };
  if (v.snippet) {
    // Plain text parts, the matches flagged: clients mark them up themselves,
    // so stored text never reaches a page as HTML.
    Json parts = Json::array();
    for (const text::SnippetPart& p : v.snippet->parts) {
      parts.push_back(Json{{"text", p.text}, {"match", p.match}});
    }
    Json snippet{{"field", v.snippet->field}, {"parts", parts}};
    if (v.snippet->field == "message") snippet["message_id"] = v.snippet->message_id;
    j["snippet"] = snippet;
  }
  return j;
}

Json event_json(const Event& e) {
  return {{"id", e.id},
          {"complaint_id", e.complaint.value},
          {"at", format_iso8601(e.at)},
          {"actor_kind", e.actor_kind},
          {"actor_id", opt_id(e.actor)},
          {"action", e.action},
          {"from_state", opt_name(e.from_state)},
          {"to_state", opt_name(e.to_state)},
          {"data", Json::parse(e.data, nullptr, false)},
          {"hash", e.hash}};
}

Json message_json(const Message& m) {
  return {{"id", m.id},
          {"at", format_iso8601(m.at)},
          {"direction", to_string(m.direction)},
          {"channel", to_string(m.channel)},
          {"kind", m.kind},
          {"body", m.body},
          {"author_id", opt_id(m.author)}};
}

Json cause_json(const Cause& c) {
  return {{"id", c.id},
          {"family", to_string(c.family)},
          {"description", c.description},
          {"responsible", c.responsible},
          {"five_whys", c.five_whys},
          {"evidence", c.evidence},
          {"recorded_by", c.recorded_by.value},
          {"recorded_at", format_iso8601(c.recorded_at)}};
}

Json task_json(const Task& t) {
  return {{"id", t.id},
          {"title", t.title},
          {"kind", to_string(t.kind)},
          {"owner_id", opt_id(t.owner)},
          {"due_at", iso(t.due_at)},
          {"status", to_string(t.status)},
          {"notes", t.notes},
          {"created_at", format_iso8601(t.created_at)}};
}

Json attachment_json(const Attachment& a) {
  return {{"id", a.id},
          {"filename", a.filename},
          {"content_type", a.content_type},
          {"size", a.size},
          {"sha256", a.sha256},
          {"uploaded_by", opt_id(a.uploaded_by)},
          {"by_customer", a.by_customer},
          {"at", format_iso8601(a.at)}};
}

Json accountability_json(const AccountabilityEntry& e) {
  return {{"id", e.id},
          {"kind", e.kind},
          {"subject", e.subject},
          {"finding", e.finding},
          {"loss_amount", opt(e.loss_amount)},
          {"proposed_sanction", e.proposed_sanction},
          {"proposed_deduction_percent", opt(e.proposed_deduction_percent)},
          {"sanction_rule_id", opt(e.sanction_rule_id)},
          {"sanction", e.sanction},
          {"deduction_percent", opt(e.deduction_percent)},
          {"confirmed_by", opt_id(e.confirmed_by)},
          {"confirmed_at", iso(e.confirmed_at)},
          {"recorded_by", e.recorded_by.value},
          {"recorded_at", format_iso8601(e.recorded_at)}};
}

Json improvement_action_json(const ImprovementAction& a) {
  return {{"id", a.id},
          {"title", a.title},
          {"owner_id", opt_id(a.owner)},
          {"due_at", iso(a.due_at)},
          {"resources", a.resources},
          {"status", a.status}};
}

Json user_json(const User& u) {
  Json roles = Json::array();
  for (Role r : u.roles) roles.push_back(to_string(r));
  return {{"id", u.id.value},
          {"username", u.username},
          {"display_name", u.display_name},
          {"roles", roles},
          {"department_id", opt_id(u.department)},
          {"wide_scope", u.wide_scope},
          {"language", u.language},
          {"email", u.email},
          {"active", u.active}};
}

Json department_json(const Department& d) {
  return {{"id", d.id.value},
          {"code", d.code},
          {"name", d.name},
          {"parent_id", opt_id(d.parent)},
          {"supervisor_id", opt_id(d.supervisor)},
          {"active", d.active}};
}

Json category_json(const Category& c) {
  return {{"code", c.code},
          {"name", c.name},
          {"parent_code", opt(c.parent_code)},
          {"active", c.active}};
}

Json policy_json(const Policy& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"category", opt(p.category)},
          {"urgency", opt_name(p.urgency)},
          {"supervisor_approval", p.supervisor_approval},
          {"director_for_urgent", p.director_for_urgent},
          {"director_compensation_threshold", opt(p.director_compensation_threshold)},
          {"customer_agreement", p.customer_agreement},
          {"qa_verification", p.qa_verification},
          {"reopen_window_days", p.reopen_window_days},
          {"appeal_window_days", p.appeal_window_days}};
}

Json routing_rule_json(const RoutingRule& r) {
  return {{"id", r.id},
          {"position", r.position},
          {"name", r.name},
          {"kind", opt_name(r.kind)},
          {"category", opt(r.category)},
          {"channel", opt_name(r.channel)},
          {"urgency", opt_name(r.urgency)},
          {"keywords", r.keywords},
          {"department_id", r.department_id},
          {"assignee_id", opt(r.assignee_id)},
          {"active", r.active}};
}

Json sanction_rule_json(const SanctionRule& r) {
  return {{"id", r.id},
          {"min_loss", r.min_loss},
          {"max_loss", opt(r.max_loss)},
          {"sanction", r.sanction},
          {"wage_deduction_percent", opt(r.wage_deduction_percent)}};
}

Json public_json(const app::PublicView& v) {
  const Complaint& c = v.complaint;
  Json messages = Json::array();
  for (const Message& m : v.messages) {
    messages.push_back({{"at", format_iso8601(m.at)},
                        {"direction", to_string(m.direction)},
                        {"kind", m.kind},
                        {"body", m.body}});
  }
  Json plan = nullptr;
  if (v.plan_visible) {
    Json remedies = Json::array();
    for (const Remedy& r : v.remedies) {
      remedies.push_back({{"type", to_string(r.type)},
                          {"description", r.description},
                          {"amount", opt(r.amount)},
                          {"currency", r.currency}});
    }
    plan = {{"remedies", remedies},
            {"feasibility", c.feasibility},
            {"customer_accepted", opt(c.customer_accepted)}};
  }
  Json attachments = Json::array();
  for (const Attachment& a : v.attachments) attachments.push_back(public_attachment_json(a));
  return {
      {"tracking_code", c.tracking_code},
      {"state", to_string(c.state)},
      {"received_at", format_iso8601(c.received_at)},
      {"subject", c.subject},
      {"description", c.description},
      {"demands", c.demands},
      {"messages", messages},
      {"plan", plan},
      {"satisfaction", {{"score", opt(c.satisfaction_score)}, {"comment", c.satisfaction_comment}}},
      {"follow_up_tracking_code", opt(v.follow_up_tracking_code)},
      {"allowed_actions", v.allowed_actions},
      {"attachments", attachments},
      {"can_attach", v.can_attach}};
}

Json public_attachment_json(const Attachment& a) {
  return {{"id", a.id},
          {"filename", a.filename},
          {"content_type", a.content_type},
          {"size", a.size},
          {"at", format_iso8601(a.at)}};
}

}  // namespace redress::http
