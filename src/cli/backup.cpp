#include "cli/backup.h"

#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "store/postgres/postgres_store.h"

extern char** environ;

namespace redress::cli {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kFormat = "redress-backup-1";

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;

Error sqlite_error(sqlite3* db, const std::string& what) {
  return Error::internal(what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

Result<Db> open(const fs::path& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return fail(sqlite_error(raw, "cannot open " + path.string()));
  sqlite3_busy_timeout(raw, 10'000);
  return db;
}

Status exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    return fail(Error::internal("SQLite: " + text + " (" + sql.substr(0, 60) + ")"));
  }
  return {};
}

// Copies every page of `from` into `to` in one step: one read transaction on
// `from`, so the copy is a consistent snapshot even while others write.
Status copy_database(sqlite3* from, sqlite3* to) {
  sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
  if (!b) return fail(sqlite_error(to, "cannot start the SQLite backup"));
  int rc = SQLITE_OK;
  for (int attempt = 0; attempt < 100; ++attempt) {
    rc = sqlite3_backup_step(b, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    sqlite3_sleep(100);
  }
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) return fail(sqlite_error(to, "the SQLite backup failed"));
  return {};
}

class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) stmt_ = nullptr;
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

Status put_meta(sqlite3* db, const std::string& key, const std::string& value) {
  Statement st(db, "INSERT OR REPLACE INTO redress_backup_meta (key, value) VALUES (?1, ?2)");
  if (!st.get()) return fail(sqlite_error(db, "cannot write the backup's description"));
  sqlite3_bind_text(st.get(), 1, key.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st.get(), 2, value.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(st.get()) != SQLITE_DONE) return fail(sqlite_error(db, "backup meta"));
  return {};
}

Result<std::string> get_meta(sqlite3* db, const std::string& key) {
  Statement st(db, "SELECT value FROM redress_backup_meta WHERE key = ?1");
  if (!st.get()) return fail(Error::invalid("FILE", "is not a Redress backup"));
  sqlite3_bind_text(st.get(), 1, key.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(st.get()) != SQLITE_ROW) return std::string();
  return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0)));
}

Result<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::internal("cannot read " + path.string()));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Status write_file(const fs::path& path, std::string_view data) {
  const fs::path tmp = path.string() + ".restoring";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) return fail(Error::internal("cannot write " + tmp.string()));
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return fail(Error::internal("cannot write " + path.string() + ": " + ec.message()));
  return {};
}

// Stores every attachment file (storage key = file name, in two-character
// sub-directories) in the container.
Status add_files(sqlite3* db, const fs::path& attachments, BackupSummary& summary) {
  if (!fs::is_directory(attachments)) return {};
  Statement st(db,
               "INSERT OR IGNORE INTO redress_backup_files (storage_key, data) VALUES (?1, ?2)");
  if (!st.get()) return fail(sqlite_error(db, "cannot store attachments"));
  for (const auto& entry : fs::recursive_directory_iterator(attachments)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    // Half-written uploads (".tmp…") are not attachments yet.
    if (name.find(".tmp") != std::string::npos || name.size() < 3) continue;
    if (entry.path().parent_path().filename() != name.substr(0, 2)) continue;
    REDRESS_TRY(auto data, read_file(entry.path()));
    sqlite3_reset(st.get());
    sqlite3_bind_text(st.get(), 1, name.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob64(st.get(), 2, data.data(), data.size(), SQLITE_TRANSIENT);
    if (sqlite3_step(st.get()) != SQLITE_DONE) return fail(sqlite_error(db, "storing " + name));
    ++summary.files;
    summary.file_bytes += static_cast<std::int64_t>(data.size());
  }
  return {};
}

Status extract_files(sqlite3* db, const fs::path& attachments, BackupSummary& summary) {
  fs::create_directories(attachments);
  Statement st(db, "SELECT storage_key, data FROM redress_backup_files ORDER BY storage_key");
  if (!st.get()) return fail(Error::invalid("FILE", "is not a Redress backup (no files table)"));
  while (sqlite3_step(st.get()) == SQLITE_ROW) {
    const std::string key(reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0)));
    if (key.size() < 3 || key.find('/') != std::string::npos ||
        key.find("..") != std::string::npos) {
      return fail(Error::invalid("FILE", "holds a malformed attachment key"));
    }
    const auto* data = static_cast<const char*>(sqlite3_column_blob(st.get(), 1));
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(st.get(), 1));
    const fs::path dir = attachments / key.substr(0, 2);
    fs::create_directories(dir);
    REDRESS_CHECK(write_file(dir / key, std::string_view(data ? data : "", size)));
    ++summary.files;
    summary.file_bytes += static_cast<std::int64_t>(size);
  }
  return {};
}

// Runs `argv` (no shell), stdout to `out` (if not empty); returns its stderr
// on failure.
Status run(const std::vector<std::string>& argv, const fs::path& out) {
  const fs::path err =
      fs::temp_directory_path() / ("redress-backup-" + std::to_string(getpid()) + ".stderr");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!out.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
  }
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return fail(Error::unavailable(argv[0] + " could not be started (is it installed?)"));
  }
  int status = 0;
  waitpid(pid, &status, 0);
  auto message = read_file(err);
  std::error_code ec;
  fs::remove(err, ec);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return fail(Error::unavailable(argv[0] + " failed: " + message.value_or("")));
  }
  return {};
}

