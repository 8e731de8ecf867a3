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
#include "app/channels.h"
#include "app/complaints.h"
#include "app/duplicates.h"
#include "app/insight.h"
#include "app/intake_signals.h"
#include "app/portal.h"
#include "app/privacy.h"
#include "app/sla.h"
#include "app/triage.h"
#include "app/webhooks.h"
#include "http/await.h"
#include "http/router.h"
#include "http/server.h"

namespace redress::ingest {
class ImportRunner;
}

namespace redress::http {

// Requests per client address (and per tracking code) the public portal
// accepts within one fixed window; 0 switches a limit off. Counted in the
// database, so several instances on one database share the counts.
struct RateLimits {
  int submissions_per_ip = 20;  // POST /api/v1/public/complaints
  int lookups_per_ip = 300;     // GET and actions on /api/v1/public/complaints/{code}
  int lookups_per_code = 60;    // the same, per tracking code (guessing its access token)
  Millis window = std::chrono::minutes(10);
};

struct ApiOptions {
  std::filesystem::path attachment_dir;
  std::size_t max_upload_bytes = 10 * 1024 * 1024;
  std::size_t max_files_per_upload = 10;           // parts named "file" in one request
  std::size_t max_attachments_per_complaint = 50;  // files a complaint's case file holds
  app::AuthOptions auth;                           // session lifetime, idle time, lockout
  RateLimits rate_limits;
  bool trust_forwarded_for = false;  // behind a trusted reverse proxy (security.h)
  bool secure_cookies = false;       // set the Secure flag (behind TLS)
  // What the admin outbox API tells about e-mail delivery. Never secrets:
  // the SMTP password (and any user:password in the URL) stay out.
  bool smtp_configured = false;
  std::string smtp_server;  // scheme://host:port, credentials removed
  std::string mail_from;
  // The IMAP mailboxes polled (URLs without credentials), for the admin
  // inbound-mail API.
  std::vector<std::string> imap_mailboxes;
  // The triage model serving suggestions; shared with the job runner that
  // retrains it. Null: the Api keeps its own (loaded from the store at start).
  std::shared_ptr<app::TriageService> triage;
  // Likely-duplicate detection at intake: window, threshold, flags kept.
  app::DuplicateOptions duplicates;
  // Hotspot thresholds and the repeat window of the warning records (docs/reports.md).
  app::InsightOptions insight;
  // Runs uploaded imports (POST /api/v1/imports); null: the route answers 503.
  ingest::ImportRunner* imports = nullptr;
  // The largest upload POST /api/v1/imports takes (the body is held in memory
  // while it is stored).
  std::size_t max_import_bytes = 256 * 1024 * 1024;
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
  void register_sla(Router& router);  // calendars, SLA policies, clocks, outbox (api_sla.cpp)
  // Sessions, passwords and personal data erasure (api_trust.cpp).
  void register_trust(Router& router);

  // One public rate-limit counter: its key ("submit-ip:203.0.113.5"), its limit
  // per window (0: off) and, for the refusal, what it counts.
  struct RateKey {
    std::string key;
    int limit = 0;
    std::string what;
  };
  // Counts this request under every key in `tx`; too_many_requests naming the
  // limit when one is exceeded (the caller's transaction then rolls back).
  Status count_requests(store::WriteTx& tx, const std::vector<RateKey>& keys) const;
  // The same in a write transaction of its own, for the read-only look-ups. Not
  // a coroutine (g++ 12: see write()); `keys` must live until it completes (a
  // named local of the calling coroutine: temporaries with destructors inside a
  // co_await expression are destroyed twice by g++ 12).
  boost::asio::awaitable<Result<bool>> count_requests(const std::vector<RateKey>& keys);
  // problem(error), plus Retry-After (the current window's end) for a rate limit.
  Response limited_problem(const Error& error) const;
  // Adds Retry-After: the seconds until the current rate-limit window ends.
  void add_retry_after(Response& response) const;
  // The per-address and per-tracking-code counters of a portal look-up.
  std::vector<RateKey> lookup_limits(const Request& r, const std::string& code) const;
  void register_triage(Router& router);  // suggestions and models (api_triage.cpp)
  // POST /api/v1/imports and the runs' progress and rejects (api_imports.cpp).
  void register_imports(Router& router);
  // GET /api/v1/complaints/export (api_export.cpp).
  Awaitable export_complaints(Request& r);
  // Webhooks, inbound channels and mail templates (api_hooks.cpp).
  void register_hooks(Router& router);
  // The lessons-learned library and improvement actions (api_lessons.cpp).
  void register_lessons(Router& router);
  // Saved views: a user's named queue filters (api_views.cpp).
  void register_saved_views(Router& router);
  // In-app notifications of the caller (api_notifications.cpp).
  void register_notifications(Router& router);

  // The files of one evidence upload (multipart/form-data, parts named 'file'),
  // checked and stored alike for staff and customers: at most max_files_per_upload
  // per request, max_attachments_per_complaint in the case file (`held` are already
  // there), max_upload_bytes each (payload_too_large), a type libmagic finds in the
  // bytes among app::kAllowedUploadTypes (unsupported_media_type); each refusal
  // names the field `file` and its rule. Files are written (content-addressed) only
  // once every part has passed, so a refused upload leaves no file behind.
  Result<std::vector<app::StoredUpload>> store_uploads(const Request& request, std::size_t held);
  // The stored file of `attachment` as a download (never rendered inline: nosniff,
  // Content-Disposition attachment); not_found once its file was erased.
  Response attachment_download(const Attachment& attachment) const;

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
  app::Privacy privacy_;
  app::Webhooks webhooks_;
  app::Channels channels_;
  std::shared_ptr<app::TriageService> triage_;
  boost::asio::thread_pool slow_pool_{2};  // Argon2id hashing
  // Builds XLSX exports (a workbook must be complete before it is sent): one
  // at a time, so a large export neither blocks an io thread nor logins.
  boost::asio::thread_pool export_pool_{1};
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
