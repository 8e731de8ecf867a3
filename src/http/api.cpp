#include "http/api.h"

#include <magic.h>

#include <boost/asio/post.hpp>
#include <cstdio>
#include <fstream>

#include "app/audit.h"
#include "app/crypto.h"
#include "app/export.h"
#include "http/api_helpers.h"
#include "http/await.h"
#include "http/json_io.h"
#include "http/problem.h"
#include "http/requests.h"

namespace redress::http {

namespace {

constexpr std::string_view kSessionCookie = "redress_session";

std::optional<std::string> cookie(const Request& r, std::string_view name) {
  auto header = r.header("Cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    const auto semi = rest.find(';');
    std::string_view pair = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
  }
  return std::nullopt;
}

std::optional<std::string> bearer(const Request& r) {
  auto header = r.header("Authorization");
  if (!header || header->substr(0, 7) != "Bearer ") return std::nullopt;
  return std::string(header->substr(7));
}

}  // namespace

Api::Api(store::Store& store, const Clock& clock, ApiOptions options)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      auth_(store, clock, options_.auth),
      complaints_(clock),
      records_(clock),
      admin_(clock),
      portal_(complaints_, records_),
      sla_(clock),
      privacy_(clock),
      webhooks_(clock),
      channels_(clock, complaints_),

