#include "store/duplicate_repo.h"

#include "store/search_index.h"

namespace redress::store {

namespace {

DuplicateFlag flag_row(const SqlRow& r) {
  return DuplicateFlag{.complaint = ComplaintId{r.i64(0)},
                       .original = ComplaintId{r.i64(1)},
                       .score = r.f64(2),
                       .reasons = r.text(3),
                       .flagged_at = from_epoch_ms(r.i64(4))};
}

}  // namespace

Status DuplicateRepo::add_signature(const StoredSignature& s,
                                    std::span<const std::int64_t> band_keys) {
  static const std::string kSignature =
      "INSERT INTO duplicate_signatures (complaint_id, received_at, customer_key, object_key, "
      "signature) VALUES ($1, $2, $3, $4, $5)";
  std::vector<SqlValue> values = params(s.complaint.value, to_epoch_ms(s.received_at),
                                        s.customer_key, s.object_key, s.signature);
  const bool postgres = s_.dialect() == SqlDialect::postgresql;
  if (!postgres || band_keys.empty()) {
    REDRESS_TRY(auto n, s_.exec(kSignature, values));
    (void)n;
    if (band_keys.empty()) return {};
    values.resize(1);  // the bands' own statement: the complaint id, then the keys
  }
  // The bands reuse the complaint id ($1).
  std::string bands = "INSERT INTO duplicate_bands (complaint_id, band_key) VALUES ";
  bool first = true;
  for (std::int64_t key : band_keys) {
    values.emplace_back(key);
    bands += (first ? "($1, $" : ", ($1, $") + std::to_string(values.size()) + ")";
    first = false;
  }
  // Two bands of one signature can collide on a key; one row is enough.
  bands += " ON CONFLICT DO NOTHING";
  // On PostgreSQL the signature and its bands are one statement (a
  // data-modifying WITH): one round trip per registration fewer.
  REDRESS_TRY(auto n, s_.exec(postgres ? "WITH signature AS (" + kSignature + ") " + bands : bands,
                              values));
  (void)n;
  return {};
}

Result<std::vector<StoredSignature>> DuplicateRepo::candidates(
    std::span<const std::int64_t> band_keys, Instant since, ComplaintId self,
    const std::string& customer_key, const std::string& object_key, std::int64_t limit) const {
  std::vector<StoredSignature> out;
  if (band_keys.empty() || (customer_key.empty() && object_key.empty())) return out;
  std::vector<SqlValue> values;
  const std::string keys = append_in_list(values, band_keys, [](std::int64_t k) { return k; });
  values.emplace_back(to_epoch_ms(since));
  const std::string since_p = "$" + std::to_string(values.size());
  values.emplace_back(self.value);
  const std::string self_p = "$" + std::to_string(values.size());
  std::string same;
  if (!customer_key.empty()) {
    values.emplace_back(customer_key);
    same = "s.customer_key = $" + std::to_string(values.size());
  }
  if (!object_key.empty()) {
    values.emplace_back(object_key);
    same += (same.empty() ? "" : " OR ") + std::string("s.object_key = $") +
            std::to_string(values.size());
  }
  values.emplace_back(limit);
  const std::string limit_p = "$" + std::to_string(values.size());
  // Driven by the customer and object indexes (few rows), then one band probe per
  // candidate: starting from shared bands would read every complaint with a similar
  // text, which grows with the table.
  REDRESS_TRY(
      auto rows,
      s_.query("SELECT s.complaint_id, s.received_at, s.customer_key, s.object_key, "
               "s.signature FROM duplicate_signatures s JOIN complaints c ON c.id = "
               "s.complaint_id WHERE (" +
                   same + ") AND s.received_at >= " + since_p + " AND s.complaint_id <> " + self_p +
                   " AND c.state <> 'duplicate' AND EXISTS (SELECT 1 FROM duplicate_bands "
                   "b WHERE b.complaint_id = s.complaint_id AND b.band_key IN (" +
                   keys + ")) ORDER BY s.complaint_id LIMIT " + limit_p,
               values));
  out.reserve(rows.size());
  for (const SqlRow& r : rows) {
    out.push_back(StoredSignature{.complaint = ComplaintId{r.i64(0)},
                                  .received_at = from_epoch_ms(r.i64(1)),
                                  .customer_key = r.text(2),
                                  .object_key = r.text(3),
                                  .signature = r.text(4)});
  }
  return out;
}

Status DuplicateRepo::add_flag(const DuplicateFlag& f) {
  REDRESS_TRY(auto n, s_.exec("INSERT INTO duplicate_flags (complaint_id, original_id, score, "
                              "reasons, flagged_at) VALUES ($1, $2, $3, $4, $5)",
                              params(f.complaint.value, f.original.value, f.score, f.reasons,
                                     to_epoch_ms(f.flagged_at))));
  (void)n;
  return {};
}

Result<std::vector<DuplicateFlag>> DuplicateRepo::flags_of(ComplaintId id) const {
  REDRESS_TRY(auto rows, s_.query("SELECT complaint_id, original_id, score, reasons, flagged_at "
                                  "FROM duplicate_flags WHERE complaint_id = $1 OR original_id = "
                                  "$1 ORDER BY score DESC, complaint_id, original_id",
                                  params(id.value)));
  std::vector<DuplicateFlag> out;
  for (const SqlRow& r : rows) out.push_back(flag_row(r));
  return out;
}

Result<std::vector<DuplicateFlag>> DuplicateRepo::best_flags(
    std::span<const ComplaintId> ids) const {
  std::vector<DuplicateFlag> out;
  if (ids.empty()) return out;
  std::vector<SqlValue> values;
  const std::string list = append_in_list(values, ids, [](ComplaintId c) { return c.value; });
  REDRESS_TRY(auto rows, s_.query("SELECT complaint_id, original_id, score, reasons, flagged_at "
                                  "FROM duplicate_flags WHERE complaint_id IN (" +
                                      list + ") ORDER BY complaint_id, score DESC, original_id",
                                  values));
  for (const SqlRow& r : rows) {
    DuplicateFlag f = flag_row(r);
    if (out.empty() || out.back().complaint != f.complaint) out.push_back(std::move(f));
  }
  return out;
}

Result<std::string> DuplicateRepo::customer_key(ComplaintId id) const {
  REDRESS_TRY(auto rows,
              s_.query("SELECT customer_key FROM duplicate_signatures WHERE complaint_id = $1",
                       params(id.value)));
  return rows.empty() ? std::string() : rows[0].text(0);
}

Status DuplicateRepo::erase(ComplaintId id) {
  REDRESS_TRY(auto n, s_.exec("UPDATE duplicate_signatures SET customer_key = '', object_key = "
                              "'', signature = '' WHERE complaint_id = $1",
                              params(id.value)));
  REDRESS_TRY(auto m,
              s_.exec("DELETE FROM duplicate_bands WHERE complaint_id = $1", params(id.value)));
  (void)n;
  (void)m;
  return {};
}

namespace {

// Moves every row of `table` (a constant of this file: messages, attachments) from one
// complaint to another; returns the moved ids, oldest first.
Result<std::vector<std::int64_t>> move_rows(SqlSession& s, const std::string& table,
                                            ComplaintId from, ComplaintId to) {
  REDRESS_TRY(auto rows, s.query("SELECT id FROM " + table + " WHERE complaint_id = $1 ORDER BY id",
                                 params(from.value)));
  std::vector<std::int64_t> ids;
  for (const SqlRow& r : rows) ids.push_back(r.i64(0));
  // The origin stays the complaint the row was first written on (erasure finds
  // it there, store/repositories.cpp ErasureRepo), however many merges move it.
  REDRESS_TRY(auto n,
              s.exec("UPDATE " + table +
                         " SET complaint_id = $1, origin_complaint_id = "
                         "COALESCE(origin_complaint_id, complaint_id) WHERE complaint_id = $2",
                     params(to.value, from.value)));
  (void)n;
  return ids;
}

}  // namespace

Result<std::vector<std::int64_t>> DuplicateRepo::move_messages(ComplaintId from, ComplaintId to) {
  REDRESS_TRY(auto ids, move_rows(s_, "messages", from, to));
  // The search index holds message bodies per complaint: the moved text is now found
  // on the original, and no longer on the duplicate.
  REDRESS_CHECK(SearchIndexRepo(s_).rebuild(from));
  REDRESS_CHECK(SearchIndexRepo(s_).rebuild(to));
  return ids;
}

Result<std::vector<std::int64_t>> DuplicateRepo::move_attachments(ComplaintId from,
                                                                  ComplaintId to) {
  return move_rows(s_, "attachments", from, to);
}

}  // namespace redress::store
