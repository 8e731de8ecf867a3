// Routes for the integrations (SPEC §5): webhooks (admin), inbound channel
// tokens (admin) and the inbound channel endpoint itself (a bridge's token),
// and mail templates editable over the API (admin).
#include <algorithm>
#include <tuple>

#include "app/channels.h"
#include "app/crypto.h"
#include "app/webhooks.h"
#include "http/api.h"
#include "http/api_helpers.h"
#include "http/json_io.h"
#include "http/problem.h"
#include "http/requests.h"
#include "mail/templates.h"

namespace redress::http {

namespace {

// A webhook for administrators: never its secret (shown once, at creation).
Json webhook_json(const store::Webhook& w) {
  return {{"id", w.id},
          {"url", w.url},
          {"events", w.events},
          {"active", w.active},
          {"description", w.description},
          {"created_at", format_iso8601(w.created_at)},
          {"updated_at", format_iso8601(w.updated_at)}};
}

app::WebhookInput read_webhook(FieldReader& f) {
  app::WebhookInput in;
  in.url = f.str("url", 2000);
  in.events = f.strings("events");
  in.active = f.boolean("active");
  in.description = f.str("description", 500);
  return in;
}

// An inbound channel for administrators: never its token (shown once).
Json channel_json(const store::InboundChannel& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"description", c.description},
          {"active", c.active},
          {"messages_path", "/api/v1/channels/" + c.name + "/messages"},
          {"created_at", format_iso8601(c.created_at)}};
}

app::ChannelMessage read_inbound(FieldReader& f, std::vector<FieldError>& errors) {
  app::ChannelMessage m;
  m.message_id = f.str("message_id", 200).value_or("");
  m.conversation_id = f.str("conversation_id", 200);
  m.tracking_code = f.str("tracking_code", 64);
  m.subject = f.str("subject", 500).value_or("");
  m.text = f.str("text").value_or("");
  if (const Json* c = f.object("customer")) {
    FieldReader cf(*c, errors, "customer.");
    m.external_id = cf.str("external_id", 200).value_or("");
    m.customer.name = cf.str("name", 200).value_or("");
    m.customer.email = cf.str("email", 254).value_or("");
    m.customer.phone = cf.str("phone", 64).value_or("");
    m.customer.language = cf.str("language", 16).value_or("en");
  } else {
    f.error("customer", "is required: {external_id, name, phone, email, language}");
  }
  return m;
}

// Which template a path names; not_found for an unknown kind or language.
Result<std::pair<std::string, std::string>> template_key(const Request& r) {
  std::string kind(r.path_param("kind").value_or(""));
  std::string language(r.path_param("language").value_or(""));
  const auto& kinds = mail::template_kinds();
  const auto& languages = mail::template_languages();
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
    return fail(Error::not_found("mail template kind"));
  }
  if (std::find(languages.begin(), languages.end(), language) == languages.end()) {
    return fail(Error::not_found("mail template language"));
  }
  return std::pair(std::move(kind), std::move(language));
}

// The template in effect for (kind, language): the override, else the shipped one.
Json template_json(const std::string& kind, const std::string& language,
                   const std::optional<store::TemplateOverride>& override_row) {
  const auto shipped = mail::shipped_template(kind, language).value_or(mail::RenderedMail{});
  Json j{{"kind", kind},
         {"language", language},
         {"overridden", override_row.has_value()},
         {"subject", override_row ? override_row->subject : shipped.subject},
         {"body", override_row ? override_row->body : shipped.body},
         {"variables", mail::template_variables(kind)},
         {"shipped", {{"subject", shipped.subject}, {"body", shipped.body}}}};
  if (override_row) {
    j["updated_at"] = format_iso8601(override_row->updated_at);
    j["updated_by"] = override_row->updated_by ? Json(override_row->updated_by->value) : Json();
  }
  return j;
}

struct TemplatePut {
  Result<std::pair<std::string, std::string>> key;
  std::string subject;
  std::string body;
};

}  // namespace

