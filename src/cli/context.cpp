#include "cli/context.h"

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace redress::cli {

Result<std::unique_ptr<store::Store>> open_store(const std::string& database, const Clock& clock,
                                                 int sqlite_cache_mib) {
  if (store::postgres::is_postgres_url(database)) {
    REDRESS_TRY(auto s, store::postgres::PostgresStore::open(database, {}, clock.now()));
    return std::unique_ptr<store::Store>(std::move(s));
  }
  store::sqlite::StoreOptions options;
  if (sqlite_cache_mib > 0) options.connection.cache_size_kib = sqlite_cache_mib * 1024;
  REDRESS_TRY(auto s, store::sqlite::SqliteStore::open(database, options, clock.now()));
  return std::unique_ptr<store::Store>(std::move(s));
}

}  // namespace redress::cli
