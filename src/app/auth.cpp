#include "app/auth.h"

#include <algorithm>

#include "app/complaints.h"
#include "app/crypto.h"

namespace redress::app {

std::vector<DepartmentId> department_subtree(const std::vector<Department>& all,
                                             DepartmentId root) {
  std::vector<DepartmentId> out{root};
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (const Department& d : all) {
      if (d.parent && *d.parent == out[i] && std::find(out.begin(), out.end(), d.id) == out.end()) {
        out.push_back(d.id);
      }
    }
  }
  return out;
}

Actor actor_for_user(const User& user, const std::vector<Department>& departments) {
  Actor a;
  a.kind = Actor::Kind::user;
  a.user = user.id;
  for (Role r : user.roles) a.roles.add(r);
  a.department = user.department;
  a.wide_scope = user.wide_scope;
  if (user.department) a.scope = department_subtree(departments, *user.department);
  return a;
}

namespace {

std::string minutes_text(Millis d) {
  const auto minutes = std::max<std::int64_t>(
      1, std::chrono::duration_cast<std::chrono::minutes>(d + std::chrono::seconds(59)).count());
  return std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes");
}

}  // namespace

Result<LoginResult> Auth::login(const std::string& username, const std::string& password,
                                const std::optional<std::string>& previous_session_token) {
  const Instant now = clock_.now();
  const Instant since = now - options_.lockout;
  REDRESS_TRY(auto failures, store_.read<std::vector<Instant>>([&](const store::ReadTx& tx) {
    return tx.auth().login_failures(username, since);
  }));
  if (static_cast<int>(failures.size()) >= options_.max_failures) {
    // Unlocks when enough of the failures have aged out of the window.
    const Instant until =
        failures[failures.size() - static_cast<std::size_t>(options_.max_failures)] +
        options_.lockout;
    return fail(Error{ErrorCode::too_many_requests,
                      "this account is locked after " + std::to_string(options_.max_failures) +
                          " failed log-ins; try again in " + minutes_text(until - now) + " (at " +
                          format_iso8601(until) + ") or ask an administrator to reset the password",
                      {}});
  }
  REDRESS_TRY(auto user, store_.read<std::optional<User>>([&](const store::ReadTx& tx) {
    return tx.directory().user_by_name(username);
  }));
  // Hash even for unknown users so timing does not reveal which names exist.
  static const std::string kDummyHash = hash_password("not a real password").value_or("");
  const bool ok = user && user->active ? verify_password(password, user->password_hash)
                                       : (verify_password(password, kDummyHash), false);
  if (!ok || !user) {
    REDRESS_TRY(auto recorded, store_.write_sync<bool>([&](store::WriteTx& tx) -> Result<bool> {
      REDRESS_CHECK(tx.auth().add_login_failure(username, now));
      return true;
    }));
    (void)recorded;
    const int left = options_.max_failures - static_cast<int>(failures.size()) - 1;
    if (left <= 0) {
      return fail(Error::unauthenticated(
          "unknown user name or wrong password; the account is now locked for " +
          minutes_text(options_.lockout)));
    }
    return fail(Error::unauthenticated("unknown user name or wrong password"));
  }
  LoginResult result{*user, random_token(32), random_token(24)};
  // Timed after the (slow) hashing, so the idle window starts with the session.
  const Instant opened = clock_.now();
  store::SessionRecord session{
      sha256_hex(result.session_token),   user->id, result.csrf_token, opened,
      opened + options_.session_lifetime, opened};
  REDRESS_TRY(auto written, store_.write_sync<bool>([&](store::WriteTx& tx) -> Result<bool> {
    REDRESS_CHECK(tx.auth().clear_login_failures(username, since));
    if (previous_session_token) {
      REDRESS_CHECK(tx.auth().delete_session(sha256_hex(*previous_session_token)));
    }
    REDRESS_CHECK(tx.auth().add_session(session));
    return true;
  }));
  (void)written;
  return result;
}

