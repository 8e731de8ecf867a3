// Routes for administration (organisation and rules), the public portal and
// the OpenAPI document.
#include <boost/asio/post.hpp>
#include <utility>

#include "app/crypto.h"
#include "http/api.h"
#include "http/api_helpers.h"
#include "http/json_io.h"
#include "http/problem.h"
#include "http/requests.h"
#include "http/security.h"

namespace redress::http {

void Api::register_admin(Router& router) {
  // GET lists: every staff role may read them.
  auto list = [this, &router](std::string path, std::string summary, auto fetch) {
    add(router, "GET", path, "administration", std::move(summary),
        [this, fetch](Request& r) -> Awaitable {
          auto who = authenticate(r, false);
          if (!who) co_return problem(who.error());
          if (auto staff = app::Admin::require_staff(who->actor); !staff) {
            co_return problem(staff.error());
          }
          auto items = store_.read<Json>([&](const store::ReadTx& tx) { return fetch(tx); });
          if (!items) co_return problem(items.error());
          co_return json_response(200, Json{{"items", *items}});
        });
  };
  // Writes: parse the body with `build`, run `apply` in one transaction.
  auto create = [this, &router](std::string method, std::string path, std::string summary,
                                auto build, auto apply, int status) {
    add(router, method, path, "administration", std::move(summary),
        [this, build, apply, status](Request& r) -> Awaitable {
          auto who = authenticate(r, true);
          if (!who) co_return problem(who.error());
          if (auto admin = app::Admin::require_admin(who->actor); !admin) {
            co_return problem(admin.error());
          }
          Json body = Json::object();
          if (r.method != "DELETE") {
            auto parsed = parse_json_object(r.body);
            if (!parsed) co_return body_problem(parsed.error());
            body = std::move(*parsed);
          }
          std::vector<FieldError> errors;
          FieldReader f(body, errors);
          auto input = build(f, r);
          if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
          auto out = co_await write<Json>(
              [&](store::WriteTx& tx) { return apply(tx, who->actor, std::move(input)); });
          if (!out) co_return problem(out.error());
          co_return json_response(status, *out);
        });
  };

  list("/api/v1/users", "Staff accounts.", [](const store::ReadTx& tx) -> Result<Json> {
    REDRESS_TRY(auto rows, tx.directory().users());
    Json items = Json::array();
    for (const auto& u : rows) items.push_back(user_json(u));
    return items;
  });
  add(router, "POST", "/api/v1/users", "administration",
      "Create a staff account with roles and a department.", [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        if (auto admin = app::Admin::require_admin(who->actor); !admin) {
          co_return problem(admin.error());
        }
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        std::vector<FieldError> errors;
        FieldReader f(*body, errors);
        app::NewUser u = read_new_user(f, errors);
        if (!u.email.empty() && u.email.find('@') == std::string::npos) {
          errors.push_back(email_field("email"));
        }
        auto more = app::Admin::validate_user(u);
        errors.insert(errors.end(), more.begin(), more.end());
        auto pw = app::Admin::validate_password(u.password);
        errors.insert(errors.end(), pw.begin(), pw.end());
        if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
        auto hash = co_await await_callback<Result<std::string>>(
            [&](std::move_only_function<void(Result<std::string>)> done) {
              boost::asio::post(slow_pool_, [&, done = std::move(done)]() mutable {
                done(app::hash_password(u.password));
              });
            });
        if (!hash) co_return problem(hash.error());
        u.password_hash = *hash;
        auto user = co_await write<User>(
            [&](store::WriteTx& tx) { return admin_.add_user(tx, who->actor, u); });
        if (!user) co_return problem(user.error());
        co_return json_response(201, user_json(*user));
      });

  list("/api/v1/departments", "Departments (a tree).", [](const store::ReadTx& tx) -> Result<Json> {
    REDRESS_TRY(auto rows, tx.directory().departments());
    Json items = Json::array();
    for (const auto& d : rows) items.push_back(department_json(d));
    return items;
  });
  create(
      "POST", "/api/v1/departments", "Create a department.",
      [](FieldReader& f, const Request&) { return read_department(f); },
      [this](store::WriteTx& tx, const Actor& a, Department d) -> Result<Json> {
        REDRESS_TRY(auto out, admin_.add_department(tx, a, std::move(d)));
        return department_json(out);
      },
      201);

  list("/api/v1/categories", "The category taxonomy.", [](const store::ReadTx& tx) -> Result<Json> {
    REDRESS_TRY(auto rows, tx.directory().categories());
    Json items = Json::array();
    for (const auto& c : rows) items.push_back(category_json(c));
    return items;
  });
  create(
      "POST", "/api/v1/categories", "Add a category (or sub-category with parent_code).",
      [](FieldReader& f, const Request&) { return read_category(f); },
      [this](store::WriteTx& tx, const Actor& a, Category c) -> Result<Json> {
        REDRESS_TRY(auto out, admin_.add_category(tx, a, std::move(c)));
        return category_json(out);
      },
      201);

  // PATCH: a partial edit parsed from the body with `read` (unknown fields and
  // bad types are errors), then `apply` in one transaction; retiring is an edit
  // (active=false), never a delete, so history keeps resolving names.
  auto patch = [this, &router](std::string path, std::string summary, auto read, auto apply) {
    add(router, "PATCH", path, "administration", std::move(summary),
        [this, read, apply](Request& r) -> Awaitable {
          auto who = authenticate(r, true);
          if (!who) co_return problem(who.error());
          if (auto admin = app::Admin::require_admin(who->actor); !admin) {
            co_return problem(admin.error());
          }
          auto body = parse_json_object(r.body);
          if (!body) co_return body_problem(body.error());
          std::vector<FieldError> errors;
          auto input = read(*body, errors);
          if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
          auto out = co_await write<Json>(
              [&](store::WriteTx& tx) { return apply(tx, who->actor, r, input); });
          if (!out) co_return problem(out.error());
          co_return json_response(200, *out);
        });
  };
  patch("/api/v1/users/:id",
        "Edit a staff account: display_name, email, language, roles, department_id, wide_scope, "
        "active (false retires it and ends its sessions at once).",
        read_user_patch,
        [this](store::WriteTx& tx, const Actor& a, const Request& r,
               const app::UserPatch& p) -> Result<Json> {
          auto id = number_param(r, "id");
          if (!id) return fail(Error::not_found("user"));
          REDRESS_TRY(auto out, admin_.update_user(tx, a, UserId{*id}, p));
          return user_json(out);
        });
  patch("/api/v1/departments/:id",
        "Edit a department: name, parent_id, supervisor_id, active (false retires it: no longer "
        "offered for routing; complaints keep showing it).",
        read_department_patch,
        [this](store::WriteTx& tx, const Actor& a, const Request& r,
               const app::DepartmentPatch& p) -> Result<Json> {
          auto id = number_param(r, "id");
          if (!id) return fail(Error::not_found("department"));
          REDRESS_TRY(auto out, admin_.update_department(tx, a, DepartmentId{*id}, p));
          return department_json(out);
        });
  patch("/api/v1/categories/:code",
        "Edit a category: name, parent_code, active (false retires it: no longer offered for "
        "classification; complaints keep showing it).",
        read_category_patch,
        [this](store::WriteTx& tx, const Actor& a, const Request& r,
               const app::CategoryPatch& p) -> Result<Json> {
          const std::string code(r.path_param("code").value_or(""));
          REDRESS_TRY(auto out, admin_.update_category(tx, a, code, p));
          return category_json(out);
        });
  add(router, "GET", "/api/v1/admin-changes", "administration",
      "The organisation's change log, newest first (administrators): ?entity=user|department|"
      "category, ?key=id or code, ?limit=1-500 (default 100), ?cursor= the next_cursor of the "
      "previous page (null on the last one).",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        auto query = read_admin_change_query(r);
        if (!query) co_return problem(query.error());
        const Actor actor = who->actor;
        auto rows = store_.read<std::vector<store::AdminChange>>([&](const store::ReadTx& tx) {
          return admin_.changes(tx, actor, query->entity, query->key, query->before, query->limit);
        });
        if (!rows) co_return problem(rows.error());
        Json items = Json::array();
        for (const auto& c : *rows) {
          items.push_back({{"id", c.id},
                           {"at", format_iso8601(c.at)},
                           {"actor_id", c.actor ? Json(c.actor->value) : Json(nullptr)},
                           {"entity", c.entity},
                           {"key", c.key},
                           {"action", c.action},
                           {"before", Json::parse(c.before, nullptr, false)},
                           {"after", Json::parse(c.after, nullptr, false)}});
        }
        Json next = nullptr;
        if (std::cmp_equal(rows->size(), query->limit)) next = list_cursor(rows->back().id);
        co_return json_response(200, Json{{"items", items}, {"next_cursor", next}});
      });

