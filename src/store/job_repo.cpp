#include "store/job_repo.h"

#include <algorithm>

namespace redress::store {

namespace {

constexpr const char* kJobColumns =
    "id, kind, payload, state, due_at, attempts, lease_until, last_error, created_at, finished_at";

Job job_from_row(const SqlRow& r) {
  Job j;
  j.id = r.i64(0);
  j.kind = r.text(1);
  j.payload = r.text(2);
  j.state = r.text(3);
  j.due_at = from_epoch_ms(r.i64(4));
  j.attempts = static_cast<int>(r.i64(5));
  if (!r.is_null(6)) j.lease_until = from_epoch_ms(r.i64(6));
  j.last_error = r.text(7);
  j.created_at = from_epoch_ms(r.i64(8));
  if (!r.is_null(9)) j.finished_at = from_epoch_ms(r.i64(9));
  return j;
}

Status changed_one(Result<std::int64_t> r) {
  if (!r) return fail(r.error());
  if (*r == 0) return fail(Error::not_found("job"));
  return {};
}

}  // namespace

Result<std::int64_t> JobRepo::enqueue(const std::string& kind, const std::string& payload,
                                      Instant due_at, Instant now) {
  REDRESS_TRY(auto rows, s_.query("INSERT INTO jobs (kind, payload, due_at, created_at) VALUES "
                                  "($1, $2, $3, $4) RETURNING id",
                                  params(kind, payload, to_epoch_ms(due_at), to_epoch_ms(now))));
  return rows.at(0).i64(0);
}

Status JobRepo::enqueue_all(const std::string& kind, std::span<const JobDraft> jobs, Instant now) {
  if (jobs.empty()) return {};
  std::vector<SqlValue> values{kind, to_epoch_ms(now)};
  values.reserve(2 + 2 * jobs.size());
  std::string sql = "INSERT INTO jobs (kind, payload, due_at, created_at) VALUES ";
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    values.emplace_back(jobs[i].payload);
    values.emplace_back(to_epoch_ms(jobs[i].due_at));
    sql += (i ? ", ($1, $" : "($1, $") + std::to_string(values.size() - 1) + ", $" +
           std::to_string(values.size()) + ", $2)";
  }
  REDRESS_TRY(auto changed, s_.exec(sql, values));
  (void)changed;
  return {};
}

Result<std::vector<Job>> JobRepo::claim(std::span<const std::string> kinds, Instant now,
                                        Millis lease, int limit) {
  if (kinds.empty() || limit <= 0) return std::vector<Job>{};
  std::vector<SqlValue> values{to_epoch_ms(now + lease), to_epoch_ms(now),
                               static_cast<std::int64_t>(limit)};
  const std::string in =
      append_in_list(values, kinds, [](const std::string& k) { return SqlValue{k}; });
  REDRESS_TRY(auto rows,
              s_.query("UPDATE jobs SET lease_until = $1, attempts = attempts + 1 WHERE id IN "
                       "(SELECT id FROM jobs WHERE state = 'pending' AND due_at <= $2 AND "
                       "(lease_until IS NULL OR lease_until <= $2) AND kind IN (" +
                           in + ") ORDER BY due_at, id LIMIT $3" +
                           // Two instances on one PostgreSQL database: each claims
                           // rows the other has not locked, never the same row.
                           (s_.has_concurrent_writers() ? " FOR UPDATE SKIP LOCKED" : "") +
                           ") RETURNING " + kJobColumns,
                       values));
  std::vector<Job> out;
  for (const auto& r : rows) out.push_back(job_from_row(r));
  std::sort(out.begin(), out.end(), [](const Job& a, const Job& b) {
    return a.due_at < b.due_at || (a.due_at == b.due_at && a.id < b.id);
  });
  return out;
}

Result<bool> JobRepo::any_due(std::span<const std::string> kinds, Instant now) const {
  if (kinds.empty()) return false;
  std::vector<SqlValue> values{to_epoch_ms(now)};
  const std::string in =
      append_in_list(values, kinds, [](const std::string& k) { return SqlValue{k}; });
  REDRESS_TRY(auto rows, s_.query("SELECT 1 FROM jobs WHERE state = 'pending' AND due_at <= $1 AND "
                                  "(lease_until IS NULL OR lease_until <= $1) AND kind IN (" +
                                      in + ") LIMIT 1",
                                  values));
  return !rows.empty();
}

Status JobRepo::complete(std::int64_t id, Instant now) {
  return changed_one(
      s_.exec("UPDATE jobs SET state = 'done', lease_until = NULL, finished_at = $1 "
              "WHERE id = $2 AND state = 'pending'",
              params(to_epoch_ms(now), id)));
}

Status JobRepo::retry(std::int64_t id, Instant next, const std::string& error) {
  return changed_one(
      s_.exec("UPDATE jobs SET lease_until = NULL, due_at = $1, last_error = $2 "
              "WHERE id = $3 AND state = 'pending'",
              params(to_epoch_ms(next), error, id)));
}

Status JobRepo::bury(std::int64_t id, Instant now, const std::string& error) {
  return changed_one(
      s_.exec("UPDATE jobs SET state = 'dead', lease_until = NULL, last_error = $1, "
              "finished_at = $2 WHERE id = $3 AND state = 'pending'",
              params(error, to_epoch_ms(now), id)));
}

Result<std::optional<Job>> JobRepo::find(std::int64_t id) const {
  REDRESS_TRY(auto rows, s_.query(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = $1",
                                  params(id)));
  if (rows.empty()) return std::optional<Job>{};
  return job_from_row(rows[0]);
}

Result<std::int64_t> JobRepo::pending_count(const std::string& kind) const {
  REDRESS_TRY(auto rows, s_.query("SELECT COUNT(*) FROM jobs WHERE kind = $1 AND state = 'pending'",
                                  params(kind)));
  return rows.at(0).i64(0);
}

Result<std::vector<Job>> JobRepo::list(const std::optional<std::string>& state, int limit) const {
  // No "$1 IS NULL" on an optional filter: PostgreSQL cannot type the NULL.
  const std::string sql =
      std::string("SELECT ") + kJobColumns + " FROM jobs" +
      (state ? " WHERE state = $1 ORDER BY id DESC LIMIT $2" : " ORDER BY id DESC LIMIT $1");
  REDRESS_TRY(auto rows, state ? s_.query(sql, params(*state, static_cast<std::int64_t>(limit)))
                               : s_.query(sql, params(static_cast<std::int64_t>(limit))));
  std::vector<Job> out;
  for (const auto& r : rows) out.push_back(job_from_row(r));
  return out;
}

}  // namespace redress::store
