#include "store/repositories.h"

#include <nlohmann/json.hpp>

#include "store/row_values.h"
#include "store/search_index.h"

namespace redress::store {

namespace {

using Json = nlohmann::json;

std::string to_json_array(const std::vector<std::string>& items) {
  return Json(items).dump();
}

std::vector<std::string> from_json_array(const std::string& text) {
  std::vector<std::string> out;
  const Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return out;
  for (const Json& item : j) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

using values::id;
using values::ms;
using values::opt_id;
using values::opt_instant;

template <class E>
SqlValue name(E v) {
  return std::string(to_string(v));
}
template <class E>
SqlValue name(const std::optional<E>& v) {
  return v ? SqlValue{std::string(to_string(*v))} : SqlValue{};
}

template <class E>
std::optional<E> opt_enum(const SqlRow& r, std::size_t i) {
  if (r.is_null(i)) return std::nullopt;
  return parse<E>(r.text(i));
}
template <class E>
E req_enum(const SqlRow& r, std::size_t i, E fallback) {
  return parse<E>(r.text(i)).value_or(fallback);
}

Status ok_if_changed(const Result<std::int64_t>& changed, const char* what) {
  if (!changed) return fail(changed.error());
  if (*changed == 0) return fail(Error::not_found(what));
  return {};
}

// ---- complaints -----------------------------------------------------------

constexpr const char* kComplaintColumns =
    "id, tracking_code, access_token_hash, state, held_from, version, customer_id, channel, "
    "received_at, occurred_at, place, object_type, object_ref, subject, description, demands, "
    "people_involved, language, kind, validity, validity_reason, category, urgency, difficulty, "
    "impact_customer, impact_reputation, estimated_loss, tags, department_id, assignee_id, "
    "escalation_level, feasibility, estimated_cost, plan_round, supervisor_approved, "
    "director_approved, plan_instructions, customer_accepted, customer_answer_reason, "
    "satisfaction_score, satisfaction_comment, lessons, follow_up_of, reopen_count, appeal_count, "
    "rejected_at, resolved_at, closed_at, created_at, updated_at";
// What reads select: the written columns plus the derived due_at (kept by SlaRepo).
const std::string kComplaintSelect = std::string(kComplaintColumns) + ", due_at";

Complaint complaint_from_row(const SqlRow& r) {
  Complaint c;
  std::size_t i = 0;
  c.id = ComplaintId{r.i64(i++)};
  c.tracking_code = r.text(i++);
  c.access_token_hash = r.text(i++);
  c.state = req_enum(r, i++, State::new_);
  c.held_from = opt_enum<State>(r, i++);
  c.version = r.i64(i++);
  c.customer = CustomerId{r.i64(i++)};
  c.channel = req_enum(r, i++, Channel::api);
  c.received_at = from_epoch_ms(r.i64(i++));
  c.occurred_at = opt_instant(r, i++);
  c.place = r.text(i++);
  c.object_type = r.text(i++);
  c.object_ref = r.text(i++);
  c.subject = r.text(i++);
  c.description = r.text(i++);
  c.demands = r.text(i++);
  c.people_involved = r.text(i++);
  c.language = r.text(i++);
  c.kind = req_enum(r, i++, Kind::complaint);
  c.validity = req_enum(r, i++, Validity::pending);
  c.validity_reason = r.text(i++);
  c.category = r.opt_text(i++);
  c.urgency = opt_enum<Urgency>(r, i++);
  c.difficulty = opt_enum<Difficulty>(r, i++);
  c.impact_customer = r.text(i++);
  c.impact_reputation = r.text(i++);
  c.estimated_loss = r.opt_f64(i++);
  c.tags = from_json_array(r.text(i++));
  c.department = opt_id<DepartmentTag>(r, i++);
  c.assignee = opt_id<UserTag>(r, i++);
  c.escalation_level = static_cast<int>(r.i64(i++));
  c.feasibility = r.text(i++);
  c.estimated_cost = r.opt_f64(i++);
  c.plan_round = static_cast<int>(r.i64(i++));
  c.supervisor_approved = r.i64(i++) != 0;
  c.director_approved = r.i64(i++) != 0;
  c.plan_instructions = r.text(i++);
  if (auto v = r.opt_i64(i++)) c.customer_accepted = *v != 0;
  c.customer_answer_reason = r.text(i++);
  if (auto v = r.opt_i64(i++)) c.satisfaction_score = static_cast<int>(*v);
  c.satisfaction_comment = r.text(i++);
  c.lessons = r.text(i++);
  c.follow_up_of = opt_id<ComplaintTag>(r, i++);
  c.reopen_count = static_cast<int>(r.i64(i++));
  c.appeal_count = static_cast<int>(r.i64(i++));
  c.rejected_at = opt_instant(r, i++);
  c.resolved_at = opt_instant(r, i++);
  c.closed_at = opt_instant(r, i++);
  c.created_at = from_epoch_ms(r.i64(i++));
  c.updated_at = from_epoch_ms(r.i64(i++));
  c.due_at = opt_instant(r, i++);
  return c;
}

// Parameters $1..$49 in kComplaintColumns order, without the id.
std::vector<SqlValue> complaint_params(const Complaint& c) {
  std::optional<std::int64_t> accepted;
  if (c.customer_accepted) accepted = *c.customer_accepted ? 1 : 0;
  std::optional<std::int64_t> score;
  if (c.satisfaction_score) score = *c.satisfaction_score;
  return {c.tracking_code,
          c.access_token_hash,
          name(c.state),
          name(c.held_from),
          c.version,
          id(c.customer),
          name(c.channel),
          ms(c.received_at),
          ms(c.occurred_at),
          c.place,
          c.object_type,
          c.object_ref,
          c.subject,
          c.description,
          c.demands,
          c.people_involved,
          c.language,
          name(c.kind),
          name(c.validity),
          c.validity_reason,
          sql_value(c.category),
          name(c.urgency),
          name(c.difficulty),
          c.impact_customer,
          c.impact_reputation,
          sql_value(c.estimated_loss),
          to_json_array(c.tags),
          id(c.department),
          id(c.assignee),
          static_cast<std::int64_t>(c.escalation_level),
          c.feasibility,
          sql_value(c.estimated_cost),
          static_cast<std::int64_t>(c.plan_round),
          sql_value(c.supervisor_approved),
          sql_value(c.director_approved),
          c.plan_instructions,
          sql_value(accepted),
          c.customer_answer_reason,
          sql_value(score),
          c.satisfaction_comment,
          c.lessons,
          id(c.follow_up_of),
          static_cast<std::int64_t>(c.reopen_count),
          static_cast<std::int64_t>(c.appeal_count),
          ms(c.rejected_at),
          ms(c.resolved_at),
          ms(c.closed_at),
          ms(c.created_at),
          ms(c.updated_at)};
}

std::string placeholders(int from, int to) {
  std::string out;
  for (int i = from; i <= to; ++i) {
    if (i > from) out += ", ";
    out += "$" + std::to_string(i);
  }
  return out;
}

// How many of the newest matches a search ranks: only the newest
// kSearchCandidates matches that pass the filters and the scope are ranked
// (bm25 / ts_rank cost a few microseconds per match), so a word found in half
// of a million complaints costs about as much as a rare one. Pages end there
// (docs/search.md).
constexpr int kSearchCandidates = 2000;

}  // namespace

namespace {

// Inserts `c` with `on_conflict` after its VALUES (empty for none) and indexes
// its texts; nullopt when the conflict clause skipped the row (both dialects
// then return no row and fire no insert trigger).
Result<std::optional<ComplaintId>> insert_complaint_row(SqlSession& s, const Complaint& c,
                                                        std::string_view on_conflict) {
  const std::string columns = std::string(kComplaintColumns).substr(4);  // without "id, "
  const std::string insert = "INSERT INTO complaints (" + columns + ") VALUES (" +
                             placeholders(1, 49) + ")" + std::string(on_conflict) + " RETURNING id";
  if (s.dialect() == SqlDialect::postgresql) {
    // The complaint and its search-index row in one statement: one round trip
    // fewer per registration and per imported row.
    std::vector<SqlValue> values = complaint_params(c);
    values.emplace_back(SearchIndexRepo::postgres_document(c.subject, c.description));
    REDRESS_TRY(auto rows,
                s.query("WITH c AS (" + insert + "), " +
                            SearchIndexRepo::postgres_index_new("c", 50) + " SELECT id FROM c",
                        values));
    if (rows.empty()) return std::optional<ComplaintId>{};
    return std::optional<ComplaintId>(ComplaintId{rows.front().i64(0)});
  }
  REDRESS_TRY(auto rows, s.query(insert, complaint_params(c)));
  if (rows.empty()) return std::optional<ComplaintId>{};
  const ComplaintId id{rows.front().i64(0)};
  REDRESS_CHECK(SearchIndexRepo(s).add_complaint(id, c.subject, c.description));
  return std::optional<ComplaintId>(id);
}

}  // namespace

Result<ComplaintId> ComplaintRepo::insert(const Complaint& c) {
  REDRESS_TRY(auto id, insert_complaint_row(s_, c, ""));
  if (!id) return fail(Error::internal("INSERT INTO complaints returned no id"));
  return *id;
}

Result<std::optional<ComplaintId>> ComplaintRepo::insert_unless_code_taken(const Complaint& c) {
  return insert_complaint_row(s_, c, " ON CONFLICT (tracking_code) DO NOTHING");
}

Result<std::optional<Complaint>> ComplaintRepo::find(ComplaintId cid) const {
  const std::string sql = "SELECT " + kComplaintSelect + " FROM complaints WHERE id = $1";
  REDRESS_TRY(auto rows, s_.query(sql, params(cid.value)));
  if (rows.empty()) return std::optional<Complaint>{};
  return complaint_from_row(rows[0]);
}

Result<std::optional<Complaint>> ComplaintRepo::find_by_tracking_code(
    const std::string& code) const {
  const std::string sql =
      "SELECT " + kComplaintSelect + " FROM complaints WHERE tracking_code = $1";
  REDRESS_TRY(auto rows, s_.query(sql, params(code)));
  if (rows.empty()) return std::optional<Complaint>{};
  return complaint_from_row(rows[0]);
}

Result<std::int64_t> ComplaintRepo::update(const Complaint& c) {
  static const std::string sql = [] {
    const std::string columns = std::string(kComplaintColumns).substr(4);
    std::string set;
    int n = 1;
    std::size_t start = 0;
    while (start < columns.size()) {
      std::size_t end = columns.find(", ", start);
      if (end == std::string::npos) end = columns.size();
      const std::string col = columns.substr(start, end - start);
      if (!set.empty()) set += ", ";
      set += col + " = " + (col == "version" ? std::string("$5 + 1") : "$" + std::to_string(n));
      ++n;
      start = end + 2;
    }
    return "UPDATE complaints SET " + set + " WHERE id = $50 AND version = $5";
  }();
  auto p = complaint_params(c);
  p.push_back(c.id.value);
  REDRESS_TRY(auto changed, s_.exec(sql, p));
  if (changed == 0) {
    return fail(Error::conflict("the complaint was changed by someone else (version " +
                                std::to_string(c.version) + " is stale)"));
  }
  return c.version + 1;
}

Result<std::vector<Complaint>> ComplaintRepo::list(const ComplaintFilter& f) const {
  if (f.search) return list_page(f, Page::search);
  if (f.order == ComplaintFilter::Order::newest) return list_page(f, Page::newest);
  // Due order in two index-friendly phases: rows with a due time (due_at, id
  // ascending), then, when the page is not full, rows without one (id ascending).
  std::vector<Complaint> out;
  const bool past_due_rows = f.after_id > 0 && !f.after_due;
  if (!past_due_rows) {
    REDRESS_TRY(out, list_page(f, Page::with_due));
    if (static_cast<int>(out.size()) == f.limit || f.due_before) return out;
  }
  ComplaintFilter rest = f;
  rest.limit = f.limit - static_cast<int>(out.size());
  if (!past_due_rows) rest.after_id = 0;
  REDRESS_TRY(auto tail, list_page(rest, Page::without_due));
  for (Complaint& c : tail) out.push_back(std::move(c));
  return out;
}

Result<std::vector<Complaint>> ComplaintRepo::list_page(const ComplaintFilter& f, Page page) const {
  std::string sql = "SELECT " + kComplaintSelect + " FROM complaints WHERE 1 = 1";
  std::vector<SqlValue> p;
  auto bind = [&](SqlValue v) {
    p.push_back(std::move(v));
    return "$" + std::to_string(p.size());
  };
  const bool sqlite = s_.dialect() == SqlDialect::sqlite;
  std::string match;  // the search's parameter
  if (page == Page::search && f.search) {
    // The candidates: the newest kSearchCandidates matches that pass the
    // filters (the index joins its complaint, the filters below narrow it),
    // read newest first so the scan stops early; only they are ranked.
    match = bind(SearchIndexRepo::match_expression(s_.dialect(), *f.search));
    // The candidates read the complaint row only for a filter or a scope: a
    // search of everything (a director's) spares a B-tree seek per match.
    const bool filtered = f.state || f.department || f.urgency || f.category || f.assignee ||
                          f.received_from || f.received_to || f.scope || f.due_before;
    if (sqlite) {
      // Subject terms weigh four times body terms; bm25 is lower for better.
      sql =
          "SELECT complaint_search.rowid AS hit_id, bm25(complaint_search, 4.0, 1.0) AS score "
          "FROM complaint_search " +
          std::string(filtered ? "JOIN complaints ON complaints.id = complaint_search.rowid "
                               : "") +
          "WHERE complaint_search MATCH " + match;
    } else {
      sql =
          "SELECT complaint_search.complaint_id AS hit_id, complaint_search.doc AS doc "
          "FROM complaint_search " +
          std::string(filtered ? "JOIN complaints ON complaints.id = complaint_search.complaint_id "
                               : "") +
          "WHERE complaint_search.doc @@ " + match + "::tsquery";
    }
  }
  if (f.state) sql += " AND state = " + bind(name(*f.state));
  if (f.department) sql += " AND department_id = " + bind(f.department->value);
  if (f.urgency) sql += " AND urgency = " + bind(name(*f.urgency));
  if (f.category) sql += " AND category = " + bind(*f.category);
  if (f.assignee) sql += " AND assignee_id = " + bind(f.assignee->value);
  if (f.received_from) sql += " AND received_at >= " + bind(ms(*f.received_from));
  if (f.received_to) sql += " AND received_at < " + bind(ms(*f.received_to));
  if (f.scope) {
    std::string in;
    for (DepartmentId d : *f.scope) in += (in.empty() ? "" : ", ") + bind(d.value);
    std::string cond = in.empty() ? "0 = 1" : "department_id IN (" + in + ")";
    if (f.include_unrouted) cond = "(" + cond + " OR department_id IS NULL)";
    sql += " AND " + cond;
  }
  if (f.due_before) sql += " AND due_at < " + bind(ms(*f.due_before));
  switch (page) {
    case Page::newest:
      if (f.before_id > 0) sql += " AND id < " + bind(f.before_id);
      sql += " ORDER BY id DESC";
      break;
    case Page::with_due:
      sql += " AND due_at IS NOT NULL";
      if (f.after_due) {
        const std::string due = bind(ms(*f.after_due));
        // The first condition is the index range; the second skips the rows
        // of the cursor's own due time that were already listed.
        sql += " AND due_at >= " + due + " AND (due_at > " + due + " OR id > " + bind(f.after_id) +
               ")";
      }
      sql += " ORDER BY due_at, id";
      break;
    case Page::without_due:
      sql += " AND due_at IS NULL";
      if (f.after_id > 0) sql += " AND id > " + bind(f.after_id);
      sql += " ORDER BY id";
      break;
    case Page::search: {
      // The candidates are ranked on their own and only the page's rows are
      // joined to their complaints: joining all of them first read up to
      // kSearchCandidates complaint rows to keep 20 (42 -> 19 ms for
      // `refund` on PostgreSQL at 1M, bench/README.md).
      const std::string order = sqlite ? "score" : "score DESC";
      sql = "SELECT hit_id, " +
            (sqlite ? "score" : "ts_rank(doc, " + match + "::tsquery) AS score") + " FROM (" + sql +
            (sqlite ? " ORDER BY complaint_search.rowid DESC"
                    : " ORDER BY complaint_search.complaint_id DESC") +
            " LIMIT " + std::to_string(kSearchCandidates) + ") candidates ORDER BY " + order +
            ", hit_id LIMIT " + bind(static_cast<std::int64_t>(f.limit));
      if (f.search_offset > 0) sql += " OFFSET " + bind(f.search_offset);
      sql = "SELECT " + kComplaintSelect + " FROM (" + sql +
            ") hits JOIN complaints ON complaints.id = hits.hit_id ORDER BY hits." + order +
            ", complaints.id";
      break;
    }
  }
  if (page != Page::search) sql += " LIMIT " + bind(static_cast<std::int64_t>(f.limit));
  REDRESS_TRY(auto rows, s_.query(sql, p));
  std::vector<Complaint> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(complaint_from_row(r));
  return out;
}

Status ComplaintRepo::link(ComplaintId from, ComplaintId to, const std::string& kind) {
  REDRESS_TRY(
      auto changed,
      s_.exec("INSERT INTO complaint_links (complaint_id, related_id, kind) VALUES ($1, $2, "
              "$3) ON CONFLICT DO NOTHING",
              params(from.value, to.value, kind)));
  (void)changed;
  return {};
}

Result<std::optional<std::string>> ComplaintRepo::follow_up_code(ComplaintId original) const {
  REDRESS_TRY(auto rows, s_.query("SELECT tracking_code FROM complaints WHERE follow_up_of = $1 "
                                  "ORDER BY id DESC LIMIT 1",
                                  params(original.value)));
  if (rows.empty()) return std::optional<std::string>{};
  return std::optional<std::string>(rows[0].text(0));
}

// ---- customers --------------------------------------------------------------

Result<CustomerId> CustomerRepo::insert(const Customer& c) {
  REDRESS_TRY(auto rows, s_.query("INSERT INTO customers (name, email, phone, language, "
                                  "reply_channel) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                  std::vector<SqlValue>{c.name, c.email, c.phone, c.language,
                                                        name(c.reply_channel)}));
  return CustomerId{rows.at(0).i64(0)};
}

Result<std::optional<Instant>> CustomerRepo::erased_at(CustomerId cid) const {
  REDRESS_TRY(auto rows,
              s_.query("SELECT erased_at FROM customers WHERE id = $1", params(cid.value)));
  if (rows.empty()) return fail(Error::not_found("customer " + std::to_string(cid.value)));
  if (auto at = rows[0].opt_i64(0)) return std::optional<Instant>(from_epoch_ms(*at));
  return std::optional<Instant>{};
}

Result<std::vector<ComplaintId>> CustomerRepo::complaints_of(CustomerId cid) const {
  REDRESS_TRY(auto rows, s_.query("SELECT id FROM complaints WHERE customer_id = $1 ORDER BY id",
                                  params(cid.value)));
  std::vector<ComplaintId> out;
  for (const auto& r : rows) out.push_back(ComplaintId{r.i64(0)});
  return out;
}

// ---- erasure ------------------------------------------------------------------

Result<std::int64_t> ErasureRepo::customer(CustomerId cid, Instant at) {
  return s_.exec(
      "UPDATE customers SET name = '[erased]', email = '', phone = '', erased_at = $1 "
      "WHERE id = $2",
      params(to_epoch_ms(at), cid.value));
}

Result<std::int64_t> ErasureRepo::complaint_texts(ComplaintId cid,
                                                  const std::string& access_token_hash) {
  REDRESS_TRY(
      auto changed,
      s_.exec(
          "UPDATE complaints SET subject = '', description = '[erased]', demands = '', place = '', "
          "people_involved = '', object_ref = '', impact_customer = '', satisfaction_comment = '', "
          "customer_answer_reason = '', access_token_hash = $1 WHERE id = $2",
          params(access_token_hash, cid.value)));
  REDRESS_CHECK(SearchIndexRepo(s_).rebuild(cid));
  return changed;
}

// The rows written on complaint $1: still on it (and not moved there from
// another complaint by a merge), or moved elsewhere by a merge.
constexpr const char* kWrittenOn =
    "((complaint_id = $1 AND origin_complaint_id IS NULL) OR origin_complaint_id = $1)";

Result<std::int64_t> ErasureRepo::messages(ComplaintId cid) {
  REDRESS_TRY(auto holders, s_.query(std::string("SELECT DISTINCT complaint_id FROM messages "
                                                 "WHERE origin_complaint_id = $1"),
                                     params(cid.value)));
  REDRESS_TRY(auto changed,
              s_.exec(std::string("UPDATE messages SET body = '[erased]' WHERE ") + kWrittenOn,
                      params(cid.value)));
  REDRESS_CHECK(SearchIndexRepo(s_).rebuild(cid));
  // A merge took some of them to another complaint: its index forgets them too.
  for (const SqlRow& h : holders) REDRESS_CHECK(SearchIndexRepo(s_).rebuild(ComplaintId{h.i64(0)}));
  return changed;
}

Result<std::int64_t> ErasureRepo::feedback(ComplaintId cid) {
  return s_.exec("UPDATE feedback SET text = '' WHERE complaint_id = $1", params(cid.value));
}

Result<std::vector<std::string>> ErasureRepo::attachments(ComplaintId cid) {
  REDRESS_TRY(auto rows, s_.query(std::string("SELECT storage_key FROM attachments WHERE ") +
                                      kWrittenOn + " AND storage_key <> ''",
                                  params(cid.value)));
  std::vector<std::string> keys;
  for (const auto& r : rows) keys.push_back(r.text(0));
  REDRESS_TRY(auto changed, s_.exec(std::string("UPDATE attachments SET filename = '[erased]', "
                                                "storage_key = '' WHERE ") +
                                        kWrittenOn,
                                    params(cid.value)));
  (void)changed;
  return keys;
}

Result<bool> ErasureRepo::storage_key_used(const std::string& storage_key) const {
  REDRESS_TRY(auto rows, s_.query("SELECT 1 FROM attachments WHERE storage_key = $1 LIMIT 1",
                                  params(storage_key)));
  return !rows.empty();
}

Result<std::int64_t> ErasureRepo::outbox(ComplaintId cid) {
  return s_.exec(
      "UPDATE outbox SET recipient = '', payload = '{}', "
      "last_error = CASE WHEN state = 'pending' THEN 'personal data erased before delivery' "
      "WHEN last_error IS NULL THEN NULL ELSE '[erased]' END, "
      "state = CASE WHEN state = 'pending' THEN 'dead' ELSE state END "
      "WHERE complaint_id = $1 AND channel = 'mail' AND recipient NOT LIKE 'user:%'",
      params(cid.value));
}

Result<std::int64_t> ErasureRepo::idempotent_answers(const std::string& tracking_code) {
  return s_.exec("DELETE FROM idempotency_keys WHERE body LIKE $1",
                 params("%\"tracking_code\":\"" + tracking_code + "\"%"));
}

Result<std::optional<Customer>> CustomerRepo::find(CustomerId cid) const {
  REDRESS_TRY(auto rows, s_.query("SELECT id, name, email, phone, language, reply_channel FROM "
                                  "customers WHERE id = $1",
                                  params(cid.value)));
  if (rows.empty()) return std::optional<Customer>{};
  const auto& r = rows[0];
  return Customer{CustomerId{r.i64(0)},   r.text(1), r.text(2), r.text(3), r.text(4),
                  opt_enum<Channel>(r, 5)};
}

Result<std::vector<Customer>> CustomerRepo::find_many(std::span<const CustomerId> ids) const {
  std::vector<Customer> out;
  if (ids.empty()) return out;
  std::vector<SqlValue> p;
  const std::string in = append_in_list(p, ids, [](CustomerId id) { return SqlValue{id.value}; });
  REDRESS_TRY(auto rows, s_.query("SELECT id, name, email, phone, language, reply_channel FROM "
                                  "customers WHERE id IN (" +
                                      in + ")",
                                  p));
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back(Customer{CustomerId{r.i64(0)}, r.text(1), r.text(2), r.text(3), r.text(4),
                           opt_enum<Channel>(r, 5)});
  }
  return out;
}