  list("/api/v1/policies", "Policies switching the optional lifecycle steps.",
       [](const store::ReadTx& tx) -> Result<Json> {
         REDRESS_TRY(auto rows, tx.rules().policies());
         Json items = Json::array();
         for (const auto& p : rows) items.push_back(policy_json(p));
         return items;
       });
  create(
      "POST", "/api/v1/policies", "Add a policy for a category and/or urgency.",
      [](FieldReader& f, const Request&) { return read_policy(f, Policy{}); },
      [this](store::WriteTx& tx, const Actor& a, Policy p) -> Result<Json> {
        REDRESS_TRY(auto out, admin_.add_policy(tx, a, std::move(p)));
        return policy_json(out);
      },
      201);
  create(
      "PUT", "/api/v1/policies/:id", "Replace a policy.",
      [](FieldReader& f, const Request& r) {
        Policy p = read_policy(f, Policy{});
        p.id = number_param(r, "id").value_or(0);
        return p;
      },
      [this](store::WriteTx& tx, const Actor& a, Policy p) -> Result<Json> {
        REDRESS_TRY(auto out, admin_.update_policy(tx, a, std::move(p)));
        return policy_json(out);
      },
      200);

  list("/api/v1/routing-rules", "Ordered routing rules; the first match proposes a department.",
       [](const store::ReadTx& tx) -> Result<Json> {
         REDRESS_TRY(auto rows, tx.rules().routing_rules());
         Json items = Json::array();
         for (const auto& x : rows) items.push_back(routing_rule_json(x));
         return items;
       });
  create(
      "POST", "/api/v1/routing-rules", "Add a routing rule.",
      [](FieldReader& f, const Request&) { return read_routing_rule(f); },
      [this](store::WriteTx& tx, const Actor& a, RoutingRule x) -> Result<Json> {
        REDRESS_TRY(auto out, admin_.add_routing_rule(tx, a, std::move(x)));
        return routing_rule_json(out);
      },
      201);
  create(
      "PUT", "/api/v1/routing-rules/:id", "Replace a routing rule.",
      [](FieldReader& f, const Request& r) {
        RoutingRule x = read_routing_rule(f);
        x.id = number_param(r, "id").value_or(0);
        return x;
      },
      [this](store::WriteTx& tx, const Actor& a, RoutingRule x) -> Result<Json> {
        REDRESS_TRY(auto out, admin_.update_routing_rule(tx, a, std::move(x)));
        return routing_rule_json(out);
      },
      200);
  create(
      "DELETE", "/api/v1/routing-rules/:id", "Delete a routing rule.",
      [](FieldReader&, const Request& r) { return number_param(r, "id").value_or(0); },
      [this](store::WriteTx& tx, const Actor& a, std::int64_t id) -> Result<Json> {
        REDRESS_CHECK(admin_.delete_routing_rule(tx, a, id));
        return Json{{"deleted", id}};
      },
      200);

