#include "app/auth.h"

#include <algorithm>

#include "app/crypto.h"

namespace redress::app {

bool LoginThrottle::allowed(const std::string& username, Instant now) {
  std::lock_guard lock(mutex_);
  auto it = failures_.find(username);
  if (it == failures_.end()) return true;
  auto& times = it->second;
  std::erase_if(times, [&](Instant t) { return now - t > window_; });
  return static_cast<int>(times.size()) < max_failures_;
}

void LoginThrottle::record_failure(const std::string& username, Instant now) {
  std::lock_guard lock(mutex_);
  failures_[username].push_back(now);
}

void LoginThrottle::reset(const std::string& username) {
  std::lock_guard lock(mutex_);
  failures_.erase(username);
}

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

Result<LoginResult> Auth::login(const std::string& username, const std::string& password) {
  const Instant now = clock_.now();
  if (!throttle_.allowed(username, now)) {
    return fail(Error{ErrorCode::too_many_requests,
                      "too many failed log-ins for this user; wait 15 minutes",
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
    throttle_.record_failure(username, now);
    return fail(Error::unauthenticated("unknown user name or wrong password"));
  }
  throttle_.reset(username);
  LoginResult result{*user, random_token(32), random_token(24)};
  store::SessionRecord session{sha256_hex(result.session_token), user->id, result.csrf_token, now,
                               now + kSessionLifetime};
  REDRESS_TRY(auto written, store_.write_sync<bool>([&](store::WriteTx& tx) -> Result<bool> {
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
    if (!session || session->expires_at <= clock_.now()) {
      return fail(Error::unauthenticated("the session has expired; log in again"));
    }
    user_id = session->user;
    out.via_cookie = true;
    out.csrf_token = session->csrf_token;
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

Result<std::string> Auth::create_api_token(store::WriteTx& tx, const Actor& actor,
                                           const std::string& name) {
  if (name.empty()) return fail(Error::invalid("name", "is required"));
  std::string token = random_token(32);
  REDRESS_CHECK(tx.auth().add_api_token(sha256_hex(token), actor.user, name, clock_.now()));
  return token;
}

}  // namespace redress::app