// ---- case records -------------------------------------------------------------

Result<std::int64_t> CaseRecordRepo::add_cause(const Cause& c) {
  REDRESS_TRY(auto rows,
              s_.query("INSERT INTO causes (complaint_id, family, description, responsible, "
                       "five_whys, evidence, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, "
                       "$6, $7, $8) RETURNING id",
                       std::vector<SqlValue>{id(c.complaint), name(c.family), c.description,
                                             c.responsible, to_json_array(c.five_whys), c.evidence,
                                             id(c.recorded_by), ms(c.recorded_at)}));
  return rows.at(0).i64(0);
}

Result<std::vector<Cause>> CaseRecordRepo::causes(ComplaintId cid) const {
  REDRESS_TRY(auto rows, s_.query("SELECT id, complaint_id, family, description, responsible, "
                                  "five_whys, evidence, recorded_by, recorded_at FROM causes WHERE "
                                  "complaint_id = $1 ORDER BY id",
                                  params(cid.value)));
  std::vector<Cause> out;
  for (const auto& r : rows) {
    out.push_back(Cause{r.i64(0), ComplaintId{r.i64(1)}, req_enum(r, 2, CauseFamily::method),
                        r.text(3), r.text(4), from_json_array(r.text(5)), r.text(6),
                        UserId{r.i64(7)}, from_epoch_ms(r.i64(8))});
  }
  return out;
}

