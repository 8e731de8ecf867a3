#include "cli/context.h"

#include "store/sqlite/sqlite_store.h"

namespace redress::cli {

Result<std::unique_ptr<store::Store>> open_store(const std::string& database, const Clock& clock) {
  if (database.starts_with("postgresql://") || database.starts_with("postgres://")) {
    return fail(
        Error::invalid("--database", "PostgreSQL is not supported yet; give a SQLite path"));
  }
  REDRESS_TRY(auto s, store::sqlite::SqliteStore::open(database, {}, clock.now()));
  return std::unique_ptr<store::Store>(std::move(s));
}

}  // namespace redress::cli
