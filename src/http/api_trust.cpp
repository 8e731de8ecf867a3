// Routes and helpers of the trust work (issue 8): session revocation, password
// change, personal data erasure, and the public rate limits.
#include <boost/asio/post.hpp>
#include <filesystem>

#include "http/api.h"
#include "http/api_helpers.h"
#include "http/await.h"
#include "http/json_io.h"
#include "http/problem.h"

namespace redress::http {

namespace {

constexpr std::string_view kSessionCookie = "redress_session";
const std::string kClearCookie =
    std::string(kSessionCookie) + "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0";

std::string window_text(Millis window) {
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(window).count();
  return minutes == 1 ? "1 minute" : std::to_string(minutes) + " minutes";
}

// Deletes the attachment files no row uses any more and summarises the erasure.
Json erasure_json(const app::ErasureResult& r, const std::filesystem::path& attachment_dir) {
  // Files go after the commit: a failed transaction must not lose evidence.
  std::int64_t files_deleted = 0;
  for (const std::string& key : r.unused_storage_keys) {
    std::error_code ec;
    if (key.size() > 2 && std::filesystem::remove(attachment_dir / key.substr(0, 2) / key, ec)) {
      ++files_deleted;
    }
  }
  Json complaints = Json::array();
  for (ComplaintId c : r.complaints) complaints.push_back(c.value);
  return Json{{"customer_id", r.customer.value},      {"complaints", complaints},
              {"events_redacted", r.events_redacted}, {"messages", r.messages},
              {"attachments", r.attachments},         {"files_deleted", files_deleted},
              {"outbox_rows", r.outbox_rows}};
}

}  // namespace

Status Api::count_requests(store::WriteTx& tx, const std::vector<RateKey>& keys) const {
  const Millis window = options_.rate_limits.window;
  const std::int64_t now = to_epoch_ms(clock_.now());
  const Instant start = from_epoch_ms(now - now % window.count());
  for (const RateKey& k : keys) {
    if (k.limit <= 0) continue;
    REDRESS_TRY(auto count, tx.auth().count_request(k.key, start));
    if (count > k.limit) {
      return fail(Error{ErrorCode::too_many_requests,
                        "more than " + std::to_string(k.limit) + " " + k.what + " within " +
                            window_text(window) + "; try again later (see Retry-After)",
                        {}});
    }
  }
  return {};
}

boost::asio::awaitable<Result<bool>> Api::count_requests(const std::vector<RateKey>& keys) {
  return write<bool>([this, &keys](store::WriteTx& tx) -> Result<bool> {
    REDRESS_CHECK(count_requests(tx, keys));
    return true;
  });
}

void Api::add_retry_after(Response& response) const {
  const std::int64_t window = options_.rate_limits.window.count();
  const std::int64_t now = to_epoch_ms(clock_.now());
  response.with_header("Retry-After", std::to_string((window - now % window + 999) / 1000));
}

Response Api::limited_problem(const Error& error) const {
  Response r = problem(error);
  if (error.code == ErrorCode::too_many_requests) add_retry_after(r);
  return r;
}

void Api::register_trust(Router& router) {
  add(router, "POST", "/api/v1/auth/logout-everywhere", "auth",
      "End every session of the caller (all browsers and devices).",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        const Actor actor = who->actor;
        auto ended = co_await write<std::int64_t>(
            [&](store::WriteTx& tx) { return auth_.revoke_sessions(tx, actor, actor.user); });
        if (!ended) co_return problem(ended.error());
        Response resp = json_response(200, Json{{"sessions_ended", *ended}});
        resp.with_header("Set-Cookie", kClearCookie);
        co_return resp;
      });
  add(router, "POST", "/api/v1/auth/password", "auth",
      "Change the caller's password ({current_password, new_password}); ends all their "
      "sessions.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        std::vector<FieldError> errors;
        FieldReader f(*body, errors);
        auto current = f.str("current_password", 1024);
        auto next = f.str("new_password", 1024);
        if (!current) errors.push_back(required_field("current_password"));
        if (!next) errors.push_back(required_field("new_password"));
        if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
        const UserId user = who->user.id;
        auto changed =
            co_await await_callback<Status>([&](std::move_only_function<void(Status)> done) {
              boost::asio::post(slow_pool_, [&, done = std::move(done)]() mutable {
                done(auth_.change_password(user, *current, *next));
              });
            });
        if (!changed) co_return problem(changed.error());
        Response resp = json_response(200, Json{{"status", "password changed; log in again"}});
        resp.with_header("Set-Cookie", kClearCookie);
        co_return resp;
      });
  add(router, "POST", "/api/v1/users/:id/revoke-sessions", "administration",
      "End every session of a user (administrators).", [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        auto id = number_param(r, "id");
        if (!id) co_return problem(Error::not_found("user"));
        const Actor actor = who->actor;
        const UserId target{*id};
        if (actor.user != target) {
          if (auto admin = app::Admin::require_admin(actor); !admin) {
            co_return problem(admin.error());
          }
        }
        auto ended = co_await write<std::int64_t>(
            [&](store::WriteTx& tx) { return auth_.revoke_sessions(tx, actor, target); });
        if (!ended) co_return problem(ended.error());
        co_return json_response(200, Json{{"sessions_ended", *ended}});
      });
  add(router, "POST", "/api/v1/customers/:id/erase", "administration",
      "Erase a customer's personal data across their complaints (administrators; the "
      "complaints and their statistics stay).",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        auto id = number_param(r, "id");
        if (!id) co_return problem(Error::not_found("customer"));
        std::string reason;
        if (!r.body.empty()) {
          auto body = parse_json_object(r.body);
          if (!body) co_return body_problem(body.error());
          std::vector<FieldError> errors;
          FieldReader f(*body, errors);
          reason = f.str("reason", 500).value_or("");
          if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
        }
        const Actor actor = who->actor;
        const CustomerId customer{*id};
        auto erased = co_await write<app::ErasureResult>([&](store::WriteTx& tx) {
          return privacy_.erase_customer(tx, actor, customer, reason);
        });
        if (!erased) co_return problem(erased.error());
        co_return json_response(200, erasure_json(*erased, options_.attachment_dir));
      });
}

}  // namespace redress::http