Result<std::int64_t> CaseRecordRepo::add_remedy(const Remedy& m) {
  REDRESS_TRY(auto rows,
              s_.query("INSERT INTO remedies (complaint_id, plan_round, type, "
                       "description, amount, currency) VALUES ($1, $2, $3, $4, $5, $6) "
                       "RETURNING id",
                       std::vector<SqlValue>{id(m.complaint),
                                             static_cast<std::int64_t>(m.plan_round), name(m.type),
                                             m.description, sql_value(m.amount), m.currency}));
  return rows.at(0).i64(0);
}

Result<std::vector<Remedy>> CaseRecordRepo::remedies(ComplaintId cid, int plan_round) const {
  REDRESS_TRY(auto rows, s_.query("SELECT id, complaint_id, plan_round, type, description, amount, "
                                  "currency FROM remedies WHERE complaint_id = $1 AND plan_round = "
                                  "$2 ORDER BY id",
                                  params(cid.value, plan_round)));
  std::vector<Remedy> out;
  for (const auto& r : rows) {
    out.push_back(Remedy{r.i64(0), ComplaintId{r.i64(1)}, static_cast<int>(r.i64(2)),
                         req_enum(r, 3, RemedyType::other), r.text(4), r.opt_f64(5), r.text(6)});
  }
  return out;
}

