// The Store: typed transactions over per-aggregate repositories. A use case
// receives a ReadTx (queries only: the repositories are const) or a WriteTx,
// never a connection. Adapters (sqlite/, later postgres/) implement the two
// virtual entry points; everything else here is shared.
#pragma once

#include <functional>
#include <future>
#include <memory>
#include <optional>

#include "store/duplicate_repo.h"
#include "store/hook_repo.h"
#include "store/import_repo.h"
#include "store/insight_repo.h"
#include "store/job_repo.h"
#include "store/lesson_repo.h"
#include "store/mail_repo.h"
#include "store/notification_repo.h"
#include "store/report_repo.h"
#include "store/repositories.h"
#include "store/review_repo.h"
#include "store/saved_view_repo.h"
#include "store/search_index.h"
#include "store/sla_repo.h"
#include "store/triage_repo.h"

namespace redress::store {

// The repositories of one transaction, all bound to the same session.
struct Repositories {
  explicit Repositories(SqlSession& s)
      : complaints(s),
        customers(s),
        erasure(s),
        records(s),
        events(s),
        directory(s),
        auth(s),
        rules(s),
        idempotency(s),
        outbox(s),
        imports(s),
        reports(s),
        sla(s),
        jobs(s),
        triage(s),
        inbound_mail(s),
        duplicates(s),
        webhooks(s),
        channels(s),
        templates(s),
        search(s),
        review(s),
        lessons(s),
        saved_views(s),
        notifications(s),
        insight(s) {}
  ComplaintRepo complaints;
  CustomerRepo customers;
  ErasureRepo erasure;
  CaseRecordRepo records;
  EventRepo events;
  DirectoryRepo directory;
  AuthRepo auth;
  RuleRepo rules;
  IdempotencyRepo idempotency;
  OutboxRepo outbox;
  ImportRepo imports;
  ReportRepo reports;
  SlaRepo sla;
  JobRepo jobs;
  TriageRepo triage;
  InboundMailRepo inbound_mail;
  DuplicateRepo duplicates;
  WebhookRepo webhooks;
  ChannelRepo channels;
  TemplateRepo templates;
  SearchIndexRepo search;
  ReviewRepo review;
  LessonRepo lessons;
  SavedViewRepo saved_views;
  NotificationRepo notifications;
  InsightRepo insight;
};

// A read transaction: a consistent snapshot; only const repositories.
class ReadTx {
 public:
  explicit ReadTx(Repositories& r) : r_(r) {}
  const ComplaintRepo& complaints() const { return r_.complaints; }
  const CustomerRepo& customers() const { return r_.customers; }
  const CaseRecordRepo& records() const { return r_.records; }
  const EventRepo& events() const { return r_.events; }
  const DirectoryRepo& directory() const { return r_.directory; }
  const AuthRepo& auth() const { return r_.auth; }
  const RuleRepo& rules() const { return r_.rules; }
  const IdempotencyRepo& idempotency() const { return r_.idempotency; }
  const OutboxRepo& outbox() const { return r_.outbox; }
  const ImportRepo& imports() const { return r_.imports; }
  const ReportRepo& reports() const { return r_.reports; }
  const ReviewRepo& review() const { return r_.review; }
  const LessonRepo& lessons() const { return r_.lessons; }
  const InsightRepo& insight() const { return r_.insight; }
  const SlaRepo& sla() const { return r_.sla; }
  const JobRepo& jobs() const { return r_.jobs; }
  const TriageRepo& triage() const { return r_.triage; }
  const InboundMailRepo& inbound_mail() const { return r_.inbound_mail; }
  const DuplicateRepo& duplicates() const { return r_.duplicates; }
  const WebhookRepo& webhooks() const { return r_.webhooks; }
  const ChannelRepo& channels() const { return r_.channels; }
  const TemplateRepo& templates() const { return r_.templates; }
  const SavedViewRepo& saved_views() const { return r_.saved_views; }
  const NotificationRepo& notifications() const { return r_.notifications; }