      triage_(options_.triage ? options_.triage : std::make_shared<app::TriageService>()) {
  // Serve the newest stored model from the first request on; without one,
  // intake simply records no suggestions.
  if (auto loaded = triage_->refresh(store_); !loaded) {
    std::fprintf(stderr, "redress: triage model not loaded: %s\n", loaded.error().message.c_str());
  }
  magic_ = magic_open(MAGIC_MIME_TYPE);
  if (!magic_ || magic_load(static_cast<magic_t>(magic_), nullptr) != 0) {
    throw std::runtime_error("libmagic could not load its database");
  }
}

Api::~Api() {
  slow_pool_.join();
  export_pool_.join();
  if (magic_) magic_close(static_cast<magic_t>(magic_));
}

void Api::add(Router& router, std::string method, std::string pattern, std::string tag,
              std::string summary, RouteHandler handler, RouteOptions options) {
  docs_.push_back({method, pattern, std::move(summary), std::move(tag)});
  router.add(std::move(method), std::move(pattern), std::move(handler), options);
}

ErrorResponder Api::error_responder() const {
  return [max = options_.max_upload_bytes](int status, std::string_view detail,
                                           const Request* request) {
    // An upload refused on its size before it is read (the body is over the route's
    // limit) still names the field and the rule, like the upload routes' own 413.
    if (status == 413 && request != nullptr && request->path.ends_with("/attachments")) {
      const std::string limit = std::to_string(max / (1024 * 1024)) + " MiB";
      return problem(
          Error{ErrorCode::payload_too_large,
                std::string(detail),
                {{"file",
                  "one request carries at most " + limit + " of files: send fewer or smaller files",
                  "upload_too_large",
                  {{"max", limit}}}}});
    }
    return problem(status, detail);
  };
}

Result<app::Authenticated> Api::authenticate(const Request& request, bool write) const {
  const auto session = cookie(request, kSessionCookie);
  const auto token = bearer(request);
  REDRESS_TRY(auto who, store_.read<app::Authenticated>([&](const store::ReadTx& tx) {
    return auth_.authenticate(tx, session, token);
  }));
  if (who.session_stale) {
    // Restart the idle clock; not awaited: the answer does not depend on it, and
    // at most one write a minute per session is spent on it.
    store_.write<bool>(
        [this, who](store::WriteTx& tx) -> Result<bool> {
          REDRESS_CHECK(auth_.touch(tx, who));
          return true;
        },
        [](Result<bool>) {});
  }
  if (write && who.via_cookie) {
    auto sent = request.header("X-CSRF-Token");
    if (!sent || !app::equal_constant_time(*sent, who.csrf_token)) {
      return fail(Error::forbidden("the X-CSRF-Token header is missing or wrong"));
    }
  }
  return who;
}

Result<Api::CreateJob> Api::idempotent(const Request& request, std::string scope,
                                       CreateJob fn) const {
  auto key_header = request.header("Idempotency-Key");
  if (!key_header) return fn;
  std::string key(*key_header);
  if (key.empty() || key.size() > 200) {
    return fail(Error::invalid("Idempotency-Key", "must be 1–200 characters"));
  }
  std::string request_hash =
      app::sha256_hex(request.method + " " + request.path + "\n" + request.body);
  const Instant now = clock_.now();
  return CreateJob([scope = std::move(scope), key = std::move(key),
                    request_hash = std::move(request_hash), now,
                    fn = std::move(fn)](store::WriteTx& tx) mutable -> Result<Response> {
    REDRESS_TRY(auto stored, tx.idempotency().find(scope, key));
    if (stored) {
      if (stored->request_hash != request_hash) {
        return fail(Error::invalid("Idempotency-Key", "was already used with a different request"));
      }
      Response replay = Response::json(stored->status, stored->body);
      replay.with_header("Idempotent-Replayed", "true");
      return replay;
    }
    REDRESS_TRY(auto response, fn(tx));
    REDRESS_CHECK(
        tx.idempotency().put(scope, key, {request_hash, response.status, response.body}, now));
    return response;
  });
}

Api::Awaitable Api::run_create(CreateJob job) {
  auto result = co_await write<Response>(std::move(job));
  co_return result ? std::move(*result) : problem(result.error());
}

void Api::register_routes(Router& router) {
  add(router, "GET", "/healthz", "operations", "Liveness: the process answers.",
      [](Request&) -> Awaitable {
        co_return json_response(200, Json{{"status", "ok"}});
      });
  add(router, "GET", "/readyz", "operations", "Readiness: the store answers a query.",
      [this](Request&) -> Awaitable {
        auto r = store_.read<std::string>(
            [](const store::ReadTx& tx) { return tx.events().last_hash(); });
        if (!r) co_return problem(503, "the store does not answer");
        co_return json_response(200, Json{{"status", "ready"}});
      });
  add(router, "GET", "/api/v1/openapi.json", "operations", "This OpenAPI 3.1 document.",
      [this](Request&) -> Awaitable { co_return Response::json(200, openapi_json()); });
  add(router, "GET", "/api/v1/lifecycle", "lifecycle",
      "The lifecycle table: actions, source and target states, roles, required data.",
      [](Request&) -> Awaitable {
        Json rows = Json::array();
        for (const Transition& t : lifecycle_table()) {
          Json from = Json::array(), roles = Json::array(), required = Json::array();
          for (const auto& [s, name] : kStateNames) {
            if (t.from.contains(s)) from.push_back(name);
          }
          for (Role r : t.roles.members()) roles.push_back(to_string(r));
          for (Requirement q : t.required()) required.push_back(requirement_field(q));
          rows.push_back(
              {{"action", to_string(t.action)},
               {"from", from},
               {"to", t.destination == Destination::held_from ? "(held_from)" : to_string(t.to)},
               {"alt_to", t.destination == Destination::customer_answer ? Json(to_string(t.alt_to))
                                                                        : Json(nullptr)},
               {"roles", roles},
               {"requires", required},
               {"summary", t.summary}});
        }
        co_return json_response(200, Json{{"transitions", rows}});
      });
  register_auth(router);
  register_complaints(router);
  register_records(router);
  register_admin(router);
  register_sla(router);
  register_triage(router);
  register_hooks(router);
  register_public(router);
  register_reports(router);
  register_trust(router);
  register_imports(router);
  register_lessons(router);
  register_saved_views(router);
  register_notifications(router);
}

// ---- auth -------------------------------------------------------------------------

void Api::register_auth(Router& router) {
  add(router, "POST", "/api/v1/auth/login", "auth",
      "Log in with user name and password; sets the session cookie, returns the CSRF token.",
      [this](Request& r) -> Awaitable {
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        std::vector<FieldError> errors;
        FieldReader f(*body, errors);
        const LoginRequest login = read_login(f, errors);
        if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
        const auto previous = cookie(r, kSessionCookie);
        auto result = co_await await_callback<Result<app::LoginResult>>(
            [&](std::move_only_function<void(Result<app::LoginResult>)> done) {
              boost::asio::post(slow_pool_, [&, done = std::move(done)]() mutable {
                done(auth_.login(login.username, login.password, previous));
              });
            });
        if (!result) co_return problem(result.error());
        Response resp = json_response(
            200, Json{{"user", user_json(result->user)}, {"csrf_token", result->csrf_token}});
        resp.with_header("Set-Cookie",
                         std::string(kSessionCookie) + "=" + result->session_token +
                             "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" +
                             std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                                options_.auth.session_lifetime)
                                                .count()) +
                             (options_.secure_cookies ? "; Secure" : ""));
        co_return resp;
      });
  add(router, "POST", "/api/v1/auth/logout", "auth", "End the cookie session.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        if (auto session = cookie(r, kSessionCookie)) {
          auto done = co_await write<bool>([&](store::WriteTx& tx) -> Result<bool> {
            REDRESS_CHECK(auth_.logout(tx, *session));
            return true;
          });
          if (!done) co_return problem(done.error());
        }
        Response resp = json_response(200, Json{{"status", "logged out"}});
        resp.with_header("Set-Cookie", std::string(kSessionCookie) +
                                           "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
        co_return resp;
      });
  add(router, "GET", "/api/v1/auth/me", "auth", "The caller's account.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        Json me{{"user", user_json(who->user)}};
        // A cookie session's CSRF token, so the app need not keep it in
        // localStorage across reloads (a cross-site page cannot read this answer).
        if (who->via_cookie) me["csrf_token"] = who->csrf_token;
        co_return json_response(200, me);
      });
  add(router, "PATCH", "/api/v1/auth/me", "auth",
      "Change the caller's own settings: {language} among en, es, fr, zh-Hans, zh-Hant, vi "
      "(the web app's and the notifications' language).",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        std::vector<FieldError> errors;
        FieldReader f(*body, errors);
        const std::string language = f.str("language", 16).value_or("");
        if (!body->contains("language") && errors.empty()) {
          errors.push_back(required_field("language"));
        }
        for (const auto& [key, value] : body->items()) {
          if (key != "language") errors.push_back({key, "cannot be changed here"});
        }
        if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
        const UserId user = who->user.id;
        auto updated = co_await write<User>(
            [&](store::WriteTx& tx) { return auth_.set_language(tx, user, language); });
        if (!updated) co_return problem(updated.error());
        co_return json_response(200, Json{{"user", user_json(*updated)}});
      });
  add(router, "POST", "/api/v1/auth/tokens", "auth",
      "Create a bearer API token for integrations (shown once).", [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        std::vector<FieldError> errors;
        FieldReader f(*body, errors);
        std::string name = f.str("name", 100).value_or("");
        if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
        auto token = co_await write<std::string>(
            [&](store::WriteTx& tx) { return auth_.create_api_token(tx, who->actor, name); });
        if (!token) co_return problem(token.error());
        co_return json_response(201, Json{{"token", *token}, {"name", name}});
      });
}