Result<std::vector<Remedy>> CaseRecordRepo::remedies_of(std::span<const ComplaintId> ids) const {
  std::vector<Remedy> out;
  if (ids.empty()) return out;
  std::vector<SqlValue> p;
  const std::string in = append_in_list(p, ids, [](ComplaintId id) { return SqlValue{id.value}; });
  REDRESS_TRY(auto rows, s_.query("SELECT id, complaint_id, plan_round, type, description, amount, "
                                  "currency FROM remedies WHERE complaint_id IN (" +
                                      in + ") ORDER BY id",
                                  p));
  for (const auto& r : rows) {
    out.push_back(Remedy{r.i64(0), ComplaintId{r.i64(1)}, static_cast<int>(r.i64(2)),
                         req_enum(r, 3, RemedyType::other), r.text(4), r.opt_f64(5), r.text(6)});
  }
  return out;
}

Result<std::int64_t> CaseRecordRepo::add_task(const Task& t) {
  REDRESS_TRY(auto rows, s_.query("INSERT INTO tasks (complaint_id, title, kind, owner_id, due_at, "
                                  "status, notes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                                  "$8) RETURNING id",
                                  std::vector<SqlValue>{id(t.complaint), t.title, name(t.kind),
                                                        id(t.owner), ms(t.due_at), name(t.status),
                                                        to_json_array(t.notes), ms(t.created_at)}));
  return rows.at(0).i64(0);
}

Status CaseRecordRepo::update_task(const Task& t) {
  return ok_if_changed(
      s_.exec("UPDATE tasks SET title = $1, kind = $2, owner_id = $3, due_at = $4, status = $5, "
              "notes = $6 WHERE id = $7 AND complaint_id = $8",
              std::vector<SqlValue>{t.title, name(t.kind), id(t.owner), ms(t.due_at),
                                    name(t.status), to_json_array(t.notes), t.id, id(t.complaint)}),
      "task");
}

Result<std::vector<Task>> CaseRecordRepo::tasks(ComplaintId cid) const {
  REDRESS_TRY(auto rows,
              s_.query("SELECT id, complaint_id, title, kind, owner_id, due_at, status, "
                       "notes, created_at FROM tasks WHERE complaint_id = $1 ORDER BY id",
                       params(cid.value)));
  std::vector<Task> out;
  for (const auto& r : rows) {
    out.push_back(Task{r.i64(0), ComplaintId{r.i64(1)}, r.text(2),
                       req_enum(r, 3, TaskKind::corrective), opt_id<UserTag>(r, 4),
                       opt_instant(r, 5), req_enum(r, 6, TaskStatus::open),
                       from_json_array(r.text(7)), from_epoch_ms(r.i64(8))});
  }
  return out;
}

Result<std::int64_t> CaseRecordRepo::add_message(const Message& m) {
  static const std::string kInsert =
      "INSERT INTO messages (complaint_id, direction, channel, kind, body, author_id, at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
  std::vector<SqlValue> values{id(m.complaint), name(m.direction), name(m.channel), m.kind,
                               m.body,          id(m.author),      ms(m.at)};
  const bool postgres = s_.dialect() == SqlDialect::postgresql;
  std::string document =
      postgres ? SearchIndexRepo::postgres_message_document(m.kind, m.body) : std::string();
  if (!document.empty()) {
    // The message and its search-index terms in one statement (one round trip).
    values.emplace_back(std::move(document));
    REDRESS_TRY(auto rows,
                s_.query("WITH m AS (" + kInsert + "), " +
                             SearchIndexRepo::postgres_index_message(1, 8) + " SELECT id FROM m",
                         values));
    return rows.at(0).i64(0);
  }
  REDRESS_TRY(auto rows, s_.query(kInsert, values));
  if (!postgres) REDRESS_CHECK(SearchIndexRepo(s_).add_message(m.complaint, m.kind, m.body));
  return rows.at(0).i64(0);
}

Result<std::vector<Message>> CaseRecordRepo::messages(ComplaintId cid) const {
  REDRESS_TRY(auto rows, s_.query("SELECT id, complaint_id, direction, channel, kind, body, "
                                  "author_id, at FROM messages WHERE complaint_id = $1 ORDER BY id",
                                  params(cid.value)));
  std::vector<Message> out;
  for (const auto& r : rows) {
    out.push_back(Message{r.i64(0), ComplaintId{r.i64(1)}, req_enum(r, 2, Direction::internal),
                          req_enum(r, 3, Channel::api), r.text(4), r.text(5), opt_id<UserTag>(r, 6),
                          from_epoch_ms(r.i64(7))});
  }
  return out;
}

Result<std::int64_t> CaseRecordRepo::add_attachment(const Attachment& a) {
  REDRESS_TRY(auto rows,
              s_.query("INSERT INTO attachments (complaint_id, filename, content_type, "
                       "size, sha256, storage_key, uploaded_by, at, by_customer) "
                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                       std::vector<SqlValue>{id(a.complaint), a.filename, a.content_type, a.size,
                                             a.sha256, a.storage_key, id(a.uploaded_by), ms(a.at),
                                             sql_value(a.by_customer)}));
  return rows.at(0).i64(0);
}

namespace {

constexpr const char* kAttachmentColumns =
    "SELECT id, complaint_id, filename, content_type, size, sha256, storage_key, uploaded_by, at, "
    "by_customer FROM attachments WHERE ";

std::vector<Attachment> attachment_rows(const std::vector<SqlRow>& rows) {
  std::vector<Attachment> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back(Attachment{r.i64(0), ComplaintId{r.i64(1)}, r.text(2), r.text(3), r.i64(4),
                             r.text(5), r.text(6), opt_id<UserTag>(r, 7), from_epoch_ms(r.i64(8)),
                             r.i64(9) != 0});
  }
  return out;
}

}  // namespace

Result<std::vector<Attachment>> CaseRecordRepo::attachments(ComplaintId cid) const {
  REDRESS_TRY(auto rows, s_.query(std::string(kAttachmentColumns) + "complaint_id = $1 ORDER BY id",
                                  params(cid.value)));
  return attachment_rows(rows);
}

Result<std::vector<Attachment>> CaseRecordRepo::customer_attachments(ComplaintId cid) const {
  REDRESS_TRY(auto rows, s_.query(std::string(kAttachmentColumns) +
                                      "by_customer = 1 AND COALESCE(origin_complaint_id, "
                                      "complaint_id) = $1 ORDER BY id",
                                  params(cid.value)));
  return attachment_rows(rows);
}

