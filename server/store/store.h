// Storage for Reciprocity. The only public face of the database: callers
// work in read or write transactions through the interfaces below, and never
// see SQL or SQLiteCpp. Money is always integer pence.
#ifndef RECIPROCITY_SERVER_STORE_STORE_H_
#define RECIPROCITY_SERVER_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/store/maintenance.h"

namespace reciprocity::store {

// One claim. Indexed columns are kept beside `body`, the serialized
// reciprocity.v1.Claim, which holds the lines and decision exactly as
// decided. The store never interprets `body`.
struct ClaimRow {
  int64_t id = 0;  // assigned by InsertClaim
  std::string participant_id;
  std::string area_id;
  std::string project_id;
  std::string session_id;    // empty when the claim names no session
  std::string session_date;  // YYYY-MM-DD
  int state = 0;             // reciprocity.v1.ClaimState
  int64_t claimed_total_pence = 0;
  int64_t allowed_total_pence = 0;
  // Car miles (tenths) allowed by this claim, for the HMRC tier.
  int64_t car_tenths = 0;
  std::string entered_by;  // principal id
  std::string request_id;
  int64_t create_time_micros = 0;  // UTC, microseconds since the epoch
  int64_t update_time_micros = 0;
  std::string body;
};

// Filters for ListClaims; empty strings and zero mean "any".
struct ClaimFilter {
  std::string participant_id;
  std::string area_id;
  std::string project_id;
  int state = 0;
  std::string session_date_from;  // inclusive, YYYY-MM-DD
  std::string session_date_to;    // inclusive
  // When not empty, only claims in these areas (the caller's scope).
  std::vector<std::string> area_ids_in;
  int64_t after_id = 0;  // keyset pagination: ids > after_id
  int limit = 50;
};

// A remembered mutating request, for idempotent retries (AIP-155).
struct RequestRow {
  std::string request_id;
  std::string principal_id;
  std::string method;
  std::string request_hash;  // hex SHA-256 of method + principal + request
  std::string response;      // serialized response message
  int64_t create_time_micros = 0;
};

// Reads that see one consistent snapshot.
class ReadTransaction {
 public:
  virtual ~ReadTransaction() = default;
  // NOT_FOUND when there is no such claim.
  virtual absl::StatusOr<ClaimRow> GetClaim(int64_t id) = 0;
  // Claims matching the filter, by ascending id, at most filter.limit.
  virtual absl::StatusOr<std::vector<ClaimRow>> ListClaims(
      const ClaimFilter& filter) = 0;
  // Sum of car_tenths over the participant's claims with session dates in
  // [from, to] and in one of `states`.
  virtual absl::StatusOr<int64_t> SumCarTenths(
      const std::string& participant_id, const std::string& from,
      const std::string& to, const std::vector<int>& states) = 0;
  // Sum of allowed_total_pence over the project's claims with session dates
  // in [from, to] and in one of `states`.
  virtual absl::StatusOr<int64_t> SumAllowedPence(
      const std::string& area_id, const std::string& project_id,
      const std::string& from, const std::string& to,
      const std::vector<int>& states) = 0;
  // std::nullopt when the request id was never seen.
  virtual absl::StatusOr<std::optional<RequestRow>> FindRequest(
      const std::string& request_id) = 0;
};

// A write transaction: everything done through it commits together or not
// at all.
class WriteTransaction : public ReadTransaction {
 public:
  // Stores a new claim and returns its id.
  virtual absl::StatusOr<int64_t> InsertClaim(const ClaimRow& row) = 0;
  // Replaces the claim with row.id. NOT_FOUND when there is none.
  virtual absl::Status UpdateClaim(const ClaimRow& row) = 0;
  // ALREADY_EXISTS when the request id is taken.
  virtual absl::Status SaveRequest(const RequestRow& row) = 0;
  // Records a rule-file version (idempotent: a known version is a no-op).
  virtual absl::Status SavePolicyVersion(const std::string& version,
                                         const std::string& area_id,
                                         const std::string& content,
                                         int64_t loaded_time_micros) = 0;
};

struct StoreOptions {
  // Path of the SQLite database file; created when missing.
  std::string path;
  // Connections used for reads (each used by one call at a time).
  int read_connections = 4;
  // How long a connection waits for a lock before giving up (UNAVAILABLE).
  int busy_timeout_ms = 5000;
};

class Store {
 public:
  // Opens (creating if needed) and migrates the database. FAILED_PRECONDITION
  // when the database was written by a newer Reciprocity.
  static absl::StatusOr<std::unique_ptr<Store>> Open(
      const StoreOptions& options);

  virtual ~Store() = default;

  // Runs `fn` in one write transaction. The transaction commits only when
  // `fn` returns OK; otherwise nothing `fn` did is kept and its status is
  // returned. Storage failures map to UNAVAILABLE (busy, I/O error) or
  // RESOURCE_EXHAUSTED (disk full). Returns only after the commit is durable.
  virtual absl::Status Write(
      const std::function<absl::Status(WriteTransaction&)>& fn) = 0;

  // Runs `fn` on one consistent snapshot.
  virtual absl::Status Read(
      const std::function<absl::Status(ReadTransaction&)>& fn) = 0;

  // Takes a consistent online copy of the database into `dest_path` with
  // SQLite's backup API while writers carry on (see store::BackupDatabase).
  // UNIMPLEMENTED unless the store is backed by a database file.
  virtual absl::StatusOr<DatabaseInfo> Backup(const std::string& dest_path);

  // How many claims are in each state (reciprocity.v1.ClaimState), for
  // metrics. UNIMPLEMENTED unless the store overrides it.
  virtual absl::StatusOr<std::map<int, int64_t>> CountClaimsByState();

  // The schema version this build writes.
  static int CurrentSchemaVersion();
};

}  // namespace reciprocity::store

#endif  // RECIPROCITY_SERVER_STORE_STORE_H_