std::string now_iso() {
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char buf[32];
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

Result<BackupSummary> backup(const std::string& database, const fs::path& attachments,
                             const fs::path& file) {
  if (fs::exists(file)) return fail(Error::invalid("FILE", file.string() + " exists already"));
  const bool pg = store::postgres::is_postgres_url(database);
  BackupSummary summary;
  summary.store = pg ? "postgresql" : "sqlite";
  const fs::path tmp = file.string() + ".partial";
  std::error_code ec;
  fs::remove(tmp, ec);
  {
    REDRESS_TRY(Db out, open(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
    if (pg) {
      const fs::path dump = tmp.string() + ".dump";
      auto dumped = run(
          {"pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--dbname=" + database},
          dump);
      if (!dumped) {
        fs::remove(dump, ec);
        fs::remove(tmp, ec);
        return fail(dumped.error());
      }
      REDRESS_TRY(auto bytes, read_file(dump));
      fs::remove(dump, ec);
      REDRESS_CHECK(exec(out.get(), "CREATE TABLE redress_backup_dump (data BLOB NOT NULL)"));
      Statement st(out.get(), "INSERT INTO redress_backup_dump (data) VALUES (?1)");
      sqlite3_bind_blob64(st.get(), 1, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
      if (sqlite3_step(st.get()) != SQLITE_DONE) return fail(sqlite_error(out.get(), "dump"));
    } else {
      if (!fs::exists(database)) return fail(Error::invalid("--database", "no such file"));
      REDRESS_TRY(Db in, open(database, SQLITE_OPEN_READWRITE));
      REDRESS_CHECK(copy_database(in.get(), out.get()));
      // A backup is one plain file: no -wal or -shm beside it.
      REDRESS_CHECK(exec(out.get(), "PRAGMA journal_mode=DELETE"));
    }
    REDRESS_CHECK(exec(out.get(),
                       "CREATE TABLE redress_backup_meta (key TEXT PRIMARY KEY, value TEXT);"
                       "CREATE TABLE redress_backup_files (storage_key TEXT PRIMARY KEY, "
                       "data BLOB NOT NULL)"));
    REDRESS_CHECK(exec(out.get(), "BEGIN"));
    REDRESS_CHECK(put_meta(out.get(), "format", std::string(kFormat)));
    REDRESS_CHECK(put_meta(out.get(), "store", summary.store));
    REDRESS_CHECK(put_meta(out.get(), "created_at", now_iso()));
    REDRESS_CHECK(add_files(out.get(), attachments, summary));
    REDRESS_CHECK(exec(out.get(), "COMMIT"));
  }
  fs::rename(tmp, file, ec);
  if (ec) return fail(Error::internal("cannot rename the backup into place: " + ec.message()));
  return summary;
}

Result<BackupSummary> restore(const fs::path& file, const std::string& database,
                              const fs::path& attachments) {
  if (!fs::is_regular_file(file)) return fail(Error::invalid("FILE", "no such file"));
  const bool pg = store::postgres::is_postgres_url(database);
  REDRESS_TRY(Db in, open(file, SQLITE_OPEN_READONLY));
  REDRESS_TRY(auto format, get_meta(in.get(), "format"));
  if (format != kFormat) return fail(Error::invalid("FILE", "is not a Redress backup"));
  REDRESS_TRY(auto kind, get_meta(in.get(), "store"));
  BackupSummary summary;
  summary.store = kind;
  if (kind != (pg ? "postgresql" : "sqlite")) {
    return fail(Error::invalid(
        "--database", "the backup is of a " + kind + " store; restore it into the same kind"));
  }
  if (pg) {
    Statement st(in.get(), "SELECT data FROM redress_backup_dump");
    if (!st.get() || sqlite3_step(st.get()) != SQLITE_ROW) {
      return fail(Error::invalid("FILE", "holds no PostgreSQL dump"));
    }
    const fs::path dump =
        fs::temp_directory_path() / ("redress-restore-" + std::to_string(getpid()) + ".dump");
    const auto* data = static_cast<const char*>(sqlite3_column_blob(st.get(), 0));
    REDRESS_CHECK(write_file(
        dump, std::string_view(data, static_cast<std::size_t>(sqlite3_column_bytes(st.get(), 0)))));
    auto restored = run({"pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                         "--single-transaction", "--dbname=" + database, dump.string()},
                        {});
    std::error_code ec;
    fs::remove(dump, ec);
    if (!restored) return fail(restored.error());
  } else {
    if (fs::exists(database)) {
      return fail(Error::invalid("--database", database + " exists; restore into a new file"));
    }
    if (fs::path(database).has_parent_path())
      fs::create_directories(fs::path(database).parent_path());
    {
      REDRESS_TRY(Db out, open(database, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
      REDRESS_CHECK(copy_database(in.get(), out.get()));
      REDRESS_CHECK(exec(out.get(),
                         "DROP TABLE redress_backup_files; DROP TABLE redress_backup_meta; "
                         "VACUUM; PRAGMA journal_mode=WAL"));
    }
  }
  REDRESS_CHECK(extract_files(in.get(), attachments, summary));
  return summary;
}

}  // namespace redress::cli