Result<std::int64_t> CaseRecordRepo::add_accountability(const AccountabilityEntry& e) {
  REDRESS_TRY(
      auto rows,
      s_.query("INSERT INTO accountability (complaint_id, kind, subject, finding, "
               "loss_amount, proposed_sanction, proposed_deduction_percent, "
               "sanction_rule_id, sanction, deduction_percent, confirmed_by, confirmed_at, "
               "recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
               "$11, $12, $13, $14) RETURNING id",
               std::vector<SqlValue>{
                   id(e.complaint), e.kind, e.subject, e.finding, sql_value(e.loss_amount),
                   e.proposed_sanction, sql_value(e.proposed_deduction_percent),
                   sql_value(e.sanction_rule_id), e.sanction, sql_value(e.deduction_percent),
                   id(e.confirmed_by), ms(e.confirmed_at), id(e.recorded_by), ms(e.recorded_at)}));
  return rows.at(0).i64(0);
}

Status CaseRecordRepo::update_accountability(const AccountabilityEntry& e) {
  return ok_if_changed(
      s_.exec("UPDATE accountability SET sanction = $1, deduction_percent = $2, confirmed_by = $3, "
              "confirmed_at = $4 WHERE id = $5 AND complaint_id = $6",
              std::vector<SqlValue>{e.sanction, sql_value(e.deduction_percent), id(e.confirmed_by),
                                    ms(e.confirmed_at), e.id, id(e.complaint)}),
      "accountability entry");
}

Result<std::vector<AccountabilityEntry>> CaseRecordRepo::accountability(ComplaintId cid) const {
  REDRESS_TRY(auto rows,
              s_.query("SELECT id, complaint_id, kind, subject, finding, loss_amount, "
                       "proposed_sanction, proposed_deduction_percent, sanction_rule_id, sanction, "
                       "deduction_percent, confirmed_by, confirmed_at, recorded_by, recorded_at "
                       "FROM accountability WHERE complaint_id = $1 ORDER BY id",
                       params(cid.value)));
  std::vector<AccountabilityEntry> out;
  for (const auto& r : rows) {
    AccountabilityEntry e;
    e.id = r.i64(0);
    e.complaint = ComplaintId{r.i64(1)};
    e.kind = r.text(2);
    e.subject = r.text(3);
    e.finding = r.text(4);
    e.loss_amount = r.opt_f64(5);
    e.proposed_sanction = r.text(6);
    e.proposed_deduction_percent = r.opt_f64(7);
    e.sanction_rule_id = r.opt_i64(8);
    e.sanction = r.text(9);
    e.deduction_percent = r.opt_f64(10);
    e.confirmed_by = opt_id<UserTag>(r, 11);
    e.confirmed_at = opt_instant(r, 12);
    e.recorded_by = UserId{r.i64(13)};
    e.recorded_at = from_epoch_ms(r.i64(14));
    out.push_back(std::move(e));
  }
  return out;
}

Status CaseRecordRepo::replace_improvement_actions(ComplaintId cid,
                                                   const std::vector<ImprovementAction>& actions) {
  REDRESS_TRY(auto removed, s_.exec("DELETE FROM improvement_actions WHERE complaint_id = $1",
                                    params(cid.value)));
  (void)removed;
  for (const auto& a : actions) {
    REDRESS_TRY(auto added,
                s_.exec("INSERT INTO improvement_actions (complaint_id, title, owner_id, due_at, "
                        "resources, status) VALUES ($1, $2, $3, $4, $5, $6)",
                        std::vector<SqlValue>{cid.value, a.title, id(a.owner), ms(a.due_at),
                                              a.resources, a.status}));
    (void)added;
  }
  return {};
}

Result<std::vector<ImprovementAction>> CaseRecordRepo::improvement_actions(ComplaintId cid) const {
  REDRESS_TRY(auto rows, s_.query("SELECT id, complaint_id, title, owner_id, due_at, resources, "
                                  "status FROM improvement_actions WHERE complaint_id = $1 ORDER "
                                  "BY id",
                                  params(cid.value)));
  std::vector<ImprovementAction> out;
  for (const auto& r : rows) {
    out.push_back(ImprovementAction{r.i64(0), ComplaintId{r.i64(1)}, r.text(2),
                                    opt_id<UserTag>(r, 3), opt_instant(r, 4), r.text(5),
                                    r.text(6)});
  }
  return out;
}

Result<std::int64_t> CaseRecordRepo::add_feedback(const Feedback& f) {
  std::optional<std::int64_t> score;
  if (f.score) score = *f.score;
  REDRESS_TRY(auto rows, s_.query("INSERT INTO feedback (complaint_id, kind, score, text, source, "
                                  "at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                                  std::vector<SqlValue>{id(f.complaint), f.kind, sql_value(score),
                                                        f.text, f.source, ms(f.at)}));
  return rows.at(0).i64(0);
}

Result<std::vector<Feedback>> CaseRecordRepo::feedback(ComplaintId cid) const {
  REDRESS_TRY(auto rows, s_.query("SELECT id, complaint_id, kind, score, text, source, at FROM "
                                  "feedback WHERE complaint_id = $1 ORDER BY id",
                                  params(cid.value)));
  std::vector<Feedback> out;
  for (const auto& r : rows) {
    Feedback f{r.i64(0),  ComplaintId{r.i64(1)},  r.text(2), std::nullopt, r.text(4),
               r.text(5), from_epoch_ms(r.i64(6))};
    if (auto s = r.opt_i64(3)) f.score = static_cast<int>(*s);
    out.push_back(std::move(f));
  }
  return out;
}

// ---- events ---------------------------------------------------------------------

namespace {
constexpr const char* kEventColumns =
    "id, complaint_id, at, actor_kind, actor_id, action, from_state, to_state, data, prev_hash, "
    "hash, hash_version";

Event event_from_row(const SqlRow& r) {
  return Event{r.i64(0),
               ComplaintId{r.i64(1)},
               from_epoch_ms(r.i64(2)),
               r.text(3),
               opt_id<UserTag>(r, 4),
               r.text(5),
               opt_enum<State>(r, 6),
               opt_enum<State>(r, 7),
               r.text(8),
               r.text(9),
               r.text(10),
               static_cast<int>(r.i64(11))};
}
}  // namespace

Result<std::int64_t> EventRepo::append(const Event& e) {
  REDRESS_TRY(
      auto rows,
      s_.query("INSERT INTO events (complaint_id, at, actor_kind, actor_id, "
               "action, from_state, to_state, data, prev_hash, hash, hash_version) VALUES "
               "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
               std::vector<SqlValue>{id(e.complaint), ms(e.at), e.actor_kind, id(e.actor), e.action,
                                     name(e.from_state), name(e.to_state), e.data, e.prev_hash,
                                     e.hash, static_cast<std::int64_t>(e.hash_version)}));
  // The chain's tail moves to this event; a tail not memoised is read again when needed.
  if (TxMemo* memo = s_.tx_memo(); memo != nullptr && memo->event_chain_tail) {
    memo->event_chain_tail = e.hash;
  }
  return rows.at(0).i64(0);
}

Status EventRepo::redact(std::int64_t event_id, const std::string& data) {
  REDRESS_TRY(auto changed,
              s_.exec("UPDATE events SET data = $1 WHERE id = $2", params(data, event_id)));
  if (changed != 1) return fail(Error::not_found("event " + std::to_string(event_id)));
  return {};
}

Result<std::string> EventRepo::last_hash() const {
  REDRESS_TRY(auto rows, s_.query("SELECT hash FROM events ORDER BY id DESC LIMIT 1", {}));
  if (rows.empty()) return std::string();
  return rows[0].text(0);
}

Result<std::string> EventRepo::last_hash_for_append() {
  REDRESS_CHECK(s_.lock_until_commit(TxLock::event_chain));
  TxMemo* memo = s_.tx_memo();
  if (memo != nullptr && memo->event_chain_tail) return *memo->event_chain_tail;
  REDRESS_TRY(auto tail, last_hash());
  if (memo != nullptr) memo->event_chain_tail = tail;
  return tail;
}

Result<std::vector<Event>> EventRepo::for_complaint(ComplaintId cid) const {
  REDRESS_TRY(auto rows, s_.query(std::string("SELECT ") + kEventColumns +
                                      " FROM events WHERE complaint_id = $1 ORDER BY id",
                                  params(cid.value)));
  std::vector<Event> out;
  for (const auto& r : rows) out.push_back(event_from_row(r));
  return out;
}

