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
#include "base/histogram.h"
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
  // ListClaims only: by descending id instead, after_id then meaning
  // "ids < after_id" (0: from the newest).
  bool newest_first = false;
};

// A registered participant. `body` is the serialized
// reciprocity.v1.Participant (holding the only personal data).
struct ParticipantRow {
  std::string id;              // e.g. "p-0001"
  int participant_type = 0;    // reciprocity.v1.ParticipantType
  int payment_preference = 0;  // reciprocity.v1.PaymentMethod
  int state = 0;               // reciprocity.v1.ParticipantState
  int64_t create_time_micros = 0;
  int64_t update_time_micros = 0;
  std::string body;
};

// One session of a project; `body` is the serialized reciprocity.v1.Session.
struct SessionRow {
  int64_t id = 0;  // assigned by InsertSession
  std::string area_id;
  std::string project_id;
  std::string session_date;  // YYYY-MM-DD
  bool creche_provided = false;
  int64_t create_time_micros = 0;
  std::string body;
};

// What was agreed in advance; `body` is the serialized
// reciprocity.v1.Agreement.
struct AgreementRow {
  int64_t id = 0;  // assigned by InsertAgreement
  std::string participant_id;
  // 0 for a standing agreement (stored as NULL): its project and dates are
  // in the body.
  int64_t session_id = 0;
  std::string area_id;
  int category = 0;  // reciprocity.v1.ExpenseCategory
  int64_t up_to_pence = 0;
  int64_t create_time_micros = 0;
  std::string body;
};

// Participant attended session for `minutes`; at most one per pair.
struct AttendanceRow {
  int64_t session_id = 0;
  std::string participant_id;
  int minutes = 0;
  int64_t entitlement_id = 0;
  std::string recorded_by;
  int64_t create_time_micros = 0;
  // Whether the participant's child used the session's crèche; unset when
  // the register did not say.
  std::optional<bool> creche_used;
  // The last correction (UpdateAttendance): why, by whom, when; empty and
  // 0 when never corrected.
  std::string correction_reason;
  std::string corrected_by;
  int64_t update_time_micros = 0;
};

// What one attendance earned; `body` is the serialized
// reciprocity.v1.VoucherEntitlement.
struct VoucherEntitlementRow {
  int64_t id = 0;  // assigned by InsertVoucherEntitlement
  std::string participant_id;
  int64_t session_id = 0;
  std::string area_id;
  std::string project_id;
  std::string session_date;
  int64_t value_pence = 0;
  int state = 0;  // reciprocity.v1.VoucherEntitlementState
  int64_t create_time_micros = 0;
  int64_t update_time_micros = 0;
  std::string body;
};

