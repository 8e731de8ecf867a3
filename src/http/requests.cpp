#include "http/requests.h"

#include <algorithm>
#include <charconv>

#include "core/duration.h"
#include "text/search.h"

namespace redress::http {

namespace {

// A decimal number of at most 18 digits (no sign): fits std::int64_t.
std::optional<std::int64_t> digits(std::string_view v) {
  if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  std::int64_t n = 0;
  std::from_chars(v.data(), v.data() + v.size(), n);
  return n;
}

// An integer field that must fit an int (counts, percentages, days): a larger
// value is an error, not silently truncated into the valid range.
std::optional<int> small_int(FieldReader& f, const char* name) {
  auto v = f.integer(name);
  if (!v) return std::nullopt;
  if (*v < -1'000'000'000 || *v > 1'000'000'000) {
    f.error(name, "is out of range");
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

std::optional<Millis> read_duration(FieldReader& f, const char* name) {
  auto text = f.str(name, 64);
  if (!text) return std::nullopt;
  auto d = parse_iso8601_duration(*text);
  if (!d) f.error({name, "is not an ISO 8601 duration such as PT24H, P2D or PT3S", "duration"});
  return d;
}

}  // namespace

// ---- request headers and query strings ---------------------------------------------------

std::string list_cursor(std::int64_t last_id) {
  return "c" + std::to_string(last_id);
}

Result<std::int64_t> parse_cursor(std::string_view cursor) {
  auto n = cursor.starts_with('c') ? digits(cursor.substr(1)) : std::nullopt;
  if (!n) return fail(Error::invalid("cursor", "is not a cursor this server issued"));
  return *n;
}

Result<std::optional<std::int64_t>> parse_if_match(std::optional<std::string_view> header) {
  if (!header) return std::optional<std::int64_t>{};
  std::string_view v = *header;
  if (v.starts_with("W/")) v.remove_prefix(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  auto n = digits(v);
  if (!n) return fail(Error::invalid("If-Match", "must be the complaint's ETag, e.g. \"3\""));
  return std::optional<std::int64_t>(*n);
}

std::string complaint_list_cursor(const store::ComplaintFilter& filter, const Complaint& last) {
  if (filter.search) return "s" + std::to_string(filter.search_offset + filter.limit);
  if (filter.order == store::ComplaintFilter::Order::newest) return list_cursor(last.id.value);
  if (last.due_at) {
    return "d" + std::to_string(to_epoch_ms(*last.due_at)) + "_" + std::to_string(last.id.value);
  }
  return "n" + std::to_string(last.id.value);
}

Status read_complaint_list_cursor(std::string_view cursor, store::ComplaintFilter& filter) {
  const Error bad = Error::invalid("cursor", "is not a cursor this server issued for this order");
  if (filter.search) {
    auto offset = cursor.starts_with('s') ? digits(cursor.substr(1)) : std::nullopt;
    if (!offset) return fail(bad);
    if (*offset > kMaxSearchOffset) {
      return fail(Error::invalid("cursor", "search results end after " +
                                               std::to_string(kMaxSearchOffset) +
                                               " rows; narrow the query or the filters"));
    }
    filter.search_offset = *offset;
    return {};
  }
  if (filter.order == store::ComplaintFilter::Order::newest) {
    auto id = parse_cursor(cursor);
    if (!id) return fail(bad);
    filter.before_id = *id;
    return {};
  }
  if (cursor.starts_with('n')) {
    auto id = digits(cursor.substr(1));
    if (!id) return fail(bad);
    filter.after_id = *id;
    return {};
  }
  const std::size_t sep = cursor.find('_');
  if (!cursor.starts_with('d') || sep == std::string_view::npos) return fail(bad);
  auto due = digits(cursor.substr(1, sep - 1));
  auto id = digits(cursor.substr(sep + 1));
  if (!due || !id) return fail(bad);
  filter.after_due = from_epoch_ms(*due);
  filter.after_id = *id;
  return {};
}

Result<store::ComplaintFilter> read_complaint_filter(const Request& r, Instant now) {
  store::ComplaintFilter filter;
  std::vector<FieldError> errors;
  auto number = [&](const char* name) -> std::optional<std::int64_t> {
    auto v = r.query_param(name);
    if (!v) return std::nullopt;
    auto n = digits(*v);
    if (!n) errors.push_back({name, "must be a positive integer"});
    return n;
  };
  if (auto v = r.query_param("state")) {
    filter.state = parse<State>(*v);
    if (!filter.state) errors.push_back({"state", "is not a state"});
  }
  if (auto v = r.query_param("urgency")) {
    filter.urgency = parse<Urgency>(*v);
    if (!filter.urgency) errors.push_back({"urgency", "must be urgent, important or general"});
  }
  if (auto v = r.query_param("category")) filter.category = std::string(*v);
  if (auto v = number("department_id")) filter.department = DepartmentId{*v};
  if (auto v = number("assignee_id")) filter.assignee = UserId{*v};
  for (const char* name : {"received_from", "received_to"}) {
    if (auto v = r.query_param(name)) {
      auto t = parse_iso8601(*v);
      if (!t) errors.push_back({name, "must be an ISO 8601 date or date-time"});
      (std::string_view(name) == "received_from" ? filter.received_from : filter.received_to) = t;
    }
  }
  if (auto v = number("limit")) {
    if (*v < 1 || *v > 200) errors.push_back(range_field("limit", 1, 200));
    filter.limit = static_cast<int>(std::clamp<std::int64_t>(*v, 1, 200));
  }
  if (auto v = r.query_param("sort")) {
    if (*v == "due") {
      filter.order = store::ComplaintFilter::Order::due;
    } else if (*v != "newest") {
      errors.push_back({"sort", "must be newest or due"});
    }
  }
  if (auto v = r.query_param("overdue")) {
    if (*v == "true") {
      filter.due_before = now;
    } else if (*v != "false") {
      errors.push_back({"overdue", "must be true or false"});
    }
  }
  if (auto v = r.query_param("q")) {
    if (auto q = text::parse_search_query(*v)) {
      filter.search = std::move(*q);
    } else {
      errors.push_back({"q", q.error().message});
    }
    if (r.query_param("sort")) {
      errors.push_back(
          {"sort", "cannot be combined with q: search results are ranked by relevance"});
    }
  }
  // After sort and q: a cursor belongs to the order it was issued for.
  if (auto v = r.query_param("cursor")) {
    if (auto c = read_complaint_list_cursor(*v, filter); !c) {
      errors.push_back(c.error().fields.front());
    }
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  return filter;
}

Result<TimeRange> read_time_range(const Request& r) {
  TimeRange range;
  std::vector<FieldError> errors;
  for (const char* name : {"from", "to"}) {
    if (auto v = r.query_param(name)) {
      auto t = parse_iso8601(*v);
      if (!t) errors.push_back({name, "must be an ISO 8601 date or date-time"});
      (std::string_view(name) == "from" ? range.from : range.to) = t;
    }
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  return range;
}

namespace {

// A page of an admin list: one optional filter `param` from `allowed`, limit, cursor.
Result<OutboxQuery> read_filtered_page(const Request& r, const char* param,
                                       std::initializer_list<std::string_view> allowed,
                                       const char* rule) {
  OutboxQuery q;
  std::vector<FieldError> errors;
  if (auto s = r.query_param(param)) {
    if (std::find(allowed.begin(), allowed.end(), *s) == allowed.end()) {
      errors.push_back({param, rule});
    } else {
      q.state = std::string(*s);
    }
  }
  if (auto l = r.query_param("limit")) {
    auto n = digits(*l);
    if (!n || *n < 1 || *n > 500) {
      errors.push_back(range_field("limit", 1, 500));
    } else {
      q.limit = static_cast<int>(*n);
    }
  }
  if (auto c = r.query_param("cursor")) {
    auto n = digits(*c);
    if (!n) {
      errors.push_back({"cursor", "is not a cursor this server issued"});
    } else {
      q.before = *n;
    }
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  return q;
}

}  // namespace

Result<OutboxQuery> read_outbox_query(const Request& r) {
  return read_filtered_page(r, "state", {"pending", "sent", "dead"},
                            "must be pending, sent or dead");
}

Result<OutboxQuery> read_inbound_mail_query(const Request& r) {
  return read_filtered_page(r, "outcome", {"opened", "threaded", "ignored", "duplicate", "failed"},
                            "must be opened, threaded, ignored, duplicate or failed");
}

// ---- JSON bodies ---------------------------------------------------------------------------

LoginRequest read_login(FieldReader& f, std::vector<FieldError>& errors) {
  auto username = f.str("username", 64);
  auto password = f.str("password", 1024);
  if (!username) errors.push_back(required_field("username"));
  if (!password) errors.push_back(required_field("password"));
  return {username.value_or(""), password.value_or("")};
}

app::IntakeRequest read_intake(FieldReader& r, std::vector<FieldError>& errors) {
  app::IntakeRequest req;
  if (const Json* customer = r.object("customer")) {
    FieldReader c(*customer, errors, "customer.");
    req.customer.name = c.str("name", 200).value_or("");
    req.customer.email = c.str("email", 254).value_or("");
    req.customer.phone = c.str("phone", 50).value_or("");
    req.customer.language = c.str("language", 16).value_or("en");
    req.customer.reply_channel = c.enumeration<Channel>("reply_channel");
  } else if (errors.empty()) {
    errors.push_back({"customer", "is required: {name, email, phone, language}"});
  }
  req.subject = r.str("subject", 500).value_or("");
  req.description = r.str("description").value_or("");
  req.demands = r.str("demands").value_or("");
  req.place = r.str("place", 500).value_or("");
  req.people_involved = r.str("people_involved", 2000).value_or("");
  if (const Json* object = r.object("object")) {
    FieldReader o(*object, errors, "object.");
    req.object_type = o.str("type", 100).value_or("");
    req.object_ref = o.str("ref", 500).value_or("");
  }
  req.occurred_at = r.instant("occurred_at");
  req.channel = r.enumeration<Channel>("channel");
  req.received_at = r.instant("received_at");
  req.tags = r.strings("tags").value_or(std::vector<std::string>{});
  return req;
}

Result<app::TransitionRequest> read_transition(const Json& body) {
  std::vector<FieldError> errors;
  FieldReader r(body, errors);
  app::TransitionRequest req;
  auto action = r.str("action", 64);
  if (!action) {
    if (errors.empty()) errors.push_back(required_field("action"));
  } else if (auto a = parse<Action>(*action)) {
    req.action = *a;
  } else {
    errors.push_back({"action", "is not a lifecycle action: '" + *action + "'"});
  }
  TransitionInput& in = req.input;
  in.category = r.str("category", 64);
  in.urgency = r.enumeration<Urgency>("urgency");
  in.difficulty = r.enumeration<Difficulty>("difficulty");
  in.department_id = r.integer("department_id");
  in.assignee_id = r.integer("assignee_id");
  in.reason = r.str("reason");
  in.reply_text = r.str("reply_text");
  in.department_ids = r.integers("department_ids").value_or(std::vector<std::int64_t>{});
  in.note = r.str("note");
  in.feasibility = r.str("feasibility");
  in.instructions = r.str("instructions");
  in.accepted = r.boolean("accepted");
  in.findings = r.str("findings");
  in.channel = r.enumeration<Channel>("channel");
  in.text = r.str("text");
  in.lessons = r.str("lessons");
  in.duplicate_of = r.integer("duplicate_of");
  req.estimated_cost = r.number("estimated_cost");
  if (const Json* remedies = r.array("remedies")) {
    for (std::size_t i = 0; i < remedies->size(); ++i) {
      const Json& item = (*remedies)[i];
      const std::string prefix = "remedies[" + std::to_string(i) + "].";
      if (!item.is_object()) {
        errors.push_back({"remedies[" + std::to_string(i) + "]", "must be an object"});
        continue;
      }
      FieldReader m(item, errors, prefix);
      Remedy remedy;
      auto type = m.enumeration<RemedyType>("type");
      if (!type && !item.contains("type")) errors.push_back(required_field(prefix + "type"));
      remedy.type = type.value_or(RemedyType::other);
      remedy.description = m.str("description", 2000).value_or("");
      remedy.amount = m.number("amount");
      remedy.currency = m.str("currency", 3).value_or("");
      req.remedies.push_back(std::move(remedy));
    }
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  return req;
}

app::ComplaintPatch read_complaint_patch(const Json& body, std::vector<FieldError>& errors) {
  FieldReader f(body, errors);
  app::ComplaintPatch p;
  p.subject = f.str("subject", 500);
  p.description = f.str("description");
  p.demands = f.str("demands");
  p.place = f.str("place", 500);
  p.people_involved = f.str("people_involved", 2000);
  p.language = f.str("language", 16);
  p.category = f.str("category", 64);
  p.tags = f.strings("tags");
  p.urgency = f.enumeration<Urgency>("urgency");
  p.difficulty = f.enumeration<Difficulty>("difficulty");
  if (const Json* object = f.object("object")) {
    FieldReader o(*object, errors, "object.");
    p.object_type = o.str("type", 100);
    p.object_ref = o.str("ref", 500);
  }
  if (const Json* impact = f.object("impact")) {
    FieldReader i(*impact, errors, "impact.");
    p.impact_customer = i.str("customer", 2000);
    p.impact_reputation = i.str("reputation", 2000);
    if (impact->contains("estimated_loss")) p.estimated_loss = i.number("estimated_loss");
  }
  static constexpr std::string_view kKnown[] = {
      "subject",  "description", "demands", "place",      "people_involved", "language",
      "category", "tags",        "urgency", "difficulty", "object",          "impact"};
  for (const auto& [key, value] : body.items()) {
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) {
      // An empty key still gets a name (the fuzzer found `{"": 1}` named no field).
      errors.push_back({key.empty() ? std::string("\"\"") : key,
                        "cannot be changed here (use a transition or its resource)"});
    }
  }
  return p;
}

app::NewUser read_new_user(FieldReader& f, std::vector<FieldError>& errors) {
  app::NewUser u;
  u.username = f.str("username", 64).value_or("");
  u.password = f.str("password", 1024).value_or("");
  u.display_name = f.str("display_name", 200).value_or("");
  for (const std::string& name : f.strings("roles").value_or(std::vector<std::string>{})) {
    if (auto role = parse<Role>(name))
      u.roles.push_back(*role);
    else
      errors.push_back({"roles", "'" + name + "' is not a role"});
  }
  u.department_id = f.integer("department_id");
  u.wide_scope = f.boolean("wide_scope").value_or(false);
  u.language = f.str("language", 16).value_or("en");
  u.email = f.str("email", 254).value_or("");
  return u;
}

Department read_department(FieldReader& f) {
  Department d;
  d.code = f.str("code", 64).value_or("");
  d.name = f.str("name", 200).value_or("");
  if (auto p = f.integer("parent_id")) d.parent = DepartmentId{*p};
  if (auto s = f.integer("supervisor_id")) d.supervisor = UserId{*s};
  return d;
}

namespace {
void refuse_unknown(const Json& body, std::initializer_list<std::string_view> known,
                    const char* what, std::vector<FieldError>& errors) {
  for (const auto& [key, value] : body.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      errors.push_back({key.empty() ? std::string("\"\"") : key,
                        std::string("is not an editable field of a ") + what});
    }
  }
}

// Absent: leave; null: clear; a number: set.
std::optional<std::optional<std::int64_t>> nullable_id(const Json& body, FieldReader& f,
                                                       const char* name) {
  if (!body.contains(name)) return std::nullopt;
  if (body[name].is_null()) return std::optional<std::int64_t>{};
  if (auto v = f.integer(name)) return std::optional<std::int64_t>(*v);
  return std::nullopt;
}
}  // namespace

app::UserPatch read_user_patch(const Json& body, std::vector<FieldError>& errors) {
  FieldReader f(body, errors);
  app::UserPatch p;
  p.display_name = f.str("display_name", 200);
  p.email = f.str("email", 254);
  p.language = f.str("language", 16);
  if (auto names = f.strings("roles")) {
    std::vector<Role> roles;
    for (const std::string& name : *names) {
      if (auto role = parse<Role>(name))
        roles.push_back(*role);
      else
        errors.push_back({"roles", "'" + name + "' is not a role"});
    }
    p.roles = std::move(roles);
  }
  p.department_id = nullable_id(body, f, "department_id");
  p.wide_scope = f.boolean("wide_scope");
  p.active = f.boolean("active");
  refuse_unknown(
      body, {"display_name", "email", "language", "roles", "department_id", "wide_scope", "active"},
      "user (the user name is fixed; passwords change at /auth/password)", errors);
  return p;
}

app::DepartmentPatch read_department_patch(const Json& body, std::vector<FieldError>& errors) {
  FieldReader f(body, errors);
  app::DepartmentPatch p;
  p.name = f.str("name", 200);
  p.parent_id = nullable_id(body, f, "parent_id");
  p.supervisor_id = nullable_id(body, f, "supervisor_id");
  p.active = f.boolean("active");
  refuse_unknown(body, {"name", "parent_id", "supervisor_id", "active"},
                 "department (the code is fixed)", errors);
  return p;
}

app::CategoryPatch read_category_patch(const Json& body, std::vector<FieldError>& errors) {
  FieldReader f(body, errors);
  app::CategoryPatch p;
  p.name = f.str("name", 200);
  if (body.contains("parent_code")) {
    if (body["parent_code"].is_null()) {
      p.parent_code = std::optional<std::string>{};
    } else if (auto code = f.str("parent_code", 64)) {
      p.parent_code = std::optional<std::string>(*code);
    }
  }
  p.active = f.boolean("active");
  refuse_unknown(body, {"name", "parent_code", "active"}, "category (the code is fixed)", errors);
  return p;
}

Category read_category(FieldReader& f) {
  return Category{f.str("code", 64).value_or(""), f.str("name", 200).value_or(""),
                  f.str("parent_code", 64)};
}

Policy read_policy(FieldReader& f, Policy p) {
  if (auto v = f.str("name", 100)) p.name = *v;
  p.category = f.str("category", 64);
  p.urgency = f.enumeration<Urgency>("urgency");
  if (auto v = f.boolean("supervisor_approval")) p.supervisor_approval = *v;
  if (auto v = f.boolean("director_for_urgent")) p.director_for_urgent = *v;
  p.director_compensation_threshold = f.number("director_compensation_threshold");
  if (auto v = f.boolean("customer_agreement")) p.customer_agreement = *v;
  if (auto v = f.boolean("qa_verification")) p.qa_verification = *v;
  if (auto v = small_int(f, "reopen_window_days")) p.reopen_window_days = *v;
  if (auto v = small_int(f, "appeal_window_days")) p.appeal_window_days = *v;
  return p;
}

RoutingRule read_routing_rule(FieldReader& f) {
  RoutingRule r;
  r.name = f.str("name", 200).value_or("");
  r.position = small_int(f, "position").value_or(100);
  r.kind = f.enumeration<Kind>("kind");
  r.category = f.str("category", 64);
  r.channel = f.enumeration<Channel>("channel");
  r.urgency = f.enumeration<Urgency>("urgency");
  r.keywords = f.strings("keywords").value_or(std::vector<std::string>{});
  auto dept = f.integer("department_id");
  if (!dept) f.error(required_field("department_id"));
  r.department_id = dept.value_or(0);
  r.assignee_id = f.integer("assignee_id");
  r.active = f.boolean("active").value_or(true);
  return r;
}

SanctionRule read_sanction_rule(FieldReader& f) {
  SanctionRule x;
  auto min = f.number("min_loss");
  if (!min) f.error(required_field("min_loss"));
  x.min_loss = min.value_or(0);
  x.max_loss = f.number("max_loss");
  x.sanction = f.str("sanction", 500).value_or("");
  x.wage_deduction_percent = f.number("wage_deduction_percent");
  return x;
}

BusinessCalendar read_calendar(FieldReader& f) {
  BusinessCalendar c;
  c.name = f.str("name", 200).value_or("");
  c.time_zone = f.str("time_zone", 64).value_or("");
  if (c.time_zone.empty()) f.error("time_zone", "is required (an IANA name such as Europe/Paris)");
  if (const Json* hours = f.object("working_hours")) {
    for (const auto& [day, periods] : hours->items()) {
      std::size_t index = 7;
      for (std::size_t d = 0; d < 7; ++d) {
        if (day == kDayNames[d]) index = d;
      }
      const std::string field = "working_hours." + day;
      if (index == 7 || !periods.is_array()) {
        f.error(field.c_str(), "expected a weekday name with a list of \"HH:MM-HH:MM\"");
        continue;
      }
      for (const Json& p : periods) {
        auto period = p.is_string() ? parse_working_period(p.get<std::string>()) : std::nullopt;
        if (!period) {
          f.error({field, "periods are \"HH:MM-HH:MM\" with the start before the end",
                   "working_period"});
        } else {
          c.week[index].push_back(*period);
        }
      }
    }
  } else {
    f.error(required_field("working_hours"));
  }
  for (const std::string& h : f.strings("holidays").value_or(std::vector<std::string>{})) {
    auto t = h.size() == 10 ? parse_iso8601(h) : std::nullopt;
    if (!t) {
      f.error("holidays", "'" + h + "' is not a date YYYY-MM-DD");
    } else {
      c.holidays.emplace_back(std::chrono::floor<std::chrono::days>(*t));
    }
  }
  return c;
}

SlaPolicy read_sla_policy(FieldReader& f) {
  SlaPolicy p;
  p.name = f.str("name", 100).value_or("");
  p.urgency = f.enumeration<Urgency>("urgency");
  p.category = f.str("category", 64);
  p.first_response = read_duration(f, "first_response");
  p.resolution = read_duration(f, "resolution");
  if (const Json* targets = f.object("state_targets")) {
    for (const auto& [name, value] : targets->items()) {
      const std::string field = "state_targets." + name;
      auto state = parse<State>(name);
      auto d = value.is_string() ? parse_iso8601_duration(value.get<std::string>()) : std::nullopt;
      if (!state) {
        f.error(field.c_str(), "is not a state");
      } else if (!d) {
        f.error({field, "is not an ISO 8601 duration", "duration"});
      } else {
        p.state_targets[*state] = *d;
      }
    }
  }
  if (auto v = small_int(f, "warning_percent")) p.warning_percent = *v;
  if (auto v = small_int(f, "director_percent")) p.director_percent = *v;
  p.calendar_id = f.integer("calendar_id");
  return p;
}

app::PublicAction read_public_action(FieldReader& f) {
  app::PublicAction a;
  a.action = f.str("action", 32).value_or("");
  a.reason = f.str("reason", 5000);
  a.text = f.str("text");
  if (auto s = f.integer("score")) {
    if (*s < 1 || *s > 5) {
      f.error(range_field("score", 1, 5));
    } else {
      a.score = static_cast<int>(*s);
    }
  }
  a.comment = f.str("comment", 2000);
  return a;
}

app::MessageRequest read_message(FieldReader& f) {
  return {f.str("kind", 32).value_or(""), f.str("text").value_or(""),
          f.enumeration<Channel>("channel")};
}

app::CauseRequest read_cause(FieldReader& f) {
  return {f.enumeration<CauseFamily>("family"), f.str("description").value_or(""),
          f.str("responsible", 500).value_or(""),
          f.strings("five_whys").value_or(std::vector<std::string>{}),
          f.str("evidence").value_or("")};
}

app::TaskRequest read_task(FieldReader& f) {
  return {f.str("title", 500).value_or(""), f.enumeration<TaskKind>("kind"), f.integer("owner_id"),
          f.instant("due_at")};
}

app::TaskUpdate read_task_update(FieldReader& f) {
  return {f.enumeration<TaskStatus>("status"), f.str("note")};
}

app::AccountabilityRequest read_accountability(FieldReader& f) {
  return {f.str("subject", 500).value_or(""), f.str("finding").value_or(""),
          f.number("loss_amount"), f.str("sanction", 500)};
}

app::ConfirmSanction read_confirm_sanction(FieldReader& f) {
  return {f.str("sanction", 500).value_or(""), f.number("deduction_percent")};
}

app::ReviewRequest read_review(FieldReader& f, std::vector<FieldError>& errors) {
  app::ReviewRequest req;
  req.lessons = f.str("lessons").value_or("");
  if (const Json* actions = f.array("improvement_actions")) {
    for (std::size_t i = 0; i < actions->size(); ++i) {
      const std::string item = "improvement_actions[" + std::to_string(i) + "]";
      if (!(*actions)[i].is_object()) {
        errors.push_back({item, "must be an object"});
        continue;
      }
      FieldReader a((*actions)[i], errors, item + ".");
      ImprovementAction act;
      act.title = a.str("title", 500).value_or("");
      if (auto owner = a.integer("owner_id")) act.owner = UserId{*owner};
      act.due_at = a.instant("due_at");
      act.resources = a.str("resources", 2000).value_or("");
      act.status = a.str("status", 32).value_or("planned");
      req.improvement_actions.push_back(std::move(act));
    }
  }
  return req;
}

SatisfactionRequest read_satisfaction(FieldReader& f, std::vector<FieldError>& errors) {
  SatisfactionRequest req;
  auto score = f.integer("score");
  req.comment = f.str("comment", 2000).value_or("");
  if (!score && errors.empty()) errors.push_back({"score", "is required: 1 to 5"});
  if (score && (*score < 1 || *score > 5)) {
    errors.push_back(range_field("score", 1, 5));
  } else if (score) {
    req.score = static_cast<int>(*score);
  }
  return req;
}

// ---- the lessons-learned library -----------------------------------------------------------

namespace {

// status, owner_id and overdue of the library and action lists.
store::ActionConditions read_action_conditions(const Request& r, Instant now,
                                               std::vector<FieldError>& errors) {
  store::ActionConditions k;
  if (auto v = r.query_param("status")) {
    k.status = std::string(*v);
    if (!app::is_improvement_status(*k.status)) {
      errors.push_back({"status", "must be planned, in_progress or done"});
    }
  }
  if (auto v = r.query_param("owner_id")) {
    if (auto n = digits(*v)) {
      k.owner = UserId{*n};
    } else {
      errors.push_back({"owner_id", "must be a positive integer"});
    }
  }
  if (auto v = r.query_param("overdue")) {
    if (*v == "true") {
      k.overdue_at = now;
    } else if (*v != "false") {
      errors.push_back({"overdue", "must be true or false"});
    }
  }
  return k;
}

std::optional<DepartmentId> read_department_param(const Request& r,
                                                  std::vector<FieldError>& errors) {
  auto v = r.query_param("department_id");
  if (!v) return std::nullopt;
  if (auto n = digits(*v)) return DepartmentId{*n};
  errors.push_back({"department_id", "must be a positive integer"});
  return std::nullopt;
}

int read_page_limit(const Request& r, std::vector<FieldError>& errors) {
  auto v = r.query_param("limit");
  if (!v) return 50;
  auto n = digits(*v);
  if (!n || *n < 1 || *n > 200) {
    errors.push_back(range_field("limit", 1, 200));
    return 50;
  }
  return static_cast<int>(*n);
}

}  // namespace

Result<NotificationQuery> read_notification_query(const Request& r) {
  NotificationQuery q;
  std::vector<FieldError> errors;
  if (auto u = r.query_param("unread")) {
    if (*u == "true") {
      q.unread_only = true;
    } else if (*u != "false") {
      errors.push_back({"unread", "must be true or false"});
    }
  }
  q.limit = read_page_limit(r, errors);
  if (auto c = r.query_param("cursor")) {
    if (auto before = parse_cursor(*c)) {
      q.before = *before;
    } else {
      errors.push_back({"cursor", "is not a cursor this server issued"});
    }
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  return q;
}

Result<AdminChangeQuery> read_admin_change_query(const Request& r) {
  AdminChangeQuery q;
  std::vector<FieldError> errors;
  if (auto e = r.query_param("entity")) {
    if (*e == "user" || *e == "department" || *e == "category") {
      q.entity = std::string(*e);
    } else {
      errors.push_back({"entity", "must be user, department or category"});
    }
  }
  if (auto k = r.query_param("key")) q.key = std::string(*k);
  if (auto c = r.query_param("cursor")) {
    if (auto before = parse_cursor(*c)) {
      q.before = *before;
    } else {
      errors.push_back(before.error().fields.at(0));
    }
  }
  if (auto l = r.query_param("limit")) {
    auto n = digits(*l);
    if (!n || *n < 1 || *n > 500) {
      errors.push_back(range_field("limit", 1, 500));
    } else {
      q.limit = *n;
    }
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  return q;
}

Result<store::LessonFilter> read_lesson_filter(const Request& r, Instant now) {
  store::LessonFilter filter;
  std::vector<FieldError> errors;
  if (auto v = r.query_param("q")) {
    if (auto q = text::parse_search_query(*v)) {
      filter.search = std::move(*q);
    } else {
      errors.push_back({"q", q.error().message});
    }
  }
  filter.department = read_department_param(r, errors);
  if (auto v = r.query_param("category")) filter.category = std::string(*v);
  for (const char* name : {"received_from", "received_to"}) {
    if (auto v = r.query_param(name)) {
      auto t = parse_iso8601(*v);
      if (!t) errors.push_back({name, "must be an ISO 8601 date or date-time"});
      (std::string_view(name) == "received_from" ? filter.received_from : filter.received_to) = t;
    }
  }
  filter.actions = read_action_conditions(r, now, errors);
  filter.limit = read_page_limit(r, errors);
  if (auto v = r.query_param("cursor")) {
    if (auto id = parse_cursor(*v)) {
      filter.before_id = *id;
    } else {
      errors.push_back(id.error().fields.front());
    }
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  return filter;
}

std::string improvement_action_cursor(const ImprovementAction& last) {
  if (last.due_at) {
    return "d" + std::to_string(to_epoch_ms(*last.due_at)) + "_" + std::to_string(last.id);
  }
  return "n" + std::to_string(last.id);
}

Result<store::ActionFilter> read_action_filter(const Request& r, Instant now) {
  store::ActionFilter filter;
  std::vector<FieldError> errors;
  filter.conditions = read_action_conditions(r, now, errors);
  filter.department = read_department_param(r, errors);
  filter.limit = read_page_limit(r, errors);
  if (auto v = r.query_param("cursor")) {
    const FieldError bad{"cursor", "is not a cursor this server issued"};
    const std::string_view c = *v;
    const std::size_t sep = c.find('_');
    if (c.starts_with('n')) {
      if (auto id = digits(c.substr(1))) {
        filter.after_id = *id;
      } else {
        errors.push_back(bad);
      }
    } else if (c.starts_with('d') && sep != std::string_view::npos) {
      auto due = digits(c.substr(1, sep - 1));
      auto id = digits(c.substr(sep + 1));
      if (due && id) {
        filter.after_due = from_epoch_ms(*due);
        filter.after_id = *id;
      } else {
        errors.push_back(bad);
      }
    } else {
      errors.push_back(bad);
    }
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  return filter;
}

app::ImprovementActionPatch read_improvement_action_patch(const Json& body,
                                                          std::vector<FieldError>& errors) {
  FieldReader f(body, errors);
  app::ImprovementActionPatch p;
  p.title = f.str("title", 500);
  p.status = f.str("status", 32);
  p.resources = f.str("resources", 2000);
  // null clears the owner or the deadline; absent leaves them.
  if (body.contains("owner_id")) {
    if (body["owner_id"].is_null()) {
      p.owner = std::optional<UserId>{};
    } else if (auto owner = f.integer("owner_id")) {
      p.owner = std::optional<UserId>(UserId{*owner});
    }
  }
  if (body.contains("due_at")) {
    if (body["due_at"].is_null()) {
      p.due_at = std::optional<Instant>{};
    } else if (auto due = f.instant("due_at")) {
      p.due_at = std::optional<Instant>(*due);
    }
  }
  static constexpr std::string_view kKnown[] = {"title", "status", "owner_id", "due_at",
                                                "resources"};
  for (const auto& [key, value] : body.items()) {
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) {
      errors.push_back(
          {key.empty() ? std::string("\"\"") : key, "is not a field of an improvement action"});
    }
  }
  return p;
}

}  // namespace redress::http
