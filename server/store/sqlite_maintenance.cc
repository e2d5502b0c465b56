// Backup, restore and checks on whole database files, with SQLite's C API
// (the backup API has no SQLiteCpp wrapper worth using).
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "server/store/maintenance.h"
#include "server/store/schema.h"
#include "server/store/sqlite_errors.h"
#include "server/store/store.h"

namespace reciprocity::store {
namespace {

struct CloseDatabase {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, CloseDatabase>;

constexpr int kBusyTimeoutMs = 5000;

absl::Status Failure(sqlite3* db, absl::string_view what) {
  const int code = db ? sqlite3_errcode(db) : SQLITE_CANTOPEN;
  return SqliteErrorToStatus(
      code,
      absl::StrCat(what, ": ", db ? sqlite3_errmsg(db) : "out of memory"));
}

absl::StatusOr<Connection> OpenConnection(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Connection db(raw);
  if (rc != SQLITE_OK) return Failure(db.get(), absl::StrCat("open ", path));
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  return db;
}

absl::Status Exec(sqlite3* db, const std::string& sql) {
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Failure(db, sql);
  }
  return absl::OkStatus();
}

// The first column of the first row of `sql`, as text ("" when no rows).
absl::StatusOr<std::string> QueryText(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    return Failure(db, sql);
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw,
                                                             sqlite3_finalize);
  const int rc = sqlite3_step(stmt.get());
  if (rc == SQLITE_DONE) return std::string();
  if (rc != SQLITE_ROW) return Failure(db, sql);
  const unsigned char* text = sqlite3_column_text(stmt.get(), 0);
  return std::string(text ? reinterpret_cast<const char*>(text) : "");
}

absl::StatusOr<int64_t> QueryInt(sqlite3* db, const std::string& sql) {
  absl::StatusOr<std::string> text = QueryText(db, sql);
  if (!text.ok()) return text.status();
  return text->empty() ? 0 : std::stoll(*text);
}

absl::Status CheckSchemaVersion(int version, const std::string& path) {
  const int current = static_cast<int>(Migrations().size());
  if (version > current) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": the database has schema version ", version,
                     " but this reciprocityd understands up to ", current,
                     ": it was written by a newer Reciprocity"));
  }
  return absl::OkStatus();
}

// Fills schema version and claim count from an open connection.
absl::StatusOr<DatabaseInfo> Describe(sqlite3* db, const std::string& path) {
  DatabaseInfo info;
  info.path = path;
  absl::StatusOr<int64_t> version = QueryInt(db, "PRAGMA user_version");
  if (!version.ok()) return version.status();
  info.schema_version = static_cast<int>(*version);
  absl::StatusOr<int64_t> tables =
      QueryInt(db,
               "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
               "name = 'claims'");
  if (!tables.ok()) return tables.status();
  if (*tables == 1) {
    absl::StatusOr<int64_t> claims =
        QueryInt(db, "SELECT COUNT(*) FROM claims");
    if (!claims.ok()) return claims.status();
    info.claim_count = *claims;
  }
  return info;
}

absl::Status IntegrityCheck(sqlite3* db, const std::string& path) {
  absl::StatusOr<std::string> result = QueryText(db, "PRAGMA integrity_check");
  if (!result.ok()) return result.status();
  if (*result != "ok") {
    return absl::DataLossError(
        absl::StrCat(path, ": PRAGMA integrity_check failed: ", *result));
  }
  return absl::OkStatus();
}

