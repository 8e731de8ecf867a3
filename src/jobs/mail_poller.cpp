#include "jobs/mail_poller.h"

#include <csignal>
#include <iostream>

#include "jobs/runner.h"
#include "mail/inbound.h"

namespace redress::jobs {

namespace {

void crash_if(const std::string& configured, const char* point) {
  if (configured == point) {
    std::cerr << "redress mail-in: REDRESS_TEST_MAIL_CRASH=" << point << ": killing myself\n"
              << std::flush;
    std::raise(SIGKILL);
  }
}

}  // namespace

MailPoller::MailPoller(store::Store& store, const Clock& clock, MailInSettings settings)
    : store_(store),
      clock_(clock),
      settings_(std::move(settings)),
      intake_(clock, settings_.own_address, settings_.limits.max_per_complaint, settings_.triage,
              settings_.duplicates) {}

MailPoller::~MailPoller() {
  stop();
}

Status MailPoller::poll_mailbox(const mail::ImapConfig& config, PollSummary& summary) {
  REDRESS_TRY(auto session, mail::ImapSession::open(config));
  const std::string mailbox = session->url().display;
  const auto uidvalidity = static_cast<std::int64_t>(session->uidvalidity());
  REDRESS_TRY(auto uids, session->unseen());
  for (const std::uint32_t uid : uids) {
    REDRESS_TRY(auto known,
                store_.read<std::optional<store::InboundMailRow>>([&](const store::ReadTx& tx) {
                  return tx.inbound_mail().find(mailbox, uidvalidity, uid);
                }));
    if (known) {
      if (known->outcome != "failed") {  // filed, then the process died before \Seen
        REDRESS_CHECK(session->add_flag(uid, mail::ImapFlag::seen));
        ++summary.marked;
      }
      continue;
    }
    auto raw = session->fetch(uid);
    if (!raw && raw.error().code == ErrorCode::not_found) continue;  // expunged meanwhile
    if (!raw) return fail(raw.error());

    app::InboundMessage in;
    in.mailbox = mailbox;
    in.uidvalidity = uidvalidity;
    in.uid = uid;
    auto parsed = mail::parse_inbound(*raw);
    std::optional<std::string> failure;
    if (!parsed) {
      failure = parsed.error().message;
      for (const auto& f : parsed.error().fields) *failure += " (" + f.message + ")";
    } else {
      const mail::InboundMail& m = *parsed;
      in.message_id = m.message_id;
      in.from_address = m.from_address;
      in.from_name = m.from_name;
      in.subject = m.subject;
      in.body = m.body;
      in.language = mail::guess_language(m);
      in.replies_to = m.in_reply_to;
      in.replies_to.insert(in.replies_to.end(), m.references.rbegin(), m.references.rend());
      in.tracking_codes = mail::tracking_codes_in(m.subject);
      in.automatic = m.automatic;
      in.refused = m.skipped;
      // The upload route's checks: libmagic's type, size, files per upload.
      for (const mail::InboundAttachment& a : m.attachments) {
        const std::string name =
            app::clean_filename(a.filename.empty() ? "attachment" : a.filename);
        if (in.attachments.size() >= settings_.limits.max_per_request) {
          in.refused.push_back(name + ": more than " +
                               std::to_string(settings_.limits.max_per_request) +
                               " attachments in one e-mail");
          continue;
        }
        if (a.data.size() > settings_.limits.max_bytes) {
          in.refused.push_back(name + ": larger than 10 MiB");
          continue;
        }
        const std::string type = sniffer_.type_of(a.data);
        if (!app::is_allowed_upload_type(type)) {
          in.refused.push_back(name + ": files of type " + type + " are not accepted");
          continue;
        }
        REDRESS_TRY(auto stored,
                    app::store_upload_file(settings_.attachment_dir, a.data, name, type));
        in.attachments.push_back(std::move(stored));
      }
    }
    Result<app::MailOutcome> done = fail(Error::internal("not run"));
    if (!failure) {
      intake_.prepare(in);  // tokenizer and model here, not on the store's writer
      crash_if(settings_.crash_point, "before_commit");
      done = store_.write_sync<app::MailOutcome>(
          [&](store::WriteTx& tx) { return intake_.receive(tx, in); });
      if (!done && done.error().code == ErrorCode::conflict) continue;  // another poller has it
      if (!done && (done.error().code == ErrorCode::invalid_argument ||
                    done.error().code == ErrorCode::failed_precondition)) {
        failure = done.error().message;
        for (const auto& f : done.error().fields)
          *failure += " (" + f.field + ": " + f.message + ")";
      } else if (!done) {
        std::cerr << "redress mail-in: " << mailbox << " UID " << uid
                  << " deferred: " << done.error().message << "\n";
        ++summary.deferred;
        continue;
      }
    }
    if (failure) {
      auto recorded = store_.write_sync<app::MailOutcome>(
          [&](store::WriteTx& tx) { return intake_.record_failure(tx, in, *failure); });
      if (!recorded) {
        ++summary.deferred;
        continue;
      }
      std::cerr << "redress mail-in: " << mailbox << " UID " << uid
                << " could not be filed (left unseen and flagged): " << *failure << "\n";
      REDRESS_CHECK(session->add_flag(uid, mail::ImapFlag::flagged));
      ++summary.failed;
      continue;
    }
    crash_if(settings_.crash_point, "after_commit");
    REDRESS_CHECK(session->add_flag(uid, mail::ImapFlag::seen));
    ++summary.filed;
  }
  return {};
}

Result<PollSummary> MailPoller::poll_once() {
  PollSummary summary;
  std::optional<Error> first;
  for (const mail::ImapConfig& config : settings_.mailboxes) {
    auto done = poll_mailbox(config, summary);
    if (!done) {
      std::cerr << "redress mail-in: " << done.error().message << "\n";
      if (!first) first = done.error();
    }
  }
  if (first) return fail(*first);
  return summary;
}

void MailPoller::start(std::optional<std::string> lock_path) {
  thread_ = std::thread([this, lock_path] { loop(lock_path); });
}

void MailPoller::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void MailPoller::loop(std::optional<std::string> lock_path) {
  std::unique_ptr<ProcessLock> held;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    if (lock_path && !held) held = ProcessLock::try_acquire(*lock_path);
    if (!lock_path || held) (void)poll_once();  // errors are logged; the next poll retries
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, settings_.poll_interval, [this] { return stopping_; });
  }
}

}  // namespace redress::jobs
