// Operations on database files as a whole: online backup, restore, and the
// checks `reciprocityd --check` and `--restore` make. They work on paths and
// open their own connections, so they never disturb a running Store.
#ifndef RECIPROCITY_SERVER_STORE_MAINTENANCE_H_
#define RECIPROCITY_SERVER_STORE_MAINTENANCE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace reciprocity::store {

// What a database file holds.
struct DatabaseInfo {
  std::string path;
  int64_t size_bytes = 0;
  int schema_version = 0;  // PRAGMA user_version
  int64_t claim_count = 0;
};

// Copies the database at `source_path` to `dest_path` with SQLite's online
// backup API, `pages_per_step` pages at a time, while other connections keep
// writing. The copy is one consistent snapshot: everything committed before
// the call began, and nothing half-done. The copy is written beside
// `dest_path` and renamed into place only after it passes
// PRAGMA integrity_check. ALREADY_EXISTS when `dest_path` exists.
absl::StatusOr<DatabaseInfo> BackupDatabase(const std::string& source_path,
                                            const std::string& dest_path,
                                            int pages_per_step = 256);

// Checks a backup before it is restored: it opens, passes
// PRAGMA integrity_check, holds a Reciprocity schema this build understands
// (FAILED_PRECONDITION otherwise) and has a claims table.
absl::StatusOr<DatabaseInfo> VerifyDatabase(const std::string& path);

// Replaces the content of `db_path` with `backup_path` (after
// VerifyDatabase), through SQLite so the write-ahead log of `db_path` cannot
// leak stale pages into the result. The server must be stopped first.
absl::StatusOr<DatabaseInfo> RestoreDatabase(const std::string& backup_path,
                                             const std::string& db_path);

// What `reciprocityd --check` says about the database: OK with a one-line
// description when the file opens read/write with a schema this build can
// use (or is missing in a writable directory, to be created at start);
// FAILED_PRECONDITION for a newer schema; UNAVAILABLE when it cannot be
// opened or locked for writing. Changes nothing.
absl::StatusOr<std::string> CheckDatabaseAccess(const std::string& path);

}  // namespace reciprocity::store

#endif  // RECIPROCITY_SERVER_STORE_MAINTENANCE_H_
