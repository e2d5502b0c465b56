#include "server/store/sqlite_errors.h"

#include <sqlite3.h>

#include "absl/strings/str_cat.h"

namespace reciprocity::store {

absl::Status SqliteErrorToStatus(int code, absl::string_view message) {
  // The primary code: extended codes (SQLITE_IOERR_FSYNC, ...) share its
  // low byte.
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(
          absl::StrCat("database is busy, try again: ", message));
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(
          absl::StrCat("database disk is full: ", message));
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return absl::UnavailableError(
          absl::StrCat("database storage error: ", message));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(absl::StrCat(
          "database file is damaged or not a database: ", message));
    case SQLITE_CONSTRAINT:
      return absl::FailedPreconditionError(
          absl::StrCat("database constraint: ", message));
    default:
      return absl::InternalError(absl::StrCat("database error: ", message));
  }
}

absl::Status FromSqlite(const SQLite::Exception& e) {
  return SqliteErrorToStatus(e.getErrorCode(), e.what());
}

}  // namespace reciprocity::store