// Filters for the programme listings; empty strings and zero mean "any".
// Rows come by ascending key after `after_*`, at most `limit`.
struct ProgrammeFilter {
  // For sessions: the sessions this participant attended.
  std::string participant_id;
  int64_t session_id = 0;
  std::string area_id;
  std::string project_id;
  int state = 0;
  std::string date_from;  // inclusive, YYYY-MM-DD
  std::string date_to;    // inclusive
  // When not empty, only rows in these areas (the caller's scope).
  std::vector<std::string> area_ids_in;
  // Agreements: only standing ones (no session).
  bool standing_only = false;
  int64_t after_id = 0;
  std::string after_key;  // participants are keyed by text id
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

// One audit event. Events form a hash chain: `hash` covers the event's
// fields and `prev_hash`, the hash of the event before it.
struct AuditRow {
  int64_t sequence = 0;  // 1, 2, 3, ... with no gaps
  int64_t time_micros = 0;
  std::string principal_id;
  std::string action;  // e.g. "SubmitClaim"
  std::string record;  // e.g. "claims/12"
  std::string request_id;
  std::string prev_hash;  // hex; empty for the first event
  std::string hash;       // hex
  // Hex SHA-256 over the records the change wrote (see AuditContentRow);
  // empty for events written before schema version 8.
  std::string content_hash;
};

// One record an audit event wrote, with the hex SHA-256 of its content
// (RecordContent) as the change left it.
struct AuditContentRow {
  int64_t sequence = 0;
  std::string record;  // e.g. "claims/12", "batches/3/payments"
  std::string content_hash;
};

// The content of one audited record as stored: every column of its row (for
// "batches/N/payments", of each payment row of the batch, in the payment
// file's order), each with its type and length, so that equal contents mean
// equal rows. Audited records are claims, participants, sessions,
// agreements, voucher entitlements, batches and batch payments.
struct RecordContent {
  std::string record;
  std::string content;
};

struct AuditFilter {
  std::string record;
  std::string principal_id;
  int64_t after_sequence = 0;
  int limit = 100;
};

// ---- Finance: payment batches ----

// One payment batch. `body` is the serialized reciprocity.v1.Batch; the
// store never interprets it.
struct BatchRow {
  int64_t id = 0;  // assigned by InsertBatch
  int state = 0;   // reciprocity.v1.BatchState
  std::string created_by;
  // Principal ids who entered or reviewed a claim in the batch, sorted, one
  // per line: none of them may approve it. (Who added a claim to an earlier
  // batch, or cancelled one, is not listed.)
  std::string involved;
  int64_t create_time_micros = 0;
  int64_t update_time_micros = 0;
  std::string body;
};

// Money owed to one payee for one claim in a batch, by one payment method.
struct BatchPaymentRow {
  int64_t batch_id = 0;
  int payment_method = 0;  // reciprocity.v1.PaymentMethod
  std::string payee;       // a reference, never bank details
  std::string cost_centre;
  std::string provider;  // vouchers only
  int64_t claim_id = 0;
  int64_t amount_pence = 0;
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
  // The first 100 claims of the participant dated `session_date` (any
  // project, with or without a session), by ascending id: what the repeat
  // checks compare a new claim with. The bound keeps a flood of claims for
  // one person and day (each beyond the first sent to a person anyway) from
  // making every later one slower.
  virtual absl::StatusOr<std::vector<ClaimRow>> ListClaimsOnDay(
      const std::string& participant_id, const std::string& session_date) = 0;

  // NOT_FOUND when there is no such participant.
  virtual absl::StatusOr<ParticipantRow> GetParticipant(
      const std::string& id) = 0;
  // Uses state, after_key and limit.
  virtual absl::StatusOr<std::vector<ParticipantRow>> ListParticipants(
      const ProgrammeFilter& filter) = 0;
  virtual absl::StatusOr<int64_t> CountParticipants() = 0;
  // NOT_FOUND when there is no such session.
  virtual absl::StatusOr<SessionRow> GetSession(int64_t id) = 0;
  // Uses area_id, project_id, date_from, date_to, area_ids_in, after_id.
  virtual absl::StatusOr<std::vector<SessionRow>> ListSessions(
      const ProgrammeFilter& filter) = 0;
  // Uses participant_id, session_id, standing_only, area_id, area_ids_in,
  // after_id.
  virtual absl::StatusOr<std::vector<AgreementRow>> ListAgreements(
      const ProgrammeFilter& filter) = 0;
  // std::nullopt when no attendance is recorded for the pair.
  virtual absl::StatusOr<std::optional<AttendanceRow>> FindAttendance(
      int64_t session_id, const std::string& participant_id) = 0;
  // NOT_FOUND when there is no such entitlement.
  virtual absl::StatusOr<VoucherEntitlementRow> GetVoucherEntitlement(
      int64_t id) = 0;
  // Uses participant_id, state, area_ids_in, after_id.
  virtual absl::StatusOr<std::vector<VoucherEntitlementRow>>
  ListVoucherEntitlements(const ProgrammeFilter& filter) = 0;
  // Sum of value_pence over the participant's entitlements in the area with
  // session dates in [from, to] and in one of `states`.
  virtual absl::StatusOr<int64_t> SumVoucherPence(
      const std::string& participant_id, const std::string& area_id,
      const std::string& from, const std::string& to,
      const std::vector<int>& states) = 0;
  // Sum of value_pence over the project's entitlements with session dates
  // in [from, to] and in one of `states`: vouchers against its budget.
  virtual absl::StatusOr<int64_t> SumProjectVoucherPence(
      const std::string& area_id, const std::string& project_id,
      const std::string& from, const std::string& to,
      const std::vector<int>& states) = 0;

