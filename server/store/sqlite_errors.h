// SQLite errors as absl::Status: the one mapping from SQLite result codes to
// status codes, used by the store (SQLiteCpp exceptions) and by maintenance
// (the C API). Internal to the SQLite store.
#ifndef RECIPROCITY_SERVER_STORE_SQLITE_ERRORS_H_
#define RECIPROCITY_SERVER_STORE_SQLITE_ERRORS_H_

#include <SQLiteCpp/SQLiteCpp.h>

#include <new>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace reciprocity::store {

// The status for SQLite result `code` (primary or extended), with `message`
// after a few words on what the code means:
//   BUSY, LOCKED                       -> UNAVAILABLE (try again)
//   IOERR, CANTOPEN, READONLY, PERM    -> UNAVAILABLE (storage)
//   FULL                               -> RESOURCE_EXHAUSTED
//   CORRUPT, NOTADB                    -> DATA_LOSS
//   CONSTRAINT                         -> FAILED_PRECONDITION
//   anything else                      -> INTERNAL
absl::Status SqliteErrorToStatus(int code, absl::string_view message);

// SqliteErrorToStatus for an exception SQLiteCpp threw.
absl::Status FromSqlite(const SQLite::Exception& e);

// Runs `fn` (returning absl::Status), turning SQLite exceptions into a
// Status and running out of memory into RESOURCE_EXHAUSTED.
template <typename Fn>
absl::Status Guard(Fn&& fn) {
  try {
    return fn();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e);
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("out of memory");
  }
}

}  // namespace reciprocity::store

#endif  // RECIPROCITY_SERVER_STORE_SQLITE_ERRORS_H_