Result<std::vector<Event>> EventRepo::scan(std::int64_t after_id, int limit) const {
  REDRESS_TRY(auto rows, s_.query(std::string("SELECT ") + kEventColumns +
                                      " FROM events WHERE id > $1 ORDER BY id LIMIT $2",
                                  params(after_id, limit)));
  std::vector<Event> out;
  for (const auto& r : rows) out.push_back(event_from_row(r));
  return out;
}

// ---- directory --------------------------------------------------------------------

namespace {
std::string join_roles(const std::vector<Role>& roles) {
  std::string out;
  for (Role r : roles) out += (out.empty() ? "" : ",") + std::string(to_string(r));
  return out;
}
std::vector<Role> split_roles(const std::string& text) {
  std::vector<Role> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (auto r = parse<Role>(std::string_view(text).substr(start, end - start))) out.push_back(*r);
    start = end + 1;
  }
  return out;
}
constexpr const char* kUserColumns =
    "id, username, password_hash, display_name, roles, department_id, wide_scope, language, "
    "active, created_at, email";
User user_from_row(const SqlRow& r) {
  return User{UserId{r.i64(0)},
              r.text(1),
              r.text(2),
              r.text(3),
              split_roles(r.text(4)),
              opt_id<DepartmentTag>(r, 5),
              r.i64(6) != 0,
              r.text(7),
              r.i64(8) != 0,
              from_epoch_ms(r.i64(9)),
              r.text(10)};
}
Department department_from_row(const SqlRow& r) {
  return Department{DepartmentId{r.i64(0)}, r.text(1),    r.text(2), opt_id<DepartmentTag>(r, 3),
                    opt_id<UserTag>(r, 4),  r.i64(5) != 0};
}
}  // namespace

Result<UserId> DirectoryRepo::add_user(const User& u) {
  REDRESS_TRY(
      auto rows,
      s_.query("INSERT INTO users (username, password_hash, display_name, roles, "
               "department_id, wide_scope, language, active, created_at, email) VALUES "
               "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
               std::vector<SqlValue>{u.username, u.password_hash, u.display_name,
                                     join_roles(u.roles), id(u.department), sql_value(u.wide_scope),
                                     u.language, sql_value(u.active), ms(u.created_at), u.email}));
  return UserId{rows.at(0).i64(0)};
}

Result<std::optional<User>> DirectoryRepo::user(UserId uid) const {
  REDRESS_TRY(auto rows,
              s_.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1",
                       params(uid.value)));
  if (rows.empty()) return std::optional<User>{};
  return user_from_row(rows[0]);
}

Result<std::optional<User>> DirectoryRepo::user_by_name(const std::string& username) const {
  REDRESS_TRY(auto rows,
              s_.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE username = $1",
                       params(username)));
  if (rows.empty()) return std::optional<User>{};
  return user_from_row(rows[0]);
}

Result<std::vector<User>> DirectoryRepo::users() const {
  REDRESS_TRY(auto rows,
              s_.query(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY id", {}));
  std::vector<User> out;
  for (const auto& r : rows) out.push_back(user_from_row(r));
  return out;
}

Status DirectoryRepo::lock_administrators() {
  return s_.lock_until_commit(TxLock::administrators);
}

Status DirectoryRepo::update_user(const User& u) {
  return ok_if_changed(
      s_.exec("UPDATE users SET password_hash = $1, display_name = $2, roles = $3, department_id = "
              "$4, wide_scope = $5, language = $6, active = $7, email = $8 WHERE id = $9",
              std::vector<SqlValue>{u.password_hash, u.display_name, join_roles(u.roles),
                                    id(u.department), sql_value(u.wide_scope), u.language,
                                    sql_value(u.active), u.email, id(u.id)}),
      "user");
}

Result<DepartmentId> DirectoryRepo::add_department(const Department& d) {
  REDRESS_TRY(auto rows,
              s_.query("INSERT INTO departments (code, name, parent_id, supervisor_id, active) "
                       "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                       std::vector<SqlValue>{d.code, d.name, id(d.parent), id(d.supervisor),
                                             sql_value(d.active)}));
  return DepartmentId{rows.at(0).i64(0)};
}

Result<std::optional<Department>> DirectoryRepo::department(DepartmentId did) const {
  REDRESS_TRY(auto rows,
              s_.query("SELECT id, code, name, parent_id, supervisor_id, active FROM departments "
                       "WHERE id = $1",
                       params(did.value)));
  if (rows.empty()) return std::optional<Department>{};
  return department_from_row(rows[0]);
}

Result<std::vector<Department>> DirectoryRepo::departments() const {
  REDRESS_TRY(auto rows,
              s_.query("SELECT id, code, name, parent_id, supervisor_id, active FROM departments "
                       "ORDER BY id",
                       {}));
  std::vector<Department> out;
  for (const auto& r : rows) out.push_back(department_from_row(r));
  return out;
}

Status DirectoryRepo::update_department(const Department& d) {
  return ok_if_changed(s_.exec("UPDATE departments SET code = $1, name = $2, parent_id = $3, "
                               "supervisor_id = $4, active = $5 WHERE id = $6",
                               std::vector<SqlValue>{d.code, d.name, id(d.parent), id(d.supervisor),
                                                     sql_value(d.active), id(d.id)}),
                       "department");
}

Status DirectoryRepo::add_category(const Category& c) {
  REDRESS_TRY(auto changed, s_.exec("INSERT INTO categories (code, name, parent_code, active) "
                                    "VALUES ($1, $2, $3, $4)",
                                    std::vector<SqlValue>{c.code, c.name, sql_value(c.parent_code),
                                                          sql_value(c.active)}));
  (void)changed;
  return {};
}

namespace {
Category category_from_row(const SqlRow& r) {
  return Category{r.text(0), r.text(1), r.opt_text(2), r.i64(3) != 0};
}
}  // namespace

Result<std::optional<Category>> DirectoryRepo::category(const std::string& code) const {
  REDRESS_TRY(auto rows, s_.query("SELECT code, name, parent_code, active FROM categories "
                                  "WHERE code = $1",
                                  params(code)));
  if (rows.empty()) return std::optional<Category>{};
  return category_from_row(rows[0]);
}

Result<std::vector<Category>> DirectoryRepo::categories() const {
  REDRESS_TRY(auto rows, s_.query("SELECT code, name, parent_code, active FROM categories "
                                  "ORDER BY code",
                                  {}));
  std::vector<Category> out;
  for (const auto& r : rows) out.push_back(category_from_row(r));
  return out;
}

Status DirectoryRepo::update_category(const Category& c) {
  return ok_if_changed(
      s_.exec("UPDATE categories SET name = $1, parent_code = $2, active = $3 WHERE code = $4",
              std::vector<SqlValue>{c.name, sql_value(c.parent_code), sql_value(c.active), c.code}),
      "category");
}

Result<std::int64_t> DirectoryRepo::add_change(const AdminChange& c) {
  REDRESS_TRY(auto rows,
              s_.query("INSERT INTO admin_changes (at, actor_id, entity, entity_key, action, "
                       "before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                       std::vector<SqlValue>{ms(c.at), id(c.actor), c.entity, c.key, c.action,
                                             c.before, c.after}));
  return rows.at(0).i64(0);
}

Result<std::vector<AdminChange>> DirectoryRepo::changes(const std::optional<std::string>& entity,
                                                        const std::optional<std::string>& key,
                                                        std::int64_t before,
                                                        std::int64_t limit) const {
  // Filters are added only when set: PostgreSQL cannot type a NULL in "$1 IS NULL".
  std::string sql =
      "SELECT id, at, actor_id, entity, entity_key, action, before_json, after_json FROM "
      "admin_changes";
  std::vector<SqlValue> args;
  if (entity) {
    args.emplace_back(*entity);
    sql += " WHERE entity = $" + std::to_string(args.size());
  }
  if (key) {
    args.emplace_back(*key);
    sql +=
        std::string(entity ? " AND" : " WHERE") + " entity_key = $" + std::to_string(args.size());
  }
  if (before > 0) {
    args.push_back(sql_value(before));
    sql +=
        std::string(args.size() > 1 ? " AND" : " WHERE") + " id < $" + std::to_string(args.size());
  }
  args.push_back(sql_value(limit));
  sql += " ORDER BY id DESC LIMIT $" + std::to_string(args.size());
  REDRESS_TRY(auto rows, s_.query(sql, args));
  std::vector<AdminChange> out;
  for (const auto& r : rows) {
    out.push_back(AdminChange{r.i64(0), from_epoch_ms(r.i64(1)), opt_id<UserTag>(r, 2), r.text(3),
                              r.text(4), r.text(5), r.text(6), r.text(7)});
  }
  return out;
}

