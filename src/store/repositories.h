// Per-aggregate repositories over one SqlSession. They are created for the
// length of one transaction by the Store and handed to use cases inside a
// ReadTx (const access: queries only) or a WriteTx (queries and writes).
// All methods fail with the SqlSession's error codes (conflict on unique or
// foreign-key violations, internal otherwise) and never throw.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/policy.h"
#include "core/records.h"
#include "core/rules.h"
#include "store/sql.h"
#include "text/search.h"

namespace redress::store {

// Filters for listing complaints; all set conditions must hold.
struct ComplaintFilter {
  std::optional<State> state;
  std::optional<DepartmentId> department;
  std::optional<Urgency> urgency;
  std::optional<std::string> category;
  std::optional<UserId> assignee;
  std::optional<Instant> received_from;  // inclusive
  std::optional<Instant> received_to;    // exclusive
  // Department scope of the caller: when set, only complaints routed to one of
  // these (and unrouted ones when include_unrouted) are listed.
  std::optional<std::vector<DepartmentId>> scope;
  bool include_unrouted = false;
  // Only complaints whose due time is before this (overdue ones, when it is now).
  std::optional<Instant> due_before;
  enum class Order {
    newest,  // id descending
    due,     // due time ascending, then id; complaints without a due time last (by id)
  };
  Order order = Order::newest;
  std::int64_t before_id = 0;  // newest: list ids below this; 0 = from the top
  // due: the cursor is the last row listed — its due time (none when it had
  // none) and id; 0 = from the top.
  std::optional<Instant> after_due;
  std::int64_t after_id = 0;
  int limit = 50;
  // Full-text search: only complaints matching the query, best match first
  // (bm25 on SQLite, ts_rank on PostgreSQL; ties by id), which overrides
  // `order`; pages by `search_offset` rows skipped.
  std::optional<text::SearchQuery> search;
  std::int64_t search_offset = 0;
};

class ComplaintRepo {
 public:
  explicit ComplaintRepo(SqlSession& s) : s_(s) {}
  // Inserts `c` (id ignored) and returns the new id; indexes its subject and
  // description for search in the same transaction. update() leaves the
  // index alone (most updates change neither text): a caller that changes
  // subject or description calls SearchIndexRepo::rebuild in its transaction,
  // as Complaints::patch does.
  Result<ComplaintId> insert(const Complaint& c);
  // As insert(), unless a complaint already has c.tracking_code: then
  // nothing is written and the answer is nullopt (the caller draws another
  // code). One statement where a look-up before the insert would be two.
  Result<std::optional<ComplaintId>> insert_unless_code_taken(const Complaint& c);
  Result<std::optional<Complaint>> find(ComplaintId id) const;
  Result<std::optional<Complaint>> find_by_tracking_code(const std::string& code) const;
  // Writes every field of `c` and bumps the version, if the stored version is
  // still `c.version`; conflict otherwise. Returns the new version.
  Result<std::int64_t> update(const Complaint& c);
  // One page in the filter's order (see ComplaintFilter::Order).
  Result<std::vector<Complaint>> list(const ComplaintFilter& filter) const;
  Status link(ComplaintId from, ComplaintId to, const std::string& kind);
  // The tracking code of the follow-up opened when `original` failed verification.
  Result<std::optional<std::string>> follow_up_code(ComplaintId original) const;

 private:
  enum class Page { newest, with_due, without_due, search };
  Result<std::vector<Complaint>> list_page(const ComplaintFilter& filter, Page page) const;
  SqlSession& s_;
};

class CustomerRepo {
 public:
  explicit CustomerRepo(SqlSession& s) : s_(s) {}
  Result<CustomerId> insert(const Customer& c);
  Result<std::optional<Customer>> find(CustomerId id) const;
  // The customers among `ids` that exist, in no particular order (one query:
  // a list page loads its customers at once).
  Result<std::vector<Customer>> find_many(std::span<const CustomerId> ids) const;
  // When the customer's personal data was erased, if it was.
  Result<std::optional<Instant>> erased_at(CustomerId id) const;
  // The complaints of the customer, oldest first.
  Result<std::vector<ComplaintId>> complaints_of(CustomerId id) const;

