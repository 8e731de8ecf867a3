#include "cli/context.h"

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace redress::cli {

Result<std::unique_ptr<store::Store>> open_store(const std::string& database, const Clock& clock) {
  if (store::postgres::is_postgres_url(database)) {
    REDRESS_TRY(auto s, store::postgres::PostgresStore::open(database, {}, clock.now()));
    return std::unique_ptr<store::Store>(std::move(s));
  }
  REDRESS_TRY(auto s, store::sqlite::SqliteStore::open(database, {}, clock.now()));
  return std::unique_ptr<store::Store>(std::move(s));
}

}  // namespace redress::cli
