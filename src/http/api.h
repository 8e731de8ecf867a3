// The REST API of Redress (/api/v1/…): routes, authentication, CSRF,
// idempotency and the translation between HTTP and the app's use cases.
// Handlers run on the server's I/O threads: reads run inline (short SQLite
// snapshots), writes are handed to the store's writer and awaited, and
// password hashing goes to a small worker pool.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <filesystem>
#include <mutex>

#include "app/admin.h"
#include "app/auth.h"
#include "app/case_records.h"
#include "app/complaints.h"
#include "app/portal.h"
#include "app/sla.h"
#include "app/triage.h"
#include "http/await.h"
#include "http/router.h"
#include "http/server.h"

namespace redress::http {

struct ApiOptions {
  std::filesystem::path attachment_dir;
  std::size_t max_upload_bytes = 10 * 1024 * 1024;
  bool secure_cookies = false;  // set the Secure flag (behind TLS)
  // What the admin outbox API tells about e-mail delivery. Never secrets:
  // the SMTP password (and any user:password in the URL) stay out.
  bool smtp_configured = false;
  std::string smtp_server;  // scheme://host:port, credentials removed
  std::string mail_from;
  // The triage model serving suggestions; shared with the job runner that
  // retrains it. Null: the Api keeps its own (loaded from the store at start).
  std::shared_ptr<app::TriageService> triage;
};

// What one documented route is, for the OpenAPI document.
struct RouteDoc {
  std::string method;
  std::string pattern;
  std::string summary;
  std::string tag;
};

class Api {
 public:
  // Borrows everything; all must outlive the Api.
  Api(store::Store& store, const Clock& clock, ApiOptions options);
  ~Api();

  // Registers every route on `router`.
  void register_routes(Router& router);
  // Builds problem+json answers for failures the server detects itself.
  ErrorResponder error_responder() const;
  // The OpenAPI 3.1 document of the registered routes.
  std::string openapi_json() const;

 private:
  using Awaitable = boost::asio::awaitable<Response>;
  using RouteHandler = std::function<Awaitable(Request&)>;
  void add(Router& router, std::string method, std::string pattern, std::string tag,
           std::string summary, RouteHandler handler, RouteOptions options = {});
  void register_auth(Router& router);
  void register_complaints(Router& router);
  void register_records(Router& router);
  void register_admin(Router& router);
  void register_public(Router& router);
  void register_reports(Router& router);
  void register_sla(Router& router);     // calendars, SLA policies, clocks, outbox (api_sla.cpp)
  void register_triage(Router& router);  // suggestions and models (api_triage.cpp)

  // Authenticates the caller; for writes with a cookie session, checks CSRF.
  Result<app::Authenticated> authenticate(const Request& request, bool write) const;
  // Runs `fn` as one write transaction and awaits its durable result.
  template <class T>
  boost::asio::awaitable<Result<T>> write(std::move_only_function<Result<T>(store::WriteTx&)> fn);
  using CreateJob = std::move_only_function<Result<Response>(store::WriteTx&)>;
  // Wraps a creating use case so that a retry carrying the same
  // Idempotency-Key (within `scope`) replays the first answer and creates
  // nothing; invalid_argument for a malformed key.
  Result<CreateJob> idempotent(const Request& request, std::string scope, CreateJob fn) const;
  // Runs `job` in one write transaction and answers its response or problem.
  Awaitable run_create(CreateJob job);

  store::Store& store_;
  const Clock& clock_;
  ApiOptions options_;
  app::Auth auth_;
  app::Complaints complaints_;
  app::CaseRecords records_;
  app::Admin admin_;
  app::Portal portal_;
  app::Sla sla_;
  std::shared_ptr<app::TriageService> triage_;
  boost::asio::thread_pool slow_pool_{2};  // Argon2id hashing
  std::vector<RouteDoc> docs_;
  mutable std::mutex magic_mutex_;
  void* magic_ = nullptr;  // libmagic cookie, guarded by magic_mutex_
};

// Not a coroutine on purpose: g++ 12 mishandles coroutine parameters moved
// into lambda captures, so the lambda is built here and only await_callback
// suspends.
template <class T>
boost::asio::awaitable<Result<T>> Api::write(
    std::move_only_function<Result<T>(store::WriteTx&)> fn) {
  return await_callback<Result<T>>(
      [this, fn = std::move(fn)](std::move_only_function<void(Result<T>)> done) mutable {
        store_.write<T>(std::move(fn), std::move(done));
      });
}

}  // namespace redress::http