 private:
  SqlSession& s_;
};

// Overwrites personal data for erasure (app/privacy.h decides what and when).
// Each method touches the rows of one complaint or customer and returns how
// many rows it changed.
class ErasureRepo {
 public:
  explicit ErasureRepo(SqlSession& s) : s_(s) {}
  // Name, e-mail and phone of the customer; stamps erased_at.
  Result<std::int64_t> customer(CustomerId id, Instant at);
  // The complaint's free texts; `access_token_hash` replaces the portal token's
  // hash (a value no token hashes to, so the customer's link stops working).
  // The complaint's search index row is rebuilt from what remains.
  Result<std::int64_t> complaint_texts(ComplaintId id, const std::string& access_token_hash);
  // Message bodies (and their terms in the search index) and feedback texts.
  // Messages and attachments are those written on the complaint, including
  // the ones a merge moved to another complaint, and not those a merge moved
  // onto it from someone else's complaint.
  Result<std::int64_t> messages(ComplaintId id);
  Result<std::int64_t> feedback(ComplaintId id);
  // Attachment file names and storage keys; returns the storage keys they had.
  Result<std::vector<std::string>> attachments(ComplaintId id);
  // Whether any attachment row still refers to `storage_key` (files are shared
  // by content).
  Result<bool> storage_key_used(const std::string& storage_key) const;
  // Customer-addressed outbox rows: recipient and payload cleared, and any delivery error
  // (it may quote the address) replaced; pending ones are marked dead so nothing is
  // mailed to an erased person.
  Result<std::int64_t> outbox(ComplaintId id);
  // Stored idempotent answers that name `tracking_code` (they repeat the
  // customer's data and the access token).
  Result<std::int64_t> idempotent_answers(const std::string& tracking_code);

 private:
  SqlSession& s_;
};

// The case file: the list-valued records of a complaint.
class CaseRecordRepo {
 public:
  explicit CaseRecordRepo(SqlSession& s) : s_(s) {}
  Result<std::int64_t> add_cause(const Cause& c);
  Result<std::vector<Cause>> causes(ComplaintId id) const;
  // Remedies of one plan round (a returned plan keeps its remedies as history).
  Result<std::int64_t> add_remedy(const Remedy& r);
  Result<std::vector<Remedy>> remedies(ComplaintId id, int plan_round) const;
  // The remedies of every plan round of the complaints among `ids`, by id.
  Result<std::vector<Remedy>> remedies_of(std::span<const ComplaintId> ids) const;
  Result<std::int64_t> add_task(const Task& t);
  Status update_task(const Task& t);
  Result<std::vector<Task>> tasks(ComplaintId id) const;
  // Adds the message and, for the kinds people write, its terms to the
  // complaint's search index (store/search_index.h).
  Result<std::int64_t> add_message(const Message& m);
  Result<std::vector<Message>> messages(ComplaintId id) const;
  Result<std::int64_t> add_attachment(const Attachment& a);
  Result<std::vector<Attachment>> attachments(ComplaintId id) const;
  // The attachments the customer of complaint `id` added on the portal, wherever
  // a merge has since moved them (their origin is `id`); never anyone else's.
  Result<std::vector<Attachment>> customer_attachments(ComplaintId id) const;
  Result<std::int64_t> add_accountability(const AccountabilityEntry& e);
  Status update_accountability(const AccountabilityEntry& e);
  Result<std::vector<AccountabilityEntry>> accountability(ComplaintId id) const;
  // Replaces the complaint's improvement actions with `actions`.
  Status replace_improvement_actions(ComplaintId id, const std::vector<ImprovementAction>& actions);
  Result<std::vector<ImprovementAction>> improvement_actions(ComplaintId id) const;
  Result<std::int64_t> add_feedback(const Feedback& f);
  Result<std::vector<Feedback>> feedback(ComplaintId id) const;