Result<Authenticated> Auth::authenticate(const store::ReadTx& tx,
                                         const std::optional<std::string>& session_token,
                                         const std::optional<std::string>& bearer_token) const {
  std::optional<UserId> user_id;
  Authenticated out;
  if (bearer_token) {
    REDRESS_TRY(user_id, tx.auth().api_token_user(sha256_hex(*bearer_token)));
    if (!user_id) return fail(Error::unauthenticated("the bearer token is not valid"));
  } else if (session_token) {
    REDRESS_TRY(auto session, tx.auth().session(sha256_hex(*session_token)));
    const Instant now = clock_.now();
    if (!session || session->expires_at <= now ||
        session->last_seen_at + options_.session_idle <= now) {
      return fail(Error::unauthenticated("the session has expired or was ended; log in again"));
    }
    user_id = session->user;
    out.via_cookie = true;
    out.csrf_token = session->csrf_token;
    out.session_hash = session->token_hash;
    out.session_stale = now - session->last_seen_at >= std::chrono::minutes(1);
  } else {
    return fail(Error::unauthenticated("log in or send a bearer token"));
  }
  REDRESS_TRY(auto user, tx.directory().user(*user_id));
  if (!user || !user->active) return fail(Error::unauthenticated("the account is disabled"));
  REDRESS_TRY(auto departments, tx.directory().departments());
  out.actor = actor_for_user(*user, departments);
  out.user = std::move(*user);
  return out;
}

Status Auth::logout(store::WriteTx& tx, const std::string& session_token) {
  return tx.auth().delete_session(sha256_hex(session_token));
}

Status Auth::touch(store::WriteTx& tx, const Authenticated& a) const {
  if (a.session_hash.empty()) return {};
  return tx.auth().touch_session(a.session_hash, clock_.now());
}

Result<std::int64_t> Auth::revoke_sessions(store::WriteTx& tx, const Actor& actor, UserId user) {
  if (actor.kind != Actor::Kind::system && actor.user != user && !actor.has(Role::admin)) {
    return fail(Error::forbidden("only administrators end another user's sessions"));
  }
  REDRESS_TRY(auto found, tx.directory().user(user));
  if (!found) return fail(Error::not_found("user " + std::to_string(user.value)));
  return tx.auth().delete_sessions_of(user);
}

Result<User> Auth::set_language(store::WriteTx& tx, UserId user_id,
                                const std::string& language) const {
  if (!is_supported_language(language)) {
    return fail(Error::invalid(language_field("language")));
  }
  REDRESS_TRY(auto user, tx.directory().user(user_id));
  if (!user) return fail(Error::not_found("user " + std::to_string(user_id.value)));
  user->language = language;
  REDRESS_CHECK(tx.directory().update_user(*user));
  return std::move(*user);
}

Status Auth::change_password(UserId user_id, const std::string& current, const std::string& next) {
  REDRESS_TRY(auto user, store_.read<std::optional<User>>([&](const store::ReadTx& tx) {
    return tx.directory().user(user_id);
  }));
  if (!user || !verify_password(current, user->password_hash)) {
    return fail(Error::unauthenticated("the current password is wrong"));
  }
  if (next.size() < 8) return fail(Error::invalid(min_length_field("new_password", 8)));
  if (next.size() > 1024) {
    return fail(Error::invalid("new_password", "is longer than 1024 characters"));
  }
  REDRESS_TRY(auto hash, hash_password(next));
  REDRESS_TRY(auto done, store_.write_sync<bool>([&](store::WriteTx& tx) -> Result<bool> {
    REDRESS_TRY(auto fresh, tx.directory().user(user_id));
    if (!fresh) return fail(Error::not_found("user"));
    fresh->password_hash = hash;
    REDRESS_CHECK(tx.directory().update_user(*fresh));
    REDRESS_TRY(auto ended, tx.auth().delete_sessions_of(user_id));
    (void)ended;
    return true;
  }));
  (void)done;
  return {};
}

Result<std::string> Auth::create_api_token(store::WriteTx& tx, const Actor& actor,
                                           const std::string& name) {
  if (name.empty()) return fail(Error::invalid(required_field("name")));
  std::string token = random_token(32);
  REDRESS_CHECK(tx.auth().add_api_token(sha256_hex(token), actor.user, name, clock_.now()));
  return token;
}

}  // namespace redress::app
