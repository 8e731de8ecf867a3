#include "jobs/handlers.h"

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "app/review.h"
#include "app/review_mailing.h"
#include "app/webhooks.h"
#include "mail/message.h"
#include "mail/templates.h"

namespace redress::jobs {

namespace {

using Json = nlohmann::json;

Result<std::int64_t> payload_id(const store::Job& job, const char* field) {
  const Json j = Json::parse(job.payload, nullptr, false);
  if (!j.is_object() || !j.contains(field) || !j[field].is_number_integer()) {
    return fail(Error::invalid(field, "job " + std::to_string(job.id) + " has no " + field));
  }
  return j[field].get<std::int64_t>();
}

std::string trim_slash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

// What delivery needs, read in one snapshot.
struct Delivery {
  store::OutboxMessage row;
  std::string address;
  std::string language;
  std::optional<ComplaintId> complaint;
  std::string unusable;                            // why the row can never be delivered, if so
  std::vector<store::TemplateOverride> overrides;  // of the row's kind: its language, English
};

}  // namespace

RunnerOptions training_runner_options(const RunnerOptions& main) {
  RunnerOptions o = main;
  o.batch = 1;
  o.lease = std::max(o.lease, Millis{2 * 3600 * 1000});
  o.poll_interval = std::max(o.poll_interval, Millis{1000});
  return o;
}

Result<Commit> TriageTrainHandler::run(const store::Job& job) {
  REDRESS_TRY(auto summary,
              app::train_and_store(store_, clock_, service_->options(), service_.get()));
  (void)summary;
  const Json payload = Json::parse(job.payload, nullptr, false);
  const bool nightly = payload.is_object() && payload.value("nightly", false);
  return Commit([this, nightly](store::WriteTx& tx) -> Status {
    if (!nightly) return {};
    const Instant now = clock_.now();
    REDRESS_TRY(auto id, tx.jobs().enqueue(app::kTriageTrainJob, R"({"nightly":true})",
                                           app::next_nightly_training(now), now));
    (void)id;
    return {};
  });
}

Result<Commit> ReviewMailHandler::run(const store::Job& job) {
  const Json payload = Json::parse(job.payload, nullptr, false);
  const int every = payload.is_object() ? payload.value("every_months", 6) : 6;
  const auto [from, to] =
      app::ManagementReview::default_period(job.due_at, std::clamp(every, 1, 12));
  return Commit([this, every, from, to](store::WriteTx& tx) -> Status {
    const Instant now = clock_.now();
    REDRESS_TRY(auto queued, app::queue_review_mail(tx, from, to, now));
    (void)queued;
    REDRESS_TRY(auto id,
                tx.jobs().enqueue(app::kReviewMailJob, Json{{"every_months", every}}.dump(),
                                  app::next_review_mailing(now, every), now));
    (void)id;
    return {};
  });
}

Result<Commit> SlaCheckHandler::run(const store::Job& job) {
  REDRESS_TRY(std::int64_t clock_id, payload_id(job, "clock_id"));
  return Commit([this, clock_id](store::WriteTx& tx) -> Status {
    REDRESS_TRY(auto outcome, sla_.check(tx, clock_id));
    (void)outcome;
    return {};
  });
}

std::pair<std::string, std::string> parse_mailbox(const std::string& text) {
  const auto open = text.find('<');
  const auto close = text.rfind('>');
  if (open == std::string::npos || close == std::string::npos || close < open) return {"", text};
  std::string name = text.substr(0, open);
  while (!name.empty() && (name.back() == ' ' || name.back() == '"')) name.pop_back();
  while (!name.empty() && (name.front() == ' ' || name.front() == '"')) name.erase(0, 1);
  return {name, text.substr(open + 1, close - open - 1)};
}

MailDeliveryHandler::MailDeliveryHandler(store::Store& store, const Clock& clock,
                                         MailSettings settings)
    : store_(store), clock_(clock), settings_(std::move(settings)) {}

Result<Commit> MailDeliveryHandler::run(const store::Job& job) {
  REDRESS_TRY(std::int64_t outbox_id, payload_id(job, "outbox_id"));
  auto loaded = store_.read<std::optional<Delivery>>(
      [&](const store::ReadTx& tx) -> Result<std::optional<Delivery>> {
        REDRESS_TRY(auto row, tx.outbox().find(outbox_id));
        if (!row) return std::optional<Delivery>{};
        Delivery d;
        d.row = std::move(*row);
        d.language = d.row.language;
        d.complaint = d.row.complaint;
        for (const std::string& lang : {d.language, std::string("en")}) {
          REDRESS_TRY(auto t, tx.templates().find(d.row.kind, lang));
          if (t) d.overrides.push_back(std::move(*t));
        }
        if (d.row.recipient.starts_with("user:")) {
          REDRESS_TRY(auto user, tx.directory().user_by_name(d.row.recipient.substr(5)));
          if (!user) {
            d.unusable = "no staff account " + d.row.recipient.substr(5);
          } else if (user->email.empty()) {
            d.unusable = "staff member " + user->username + " has no e-mail address";
          } else {
            d.address = user->email;
          }
        } else {
          d.address = d.row.recipient;
        }
        return std::optional<Delivery>(std::move(d));
      });
  if (!loaded) return fail(loaded.error());
  if (!*loaded || (*loaded)->row.state != "pending") {
    return Commit([](store::WriteTx&) -> Status { return {}; });  // gone or done: nothing to do
  }
  Delivery d = std::move(**loaded);
  if (!d.unusable.empty()) {
    const std::string why = d.unusable;
    return Commit([outbox_id, why](store::WriteTx& tx) -> Status {
      return tx.outbox().mark_failed(outbox_id, why, /*dead=*/true);
    });
  }

  Json data = Json::parse(d.row.payload, nullptr, false);
  if (!data.is_object()) data = Json::object();
  const std::string base = trim_slash(settings_.base_url);
  if (!base.empty() && data.contains("tracking_code") && data["tracking_code"].is_string()) {
    std::string link = base + "/track/" + data["tracking_code"].get<std::string>();
    if (data.contains("access_token") && data["access_token"].is_string()) {
      link += "#token=" + data["access_token"].get<std::string>();
    }
    data["tracking_link"] = link;
  }
  if (!base.empty() && d.complaint) {
    data["complaint_link"] = base + "/complaints/" + std::to_string(d.complaint->value);
  }
  if (!base.empty() && d.row.kind == app::kReviewMailKind) {
    data["review_link"] =
        base + "/api/v1/reports/management-review?from=" + data.value("period_from", "") +
        "&to=" + data.value("period_to", "") + "&format=pdf&lang=" + d.language;
  }
  std::vector<mail::MailAttachment> files;
  if (settings_.attachments) {
    REDRESS_TRY(files, settings_.attachments(d.row));
  }
  const auto& overrides = d.overrides;
  REDRESS_TRY(
      auto rendered,
      mail::render(d.row.kind, d.language, data,
                   [&overrides](const std::string& kind,
                                const std::string& lang) -> std::optional<mail::RenderedMail> {
                     for (const auto& t : overrides) {
                       if (t.kind == kind && t.language == lang) {
                         return mail::RenderedMail{t.subject, t.body};
                       }
                     }
                     return std::nullopt;
                   }));

  const auto [from_name, from_address] = parse_mailbox(settings_.from);
  const auto at = from_address.find('@');
  const std::string host =
      at == std::string::npos ? "redress.invalid" : from_address.substr(at + 1);
  mail::Envelope envelope;
  envelope.from = from_address;
  envelope.from_name = from_name;
  envelope.to = d.address;
  // Stable across retries: the same row always carries the same Message-ID.
  envelope.message_id = "outbox-" + std::to_string(d.row.id) + "." +
                        std::to_string(to_epoch_ms(d.row.created_at)) + "@" + host;
  envelope.date = clock_.now();
  if (data.contains("tracking_code") && data["tracking_code"].is_string()) {
    envelope.extra_headers.emplace_back("X-Redress-Tracking-Code",
                                        data["tracking_code"].get<std::string>());
  }
  envelope.extra_headers.emplace_back("X-Redress-Kind", d.row.kind);
  REDRESS_TRY(std::string message,
              mail::build_message(envelope, rendered.subject, rendered.body, files));
  REDRESS_CHECK(mail::send(settings_.smtp, from_address, d.address, message));

  Json kept = Json::parse(d.row.payload, nullptr, false);
  if (kept.is_object()) kept.erase("access_token");
  const std::string message_id = "<" + envelope.message_id + ">";
  const std::string payload = kept.is_object() ? kept.dump() : d.row.payload;
  const Instant sent_at = clock_.now();
  return Commit([outbox_id, message_id, payload, sent_at](store::WriteTx& tx) -> Status {
    return tx.outbox().mark_sent(outbox_id, sent_at, message_id, payload);
  });
}

Status MailDeliveryHandler::on_failure(store::WriteTx& tx, const store::Job& job,
                                       const std::string& error, bool dead) {
  auto outbox_id = payload_id(job, "outbox_id");
  if (!outbox_id) return {};
  return tx.outbox().mark_failed(*outbox_id, error, dead);
}

Result<Commit> WebhookDeliveryHandler::run(const store::Job& job) {
  REDRESS_TRY(std::int64_t outbox_id, payload_id(job, "outbox_id"));
  struct Target {
    store::OutboxMessage row;
    std::optional<store::Webhook> hook;
  };
  auto loaded = store_.read<std::optional<Target>>(
      [&](const store::ReadTx& tx) -> Result<std::optional<Target>> {
        REDRESS_TRY(auto row, tx.outbox().find(outbox_id));
        if (!row) return std::optional<Target>{};
        Target t{std::move(*row), std::nullopt};
        if (t.row.recipient.starts_with("webhook:")) {
          const std::int64_t hook_id = std::atoll(t.row.recipient.c_str() + 8);
          REDRESS_TRY(t.hook, tx.webhooks().find(hook_id));
        }
        return std::optional<Target>(std::move(t));
      });
  if (!loaded) return fail(loaded.error());
  if (!*loaded || (*loaded)->row.state != "pending") {
    return Commit([](store::WriteTx&) -> Status { return {}; });  // gone or done
  }
  Target t = std::move(**loaded);
  if (!t.hook || !t.hook->active) {
    const std::string why = t.hook ? "webhook " + std::to_string(t.hook->id) + " is inactive"
                                   : "webhook " + t.row.recipient.substr(8) + " was deleted";
    return Commit([outbox_id, why](store::WriteTx& tx) -> Status {
      return tx.outbox().mark_failed(outbox_id, why, /*dead=*/true);
    });
  }
  const std::int64_t unix_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
  mail::HttpPost request;
  request.url = t.hook->url;
  request.body = t.row.payload;
  request.timeout = timeout_;
  request.headers = {
      {"Redress-Signature", app::webhook_signature(t.hook->secret, unix_seconds, t.row.payload)},
      {"Redress-Event-Id", t.row.message_id},
      {"Redress-Event-Type", t.row.kind},
      {"Redress-Delivery-Attempt", std::to_string(job.attempts)}};
  REDRESS_TRY(long status, mail::post(request));
  if (status < 200 || status > 299) {
    return fail(Error::unavailable("HTTP " + std::to_string(status) + " from " + t.hook->url));
  }
  const Instant sent_at = clock_.now();
  std::string event_id = t.row.message_id;
  std::string payload = t.row.payload;
  return Commit([outbox_id, sent_at, event_id, payload](store::WriteTx& tx) -> Status {
    return tx.outbox().mark_sent(outbox_id, sent_at, event_id, payload);
  });
}

Status WebhookDeliveryHandler::on_failure(store::WriteTx& tx, const store::Job& job,
                                          const std::string& error, bool dead) {
  auto outbox_id = payload_id(job, "outbox_id");
  if (!outbox_id) return {};
  return tx.outbox().mark_failed(*outbox_id, error, dead);
}

}  // namespace redress::jobs
