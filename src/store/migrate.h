// Numbered, forward-only schema migrations, written once against SqlSession so
// the same runner serves SQLite and PostgreSQL. The migration texts themselves
// are dialect-specific and live with each adapter.
#pragma once

#include <span>
#include <string_view>

#include "core/result.h"
#include "store/sql.h"

namespace redress::store {

// One schema step. `version` is a positive number that is never reused;
// `reason` is a one-line why, stored beside the version; `sql` is one or more
// parameterless statements run through SqlSession::exec_script.
struct Migration {
  int version;
  std::string_view reason;
  std::string_view sql;
};

// Applies, in order, every migration whose version is above the highest one
// recorded in table schema_migrations (created if missing), recording each as
// (version, reason, applied_at). Already-applied migrations are skipped, so a
// second call with the same list changes nothing.
//
// The caller wraps the call in a transaction: on failure some migrations may
// have run, and only the caller's ROLLBACK undoes them.
//
// Fails with ErrorCode::internal, before touching the schema, if `migrations`
// is not strictly increasing in version, holds a version below 1, or if the
// database records a version above the highest one given (a newer binary
// wrote it, and this one must not run against it). A failing migration's
// error keeps its code and names the version in its message.
// `applied_at` is the caller's clock reading (ISO 8601 UTC by convention).
Status apply_migrations(SqlSession& session, std::span<const Migration> migrations,
                        std::string_view applied_at);

}  // namespace redress::store