// Copies every page of `source` into `dest`, a few at a time.
absl::Status CopyPages(sqlite3* source, sqlite3* dest, int pages_per_step) {
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", source, "main");
  if (backup == nullptr) return Failure(dest, "start backup");
  int rc = SQLITE_OK;
  while (true) {
    rc = sqlite3_backup_step(backup, pages_per_step);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    // Let writers on the source use the CPU between steps.
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Failure(dest, "backup step");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DatabaseInfo> Store::Backup(const std::string& dest_path) {
  return absl::UnimplementedError("this store cannot be backed up");
}

absl::Status Store::EraseOverwrittenPages() {
  return absl::UnimplementedError("this store keeps no files");
}

absl::StatusOr<std::map<int, int64_t>> Store::CountClaimsByState() {
  return absl::UnimplementedError("this store cannot count claims");
}

absl::StatusOr<std::map<int, Store::BatchTotals>> Store::CountBatchesByState() {
  return absl::UnimplementedError("this store cannot count batches");
}

absl::StatusOr<Store::WriteStats> Store::GetWriteStats() {
  return absl::UnimplementedError("this store keeps no write statistics");
}

absl::StatusOr<DatabaseInfo> BackupDatabase(const std::string& source_path,
                                            const std::string& dest_path,
                                            int pages_per_step) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (fs::exists(dest_path, error)) {
    return absl::AlreadyExistsError(
        absl::StrCat(dest_path, " already exists; choose another name"));
  }
  absl::StatusOr<Connection> source =
      OpenConnection(source_path, SQLITE_OPEN_READONLY);
  if (!source.ok()) return source.status();
  // Hold one read transaction for the whole copy: in WAL mode writers carry
  // on, and the copy is this snapshot rather than restarting whenever a
  // writer commits.
  absl::Status s = Exec(source->get(), "BEGIN");
  if (s.ok()) {
    s = QueryInt(source->get(), "SELECT COUNT(*) FROM sqlite_master").status();
  }
  if (!s.ok()) return s;

  const std::string partial = absl::StrCat(dest_path, ".partial");
  fs::remove(partial, error);
  absl::StatusOr<DatabaseInfo> info;
  {
    absl::StatusOr<Connection> dest =
        OpenConnection(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!dest.ok()) return dest.status();
    s = CopyPages(source->get(), dest->get(), pages_per_step);
    (void)Exec(source->get(), "COMMIT");
    if (s.ok()) s = IntegrityCheck(dest->get(), dest_path);
    if (s.ok()) {
      info = Describe(dest->get(), dest_path);
      s = info.status();
    }
  }
  if (s.ok()) {
    fs::rename(partial, dest_path, error);
    if (error) {
      s = absl::UnavailableError(
          absl::StrCat("rename to ", dest_path, ": ", error.message()));
    }
  }
  if (!s.ok()) {
    fs::remove(partial, error);
    return s;
  }
  info->size_bytes = static_cast<int64_t>(fs::file_size(dest_path, error));
  return info;
}

absl::StatusOr<DatabaseInfo> VerifyDatabase(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return absl::NotFoundError(absl::StrCat(path, ": no such file"));
  }
  absl::StatusOr<Connection> db = OpenConnection(path, SQLITE_OPEN_READONLY);
  if (!db.ok()) return db.status();
  if (absl::Status s = IntegrityCheck(db->get(), path); !s.ok()) return s;
  absl::StatusOr<DatabaseInfo> info = Describe(db->get(), path);
  if (!info.ok()) return info.status();
  if (absl::Status s = CheckSchemaVersion(info->schema_version, path);
      !s.ok()) {
    return s;
  }
  if (info->schema_version == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": not a Reciprocity database (schema version 0)"));
  }
  info->size_bytes =
      static_cast<int64_t>(std::filesystem::file_size(path, error));
  return info;
}

absl::StatusOr<DatabaseInfo> RestoreDatabase(const std::string& backup_path,
                                             const std::string& db_path) {
  absl::StatusOr<DatabaseInfo> verified = VerifyDatabase(backup_path);
  if (!verified.ok()) return verified.status();
  absl::StatusOr<Connection> source =
      OpenConnection(backup_path, SQLITE_OPEN_READONLY);
  if (!source.ok()) return source.status();
  absl::StatusOr<Connection> dest =
      OpenConnection(db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!dest.ok()) return dest.status();
  if (absl::Status s = CopyPages(source->get(), dest->get(), -1); !s.ok()) {
    return s;
  }
  absl::StatusOr<DatabaseInfo> info = Describe(dest->get(), db_path);
  if (!info.ok()) return info.status();
  dest->reset();  // the last connection closing checkpoints the log
  std::error_code error;
  info->size_bytes =
      static_cast<int64_t>(std::filesystem::file_size(db_path, error));
  return info;
}

absl::StatusOr<std::string> CheckDatabaseAccess(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::exists(path, error)) {
    fs::path dir = fs::path(path).parent_path();
    if (dir.empty()) dir = ".";
    if (!fs::is_directory(dir, error)) {
      return absl::UnavailableError(
          absl::StrCat(path, ": missing, and its directory ", dir.string(),
                       " does not exist"));
    }
    if (access(dir.c_str(), W_OK | X_OK) != 0) {
      return absl::UnavailableError(
          absl::StrCat(path, ": missing, and its directory ", dir.string(),
                       " is not writable, so it cannot be created"));
    }
    return absl::StrCat(path, ": missing; will be created with schema version ",
                        Migrations().size(), " at start");
  }
  absl::StatusOr<Connection> db = OpenConnection(path, SQLITE_OPEN_READWRITE);
  if (!db.ok()) return db.status();
  if (sqlite3_db_readonly(db->get(), "main") == 1) {
    return absl::UnavailableError(absl::StrCat(path, ": opened read-only"));
  }
  absl::StatusOr<DatabaseInfo> info = Describe(db->get(), path);
  if (!info.ok()) {
    return absl::Status(info.status().code(),
                        absl::StrCat(path, ": ", info.status().message()));
  }
  if (absl::Status s = CheckSchemaVersion(info->schema_version, path);
      !s.ok()) {
    return s;
  }
  // Take and drop the write lock: proves the file and its directory (for the
  // journal) are writable, without changing anything.
  absl::Status s = Exec(db->get(), "BEGIN IMMEDIATE");
  if (s.ok()) s = Exec(db->get(), "ROLLBACK");
  if (!s.ok()) {
    return absl::UnavailableError(
        absl::StrCat(path, ": cannot write: ", s.message()));
  }
  const int current = static_cast<int>(Migrations().size());
  std::string schema =
      info->schema_version == current
          ? absl::StrCat("schema version ", current, " (current)")
          : absl::StrCat("schema version ", info->schema_version,
                         ", will be migrated to ", current, " at start");
  return absl::StrCat(path, ": read/write, ", schema, ", ", info->claim_count,
                      " claims");
}

}  // namespace reciprocity::store