  list("/api/v1/sanction-rules", "Loss bands and the sanctions they propose.",
       [](const store::ReadTx& tx) -> Result<Json> {
         REDRESS_TRY(auto rows, tx.rules().sanction_rules());
         Json items = Json::array();
         for (const auto& x : rows) items.push_back(sanction_rule_json(x));
         return items;
       });
  create(
      "POST", "/api/v1/sanction-rules", "Add a sanction rule for a band of losses.",
      [](FieldReader& f, const Request&) { return read_sanction_rule(f); },
      [this](store::WriteTx& tx, const Actor& a, SanctionRule x) -> Result<Json> {
        REDRESS_TRY(auto out, admin_.add_sanction_rule(tx, a, std::move(x)));
        return sanction_rule_json(out);
      },
      201);
  create(
      "DELETE", "/api/v1/sanction-rules/:id", "Delete a sanction rule.",
      [](FieldReader&, const Request& r) { return number_param(r, "id").value_or(0); },
      [this](store::WriteTx& tx, const Actor& a, std::int64_t id) -> Result<Json> {
        REDRESS_CHECK(admin_.delete_sanction_rule(tx, a, id));
        return Json{{"deleted", id}};
      },
      200);
}

std::vector<Api::RateKey> Api::lookup_limits(const Request& r, const std::string& code) const {
  return {{"lookup-ip:" + client_address(r, options_.trust_forwarded_for),
           options_.rate_limits.lookups_per_ip, "tracking look-ups from this address"},
          {"lookup-code:" + code.substr(0, 64), options_.rate_limits.lookups_per_code,
           "look-ups of this tracking code"}};
}

