#include "store/migrate.h"

#include <string>

namespace redress::store {
namespace {

// Portable DDL: PostgreSQL and SQLite both accept it unchanged.
constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " reason TEXT NOT NULL,"
    " applied_at TEXT NOT NULL)";

Status check_order(std::span<const Migration> migrations) {
  int previous = 0;
  for (const Migration& m : migrations) {
    if (m.version < 1) {
      return fail(
          Error::internal("migration version " + std::to_string(m.version) + " is not positive"));
    }
    if (m.version <= previous) {
      return fail(Error::internal(
          "migration versions are not strictly increasing: " + std::to_string(m.version) +
          " follows " + std::to_string(previous)));
    }
    previous = m.version;
  }
  return {};
}

}  // namespace

Status apply_migrations(SqlSession& session, std::span<const Migration> migrations,
                        std::string_view applied_at) {
  REDRESS_CHECK(check_order(migrations));
  const std::int64_t highest_known = migrations.empty() ? 0 : migrations.back().version;

  REDRESS_CHECK(session.exec_script(kCreateTable));
  REDRESS_TRY(auto rows, session.query("SELECT MAX(version) FROM schema_migrations", {}));
  const std::int64_t recorded = rows.empty() ? 0 : rows.front().opt_i64(0).value_or(0);
  if (recorded > highest_known) {
    return fail(Error::internal("the database is at schema version " + std::to_string(recorded) +
                                ", newer than this program's " + std::to_string(highest_known) +
                                "; refusing to run against it"));
  }

  for (const Migration& m : migrations) {
    if (m.version <= recorded) continue;
    if (auto applied = session.exec_script(m.sql); !applied) {
      Error e = std::move(applied).error();
      e.message = "migration " + std::to_string(m.version) + " (" + std::string(m.reason) +
                  ") failed: " + e.message;
      return fail(std::move(e));
    }
    REDRESS_CHECK(session.exec(
        "INSERT INTO schema_migrations (version, reason, applied_at) VALUES ($1, $2, $3)",
        params(m.version, m.reason, applied_at)));
  }
  return {};
}

}  // namespace redress::store
