// Sign-in codes and web sessions, kept in the service's SQLite database in
// tables of their own, through a connection of their own: they change on
// every signed-in call, and keeping them apart from Store keeps that traffic
// out of the claims' group commit. Only hashes of codes and tokens are
// stored. Thread-safe.
#ifndef RECIPROCITY_SERVER_STORE_SIGN_IN_STORE_H_
#define RECIPROCITY_SERVER_STORE_SIGN_IN_STORE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace reciprocity::store {

// A one-time sign-in code.
struct SignInCodeRow {
  std::string code_hash;  // hex SHA-256 of the normalised code
  std::string principal;  // "participants/p-0001" or "principals/officer-1"
  std::string issued_by;  // principal id
  int64_t create_time_micros = 0;
  int64_t expire_time_micros = 0;
  int64_t used_time_micros = 0;  // 0 while unused
};

// A signed-in session.
struct SignInSessionRow {
  std::string token_hash;  // hex SHA-256 of the token
  std::string principal;
  int64_t create_time_micros = 0;
  int64_t last_used_micros = 0;
  int64_t expire_time_micros = 0;
};

class SignInStore {
 public:
  // Opens (creating the tables when missing) the database at `path`.
  static absl::StatusOr<std::unique_ptr<SignInStore>> Open(
      const std::string& path, int busy_timeout_ms = 5000);
  virtual ~SignInStore() = default;

  // ALREADY_EXISTS when a code with the same hash is live.
  virtual absl::Status InsertCode(const SignInCodeRow& code) = 0;

  // In one transaction: marks the code `code_hash` used at `now_micros` and
  // inserts `session` for the code's principal (session.principal is set
  // from the code). NOT_FOUND when there is no such code, or it was used, or
  // it expired. Returns the session as stored.
  virtual absl::StatusOr<SignInSessionRow> RedeemCode(
      const std::string& code_hash, int64_t now_micros,
      SignInSessionRow session) = 0;

  virtual absl::Status InsertSession(const SignInSessionRow& session) = 0;

  // The live session `token_hash`, its last use moved to `now_micros`.
  // NOT_FOUND when there is none, or it expired, or it was idle for longer
  // than `idle_micros` (and then it is removed).
  virtual absl::StatusOr<SignInSessionRow> TouchSession(
      const std::string& token_hash, int64_t now_micros,
      int64_t idle_micros) = 0;

  // Removes the session; OK when there was none.
  virtual absl::Status DeleteSession(const std::string& token_hash) = 0;
};

}  // namespace reciprocity::store

#endif  // RECIPROCITY_SERVER_STORE_SIGN_IN_STORE_H_