// ---- auth ---------------------------------------------------------------------------

Status AuthRepo::add_session(const SessionRecord& s) {
  REDRESS_TRY(
      auto changed,
      s_.exec("INSERT INTO sessions (token_hash, user_id, csrf_token, "
              "created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6)",
              std::vector<SqlValue>{s.token_hash, id(s.user), s.csrf_token, ms(s.created_at),
                                    ms(s.expires_at), ms(s.last_seen_at)}));
  (void)changed;
  return {};
}

Result<std::optional<SessionRecord>> AuthRepo::session(const std::string& token_hash) const {
  REDRESS_TRY(auto rows, s_.query("SELECT token_hash, user_id, csrf_token, created_at, expires_at, "
                                  "last_seen_at FROM sessions WHERE token_hash = $1",
                                  params(token_hash)));
  if (rows.empty()) return std::optional<SessionRecord>{};
  const auto& r = rows[0];
  return SessionRecord{r.text(0),
                       UserId{r.i64(1)},
                       r.text(2),
                       from_epoch_ms(r.i64(3)),
                       from_epoch_ms(r.i64(4)),
                       from_epoch_ms(r.i64(5))};
}

Status AuthRepo::touch_session(const std::string& token_hash, Instant at) {
  REDRESS_TRY(auto changed, s_.exec("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2",
                                    params(to_epoch_ms(at), token_hash)));
  (void)changed;
  return {};
}

Result<std::int64_t> AuthRepo::delete_sessions_of(UserId user) {
  return s_.exec("DELETE FROM sessions WHERE user_id = $1", params(user.value));
}

Status AuthRepo::add_login_failure(const std::string& username, Instant at) {
  REDRESS_TRY(auto changed, s_.exec("INSERT INTO login_failures (username, at) VALUES ($1, $2)",
                                    params(username, to_epoch_ms(at))));
  (void)changed;
  return {};
}

Result<std::vector<Instant>> AuthRepo::login_failures(const std::string& username,
                                                      Instant since) const {
  REDRESS_TRY(auto rows, s_.query("SELECT at FROM login_failures WHERE username = $1 AND at >= $2 "
                                  "ORDER BY at",
                                  params(username, to_epoch_ms(since))));
  std::vector<Instant> out;
  for (const auto& r : rows) out.push_back(from_epoch_ms(r.i64(0)));
  return out;
}

Status AuthRepo::clear_login_failures(const std::string& username, Instant before) {
  REDRESS_TRY(auto changed, s_.exec("DELETE FROM login_failures WHERE username = $1 OR at < $2",
                                    params(username, to_epoch_ms(before))));
  (void)changed;
  return {};
}

Result<std::int64_t> AuthRepo::count_request(const std::string& key, Instant window_start) {
  REDRESS_TRY(auto rows, s_.query("INSERT INTO rate_limits (key, window_start, count) "
                                  "VALUES ($1, $2, 1) ON CONFLICT (key, window_start) "
                                  "DO UPDATE SET count = rate_limits.count + 1 RETURNING count",
                                  params(key, to_epoch_ms(window_start))));
  const std::int64_t count = rows.at(0).i64(0);
  if (count == 1) {  // a new window: the older ones have done their work
    REDRESS_TRY(auto gone, s_.exec("DELETE FROM rate_limits WHERE window_start < $1",
                                   params(to_epoch_ms(window_start))));
    (void)gone;
  }
  return count;
}

Status AuthRepo::delete_session(const std::string& token_hash) {
  REDRESS_TRY(auto changed,
              s_.exec("DELETE FROM sessions WHERE token_hash = $1", params(token_hash)));
  (void)changed;
  return {};
}

Status AuthRepo::add_api_token(const std::string& token_hash, UserId user, const std::string& n,
                               Instant at) {
  REDRESS_TRY(auto changed,
              s_.exec("INSERT INTO api_tokens (token_hash, user_id, name, created_at) "
                      "VALUES ($1, $2, $3, $4)",
                      std::vector<SqlValue>{token_hash, id(user), n, ms(at)}));
  (void)changed;
  return {};
}

Result<std::optional<UserId>> AuthRepo::api_token_user(const std::string& token_hash) const {
  REDRESS_TRY(auto rows,
              s_.query("SELECT user_id FROM api_tokens WHERE token_hash = $1", params(token_hash)));
  if (rows.empty()) return std::optional<UserId>{};
  return UserId{rows[0].i64(0)};
}

// ---- rules ------------------------------------------------------------------------------

namespace {
std::vector<SqlValue> routing_params(const RoutingRule& r) {
  return {static_cast<std::int64_t>(r.position),
          r.name,
          name(r.kind),
          sql_value(r.category),
          name(r.channel),
          name(r.urgency),
          to_json_array(r.keywords),
          r.department_id,
          sql_value(r.assignee_id),
          sql_value(r.active)};
}
std::vector<SqlValue> policy_params(const Policy& p) {
  return {p.name,
          sql_value(p.category),
          name(p.urgency),
          sql_value(p.supervisor_approval),
          sql_value(p.director_for_urgent),
          sql_value(p.director_compensation_threshold),
          sql_value(p.customer_agreement),
          sql_value(p.qa_verification),
          static_cast<std::int64_t>(p.reopen_window_days),
          static_cast<std::int64_t>(p.appeal_window_days)};
}
}  // namespace

Result<std::int64_t> RuleRepo::add_routing_rule(const RoutingRule& r) {
  REDRESS_TRY(auto rows, s_.query("INSERT INTO routing_rules (position, name, kind, category, "
                                  "channel, urgency, keywords, department_id, assignee_id, active) "
                                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                                  routing_params(r)));
  return rows.at(0).i64(0);
}

Status RuleRepo::update_routing_rule(const RoutingRule& r) {
  auto p = routing_params(r);
  p.push_back(r.id);
  return ok_if_changed(s_.exec("UPDATE routing_rules SET position = $1, name = $2, kind = $3, "
                               "category = $4, channel = $5, urgency = $6, keywords = $7, "
                               "department_id = $8, assignee_id = $9, active = $10 WHERE id = $11",
                               p),
                       "routing rule");
}

Status RuleRepo::delete_routing_rule(std::int64_t rule_id) {
  return ok_if_changed(s_.exec("DELETE FROM routing_rules WHERE id = $1", params(rule_id)),
                       "routing rule");
}

Result<std::vector<RoutingRule>> RuleRepo::routing_rules() const {
  REDRESS_TRY(auto rows, s_.query("SELECT id, position, name, kind, category, channel, urgency, "
                                  "keywords, department_id, assignee_id, active FROM routing_rules "
                                  "ORDER BY position, id",
                                  {}));
  std::vector<RoutingRule> out;
  for (const auto& r : rows) {
    out.push_back(RoutingRule{r.i64(0), static_cast<int>(r.i64(1)), r.text(2), opt_enum<Kind>(r, 3),
                              r.opt_text(4), opt_enum<Channel>(r, 5), opt_enum<Urgency>(r, 6),
                              from_json_array(r.text(7)), r.i64(8), r.opt_i64(9), r.i64(10) != 0});
  }
  return out;
}

Result<std::int64_t> RuleRepo::add_sanction_rule(const SanctionRule& r) {
  REDRESS_TRY(auto rows,
              s_.query("INSERT INTO sanction_rules (min_loss, max_loss, sanction, "
                       "wage_deduction_percent) VALUES ($1, $2, $3, $4) RETURNING id",
                       std::vector<SqlValue>{r.min_loss, sql_value(r.max_loss), r.sanction,
                                             sql_value(r.wage_deduction_percent)}));
  return rows.at(0).i64(0);
}

Status RuleRepo::delete_sanction_rule(std::int64_t rule_id) {
  return ok_if_changed(s_.exec("DELETE FROM sanction_rules WHERE id = $1", params(rule_id)),
                       "sanction rule");
}

Result<std::vector<SanctionRule>> RuleRepo::sanction_rules() const {
  REDRESS_TRY(auto rows, s_.query("SELECT id, min_loss, max_loss, sanction, wage_deduction_percent "
                                  "FROM sanction_rules ORDER BY min_loss, id",
                                  {}));
  std::vector<SanctionRule> out;
  for (const auto& r : rows) {
    out.push_back(SanctionRule{r.i64(0), r.f64(1), r.opt_f64(2), r.text(3), r.opt_f64(4)});
  }
  return out;
}