// ---- complaints -------------------------------------------------------------------

void Api::register_complaints(Router& router) {
  add(router, "POST", "/api/v1/complaints", "complaints",
      "Register a complaint received by phone, letter, in person or an integration.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        std::vector<FieldError> errors;
        FieldReader f(*body, errors);
        app::IntakeRequest req = read_intake(f, errors);
        if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
        const Actor actor = who->actor;
        // Suggestions and the duplicate signature are computed on this
        // thread, before the write: the model and the tokenizer never run on
        // the store's single writer (app/intake_signals.h).
        app::IntakeSignals signals = app::compute_intake_signals(triage_.get(), req);
        CreateJob create = [this, actor, req = std::move(req), signals = std::move(signals)](
                               store::WriteTx& tx) mutable -> Result<Response> {
          REDRESS_TRY(auto created, complaints_.submit(tx, actor, std::move(req)));
          REDRESS_TRY(auto flags, app::record_intake_signals(tx, created.complaint, signals,
                                                             options_.duplicates));
          // Nothing the registration just wrote is read back (a round trip
          // per read on PostgreSQL's single writer).
          const auto suggestion = app::recorded_suggestion(created.complaint, signals);
          const std::string access_token = created.access_token;
          REDRESS_TRY(auto view, complaints_.view_of_registered(tx, actor, std::move(created),
                                                                flags, suggestion));
          Json j = complaint_json(view);
          j["access_token"] = access_token;
          Json likely = Json::array();
          for (const auto& f : flags) {
            likely.push_back({{"complaint_id", f.original.value},
                              {"score", f.score},
                              {"reasons", app::duplicate_reasons(f.reasons)}});
          }
          j["likely_duplicates"] = likely;
          return Response::json(201, j.dump());
        };
        auto job = idempotent(r, "user:" + std::to_string(actor.user.value), std::move(create));
        if (!job) co_return problem(job.error());
        co_return co_await run_create(std::move(*job));
      });
  add(router, "GET", "/api/v1/complaints", "complaints",
      "List complaints in the caller's scope, newest first or by due time (sort=due), with "
      "filters (overdue=true among them) and a cursor; q= searches their text (best matches "
      "first, each with a snippet).",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        auto parsed = read_complaint_filter(r, clock_.now());
        if (!parsed) co_return problem(parsed.error());
        const store::ComplaintFilter& filter = *parsed;
        auto rows = store_.read<std::vector<app::ComplaintView>>(
            [&](const store::ReadTx& tx) { return complaints_.list(tx, who->actor, filter); });
        if (!rows) co_return problem(rows.error());
        Json items = Json::array();
        for (const auto& v : *rows) items.push_back(complaint_json(v));
        Json next = nullptr;
        if (static_cast<int>(rows->size()) == filter.limit && !rows->empty()) {
          next = complaint_list_cursor(filter, rows->back().complaint);
        }
        co_return json_response(200, Json{{"items", items}, {"next_cursor", next}});
      });
  add(router, "GET", "/api/v1/complaints/export", "complaints",
      "Export the complaints of any list filter (the same query parameters and scope as GET "
      "/api/v1/complaints; limit and cursor are ignored) as format=csv (default; RFC 4180, "
      "UTF-8 with BOM, formula guard) or format=xlsx, streamed with no row cap. Columns: "
      "docs/export.md.",
      [this](Request& r) -> Awaitable { co_return co_await export_complaints(r); });
  add(router, "GET", "/api/v1/complaints/:id", "complaints",
      "One complaint, with the actions the caller may take (ETag: its version).",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        auto id = number_param(r, "id");
        if (!id) co_return problem(Error::not_found("complaint"));
        auto v = store_.read<app::ComplaintView>([&](const store::ReadTx& tx) {
          return complaints_.get(tx, who->actor, ComplaintId{*id});
        });
        if (!v) co_return problem(v.error());
        Response resp = json_response(200, complaint_json(*v));
        resp.with_header("ETag", "\"" + std::to_string(v->complaint.version) + "\"");
        co_return resp;
      });
  add(router, "PATCH", "/api/v1/complaints/:id", "complaints",
      "Edit registration and assessment fields (If-Match: the ETag).",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        auto id = number_param(r, "id");
        if (!id) co_return problem(Error::not_found("complaint"));
        auto version = parse_if_match(r.header("If-Match"));
        if (!version) co_return problem(version.error());
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        std::vector<FieldError> errors;
        app::ComplaintPatch p = read_complaint_patch(*body, errors);
        p.expected_version = *version;
        if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
        auto v = co_await write<app::ComplaintView>([&](store::WriteTx& tx) {
          return complaints_.patch(tx, who->actor, ComplaintId{*id}, p);
        });
        if (!v) co_return problem(v.error());
        Response resp = json_response(200, complaint_json(*v));
        resp.with_header("ETag", "\"" + std::to_string(v->complaint.version) + "\"");
        co_return resp;
      });
  add(router, "POST", "/api/v1/complaints/:id/transitions", "complaints",
      "Take a lifecycle action ({\"action\": …} plus the data it requires).",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        auto id = number_param(r, "id");
        if (!id) co_return problem(Error::not_found("complaint"));
        auto version = parse_if_match(r.header("If-Match"));
        if (!version) co_return problem(version.error());
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        auto req = read_transition(*body);
        if (!req) co_return problem(req.error());
        req->expected_version = *version;
        auto result = co_await write<app::TransitionResult>([&](store::WriteTx& tx) {
          return complaints_.transition(tx, who->actor, ComplaintId{*id}, std::move(*req));
        });
        if (!result) co_return problem(result.error());
        Json j = complaint_json(result->view);
        if (result->follow_up) j["follow_up_id"] = result->follow_up->value;
        Response resp = json_response(200, j);
        resp.with_header("ETag", "\"" + std::to_string(result->view.complaint.version) + "\"");
        co_return resp;
      });
  add(router, "GET", "/api/v1/complaints/:id/timeline", "complaints",
      "Every event of the complaint (and of the original, for a follow-up), oldest first.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        auto id = number_param(r, "id");
        if (!id) co_return problem(Error::not_found("complaint"));
        auto events = store_.read<std::vector<Event>>([&](const store::ReadTx& tx) {
          return complaints_.timeline(tx, who->actor, ComplaintId{*id});
        });
        if (!events) co_return problem(events.error());
        Json items = Json::array();
        for (const Event& e : *events) items.push_back(event_json(e));
        co_return json_response(200, Json{{"items", items}});
      });
}

}  // namespace redress::http