  // std::nullopt when the request id was never seen.
  virtual absl::StatusOr<std::optional<RequestRow>> FindRequest(
      const std::string& request_id) = 0;
  // The newest audit event; std::nullopt when there is none.
  virtual absl::StatusOr<std::optional<AuditRow>> AuditHead() = 0;
  // Events matching the filter by ascending sequence, at most filter.limit.
  virtual absl::StatusOr<std::vector<AuditRow>> ListAuditEvents(
      const AuditFilter& filter) = 0;
  // Calls `fn` for each record written by the events with sequence in
  // (after_sequence, up_to_sequence], by sequence then record. Stops at the
  // first error.
  virtual absl::Status ScanAuditContents(
      int64_t after_sequence, int64_t up_to_sequence,
      const std::function<absl::Status(const AuditContentRow&)>& fn) = 0;
  // Calls `fn` with the content of every audited record, table by table in
  // key order, without holding them all in memory. Stops at the first error.
  virtual absl::Status ScanRecordContents(
      const std::function<absl::Status(const RecordContent&)>& fn) = 0;

  // ---- Finance: payment batches ----
  // Calls `fn` for each claim matching `filter` (limit ignored), by ascending
  // id, without holding them all in memory. Stops at the first error.
  virtual absl::Status ScanClaims(
      const ClaimFilter& filter,
      const std::function<absl::Status(const ClaimRow&)>& fn) = 0;
  // Calls `fn` for each claim in the batch, by ascending id.
  virtual absl::Status ScanBatchClaims(
      int64_t batch_id,
      const std::function<absl::Status(const ClaimRow&)>& fn) = 0;
  // NOT_FOUND when there is no such batch.
  virtual absl::StatusOr<BatchRow> GetBatch(int64_t id) = 0;
  // Batches with id < before_id (0: any), newest first, at most `limit`.
  virtual absl::StatusOr<std::vector<BatchRow>> ListBatches(int64_t before_id,
                                                            int limit) = 0;
  // Calls `fn` for each payment row of the batch with the given method,
  // ordered by payee, cost centre, provider and claim id.
  virtual absl::Status ScanBatchPayments(
      int64_t batch_id, int payment_method,
      const std::function<absl::Status(const BatchPaymentRow&)>& fn) = 0;
  // ---- Security and personal data ----
  // The audit chain head recorded at the batch's first export; empty when
  // none has been recorded.
  virtual absl::StatusOr<std::string> GetBatchAuditHead(int64_t batch_id) = 0;
  // The stored value of a setting; std::nullopt when it was never set.
  virtual absl::StatusOr<std::optional<std::string>> GetSetting(
      const std::string& name) = 0;
  // Every attendance of the participant, by ascending session id.
  virtual absl::StatusOr<std::vector<AttendanceRow>>
  ListAttendancesOfParticipant(const std::string& participant_id) = 0;
  // ---- Corrections ----
  // Every attendance recorded for the session, by participant id.
  virtual absl::StatusOr<std::vector<AttendanceRow>> ListAttendancesOfSession(
      int64_t session_id) = 0;
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
  // Calls `fn` once with the current content of each audited record written
  // (inserted or changed) through this transaction since the last call, in
  // no particular order, then forgets them: what the audit event for the
  // change records, so call it after the last write. Stops at the first
  // error.
  virtual absl::Status TakeWrittenRecords(
      const std::function<absl::Status(const RecordContent&)>& fn) = 0;
  // Appends an audit event and the records it wrote (`contents`, whose
  // sequence must be the event's). The tables refuse UPDATE and DELETE.
  virtual absl::Status AppendAuditEvent(
      const AuditRow& row, const std::vector<AuditContentRow>& contents) = 0;
  // Appends one record an audit event wrote, before the event itself in the
  // same transaction: an event covering a batch of 100,000 claims then need
  // not hold their rows in memory. ScanAuditContents reads them back, in
  // the order the event's content_hash covers. The table refuses UPDATE and
  // DELETE.
  virtual absl::Status AppendAuditContent(const AuditContentRow& row) = 0;
  // ALREADY_EXISTS when the id is taken.
  virtual absl::Status InsertParticipant(const ParticipantRow& row) = 0;
  // NOT_FOUND when there is none with row.id.
  virtual absl::Status UpdateParticipant(const ParticipantRow& row) = 0;
  // Each returns the new row's id.
  virtual absl::StatusOr<int64_t> InsertSession(const SessionRow& row) = 0;
  virtual absl::StatusOr<int64_t> InsertAgreement(const AgreementRow& row) = 0;
  virtual absl::StatusOr<int64_t> InsertVoucherEntitlement(
      const VoucherEntitlementRow& row) = 0;
  // NOT_FOUND when there is none with row.id.
  virtual absl::Status UpdateVoucherEntitlement(
      const VoucherEntitlementRow& row) = 0;
  // ALREADY_EXISTS when attendance is already recorded for the pair.
  virtual absl::Status InsertAttendance(const AttendanceRow& row) = 0;
  // Records a rule-file version (idempotent: a known version is a no-op).
  virtual absl::Status SavePolicyVersion(const std::string& version,
                                         const std::string& area_id,
                                         const std::string& content,
                                         int64_t loaded_time_micros) = 0;