void Api::register_public(Router& router) {
  add(router, "POST", "/api/v1/public/complaints", "portal",
      "Submit a complaint without an account; answers the tracking code and access token.",
      [this](Request& r) -> Awaitable {
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        std::vector<FieldError> errors;
        FieldReader f(*body, errors);
        // Staff-only fields are refused on the portal, not ignored.
        for (const char* staff_only : {"received_at", "tags"}) {
          if (body->contains(staff_only)) {
            errors.push_back({staff_only, "cannot be set on the public portal"});
          }
        }
        app::IntakeRequest req = read_intake(f, errors);
        if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
        Actor customer;
        customer.kind = Actor::Kind::customer;
        // Counted inside the submission's transaction: a replayed Idempotency-Key
        // counts nothing, and a refused submission leaves no count behind.
        std::vector<RateKey> limits{{"submit-ip:" + client_address(r, options_.trust_forwarded_for),
                                     options_.rate_limits.submissions_per_ip,
                                     "complaints from this address"}};
        app::IntakeSignals signals = app::compute_intake_signals(triage_.get(), req);
        CreateJob create =
            [this, customer, limits = std::move(limits), req = std::move(req),
             signals = std::move(signals)](store::WriteTx& tx) mutable -> Result<Response> {
          REDRESS_CHECK(count_requests(tx, limits));
          REDRESS_TRY(auto created, complaints_.submit(tx, customer, std::move(req)));
          // Flags are for staff; the customer's answer does not mention them.
          REDRESS_TRY(auto flags, app::record_intake_signals(tx, created.complaint, signals,
                                                             options_.duplicates));
          (void)flags;
          Json j{{"tracking_code", created.complaint.tracking_code},
                 {"access_token", created.access_token},
                 {"state", to_string(created.complaint.state)},
                 {"received_at", format_iso8601(created.complaint.received_at)}};
          return Response::json(201, j.dump());
        };
        auto job = idempotent(r, "public", std::move(create));
        if (!job) co_return problem(job.error());
        Response resp = co_await run_create(std::move(*job));
        if (resp.status == 429) add_retry_after(resp);
        co_return resp;
      });
  add(router, "GET", "/api/v1/public/complaints/:code", "portal",
      "Follow a complaint with its tracking code and the X-Access-Token header.",
      [this](Request& r) -> Awaitable {
        const std::string code(r.path_param("code").value_or(""));
        const std::string token(r.header("X-Access-Token").value_or(""));
        const auto limits = lookup_limits(r, code);
        auto limited = co_await count_requests(limits);
        if (!limited) co_return limited_problem(limited.error());
        auto v = store_.read<app::PublicView>(
            [&](const store::ReadTx& tx) { return portal_.view(tx, code, token); });
        if (!v) co_return problem(v.error());
        co_return json_response(200, public_json(*v));
      });
  add(router, "POST", "/api/v1/public/complaints/:code/actions", "portal",
      "The customer answers the plan, rates, writes, appeals, reopens or withdraws.",
      [this](Request& r) -> Awaitable {
        const std::string code(r.path_param("code").value_or(""));
        const std::string token(r.header("X-Access-Token").value_or(""));
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        std::vector<FieldError> errors;
        FieldReader f(*body, errors);
        const app::PublicAction a = read_public_action(f);
        if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
        // Counted in a transaction of its own: a refused action (a guessed token)
        // rolls back, and must still count.
        const auto limits = lookup_limits(r, code);
        auto limited = co_await count_requests(limits);
        if (!limited) co_return limited_problem(limited.error());
        auto v = co_await write<app::PublicView>(
            [&](store::WriteTx& tx) { return portal_.act(tx, code, token, a); });
        if (!v) co_return problem(v.error());
        co_return json_response(200, public_json(*v));
      });
  add(
      router, "POST", "/api/v1/public/complaints/:code/attachments", "portal",
      "The customer adds evidence (multipart/form-data, field 'file', one or more; images, "
      "PDF, text; 10 MiB each; the staff route's limits) while the complaint is not closed "
      "or withdrawn.",
      [this](Request& r) -> Awaitable {
        const std::string code(r.path_param("code").value_or(""));
        const std::string token(r.header("X-Access-Token").value_or(""));
        // The look-up counters (a guessed token counts) and the submit route's
        // per-address limit, under a key of its own: each upload request counts,
        // refused ones too (their own transaction).
        std::vector<RateKey> limits = lookup_limits(r, code);
        limits.push_back({"attach-ip:" + client_address(r, options_.trust_forwarded_for),
                          options_.rate_limits.submissions_per_ip, "uploads from this address"});
        auto limited = co_await count_requests(limits);
        if (!limited) co_return limited_problem(limited.error());
        // The token and the state before touching the disk.
        auto target = store_.read<app::AttachTarget>(
            [&](const store::ReadTx& tx) { return portal_.attach_target(tx, code, token); });
        if (!target) co_return problem(target.error());
        auto uploads = store_uploads(r, target->held);
        if (!uploads) co_return problem(uploads.error());
        auto stored = co_await write<std::vector<Attachment>>(
            [&](store::WriteTx& tx) { return portal_.attach(tx, code, token, *uploads); });
        if (!stored) co_return problem(stored.error());
        Json items = Json::array();
        for (const auto& a : *stored) items.push_back(public_attachment_json(a));
        co_return json_response(201, Json{{"items", items}});
      },
      RouteOptions{.max_body_bytes = options_.max_upload_bytes + 64 * 1024});
  add(router, "GET", "/api/v1/public/complaints/:code/attachments/:aid", "portal",
      "Download a file the customer added (never staff evidence), with X-Access-Token.",
      [this](Request& r) -> Awaitable {
        const std::string code(r.path_param("code").value_or(""));
        const std::string token(r.header("X-Access-Token").value_or(""));
        const auto limits = lookup_limits(r, code);
        auto limited = co_await count_requests(limits);
        if (!limited) co_return limited_problem(limited.error());
        auto aid = number_param(r, "aid");
        if (!aid) co_return problem(Error::not_found("attachment"));
        auto found = store_.read<Attachment>(
            [&](const store::ReadTx& tx) { return portal_.attachment(tx, code, token, *aid); });
        if (!found) co_return problem(found.error());
        co_return attachment_download(*found);
      });
}

