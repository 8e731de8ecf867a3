// The job kinds `redress serve` runs: SLA timers (app::Sla::check) and
// delivery of outbox rows as e-mail (mail/ adapters).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "app/sla.h"
#include "app/triage.h"
#include "jobs/runner.h"
#include "mail/http_post.h"
#include "mail/message.h"
#include "mail/smtp.h"

namespace redress::jobs {

// The job kind that delivers one outbox row; payload {"outbox_id": N}.
// store::OutboxRepo::enqueue queues it with every row.
inline constexpr const char* kMailDeliverJob = "mail.deliver";

// Runs `sla.check` jobs: the whole check commits with the job.
class SlaCheckHandler final : public JobHandler {
 public:
  explicit SlaCheckHandler(app::Sla& sla) : sla_(sla) {}
  Result<Commit> run(const store::Job& job) override;

 private:
  app::Sla& sla_;
};

// Runs `triage.train` jobs: reads the confirmed complaints, trains outside
// any transaction, stores the new version and installs it in `service`
// (requests in flight finish on the old model). A nightly job queues the
// next night's run in the transaction that completes it.
//
// It runs on a runner of its own (training_runner_options): a training takes
// seconds to minutes, and on the main runner's thread SLA checks and mail
// would wait for it.
class TriageTrainHandler final : public JobHandler {
 public:
  TriageTrainHandler(store::Store& store, const Clock& clock,
                     std::shared_ptr<app::TriageService> service)
      : store_(store), clock_(clock), service_(std::move(service)) {}
  Result<Commit> run(const store::Job& job) override;

 private:
  store::Store& store_;
  const Clock& clock_;
  std::shared_ptr<app::TriageService> service_;
};

// The options of the dedicated training runner, from the main runner's: one
// job per claim, and a lease longer than any training (2 h) so that another
// instance does not take the job over while it is still training.
RunnerOptions training_runner_options(const RunnerOptions& main);

// The lock file of the training runner beside an SQLite database (the main
// runner's is DATABASE.jobs.lock): one trainer among the processes on it.
inline constexpr const char* kTrainingLockSuffix = ".training.lock";

// Runs `review.mail` jobs (app/review_mailing.h): queues the management
// review of the N full months before the job's due time to every active
// director, and the next mailing, in the transaction that completes the job.
// The period follows the due time, not the clock, so a server that was down
// on the day still sends the period that was due.
class ReviewMailHandler final : public JobHandler {
 public:
  explicit ReviewMailHandler(const Clock& clock) : clock_(clock) {}
  Result<Commit> run(const store::Job& job) override;

 private:
  const Clock& clock_;
};

// Files to attach to an outbox row's mail, made at delivery (each retry makes
// them again): e.g. the management review's PDF. Empty for rows without any.
// Called on the runner's thread, outside any transaction.
using AttachmentMaker =
    std::function<Result<std::vector<mail::MailAttachment>>(const store::OutboxMessage& row)>;

struct MailSettings {
  mail::SmtpConfig smtp;
  std::string from;             // REDRESS_MAIL_FROM, e.g. "Redress <complaints@example.org>"
  std::string base_url;         // REDRESS_BASE_URL, for tracking and complaint links
  AttachmentMaker attachments;  // unset: no mail carries files
};

// Splits "Name <addr@host>" or "addr@host" into {name, address}.
std::pair<std::string, std::string> parse_mailbox(const std::string& text);

// Runs `mail.deliver` jobs: renders the row's template in its language (an
// administrator's override from the store first, read in the same snapshot
// as the row, else the shipped one),
// builds the MIME message (Message-ID `<outbox-ID.DBTAG@host>`, stable across
// retries), sends it over SMTP, then commits the row as sent with the job.
// Recipients "user:NAME" are staff and get their account's e-mail address;
// a staff member without one makes the row dead at once (nothing to retry).
// The portal access token in an acknowledgement's payload is used for the
// tracking link and erased from the row once the mail is sent.
class MailDeliveryHandler final : public JobHandler {
 public:
  MailDeliveryHandler(store::Store& store, const Clock& clock, MailSettings settings);
  Result<Commit> run(const store::Job& job) override;
  Status on_failure(store::WriteTx& tx, const store::Job& job, const std::string& error,
                    bool dead) override;

 private:
  store::Store& store_;
  const Clock& clock_;
  MailSettings settings_;
};

// Runs `webhook.deliver` jobs: reads the outbox row and its webhook, signs
// the stored body with the webhook's secret at this attempt's time
// (Redress-Signature, app/webhooks.h) and POSTs it. A 2xx answer commits the
// row as sent; any other status or a transport failure is retried by the
// runner, and the last attempt leaves the row dead (the dead letter the admin
// outbox shows). A deleted or deactivated webhook makes the row dead at once.
class WebhookDeliveryHandler final : public JobHandler {
 public:
  WebhookDeliveryHandler(store::Store& store, const Clock& clock,
                         std::chrono::seconds timeout = std::chrono::seconds(10))
      : store_(store), clock_(clock), timeout_(timeout) {}
  Result<Commit> run(const store::Job& job) override;
  Status on_failure(store::WriteTx& tx, const store::Job& job, const std::string& error,
                    bool dead) override;

 private:
  store::Store& store_;
  const Clock& clock_;
  std::chrono::seconds timeout_;
};

}  // namespace redress::jobs