  // ---- Finance: payment batches ----
  // Stores a new batch and returns its id.
  virtual absl::StatusOr<int64_t> InsertBatch(const BatchRow& row) = 0;
  // Replaces the batch with row.id. NOT_FOUND when there is none.
  virtual absl::Status UpdateBatch(const BatchRow& row) = 0;
  virtual absl::Status InsertBatchPayment(const BatchPaymentRow& row) = 0;
  // Every claim matching `filter` (limit and after_id ignored) that is in
  // state `from_state` and in no batch joins `batch_id` in state `to_state`,
  // with `body_suffix` appended to its body. Returns how many moved.
  virtual absl::StatusOr<int64_t> MoveClaimsIntoBatch(
      const ClaimFilter& filter, int from_state, int64_t batch_id, int to_state,
      int64_t now_micros, const std::string& body_suffix) = 0;
  // As MoveClaimsIntoBatch, for the listed claims only; a claim no longer
  // in `from_state` or already in a batch is skipped (not counted).
  virtual absl::StatusOr<int64_t> MoveClaimsIntoBatchById(
      const std::vector<int64_t>& claim_ids, int from_state, int64_t batch_id,
      int to_state, int64_t now_micros, const std::string& body_suffix) = 0;
  // Every claim in the batch moves to `to_state` with `body_suffix` appended
  // to its body; when `release`, it also leaves the batch. Returns how many.
  virtual absl::StatusOr<int64_t> SetBatchClaimsState(
      int64_t batch_id, int to_state, bool release, int64_t now_micros,
      const std::string& body_suffix) = 0;
  // ---- Security and personal data ----
  // Records the audit chain head for the batch's exports. ALREADY_EXISTS
  // when one is recorded: the head never changes, so exports repeat.
  virtual absl::Status SaveBatchAuditHead(int64_t batch_id,
                                          const std::string& audit_head,
                                          int64_t now_micros) = 0;
  // Creates or replaces a setting.
  virtual absl::Status PutSetting(const std::string& name,
                                  const std::string& value,
                                  int64_t now_micros) = 0;
  // Replaces the body of an agreement (e.g. to clear free text). NOT_FOUND
  // when there is none with that id.
  virtual absl::Status UpdateAgreementBody(int64_t id,
                                           const std::string& body) = 0;
  // Forgets the answer remembered for a request id (which may hold personal
  // data), keeping the id so it cannot be reused. A retry then gets an empty
  // answer. No-op for an unknown id.
  virtual absl::Status ClearRequestResponse(const std::string& request_id) = 0;
  // ---- Corrections ----
  // Replaces the session_date, creche_provided and body of the session with
  // row.id (the rest never changes). NOT_FOUND when there is none.
  virtual absl::Status UpdateSession(const SessionRow& row) = 0;
  // Replaces minutes, creche_used and the correction columns of the
  // attendance for (row.session_id, row.participant_id). NOT_FOUND when
  // none is recorded.
  virtual absl::Status UpdateAttendance(const AttendanceRow& row) = 0;
  // Removes the attendance for the pair. NOT_FOUND when none is recorded.
  virtual absl::Status DeleteAttendance(int64_t session_id,
                                        const std::string& participant_id) = 0;
};

struct StoreOptions {
  // Path of the SQLite database file; created when missing.
  std::string path;
  // Connections used for reads (each used by one call at a time).
  int read_connections = 4;
  // How long a connection waits for a lock before giving up (UNAVAILABLE).
  int busy_timeout_ms = 5000;
  // Writes that may wait for a commit; more are refused at once with
  // UNAVAILABLE (retry later), so that overload cannot grow memory without
  // bound. A group commits up to 256 of them.
  int max_queued_writes = 4096;
  // Name of a registered SQLite VFS to open the database through; empty for
  // the default. Tests use it to inject disk faults.
  std::string vfs_name;
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

