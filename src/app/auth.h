// Authentication: password log-in with sessions, bearer API tokens, and the
// Actor (roles plus department scope) every other use case is given.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/access.h"
#include "core/records.h"
#include "store/store.h"

namespace redress::app {

// A caller identified by a session cookie or an API token.
struct Authenticated {
  Actor actor;
  User user;
  bool via_cookie = false;     // cookie writes must carry the CSRF token
  std::string csrf_token;      // for cookie sessions
  std::string session_hash;    // for cookie sessions: the stored hash of the token
  bool session_stale = false;  // last_seen_at is over a minute old: touch() it
};

struct LoginResult {
  User user;
  std::string session_token;  // goes into the cookie; only its hash is stored
  std::string csrf_token;
};

// The department ids in `root`'s subtree, root first.
std::vector<DepartmentId> department_subtree(const std::vector<Department>& all, DepartmentId root);

// Builds the Actor of `user`, with its department scope.
Actor actor_for_user(const User& user, const std::vector<Department>& departments);

struct AuthOptions {
  Millis session_lifetime = std::chrono::hours(12);  // absolute, from log-in
  Millis session_idle = std::chrono::minutes(30);    // since the last request
  int max_failures = 5;                              // failed log-ins before the lockout
  Millis lockout = std::chrono::minutes(15);         // how long failures count and lock
};

class Auth {
 public:
  Auth(store::Store& store, const Clock& clock, AuthOptions options = {})
      : store_(store), clock_(clock), options_(options) {}
  // Checks the password (slow: Argon2id; call from a worker thread, never an
  // I/O thread) and opens a new session with a fresh random token; the
  // session of `previous_session_token` (a cookie the browser still sent) is
  // deleted, so a token planted before log-in never becomes a logged-in one
  // (session fixation). unauthenticated on a bad name or password (one message
  // for both); too_many_requests once the user name has max_failures failed
  // log-ins within `lockout` — counted in the database, so every instance on
  // it shares the lockout — until the oldest of them is `lockout` old.
  Result<LoginResult> login(const std::string& username, const std::string& password,
                            const std::optional<std::string>& previous_session_token = {});
  // Resolves a session token or a bearer token; unauthenticated if neither is valid.
  Result<Authenticated> authenticate(const store::ReadTx& tx,
                                     const std::optional<std::string>& session_token,
                                     const std::optional<std::string>& bearer_token) const;
  Status logout(store::WriteTx& tx, const std::string& session_token);
  // Records that the session of `a` is in use now (the idle timeout restarts).
  Status touch(store::WriteTx& tx, const Authenticated& a) const;
  // Ends every session of `user`: the user themself ("log out everywhere") or
  // an administrator; forbidden otherwise. Returns how many sessions ended.
  Result<std::int64_t> revoke_sessions(store::WriteTx& tx, const Actor& actor, UserId user);
  // Changes the caller's password after checking the current one (slow:
  // Argon2id twice; worker thread) and ends all of their sessions.
  // unauthenticated when `current` is wrong, invalid_argument for a weak one.
  Status change_password(UserId user, const std::string& current, const std::string& next);
  // Stores the interface language of `user` (one of the six: en, es, fr,
  // zh-Hans, zh-Hant, vi; invalid_argument naming `language` otherwise) and
  // returns the updated account. Users change only their own language here.
  Result<User> set_language(store::WriteTx& tx, UserId user, const std::string& language) const;
  // Creates a bearer token for the caller; the token is shown once.
  Result<std::string> create_api_token(store::WriteTx& tx, const Actor& actor,
                                       const std::string& name);

  const AuthOptions& options() const { return options_; }

 private:
  store::Store& store_;
  const Clock& clock_;
  AuthOptions options_;
};

}  // namespace redress::app
