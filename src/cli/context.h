// The composition root's pieces shared by the CLI commands: opening the
// store named by --database, and the system clock.
#pragma once

#include <memory>
#include <string>

#include "core/time.h"
#include "store/store.h"

namespace redress::cli {

// The real clock; the only place Redress reads the system time.
class SystemClock final : public Clock {
 public:
  Instant now() const override {
    return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
  }
};

// Opens the store named by `database`, applying pending migrations: a
// postgresql:// or postgres:// URL opens PostgreSQL (libpq URI: user,
// password, host, port, database, ?sslmode=…), anything else is a SQLite file
// path. Fails with unavailable if the PostgreSQL server cannot be reached,
// internal if the file cannot be opened or a migration fails. `sqlite_cache_mib` > 0
// sets SQLite's page cache per connection (0 keeps the store's default).
Result<std::unique_ptr<store::Store>> open_store(const std::string& database, const Clock& clock,
                                                 int sqlite_cache_mib = 0);

// Loads the demo organisation and a few dozen complaints in various states,
// one of them a likely duplicate of another; `with_model` also trains and
// stores a triage model from the classified ones. Fails with conflict if the
// database already has departments.
Status load_demo(store::Store& store, Clock& clock, bool with_model = false);

}  // namespace redress::cli