  // Write without waiting: queues `fn` and returns at once; `done` gets what
  // Write would have returned, once the commit is durable or has failed.
  // Both may run on other threads of the store's: `fn` must not touch
  // anything its caller may free before `done`, and `done` must be quick and
  // must not Write (it would wait for itself). By default, runs Write and
  // calls `done` before returning.
  virtual void WriteAsync(std::function<absl::Status(WriteTransaction&)> fn,
                          std::function<void(absl::Status)> done) {
    done(Write(fn));
  }

  // Runs `fn` on one consistent snapshot.
  virtual absl::Status Read(
      const std::function<absl::Status(ReadTransaction&)>& fn) = 0;

  // Takes a consistent online copy of the database into `dest_path` with
  // SQLite's backup API while writers carry on (see store::BackupDatabase).
  // UNIMPLEMENTED unless the store is backed by a database file.
  virtual absl::StatusOr<DatabaseInfo> Backup(const std::string& dest_path);

  // Copies every committed page into the database file and empties the
  // write-ahead log, so that what earlier commits overwrote (a participant's
  // name, after anonymisation) is gone from the files as well as from the
  // records. Waits for readers on older snapshots up to the busy timeout,
  // then UNAVAILABLE. UNIMPLEMENTED unless the store overrides it.
  virtual absl::Status EraseOverwrittenPages();

  // How many claims are in each state (reciprocity.v1.ClaimState), for
  // metrics. UNIMPLEMENTED unless the store overrides it.
  virtual absl::StatusOr<std::map<int, int64_t>> CountClaimsByState();

  // How many payment batches are in each state (reciprocity.v1.BatchState)
  // and the pence they pay, for metrics. UNIMPLEMENTED unless the store
  // overrides it.
  struct BatchTotals {
    int64_t batches = 0;
    int64_t pence = 0;
  };
  virtual absl::StatusOr<std::map<int, BatchTotals>> CountBatchesByState();

  // How the write path has fared since the store opened, for metrics and
  // for tuning: each group commit (one transaction carrying the queued
  // writes), how many writes it carried and how long it took from BEGIN to
  // a durable COMMIT, and the writes refused or waiting.
  struct WriteStats {
    Histogram commit_seconds;      // one sample per group
    Histogram writes_per_commit;   // one sample per group
    int64_t storage_failures = 0;  // groups lost to the disk (full, I/O)
    int64_t refused = 0;           // writes refused: too many waiting
    int64_t waiting = 0;           // writes queued now
  };
  // UNIMPLEMENTED unless the store overrides it.
  virtual absl::StatusOr<WriteStats> GetWriteStats();

  // The schema version this build writes.
  static int CurrentSchemaVersion();
};

}  // namespace reciprocity::store

#endif  // RECIPROCITY_SERVER_STORE_STORE_H_
