// `redress backup FILE` and `redress restore FILE`: one self-contained backup
// file for either store, attachments included.
//
// The file is a SQLite database (a "container"). For a SQLite store it is the
// store itself, copied page by page with SQLite's online backup API inside one
// read transaction (a consistent snapshot while the server goes on writing:
// WAL mode lets writers continue), plus two tables of its own:
// redress_backup_meta (format, store kind, time) and redress_backup_files
// (every attachment file, by storage key). For PostgreSQL it holds the output
// of `pg_dump --format=custom` (one consistent snapshot) in redress_backup_dump,
// plus the same two tables. Attachment files are copied after the database
// snapshot: they are content-addressed and never rewritten, so every file the
// snapshot refers to exists then (unless an erasure deleted it meanwhile).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/result.h"

namespace redress::cli {

struct BackupSummary {
  std::string store;            // "sqlite" or "postgresql"
  std::int64_t files = 0;       // attachment files in the backup
  std::int64_t file_bytes = 0;  // their total size
};

// Writes the backup of `database` (a SQLite path or a PostgreSQL URL) and the
// attachment directory to `file` (written beside it, then renamed into place,
// so a crash leaves no half backup under that name). Fails with
// invalid_argument when `file` exists, internal on an I/O or SQLite error,
// unavailable when pg_dump fails.
Result<BackupSummary> backup(const std::string& database, const std::filesystem::path& attachments,
                             const std::filesystem::path& file);

// Restores `file` into `database` — a SQLite path that must not exist yet, or
// the URL of an empty PostgreSQL database (pg_restore) — and its attachment
// files into `attachments`. Fails with invalid_argument when `file` is not a
// Redress backup, or is of the other store, or the SQLite target exists.
Result<BackupSummary> restore(const std::filesystem::path& file, const std::string& database,
                              const std::filesystem::path& attachments);

}  // namespace redress::cli