void Api::register_hooks(Router& router) {
  // Administrator routes: the role is checked before the body is read, so a
  // caller without it learns nothing about the body's rules; `apply` runs in
  // one write transaction (or a read snapshot for GET).
  auto admin_route = [this, &router](std::string method, std::string path, std::string tag,
                                     std::string summary, auto apply, int status) {
    add(router, method, path, std::move(tag), std::move(summary),
        [this, apply, status](Request& r) -> Awaitable {
          auto who = authenticate(r, r.method != "GET");
          if (!who) co_return problem(who.error());
          if (auto admin = app::Admin::require_admin(who->actor); !admin) {
            co_return problem(admin.error());
          }
          Json body = Json::object();
          if (r.method != "DELETE" && r.method != "GET") {
            auto parsed = parse_json_object(r.body);
            if (!parsed) co_return body_problem(parsed.error());
            body = std::move(*parsed);
          }
          if (r.method == "GET") {
            auto out = store_.read<Json>([&](const store::ReadTx& tx) -> Result<Json> {
              return apply.read(tx, who->actor, r);
            });
            if (!out) co_return problem(out.error());
            co_return json_response(status, *out);
          }
          std::vector<FieldError> errors;
          FieldReader f(body, errors);
          auto input = apply.build(f, r);
          if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
          auto out = co_await write<Json>([&](store::WriteTx& tx) -> Result<Json> {
            return apply.write(tx, who->actor, std::move(input));
          });
          if (!out) co_return problem(out.error());
          co_return json_response(status, *out);
        });
  };
  struct NoBody {};
  auto reader = [](auto read_fn) {
    struct R {
      decltype(read_fn) read;
      NoBody build(FieldReader&, const Request&) const { return {}; }
      Result<Json> write(store::WriteTx&, const Actor&, NoBody) const {
        return fail(Error::internal("a read route was written to"));
      }
    };
    return R{read_fn};
  };
  auto writer = [](auto build_fn, auto write_fn) {
    struct W {
      decltype(build_fn) build;
      decltype(write_fn) write;
      Result<Json> read(const store::ReadTx&, const Actor&, const Request&) const {
        return fail(Error::internal("a write route was read"));
      }
    };
    return W{build_fn, write_fn};
  };

  // ---- webhooks -----------------------------------------------------------------------
  admin_route(
      "GET", "/api/v1/webhooks", "integrations",
      "Webhook subscriptions (admin); secrets are never returned.",
      reader([this](const store::ReadTx& tx, const Actor& a, const Request&) -> Result<Json> {
        REDRESS_TRY(auto rows, webhooks_.list(tx, a));
        Json items = Json::array();
        for (const auto& w : rows) items.push_back(webhook_json(w));
        return Json{{"items", items}};
      }),
      200);
  admin_route(
      "POST", "/api/v1/webhooks", "integrations",
      "Subscribe a URL to complaint events; the answer shows the signing secret once.",
      writer([](FieldReader& f, const Request&) { return read_webhook(f); },
             [this](store::WriteTx& tx, const Actor& a, app::WebhookInput in) -> Result<Json> {
               REDRESS_TRY(auto w, webhooks_.create(tx, a, in));
               Json out = webhook_json(w);
               out["secret"] = w.secret;
               return out;
             }),
      201);
  admin_route(
      "GET", "/api/v1/webhooks/:id", "integrations", "One webhook subscription (admin).",
      reader([this](const store::ReadTx& tx, const Actor& a, const Request& r) -> Result<Json> {
        REDRESS_TRY(auto w, webhooks_.get(tx, a, number_param(r, "id").value_or(0)));
        return webhook_json(w);
      }),
      200);
  admin_route("PATCH", "/api/v1/webhooks/:id", "integrations",
              "Change a webhook's URL, events, description or active flag (admin).",
              writer(
                  [](FieldReader& f, const Request& r) {
                    return std::pair(number_param(r, "id").value_or(0), read_webhook(f));
                  },
                  [this](store::WriteTx& tx, const Actor& a,
                         std::pair<std::int64_t, app::WebhookInput> in) -> Result<Json> {
                    REDRESS_TRY(auto w, webhooks_.update(tx, a, in.first, in.second));
                    return webhook_json(w);
                  }),
              200);
  admin_route(
      "DELETE", "/api/v1/webhooks/:id", "integrations",
      "Delete a webhook; deliveries still queued for it become dead (admin).",
      writer([](FieldReader&, const Request& r) { return number_param(r, "id").value_or(0); },
             [this](store::WriteTx& tx, const Actor& a, std::int64_t id) -> Result<Json> {
               REDRESS_CHECK(webhooks_.remove(tx, a, id));
               return Json{{"deleted", id}};
             }),
      200);

  // ---- inbound channels (administration) -------------------------------------------------
  admin_route(
      "GET", "/api/v1/channels", "integrations",
      "Inbound channels for chat-app bridges (admin); tokens are never returned.",
      reader([this](const store::ReadTx& tx, const Actor& a, const Request&) -> Result<Json> {
        REDRESS_TRY(auto rows, channels_.list(tx, a));
        Json items = Json::array();
        for (const auto& c : rows) items.push_back(channel_json(c));
        return Json{{"items", items}};
      }),
      200);
  admin_route("POST", "/api/v1/channels", "integrations",
              "Create an inbound channel; the answer shows its bearer token once (admin).",
              writer(
                  [](FieldReader& f, const Request&) {
                    return std::pair(f.str("name", 200).value_or(""),
                                     f.str("description", 1000).value_or(""));
                  },
                  [this](store::WriteTx& tx, const Actor& a,
                         std::pair<std::string, std::string> in) -> Result<Json> {
                    REDRESS_TRY(auto made, channels_.create(tx, a, in.first, in.second));
                    Json out = channel_json(made.first);
                    out["token"] = made.second;
                    return out;
                  }),
              201);
  admin_route(
      "PATCH", "/api/v1/channels/:id", "integrations",
      "Change an inbound channel's description or active flag (admin).",
      writer(
          [](FieldReader& f, const Request& r) {
            return std::tuple(number_param(r, "id").value_or(0), f.str("description", 1000),
                              f.boolean("active"));
          },
          [this](store::WriteTx& tx, const Actor& a,
                 std::tuple<std::int64_t, std::optional<std::string>, std::optional<bool>> in)
              -> Result<Json> {
            REDRESS_TRY(auto c,
                        channels_.update(tx, a, std::get<0>(in), std::get<1>(in), std::get<2>(in)));
            return channel_json(c);
          }),
      200);
  admin_route(
      "POST", "/api/v1/channels/:id/token", "integrations",
      "Replace an inbound channel's token; the old one stops working (admin).",
      writer([](FieldReader&, const Request& r) { return number_param(r, "id").value_or(0); },
             [this](store::WriteTx& tx, const Actor& a, std::int64_t id) -> Result<Json> {
               REDRESS_TRY(auto made, channels_.rotate_token(tx, a, id));
               Json out = channel_json(made.first);
               out["token"] = made.second;
               return out;
             }),
      200);
  admin_route(
      "DELETE", "/api/v1/channels/:id", "integrations",
      "Delete an inbound channel and its conversation links; complaints stay (admin).",
      writer([](FieldReader&, const Request& r) { return number_param(r, "id").value_or(0); },
             [this](store::WriteTx& tx, const Actor& a, std::int64_t id) -> Result<Json> {
               REDRESS_CHECK(channels_.remove(tx, a, id));
               return Json{{"deleted", id}};
             }),
      200);

  // ---- mail templates ---------------------------------------------------------------------
  admin_route("GET", "/api/v1/templates", "integrations",
              "Mail templates: every kind in every language, and which are overridden (admin).",
              reader([](const store::ReadTx& tx, const Actor&, const Request&) -> Result<Json> {
                REDRESS_TRY(auto rows, tx.templates().list());
                Json items = Json::array();
                for (const auto& kind : mail::template_kinds()) {
                  for (const auto& lang : mail::template_languages()) {
                    const auto it = std::find_if(rows.begin(), rows.end(), [&](const auto& t) {
                      return t.kind == kind && t.language == lang;
                    });
                    Json item{{"kind", kind},
                              {"language", lang},
                              {"overridden", it != rows.end()},
                              {"path", "/api/v1/templates/" + kind + "/" + lang}};
                    if (it != rows.end()) item["updated_at"] = format_iso8601(it->updated_at);
                    items.push_back(item);
                  }
                }
                return Json{{"items", items}};
              }),
              200);
  admin_route("GET", "/api/v1/templates/:kind/:language", "integrations",
              "One mail template in effect, its shipped default and its variables (admin).",
              reader([](const store::ReadTx& tx, const Actor&, const Request& r) -> Result<Json> {
                REDRESS_TRY(auto key, template_key(r));
                REDRESS_TRY(auto row, tx.templates().find(key.first, key.second));
                return template_json(key.first, key.second, row);
              }),
              200);
  admin_route(
      "PUT", "/api/v1/templates/:kind/:language", "integrations",
      "Override a mail template: mustache that parses and uses only the kind's variables (admin).",
      writer(
          [](FieldReader& f, const Request& r) {
            TemplatePut in{template_key(r), "", ""};
            auto subject = f.str("subject", 300);
            auto body = f.str("body", 20000);
            if (!subject) f.error(required_field("subject"));
            if (!body) f.error(required_field("body"));
            if (in.key && subject && body) {
              for (auto& e : mail::validate_template(in.key->first, *subject, *body)) {
                f.error(e.field == "subject" ? "subject" : "body", e.message);
              }
            }
            in.subject = subject.value_or("");
            in.body = body.value_or("");
            return in;
          },
          [this](store::WriteTx& tx, const Actor& a, TemplatePut in) -> Result<Json> {
            if (!in.key) return fail(in.key.error());
            store::TemplateOverride t{in.key->first, in.key->second, in.subject,
                                      in.body,       clock_.now(),   std::nullopt};
            if (a.kind == Actor::Kind::user) t.updated_by = a.user;
            REDRESS_CHECK(tx.templates().put(t));
            return template_json(t.kind, t.language, t);
          }),
      200);
  admin_route("DELETE", "/api/v1/templates/:kind/:language", "integrations",
              "Remove an override: the shipped template applies again (admin).",
              writer([](FieldReader&, const Request& r) { return template_key(r); },
                     [](store::WriteTx& tx, const Actor&,
                        Result<std::pair<std::string, std::string>> key) -> Result<Json> {
                       if (!key) return fail(key.error());
                       REDRESS_TRY(bool removed, tx.templates().remove(key->first, key->second));
                       Json out = template_json(key->first, key->second, std::nullopt);
                       out["reverted"] = removed;
                       return out;
                     }),
              200);

  // ---- the inbound endpoint a bridge calls ------------------------------------------------
  add(router, "POST", "/api/v1/channels/:name/messages", "integrations",
      "A chat-app bridge delivers a customer's message (the channel's bearer token): opens a "
      "complaint or threads it by tracking_code or conversation_id; idempotent by message_id.",
      [this](Request& r) -> Awaitable {
        const std::string name(r.path_param("name").value_or(""));
        std::string token;
        if (auto h = r.header("Authorization"); h && h->starts_with("Bearer ")) {
          token = std::string(h->substr(7));
        }
        auto channel = store_.read<store::InboundChannel>(
            [&](const store::ReadTx& tx) { return channels_.authenticate(tx, name, token); });
        if (!channel) co_return problem(channel.error());
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        std::vector<FieldError> errors;
        FieldReader f(*body, errors);
        app::ChannelMessage m = read_inbound(f, errors);
        if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
        const std::string scope = "channel:" + std::to_string(channel->id);
        const std::string request_hash = app::sha256_hex(r.body);
        const Instant now = clock_.now();
        store::InboundChannel ch = *channel;
        // Should the message open a complaint: its suggestions and duplicate
        // signature, computed here as for every intake (app/intake_signals.h).
        const app::IntakeSignals signals = app::Channels::signals_for(triage_.get(), ch, m);
        auto answer = co_await write<Response>([&](store::WriteTx& tx) -> Result<Response> {
          // The bridge's message id is the idempotency key: a retried delivery
          // replays the first answer and stores nothing twice.
          REDRESS_TRY(auto stored, tx.idempotency().find(scope, m.message_id));
          if (stored) {
            if (stored->request_hash != request_hash) {
              return fail(Error::invalid("message_id", "was already used for another message"));
            }
            Response replay = Response::json(stored->status, stored->body);
            replay.with_header("Idempotent-Replayed", "true");
            return replay;
          }
          REDRESS_TRY(auto got, channels_.receive(tx, ch, m, signals, options_.duplicates));
          Json out{{"complaint_id", got.complaint.id.value},
                   {"tracking_code", got.complaint.tracking_code},
                   {"state", to_string(got.complaint.state)},
                   {"opened", got.opened}};
          if (got.opened) out["access_token"] = got.access_token;
          if (got.message != 0) out["message_id"] = got.message;
          // Flags are for staff: the bridge relays to the customer, so its
          // answer does not mention them (as the portal's).
          Response response = json_response(got.opened ? 201 : 200, out);
          REDRESS_CHECK(tx.idempotency().put(scope, m.message_id,
                                             {request_hash, response.status, response.body}, now));
          return response;
        });
        if (!answer) co_return problem(answer.error());
        co_return std::move(*answer);
      });
}

}  // namespace redress::http