 private:
  SqlSession& s_;
};

class EventRepo {
 public:
  explicit EventRepo(SqlSession& s) : s_(s) {}
  // Appends an event whose prev_hash and hash the caller computed.
  Result<std::int64_t> append(const Event& e);
  // The hash of the newest event, "" when there is none.
  Result<std::string> last_hash() const;
  // last_hash() for a writer about to append: first takes TxLock::event_chain
  // (held until the transaction ends), so writers of several processes on one
  // PostgreSQL database cannot fork the chain by reading the same tail. On
  // SQLite the lock is a no-op (one writer). Write transactions only. The tail
  // is memoised for the rest of the transaction (TxMemo; append() moves it), so
  // a write that appends several events reads it once.
  Result<std::string> last_hash_for_append();
  Result<std::vector<Event>> for_complaint(ComplaintId id) const;
  // Events in id order from `after_id` (exclusive), at most `limit`.
  Result<std::vector<Event>> scan(std::int64_t after_id, int limit) const;
  // Replaces the data of event `id` with `data`, a redaction stub (a JSON object with
  // "erased": true); the schema refuses every other change to an event.
  Status redact(std::int64_t id, const std::string& data);

 private:
  SqlSession& s_;
};

// One administrative change of the organisation (a user, department or
// category created, edited, retired or brought back). `before`/`after` are
// JSON objects of the changed fields, so the log reads without the schema.
struct AdminChange {
  std::int64_t id = 0;
  Instant at;
  std::optional<UserId> actor;  // empty for the system
  std::string entity;           // user, department, category
  std::string key;              // the id, or the category code
  std::string action;           // created, updated, deactivated, reactivated
  std::string before;
  std::string after;
};

class DirectoryRepo {
 public:
  explicit DirectoryRepo(SqlSession& s) : s_(s) {}
  Result<UserId> add_user(const User& u);
  Result<std::optional<User>> user(UserId id) const;
  Result<std::optional<User>> user_by_name(const std::string& username) const;
  Result<std::vector<User>> users() const;
  // Serialises, until this transaction ends, the changes that may remove an
  // active administrator (taken before counting the others). PostgreSQL: an
  // advisory lock across instances; SQLite: its single writer already does.
  Status lock_administrators();
  Status update_user(const User& u);
  Result<DepartmentId> add_department(const Department& d);
  Result<std::optional<Department>> department(DepartmentId id) const;
  Result<std::vector<Department>> departments() const;
  Status update_department(const Department& d);
  Status add_category(const Category& c);
  Result<std::optional<Category>> category(const std::string& code) const;
  Result<std::vector<Category>> categories() const;
  // Replaces name, parent and active of the category `c.code` (the code never changes).
  Status update_category(const Category& c);
  // Appends one row to the organisation's append-only change log.
  Result<std::int64_t> add_change(const AdminChange& c);
  // The log, newest first, at most `limit` rows with ids below `before` (0:
  // from the newest); `entity`/`key` narrow it when set.
  Result<std::vector<AdminChange>> changes(const std::optional<std::string>& entity,
                                           const std::optional<std::string>& key,
                                           std::int64_t before, std::int64_t limit) const;

 private:
  SqlSession& s_;
};

struct SessionRecord {
  std::string token_hash;
  UserId user;
  std::string csrf_token;
  Instant created_at;
  Instant expires_at;
  Instant last_seen_at;  // for the idle timeout; touched at most once a minute
};

class AuthRepo {
 public:
  explicit AuthRepo(SqlSession& s) : s_(s) {}
  Status add_session(const SessionRecord& s);
  Result<std::optional<SessionRecord>> session(const std::string& token_hash) const;
  Status delete_session(const std::string& token_hash);
  // Records that the session was used at `at` (idle expiry counts from here).
  Status touch_session(const std::string& token_hash, Instant at);
  // Deletes every session of `user`; returns how many there were.
  Result<std::int64_t> delete_sessions_of(UserId user);
  // Failed log-ins of `username`, shared by every instance on the database.
  Status add_login_failure(const std::string& username, Instant at);
  // Failed log-ins of `username` at or after `since`, oldest first.
  Result<std::vector<Instant>> login_failures(const std::string& username, Instant since) const;
  // Forgets the failures of `username` (a successful log-in) and every failure
  // older than `before` (housekeeping).
  Status clear_login_failures(const std::string& username, Instant before);
  // Counts one request under `key` in the fixed window starting at `window_start`
  // and returns the window's count including it. Windows before `window_start`
  // of every key are deleted when a new window opens.
  Result<std::int64_t> count_request(const std::string& key, Instant window_start);
  Status add_api_token(const std::string& token_hash, UserId user, const std::string& name,
                       Instant at);
  Result<std::optional<UserId>> api_token_user(const std::string& token_hash) const;