Result<std::int64_t> RuleRepo::add_policy(const Policy& p) {
  REDRESS_TRY(auto rows,
              s_.query("INSERT INTO policies (name, category, urgency, supervisor_approval, "
                       "director_for_urgent, director_compensation_threshold, customer_agreement, "
                       "qa_verification, reopen_window_days, appeal_window_days) VALUES ($1, $2, "
                       "$3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                       policy_params(p)));
  return rows.at(0).i64(0);
}

Status RuleRepo::update_policy(const Policy& p) {
  auto v = policy_params(p);
  v.push_back(p.id);
  return ok_if_changed(
      s_.exec("UPDATE policies SET name = $1, category = $2, urgency = $3, supervisor_approval = "
              "$4, director_for_urgent = $5, director_compensation_threshold = $6, "
              "customer_agreement = $7, qa_verification = $8, reopen_window_days = $9, "
              "appeal_window_days = $10 WHERE id = $11",
              v),
      "policy");
}

Result<std::vector<Policy>> RuleRepo::policies() const {
  REDRESS_TRY(auto rows,
              s_.query("SELECT id, name, category, urgency, supervisor_approval, "
                       "director_for_urgent, director_compensation_threshold, customer_agreement, "
                       "qa_verification, reopen_window_days, appeal_window_days FROM policies "
                       "ORDER BY id",
                       {}));
  std::vector<Policy> out;
  for (const auto& r : rows) {
    Policy p;
    p.id = r.i64(0);
    p.name = r.text(1);
    p.category = r.opt_text(2);
    p.urgency = opt_enum<Urgency>(r, 3);
    p.supervisor_approval = r.i64(4) != 0;
    p.director_for_urgent = r.i64(5) != 0;
    p.director_compensation_threshold = r.opt_f64(6);
    p.customer_agreement = r.i64(7) != 0;
    p.qa_verification = r.i64(8) != 0;
    p.reopen_window_days = static_cast<int>(r.i64(9));
    p.appeal_window_days = static_cast<int>(r.i64(10));
    out.push_back(std::move(p));
  }
  return out;
}

// ---- idempotency and outbox -------------------------------------------------------------

Result<std::optional<StoredResponse>> IdempotencyRepo::find(const std::string& scope,
                                                            const std::string& key) const {
  REDRESS_TRY(auto rows, s_.query("SELECT request_hash, status, body FROM idempotency_keys WHERE "
                                  "scope = $1 AND key = $2",
                                  params(scope, key)));
  if (rows.empty()) return std::optional<StoredResponse>{};
  return StoredResponse{rows[0].text(0), static_cast<int>(rows[0].i64(1)), rows[0].text(2)};
}

Status IdempotencyRepo::put(const std::string& scope, const std::string& key,
                            const StoredResponse& r, Instant at) {
  REDRESS_TRY(auto changed,
              s_.exec("INSERT INTO idempotency_keys (scope, key, request_hash, "
                      "status, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                      std::vector<SqlValue>{scope, key, r.request_hash,
                                            static_cast<std::int64_t>(r.status), r.body, ms(at)}));
  (void)changed;
  return {};
}

namespace {
constexpr const char* kOutboxColumns =
    "id, kind, complaint_id, recipient, language, payload, created_at, sent_at, state, attempts, "
    "last_error, message_id, channel";
OutboxMessage outbox_from_row(const SqlRow& r) {
  OutboxMessage m{r.i64(0),  r.text(1), opt_id<ComplaintTag>(r, 2), r.text(3),
                  r.text(4), r.text(5), from_epoch_ms(r.i64(6)),    opt_instant(r, 7)};
  m.state = r.text(8);
  m.attempts = static_cast<int>(r.i64(9));
  m.last_error = r.text(10);
  m.message_id = r.text(11);
  m.channel = r.text(12);
  return m;
}
}  // namespace

Result<std::int64_t> OutboxRepo::enqueue(const OutboxMessage& m) {
  static const std::string kInsert =
      "INSERT INTO outbox (kind, complaint_id, recipient, language, payload, created_at, "
      "channel, message_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
  std::vector<SqlValue> values{m.kind,    id(m.complaint),  m.recipient, m.language,
                               m.payload, ms(m.created_at), m.channel,   m.message_id};
  const char* job = m.channel == "webhook" ? "webhook.deliver" : "mail.deliver";
  if (s_.dialect() == SqlDialect::postgresql) {
    // The row and its delivery job in one statement (one round trip); the
    // payload is spelled as nlohmann::json dumps it below.
    values.emplace_back(job);
    REDRESS_TRY(auto rows, s_.query("WITH o AS (" + kInsert +
                                        "), delivery AS (INSERT INTO jobs (kind, payload, due_at, "
                                        "created_at) SELECT $9, '{\"outbox_id\":' || o.id || '}', "
                                        "$6, $6 FROM o) SELECT id FROM o",
                                    values));
    return rows.at(0).i64(0);
  }
  REDRESS_TRY(auto rows, s_.query(kInsert, values));
  const std::int64_t oid = rows.at(0).i64(0);
  REDRESS_TRY(auto changed,
              s_.exec("INSERT INTO jobs (kind, payload, due_at, created_at) VALUES "
                      "($1, $2, $3, $3)",
                      params(job, Json{{"outbox_id", oid}}.dump(), to_epoch_ms(m.created_at))));
  (void)changed;
  return oid;
}

Result<std::vector<OutboxMessage>> OutboxRepo::for_complaint(ComplaintId cid) const {
  REDRESS_TRY(auto rows, s_.query(std::string("SELECT ") + kOutboxColumns +
                                      " FROM outbox WHERE complaint_id = $1 ORDER BY id",
                                  params(cid.value)));
  std::vector<OutboxMessage> out;
  for (const auto& r : rows) out.push_back(outbox_from_row(r));
  return out;
}

Result<std::optional<OutboxMessage>> OutboxRepo::find(std::int64_t oid) const {
  REDRESS_TRY(auto rows,
              s_.query(std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE id = $1",
                       params(oid)));
  if (rows.empty()) return std::optional<OutboxMessage>{};
  return outbox_from_row(rows[0]);
}

Result<std::vector<OutboxMessage>> OutboxRepo::list(const std::optional<std::string>& state,
                                                    std::int64_t before_id, int limit) const {
  // Conditions are added only when set: PostgreSQL cannot type a NULL
  // parameter in "$1 IS NULL", so no optional filter is written that way.
  std::string sql = std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE 1 = 1";
  std::vector<SqlValue> p;
  if (state) {
    p.push_back(*state);
    sql += " AND state = $" + std::to_string(p.size());
  }
  if (before_id > 0) {
    p.push_back(before_id);
    sql += " AND id < $" + std::to_string(p.size());
  }
  p.push_back(static_cast<std::int64_t>(limit));
  sql += " ORDER BY id DESC LIMIT $" + std::to_string(p.size());
  REDRESS_TRY(auto rows, s_.query(sql, p));
  std::vector<OutboxMessage> out;
  for (const auto& r : rows) out.push_back(outbox_from_row(r));
  return out;
}

Result<std::vector<std::pair<std::string, std::int64_t>>> OutboxRepo::counts() const {
  REDRESS_TRY(auto rows,
              s_.query("SELECT state, COUNT(*) FROM outbox GROUP BY state ORDER BY state", {}));
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const auto& r : rows) out.emplace_back(r.text(0), r.i64(1));
  return out;
}

Status OutboxRepo::mark_sent(std::int64_t oid, Instant at, const std::string& message_id,
                             const std::string& payload) {
  return ok_if_changed(s_.exec("UPDATE outbox SET state = 'sent', sent_at = $1, message_id = $2, "
                               "payload = $3 WHERE id = $4",
                               params(to_epoch_ms(at), message_id, payload, oid)),
                       "outbox message");
}

Status OutboxRepo::mark_failed(std::int64_t oid, const std::string& error, bool dead) {
  return ok_if_changed(s_.exec("UPDATE outbox SET attempts = attempts + 1, last_error = $1, "
                               "state = CASE WHEN $2 = 1 THEN 'dead' ELSE state END WHERE id = $3",
                               params(error, dead, oid)),
                       "outbox message");
}

}  // namespace redress::store
