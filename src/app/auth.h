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
  bool via_cookie = false;  // cookie writes must carry the CSRF token
  std::string csrf_token;   // for cookie sessions
};

struct LoginResult {
  User user;
  std::string session_token;  // goes into the cookie; only its hash is stored
  std::string csrf_token;
};

// Counts failed log-ins per user name in memory. Thread-safe.
class LoginThrottle {
 public:
  LoginThrottle(int max_failures, Millis window) : max_failures_(max_failures), window_(window) {}
  // Whether `username` may try now.
  bool allowed(const std::string& username, Instant now);
  void record_failure(const std::string& username, Instant now);
  void reset(const std::string& username);

 private:
  int max_failures_;
  Millis window_;
  std::mutex mutex_;
  std::map<std::string, std::vector<Instant>> failures_;  // guarded by mutex_
};

// The department ids in `root`'s subtree, root first.
std::vector<DepartmentId> department_subtree(const std::vector<Department>& all, DepartmentId root);

// Builds the Actor of `user`, with its department scope.
Actor actor_for_user(const User& user, const std::vector<Department>& departments);

class Auth {
 public:
  Auth(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}
  // Checks the password (slow: Argon2id; call from a worker thread, never an
  // I/O thread) and opens a session. unauthenticated on a bad name or
  // password (one message for both), too_many_requests when throttled.
  Result<LoginResult> login(const std::string& username, const std::string& password);
  // Resolves a session token or a bearer token; unauthenticated if neither is valid.
  Result<Authenticated> authenticate(const store::ReadTx& tx,
                                     const std::optional<std::string>& session_token,
                                     const std::optional<std::string>& bearer_token) const;
  Status logout(store::WriteTx& tx, const std::string& session_token);
  // Creates a bearer token for the caller; the token is shown once.
  Result<std::string> create_api_token(store::WriteTx& tx, const Actor& actor,
                                       const std::string& name);

  static constexpr Millis kSessionLifetime = std::chrono::hours(12);

 private:
  store::Store& store_;
  const Clock& clock_;
  LoginThrottle throttle_{5, std::chrono::minutes(15)};
};

}  // namespace redress::app
