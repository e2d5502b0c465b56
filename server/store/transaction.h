// The SQLite store's transaction: every read and write of store.h on one
// connection that is already inside a transaction (the caller began it and
// ends it, see guards.h). Internal to the SQLite store. Its methods are
// defined by table: sqlite_claims.cc, sqlite_programme.cc,
// sqlite_finance.cc and sqlite_bookkeeping.cc (requests, audit, settings).
#ifndef RECIPROCITY_SERVER_STORE_TRANSACTION_H_
#define RECIPROCITY_SERVER_STORE_TRANSACTION_H_

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/status_macros.h"
#include "server/store/record_contents.h"
#include "server/store/sqlite_connection.h"
#include "server/store/sqlite_errors.h"
#include "server/store/store.h"

namespace reciprocity::store {

class SqliteTransaction final : public WriteTransaction {
 public:
  explicit SqliteTransaction(Connection& connection)
      : db_(connection.db()), connection_(connection) {}
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;

  // Forgets the records written so far: the group commit calls it before
  // each piece of work, so that each sees only its own (a failed piece's
  // writes are undone).
  void ForgetWrittenRecords() { written_.Clear(); }

  // ---- Claims (sqlite_claims.cc) ----
  absl::StatusOr<ClaimRow> GetClaim(int64_t id) override;
  absl::StatusOr<std::vector<ClaimRow>> ListClaims(
      const ClaimFilter& filter) override;
  absl::StatusOr<int64_t> SumCarTenths(const std::string& participant_id,
                                       const std::string& from,
                                       const std::string& to,
                                       const std::vector<int>& states) override;
  absl::StatusOr<int64_t> SumAllowedPence(
      const std::string& area_id, const std::string& project_id,
      const std::string& from, const std::string& to,
      const std::vector<int>& states) override;
  absl::StatusOr<std::vector<ClaimRow>> ListClaimsOnDay(
      const std::string& participant_id,
      const std::string& session_date) override;
  absl::Status ScanClaims(
      const ClaimFilter& filter,
      const std::function<absl::Status(const ClaimRow&)>& fn) override;
  absl::StatusOr<int64_t> InsertClaim(const ClaimRow& row) override;
  absl::Status UpdateClaim(const ClaimRow& row) override;

  // ---- Programme (sqlite_programme.cc) ----
  absl::StatusOr<ParticipantRow> GetParticipant(const std::string& id) override;
  absl::StatusOr<std::vector<ParticipantRow>> ListParticipants(
      const ProgrammeFilter& filter) override;
  absl::StatusOr<int64_t> CountParticipants() override;
  absl::StatusOr<SessionRow> GetSession(int64_t id) override;
  absl::StatusOr<std::vector<SessionRow>> ListSessions(
      const ProgrammeFilter& filter) override;
  absl::StatusOr<std::vector<AgreementRow>> ListAgreements(
      const ProgrammeFilter& filter) override;
  absl::StatusOr<std::optional<AttendanceRow>> FindAttendance(
      int64_t session_id, const std::string& participant_id) override;
  absl::StatusOr<VoucherEntitlementRow> GetVoucherEntitlement(
      int64_t id) override;
  absl::StatusOr<std::vector<VoucherEntitlementRow>> ListVoucherEntitlements(
      const ProgrammeFilter& filter) override;
  absl::StatusOr<int64_t> SumVoucherPence(
      const std::string& participant_id, const std::string& area_id,
      const std::string& from, const std::string& to,
      const std::vector<int>& states) override;
  absl::StatusOr<int64_t> SumProjectVoucherPence(
      const std::string& area_id, const std::string& project_id,
      const std::string& from, const std::string& to,
      const std::vector<int>& states) override;
  absl::StatusOr<std::vector<AttendanceRow>> ListAttendancesOfParticipant(
      const std::string& participant_id) override;
  absl::Status InsertParticipant(const ParticipantRow& row) override;
  absl::Status UpdateParticipant(const ParticipantRow& row) override;
  absl::StatusOr<int64_t> InsertSession(const SessionRow& row) override;
  absl::StatusOr<int64_t> InsertAgreement(const AgreementRow& row) override;
  absl::StatusOr<int64_t> InsertVoucherEntitlement(
      const VoucherEntitlementRow& row) override;
  absl::Status UpdateVoucherEntitlement(
      const VoucherEntitlementRow& row) override;
  absl::Status InsertAttendance(const AttendanceRow& row) override;
  absl::Status UpdateAgreementBody(int64_t id,
                                   const std::string& body) override;
  // ---- Corrections (sqlite_corrections.cc) ----
  absl::StatusOr<std::vector<AttendanceRow>> ListAttendancesOfSession(
      int64_t session_id) override;
  absl::Status UpdateSession(const SessionRow& row) override;
  absl::Status UpdateAttendance(const AttendanceRow& row) override;
  absl::Status DeleteAttendance(int64_t session_id,
                                const std::string& participant_id) override;