 protected:
  Repositories& r_;
};

// A write transaction (inside the writer's batch, in its own savepoint unless
// it is alone in a SQLite batch; see GroupCommitWriter::Options):
// everything a ReadTx offers, plus the writes.
class WriteTx : public ReadTx {
 public:
  using ReadTx::ReadTx;
  ComplaintRepo& complaints() { return r_.complaints; }
  CustomerRepo& customers() { return r_.customers; }
  ErasureRepo& erasure() { return r_.erasure; }
  CaseRecordRepo& records() { return r_.records; }
  EventRepo& events() { return r_.events; }
  DirectoryRepo& directory() { return r_.directory; }
  AuthRepo& auth() { return r_.auth; }
  RuleRepo& rules() { return r_.rules; }
  IdempotencyRepo& idempotency() { return r_.idempotency; }
  OutboxRepo& outbox() { return r_.outbox; }
  ImportRepo& imports() { return r_.imports; }
  SlaRepo& sla() { return r_.sla; }
  JobRepo& jobs() { return r_.jobs; }
  TriageRepo& triage() { return r_.triage; }
  InboundMailRepo& inbound_mail() { return r_.inbound_mail; }
  DuplicateRepo& duplicates() { return r_.duplicates; }
  WebhookRepo& webhooks() { return r_.webhooks; }
  ChannelRepo& channels() { return r_.channels; }
  TemplateRepo& templates() { return r_.templates; }
  SearchIndexRepo& search() { return r_.search; }
  LessonRepo& lessons() { return r_.lessons; }
  SavedViewRepo& saved_views() { return r_.saved_views; }
  NotificationRepo& notifications() { return r_.notifications; }
};

// Work for the writer: `run` returns true to keep its changes, false to roll
// them back; `done` learns whether the batch holding it committed.
struct WriteWork {
  std::move_only_function<bool(WriteTx&)> run;
  std::move_only_function<void(bool committed)> done;
  bool alone = false;  // bulk work in a transaction of its own (WriteMode::alone)
};

// How a write shares the writer. `grouped`: with whatever else is queued, in
// one transaction and one commit (intake under load). `alone`: in a
// transaction of its own — for bulk work (an import batch of thousands of
// rows), which would otherwise hold its batch-mates' commits back and, on
// SQLite, run inside a savepoint whose cost grows with its length.
enum class WriteMode { grouped, alone };

class Store {
 public:
  virtual ~Store() = default;

  // Runs `fn` in a read snapshot on the calling thread. Blocks while all read
  // connections are busy. Thread-safe.
  virtual Status read_raw(std::move_only_function<Status(ReadTx&)> fn) = 0;

  // Queues `work` for the single writer. `done` runs on the writer thread
  // after the commit (keep it short: hand the result on). Thread-safe.
  virtual void write_raw(WriteWork work) = 0;

  // Reads with a typed result.
  template <class T>
  Result<T> read(std::move_only_function<Result<T>(const ReadTx&)> fn) {
    std::optional<Result<T>> slot;
    Status s = read_raw([&](ReadTx& tx) -> Status {
      slot.emplace(fn(tx));
      return {};
    });
    if (!s) return fail(s.error());
    if (!slot) return fail(Error::internal("the read did not run"));
    return std::move(*slot);
  }

  // Runs `fn` as one transaction and calls `done` with its result once that
  // result is durable (committed), or with `unavailable` if the commit failed.
  // A failed Result rolls back everything `fn` wrote.
  template <class T>
  void write(std::move_only_function<Result<T>(WriteTx&)> fn,
             std::move_only_function<void(Result<T>)> done, WriteMode mode = WriteMode::grouped) {
    auto slot = std::make_shared<std::optional<Result<T>>>();
    write_raw(WriteWork{
        [slot, fn = std::move(fn)](WriteTx& tx) mutable {
          slot->emplace(fn(tx));
          return slot->value().has_value();
        },
        [slot, done = std::move(done)](bool committed) mutable {
          if (!slot->has_value()) {
            done(fail(Error::unavailable("the store is shutting down")));
          } else if (!committed && slot->value().has_value()) {
            done(fail(Error::unavailable("the transaction could not be committed; retry")));
          } else {
            done(std::move(slot->value()));
          }
        },
        mode == WriteMode::alone});
  }

  // The blocking form of write(), for the CLI and tests.
  template <class T>
  Result<T> write_sync(std::move_only_function<Result<T>(WriteTx&)> fn,
                       WriteMode mode = WriteMode::grouped) {
    std::promise<Result<T>> promise;
    auto future = promise.get_future();
    write<T>(
        std::move(fn), [&promise](Result<T> r) { promise.set_value(std::move(r)); }, mode);
    return future.get();
  }
};

}  // namespace redress::store