namespace {

// The portal's attachment routes in the OpenAPI document: the access token
// header, the multipart body of an upload and the refusals a customer meets.
void document_portal_attachment_route(const std::string& method, const std::string& pattern,
                                      Json& parameters, Json& op) {
  if (pattern != "/api/v1/public/complaints/:code/attachments" &&
      pattern != "/api/v1/public/complaints/:code/attachments/:aid") {
    return;
  }
  parameters.push_back({{"name", "X-Access-Token"},
                        {"in", "header"},
                        {"required", true},
                        {"schema", {{"type", "string"}}},
                        {"description", "The access token issued with the tracking code."}});
  const Json problem_json = {{"description", "application/problem+json"}};
  if (method == "POST") {
    op["requestBody"] = {
        {"required", true},
        {"content",
         {{"multipart/form-data",
           {{"schema",
             {{"type", "object"},
              {"required", Json::array({"file"})},
              {"properties",
               {{"file",
                 {{"type", "array"},
                  {"items", {{"type", "string"}, {"format", "binary"}}},
                  {"description", "One part per file, each named 'file'."}}}}}}}}}}}};
    op["responses"] = {
        {"201", {{"description", "{items: [{id, filename, content_type, size, at}]}"}}},
        {"404", {{"description", "Unknown tracking code or wrong access token."}}},
        {"409", {{"description", "The complaint is closed, withdrawn or otherwise finished."}}},
        {"413", {{"description", "A file or the request is over 10 MiB (errors[].field: file)."}}},
        {"415", {{"description", "A file's content is not an image, PDF or text."}}},
        {"422", {{"description", "No file, too many in one request, or the complaint's limit."}}},
        {"429", {{"description", "Rate limit (see Retry-After)."}}},
        {"default", problem_json}};
  } else {
    op["responses"] = {{"200", {{"description", "The file, as a download."}}},
                       {"404", {{"description", "Not a file this customer added."}}},
                       {"default", problem_json}};
  }
}

// The query parameters of GET /api/v1/complaints (read by
// read_complaint_filter in requests.cpp; docs/api.md and docs/search.md).
std::vector<Json> complaint_list_parameters() {
  auto param = [](const char* name, const char* type, const char* description) {
    return Json{{"name", name},
                {"in", "query"},
                {"required", false},
                {"schema", {{"type", type}}},
                {"description", description}};
  };
  return {
      param("q", "string",
            "Full-text search (docs/search.md): words, \"a phrase\", -word to exclude; all "
            "required; at most 500 bytes and 32 terms. Results are ranked by relevance (not "
            "combinable with sort) and each item carries a snippet {field, message_id?, "
            "parts: [{text, match}]} — plain text, the matching terms flagged."),
      param("state", "string", "Lifecycle state."),
      param("urgency", "string", "urgent, important or general."),
      param("department_id", "integer", "Responsible department."),
      param("category", "string", "Category code."),
      param("assignee_id", "integer", "Person in charge."),
      param("received_from", "string", "ISO 8601 date or date-time, inclusive."),
      param("received_to", "string", "ISO 8601 date or date-time, exclusive."),
      param("sort", "string", "newest (default) or due."),
      param("overdue", "boolean", "true: only complaints past their due time."),
      param("limit", "integer", "1–200 rows, default 50."),
      param("cursor", "string", "next_cursor of the previous page."),
  };
}

// The query parameters and answers of the management review and the
// training needs (read by read_review_params in api_reports.cpp; docs/reports.md).
void document_review_route(const std::string& pattern, Json& parameters, Json& op) {
  const bool review = pattern == "/api/v1/reports/management-review";
  auto param = [](const char* name, const char* description) {
    return Json{{"name", name},
                {"in", "query"},
                {"required", false},
                {"schema", {{"type", "string"}}},
                {"description", description}};
  };
  parameters.push_back(param("from",
                             "ISO 8601 date or date-time, inclusive (received time). "
                             "Default: the first day of the sixth month before this one."));
  parameters.push_back(param("to",
                             "ISO 8601 date or date-time, exclusive. Default: the first "
                             "day of this month (UTC)."));
  parameters.push_back(param("lang",
                             "en, es, fr, zh-Hans, zh-Hant or vi (default: the caller's "
                             "language). Names the language of the PDF and XLSX."));
  parameters.push_back(
      param("format", review ? "json (default), pdf or xlsx" : "csv (default) or json"));
  Json content = Json::object();
  if (review) {
    content["application/json"] = Json::object();
    content["application/pdf"] = Json::object();
    content["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = Json::object();
  } else {
    content["text/csv"] = Json::object();
    content["application/json"] = Json::object();
  }
  op["responses"]["200"] = {{"description", review ? "The review (schema in docs/reports.md)"
                                                   : "department,source,topic,count,repeated"},
                            {"content", content}};
}

// The query parameters of the warning records, the hotspots and the board
// report (app/insight.h; docs/reports.md).
void document_insight_route(const std::string& pattern, Json& parameters, Json& op) {
  auto param = [](const char* name, const char* description) {
    return Json{{"name", name},
                {"in", "query"},
                {"required", false},
                {"schema", {{"type", "string"}}},
                {"description", description}};
  };
  const bool window = pattern == "/api/v1/reports/hotspots" || pattern == "/api/v1/reports/board";
  parameters.push_back(param(
      "from", window ? "ISO 8601, inclusive: the start of the recent window (default: to minus "
                       "the configured window, 30 days)"
                     : "ISO 8601, inclusive (received time). Default: the first day of the "
                       "sixth month before this one."));
  parameters.push_back(param("to", window ? "ISO 8601, exclusive (default: the end of today, UTC)"
                                          : "ISO 8601, exclusive. Default: the first day of "
                                            "this month (UTC)."));
  if (pattern == "/api/v1/reports/board") {
    parameters.push_back(param("lang",
                               "en, es, fr, zh-Hans, zh-Hant or vi (default: the "
                               "caller's language)"));
    parameters.push_back(param("format", "json (default) or pdf"));
    op["responses"]["200"] = {
        {"description", "The board report (schema in docs/reports.md)"},
        {"content", {{"application/json", Json::object()}, {"application/pdf", Json::object()}}}};
  } else {
    op["responses"]["200"] = {{"description", "Schema in docs/reports.md"},
                              {"content", {{"application/json", Json::object()}}}};
  }
}

}  // namespace

std::string Api::openapi_json() const {
  Json paths = Json::object();
  for (const RouteDoc& d : docs_) {
    std::string path;
    Json parameters = Json::array();
    std::size_t start = 0;
    while (start < d.pattern.size()) {
      std::size_t end = d.pattern.find('/', start + 1);
      if (end == std::string::npos) end = d.pattern.size();
      std::string seg = d.pattern.substr(start, end - start);
      if (seg.size() > 1 && seg[1] == ':') {
        const std::string name = seg.substr(2);
        seg = "/{" + name + "}";
        parameters.push_back(
            {{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
      }
      path += seg;
      start = end;
    }
    std::string method = d.method;
    for (char& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    Json op{{"summary", d.summary},
            {"tags", Json::array({d.tag})},
            {"responses",
             {{"default", {{"description", "JSON, or application/problem+json on error"}}}}}};
    if (d.method == "GET" && d.pattern == "/api/v1/complaints") {
      for (Json& q : complaint_list_parameters()) parameters.push_back(std::move(q));
    }
    if (d.pattern == "/api/v1/reports/management-review" ||
        d.pattern == "/api/v1/reports/training-needs") {
      document_review_route(d.pattern, parameters, op);
    }
    if (d.pattern == "/api/v1/reports/departments/:id/warnings" ||
        d.pattern == "/api/v1/reports/departments/warnings" ||
        d.pattern == "/api/v1/reports/hotspots" || d.pattern == "/api/v1/reports/board") {
      document_insight_route(d.pattern, parameters, op);
    }
    if (d.method == "GET" && d.pattern == "/api/v1/complaints/export") {
      for (Json& q : complaint_list_parameters()) {
        if (q["name"] != "limit" && q["name"] != "cursor") parameters.push_back(std::move(q));
      }
      parameters.push_back({{"name", "format"},
                            {"in", "query"},
                            {"required", false},
                            {"schema", {{"type", "string"}, {"enum", {"csv", "xlsx"}}}},
                            {"description", "csv (default) or xlsx."}});
      op["responses"] = {
          {"200",
           {{"description", "The export, streamed (chunked); columns in docs/export.md."},
            {"content",
             {{"text/csv", Json::object()},
              {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               Json::object()}}}}},
          {"default", {{"description", "application/problem+json"}}}};
    }
    document_lesson_route(d.method, d.pattern, parameters);
    document_notification_route(d.method, d.pattern, parameters);
    document_portal_attachment_route(d.method, d.pattern, parameters, op);
    if (d.method == "GET" && d.pattern == "/api/v1/admin-changes") {  // read_admin_change_query
      parameters.push_back(
          openapi_query_parameter("entity", "string", "user, department or category."));
      parameters.push_back(
          openapi_query_parameter("key", "string", "The user or department id, or category code."));
      parameters.push_back(
          openapi_query_parameter("cursor", "string", "next_cursor of the previous page."));
      parameters.push_back(openapi_query_parameter("limit", "integer", "1–500, default 100."));
    }
    if (!parameters.empty()) op["parameters"] = parameters;
    paths[path][method] = op;
  }
  Json doc{{"openapi", "3.1.0"},
           {"info",
            {{"title", "Redress API"},
             {"version", "1"},
             {"description",
              "Customer complaint management: the lifecycle of SPEC §2 over HTTP. "
              "See docs/api.md for a walk-through."}}},
           {"paths", paths}};
  return doc.dump(2);
}

}  // namespace redress::http