  // ---- Finance: payment batches (sqlite_finance.cc) ----
  absl::Status ScanBatchClaims(
      int64_t batch_id,
      const std::function<absl::Status(const ClaimRow&)>& fn) override;
  absl::StatusOr<BatchRow> GetBatch(int64_t id) override;
  absl::StatusOr<std::vector<BatchRow>> ListBatches(int64_t before_id,
                                                    int limit) override;
  absl::Status ScanBatchPayments(
      int64_t batch_id, int payment_method,
      const std::function<absl::Status(const BatchPaymentRow&)>& fn) override;
  absl::StatusOr<int64_t> InsertBatch(const BatchRow& row) override;
  absl::Status UpdateBatch(const BatchRow& row) override;
  absl::Status InsertBatchPayment(const BatchPaymentRow& row) override;
  absl::StatusOr<int64_t> MoveClaimsIntoBatch(
      const ClaimFilter& filter, int from_state, int64_t batch_id, int to_state,
      int64_t now_micros, const std::string& body_suffix) override;
  absl::StatusOr<int64_t> MoveClaimsIntoBatchById(
      const std::vector<int64_t>& claim_ids, int from_state, int64_t batch_id,
      int to_state, int64_t now_micros,
      const std::string& body_suffix) override;
  absl::StatusOr<int64_t> SetBatchClaimsState(
      int64_t batch_id, int to_state, bool release, int64_t now_micros,
      const std::string& body_suffix) override;

  // ---- Bookkeeping (sqlite_bookkeeping.cc) ----
  absl::StatusOr<std::optional<RequestRow>> FindRequest(
      const std::string& request_id) override;
  absl::Status SaveRequest(const RequestRow& row) override;
  absl::Status ClearRequestResponse(const std::string& request_id) override;
  absl::StatusOr<std::optional<AuditRow>> AuditHead() override;
  absl::StatusOr<std::vector<AuditRow>> ListAuditEvents(
      const AuditFilter& filter) override;
  absl::Status ScanAuditContents(
      int64_t after_sequence, int64_t up_to_sequence,
      const std::function<absl::Status(const AuditContentRow&)>& fn) override;
  absl::Status ScanRecordContents(
      const std::function<absl::Status(const RecordContent&)>& fn) override;
  absl::Status TakeWrittenRecords(
      const std::function<absl::Status(const RecordContent&)>& fn) override;
  absl::Status AppendAuditEvent(
      const AuditRow& row,
      const std::vector<AuditContentRow>& contents) override;
  absl::Status AppendAuditContent(const AuditContentRow& row) override;
  absl::Status SavePolicyVersion(const std::string& version,
                                 const std::string& area_id,
                                 const std::string& content,
                                 int64_t loaded_time_micros) override;
  absl::StatusOr<std::string> GetBatchAuditHead(int64_t batch_id) override;
  absl::Status SaveBatchAuditHead(int64_t batch_id,
                                  const std::string& audit_head,
                                  int64_t now_micros) override;
  absl::StatusOr<std::optional<std::string>> GetSetting(
      const std::string& name) override;
  absl::Status PutSetting(const std::string& name, const std::string& value,
                          int64_t now_micros) override;

 private:
  // Runs a query and reads every row with `read`.
  template <typename Row, typename Bind, typename ReadFn>
  absl::StatusOr<std::vector<Row>> Select(const std::string& sql, Bind&& bind,
                                          ReadFn&& read) {
    std::vector<Row> rows;
    absl::Status s = Guard([&] {
      Prepared prepared = connection_.Prepare(sql);
      SQLite::Statement& q = *prepared;
      bind(q);
      while (q.executeStep()) rows.push_back(read(q));
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return rows;
  }

  // The first column of the first row of a query that always has one.
  template <typename Bind>
  absl::StatusOr<int64_t> Scalar(const std::string& sql, Bind&& bind) {
    int64_t value = 0;
    absl::Status s = Guard([&] {
      Prepared prepared = connection_.Prepare(sql);
      SQLite::Statement& q = *prepared;
      bind(q);
      q.executeStep();
      value = q.getColumn(0).getInt64();
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return value;
  }

  // Runs a statement; returns how many rows it changed.
  template <typename Bind>
  absl::StatusOr<int64_t> Exec(const std::string& sql, Bind&& bind) {
    int64_t changed = 0;
    absl::Status s = Guard([&] {
      Prepared prepared = connection_.Prepare(sql);
      SQLite::Statement& q = *prepared;
      bind(q);
      changed = q.exec();
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return changed;
  }

  // Inserts a row of an audited table; returns its id.
  template <typename Bind>
  absl::StatusOr<int64_t> InsertReturningId(AuditedTable table,
                                            const std::string& sql,
                                            Bind&& bind) {
    RECIP_ASSIGN_OR_RETURN(int64_t changed,
                           Exec(sql, std::forward<Bind>(bind)));
    (void)changed;
    const int64_t id = db_.getLastInsertRowid();
    written_.Add(table, id);
    return id;
  }

  // Sums `column` of a running-totals table (see schema.h) over a range of
  // session dates: at most a year of rows per state, however many claims.
  absl::StatusOr<int64_t> SumColumn(
      const char* table, const char* column, const char* key_clause,
      const std::string& key, const std::string& key2, const std::string& from,
      const std::string& to, const std::vector<int>& states);

  SQLite::Database& db_;
  Connection& connection_;
  // The audited records written since the last TakeWrittenRecords.
  WrittenRecords written_;
};

}  // namespace reciprocity::store

#endif  // RECIPROCITY_SERVER_STORE_TRANSACTION_H_
