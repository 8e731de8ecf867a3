// E-mail in: `redress serve` polls IMAP mailboxes and files each new mail
// through app::MailIntake (SPEC §5).
//
// Exactly once. A mail is fetched with BODY.PEEK[] (still unseen), filed in
// one transaction together with its inbound_mail row (mailbox, UIDVALIDITY,
// UID), and only after that commit marked \Seen. So:
//   - a crash before the commit leaves nothing behind and the mail unseen:
//     the next poll files it;
//   - a crash after the commit, before \Seen, leaves it unseen but recorded:
//     the next poll finds the row, files nothing and only marks it \Seen.
// A mail that cannot be filed (unparseable, no sender, refused by intake) is
// recorded as `failed` with the reason, flagged \Flagged and left unseen in
// the mailbox for a person to look at; it is not tried again. Errors that may
// pass (network, database) record nothing: the mail is tried next poll.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/mail_intake.h"
#include "app/uploads.h"
#include "core/time.h"
#include "mail/imap.h"
#include "store/store.h"

namespace redress::jobs {

struct MailInSettings {
  std::vector<mail::ImapConfig> mailboxes;
  Millis poll_interval{60'000};
  std::filesystem::path attachment_dir;
  std::string own_address;  // REDRESS_MAIL_FROM's address: never filed
  app::UploadLimits limits;
  // Tests only (REDRESS_TEST_MAIL_CRASH): "before_commit" or "after_commit"
  // makes the process SIGKILL itself at that point of the first mail.
  std::string crash_point;
  // What a complaint opened by mail is suggested and flagged with, as at
  // every intake (app/intake_signals.h); triage may be null.
  std::shared_ptr<const app::TriageService> triage;
  app::DuplicateOptions duplicates;
};

struct PollSummary {
  int filed = 0;     // opened, threaded, ignored or duplicate now
  int marked = 0;    // recorded before (a crash before \Seen): only marked now
  int failed = 0;    // recorded as failed now
  int deferred = 0;  // left for the next poll (transient errors)
};

class MailPoller {
 public:
  // Borrows `store` and `clock`; both outlive the poller.
  MailPoller(store::Store& store, const Clock& clock, MailInSettings settings);
  ~MailPoller();
  MailPoller(const MailPoller&) = delete;
  MailPoller& operator=(const MailPoller&) = delete;

  // One pass over every mailbox. An unreachable mailbox is reported and
  // skipped (the others are still polled); the error is the first one met.
  Result<PollSummary> poll_once();

  // Polls every interval on a thread until stop(). When `lock_path` is set
  // (SQLite), only the process holding that lock file polls.
  void start(std::optional<std::string> lock_path);
  void stop();

 private:
  Status poll_mailbox(const mail::ImapConfig& config, PollSummary& summary);
  void loop(std::optional<std::string> lock_path);

  store::Store& store_;
  const Clock& clock_;
  MailInSettings settings_;
  app::ContentSniffer sniffer_;
  app::MailIntake intake_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace redress::jobs
