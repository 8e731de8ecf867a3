#include "store/import_repo.h"

#include <algorithm>
#include <map>
#include <set>

namespace redress::store {

namespace {

constexpr const char* kRunColumns =
    "id, format, filename, file_path, bytes_total, state, rows_read, imported, skipped, "
    "rejected, error, created_by, created_at, started_at, finished_at, bytes_read";

ImportRun run_from_row(const SqlRow& r) {
  ImportRun run;
  run.id = r.i64(0);
  run.format = r.text(1);
  run.filename = r.text(2);
  run.file_path = r.text(3);
  run.bytes_total = r.i64(4);
  run.state = r.text(5);
  run.rows_read = r.i64(6);
  run.imported = r.i64(7);
  run.skipped = r.i64(8);
  run.rejected = r.i64(9);
  run.error = r.text(10);
  if (!r.is_null(11)) run.created_by = UserId{r.i64(11)};
  run.created_at = from_epoch_ms(r.i64(12));
  if (!r.is_null(13)) run.started_at = from_epoch_ms(r.i64(13));
  if (!r.is_null(14)) run.finished_at = from_epoch_ms(r.i64(14));
  run.bytes_read = r.i64(15);
  return run;
}

Status changed_one(Result<std::int64_t> r) {
  if (!r) return fail(r.error());
  if (*r == 0) return fail(Error::not_found("import"));
  return {};
}

}  // namespace

namespace {
// Rows per multi-row statement: far below either store's limit on bound
// parameters (SQLite 32,766; PostgreSQL 65,535).
constexpr std::size_t kRowsPerStatement = 500;
}  // namespace

Result<std::vector<bool>> ImportRepo::linked(std::span<const ExternalRef> refs) const {
  std::vector<bool> out(refs.size(), false);
  // Grouped by source so each look-up is `source = $1 AND external_id IN (…)`,
  // which both stores answer with seeks into the (source, external_id) key.
  std::map<std::string_view, std::vector<std::size_t>> by_source;
  for (std::size_t i = 0; i < refs.size(); ++i) by_source[refs[i].source].push_back(i);
  for (const auto& [source, indexes] : by_source) {
    for (std::size_t from = 0; from < indexes.size(); from += kRowsPerStatement) {
      const std::size_t to = std::min(indexes.size(), from + kRowsPerStatement);
      std::vector<SqlValue> values{std::string(source)};
      std::string sql =
          "SELECT external_id FROM external_refs WHERE source = $1 AND external_id IN (";
      for (std::size_t k = from; k < to; ++k) {
        values.emplace_back(refs[indexes[k]].external_id);
        sql += (k > from ? ", $" : "$") + std::to_string(values.size());
      }
      REDRESS_TRY(auto rows, s_.query(sql + ")", values));
      std::set<std::string> found;
      for (const SqlRow& r : rows) found.insert(r.text(0));
      for (std::size_t k = from; k < to; ++k) {
        if (found.contains(refs[indexes[k]].external_id)) out[indexes[k]] = true;
      }
    }
  }
  return out;
}

Status ImportRepo::link_all(std::span<const ExternalRef> refs,
                            std::span<const ComplaintId> complaints) {
  if (refs.size() != complaints.size()) {
    return fail(Error::internal("link_all: as many complaints as references are needed"));
  }
  for (std::size_t from = 0; from < refs.size(); from += kRowsPerStatement) {
    const std::size_t to = std::min(refs.size(), from + kRowsPerStatement);
    std::vector<SqlValue> values;
    values.reserve(3 * (to - from));
    std::string sql = "INSERT INTO external_refs (source, external_id, complaint_id) VALUES ";
    for (std::size_t k = from; k < to; ++k) {
      values.emplace_back(refs[k].source);
      values.emplace_back(refs[k].external_id);
      values.emplace_back(complaints[k].value);
      const std::size_t n = values.size();
      sql += (k > from ? ", ($" : "($") + std::to_string(n - 2) + ", $" + std::to_string(n - 1) +
             ", $" + std::to_string(n) + ")";
    }
    REDRESS_TRY(auto changed, s_.exec(sql, values));
    (void)changed;
  }
  return {};
}

Result<std::int64_t> ImportRepo::create_run(const ImportRun& run) {
  std::optional<std::int64_t> by;
  if (run.created_by) by = run.created_by->value;
  REDRESS_TRY(auto rows,
              s_.query("INSERT INTO import_runs (format, filename, file_path, bytes_total, state, "
                       "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                       params(run.format, run.filename, run.file_path, run.bytes_total, run.state,
                              by, to_epoch_ms(run.created_at))));
  return rows.at(0).i64(0);
}

Result<std::optional<ImportRun>> ImportRepo::run(std::int64_t id) const {
  REDRESS_TRY(auto rows,
              s_.query(std::string("SELECT ") + kRunColumns + " FROM import_runs WHERE id = $1",
                       params(id)));
  if (rows.empty()) return std::optional<ImportRun>{};
  return std::optional<ImportRun>(run_from_row(rows[0]));
}

Result<std::vector<ImportRun>> ImportRepo::unfinished_runs() const {
  REDRESS_TRY(auto rows, s_.query(std::string("SELECT ") + kRunColumns +
                                      " FROM import_runs WHERE state IN ('queued', 'running') "
                                      "ORDER BY id",
                                  {}));
  std::vector<ImportRun> out;
  for (const auto& r : rows) out.push_back(run_from_row(r));
  return out;
}

Status ImportRepo::start_run(std::int64_t id, Instant now) {
  return changed_one(
      s_.exec("UPDATE import_runs SET state = 'running', started_at = COALESCE(started_at, $2) "
              "WHERE id = $1",
              params(id, to_epoch_ms(now))));
}

Status ImportRepo::add_progress(std::int64_t id, std::int64_t rows_read, std::int64_t bytes_read,
                                std::int64_t imported, std::int64_t skipped,
                                std::int64_t rejected) {
  return changed_one(
      s_.exec("UPDATE import_runs SET rows_read = $2, bytes_read = $3, imported = imported + $4, "
              "skipped = skipped + $5, rejected = rejected + $6 WHERE id = $1",
              params(id, rows_read, bytes_read, imported, skipped, rejected)));
}

Status ImportRepo::add_reject(std::int64_t id, const ImportReject& reject) {
  REDRESS_TRY(auto changed, s_.exec("INSERT INTO import_rejects (run_id, row_number, field, "
                                    "reason) VALUES ($1, $2, $3, $4)",
                                    params(id, reject.row, reject.field, reject.reason)));
  (void)changed;
  return {};
}

Status ImportRepo::finish_run(std::int64_t id, const std::string& state, const std::string& error,
                              Instant now) {
  return changed_one(
      s_.exec("UPDATE import_runs SET state = $2, error = $3, finished_at = $4 WHERE id = $1",
              params(id, state, error, to_epoch_ms(now))));
}

Result<std::vector<ImportReject>> ImportRepo::rejects(std::int64_t id, std::int64_t after_row,
                                                      int limit) const {
  REDRESS_TRY(auto rows, s_.query("SELECT row_number, field, reason FROM import_rejects WHERE "
                                  "run_id = $1 AND row_number > $2 ORDER BY row_number LIMIT $3",
                                  params(id, after_row, static_cast<std::int64_t>(limit))));
  std::vector<ImportReject> out;
  for (const auto& r : rows) out.push_back({r.i64(0), r.text(1), r.text(2)});
  return out;
}

}  // namespace redress::store