 private:
  SqlSession& s_;
};

class RuleRepo {
 public:
  explicit RuleRepo(SqlSession& s) : s_(s) {}
  Result<std::int64_t> add_routing_rule(const RoutingRule& r);
  Status update_routing_rule(const RoutingRule& r);
  Status delete_routing_rule(std::int64_t id);
  Result<std::vector<RoutingRule>> routing_rules() const;
  Result<std::int64_t> add_sanction_rule(const SanctionRule& r);
  Status delete_sanction_rule(std::int64_t id);
  Result<std::vector<SanctionRule>> sanction_rules() const;
  Result<std::int64_t> add_policy(const Policy& p);
  Status update_policy(const Policy& p);
  Result<std::vector<Policy>> policies() const;

 private:
  SqlSession& s_;
};

struct StoredResponse {
  std::string request_hash;
  int status = 0;
  std::string body;
};

class IdempotencyRepo {
 public:
  explicit IdempotencyRepo(SqlSession& s) : s_(s) {}
  Result<std::optional<StoredResponse>> find(const std::string& scope,
                                             const std::string& key) const;
  Status put(const std::string& scope, const std::string& key, const StoredResponse& r, Instant at);

 private:
  SqlSession& s_;
};

struct OutboxMessage {
  std::int64_t id = 0;
  std::string kind;  // acknowledgement, rejection, proposal, reply, survey, …
  std::optional<ComplaintId> complaint;
  std::string recipient;
  std::string language;
  std::string payload;  // JSON for the template
  Instant created_at;
  std::optional<Instant> sent_at;
  std::string state = "pending";  // pending | sent | dead
  int attempts = 0;               // delivery attempts that failed or are running
  std::string last_error;
  std::string message_id;        // the Message-ID header of the delivered mail (webhooks: event id)
  std::string channel = "mail";  // mail | webhook: which job kind delivers it
};

class OutboxRepo {
 public:
  explicit OutboxRepo(SqlSession& s) : s_(s) {}
  // Queues `m` and, in the same transaction, its delivery job due at once
  // (`mail.deliver`, or `webhook.deliver` for channel "webhook"): every
  // outbox row is delivered by jobs/ without further wiring.
  Result<std::int64_t> enqueue(const OutboxMessage& m);
  Result<std::vector<OutboxMessage>> for_complaint(ComplaintId id) const;
  Result<std::optional<OutboxMessage>> find(std::int64_t id) const;
  // Rows in `state` (all when unset) with id below `before_id` (0 = from the
  // newest), newest first, at most `limit`.
  Result<std::vector<OutboxMessage>> list(const std::optional<std::string>& state,
                                          std::int64_t before_id, int limit) const;
  // Number of rows per state.
  Result<std::vector<std::pair<std::string, std::int64_t>>> counts() const;
  // Records a delivery: state sent, sent_at, the Message-ID used, and the
  // payload to keep (secrets such as the portal token removed).
  Status mark_sent(std::int64_t id, Instant at, const std::string& message_id,
                   const std::string& payload);
  // Records a failed attempt (attempts + 1, last_error); `dead` gives up.
  Status mark_failed(std::int64_t id, const std::string& error, bool dead);

 private:
  SqlSession& s_;
};

}  // namespace redress::store
