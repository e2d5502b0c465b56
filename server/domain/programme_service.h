// The programme domain: the participant register, sessions, agreements made
// in advance, attendance and the voucher entitlements it earns. Knows nothing
// of gRPC. Every mutation is idempotent on its request_id (AIP-155) and runs
// in one write transaction.
#ifndef RECIPROCITY_SERVER_DOMAIN_PROGRAMME_SERVICE_H_
#define RECIPROCITY_SERVER_DOMAIN_PROGRAMME_SERVICE_H_

#include "absl/status/statusor.h"
#include "base/clock.h"
#include "policy/registry.h"
#include "reciprocity/v1/programme.pb.h"
#include "server/domain/principal.h"
#include "server/store/store.h"

namespace reciprocity {

// Reads a stored participant. Used by claims too.
absl::StatusOr<v1::Participant> ParticipantFromRow(
    const store::ParticipantRow& row);
absl::StatusOr<v1::Session> SessionFromRow(const store::SessionRow& row);
absl::StatusOr<v1::Agreement> AgreementFromRow(const store::AgreementRow& row);
absl::StatusOr<v1::VoucherEntitlement> EntitlementFromRow(
    const store::VoucherEntitlementRow& row);
// The stored form of a participant (the name is kept out of the body).
store::ParticipantRow ParticipantToRow(const std::string& id,
                                       const v1::Participant& p);

// The participant, which must be registered and active: otherwise
// FAILED_PRECONDITION naming `field` (the request field that named them).
absl::StatusOr<store::ParticipantRow> FindActiveParticipant(
    store::ReadTransaction& tx, absl::string_view field,
    const std::string& participant_id);

// The session with id `session_id` (named `name` in request field `field`),
// for an officer of its area: NOT_FOUND naming the field if there is none,
// PERMISSION_DENIED if the caller is not an officer there.
absl::StatusOr<store::SessionRow> FindSessionForOfficer(
    store::ReadTransaction& tx, const Principal& caller,
    absl::string_view field, absl::string_view name, int64_t session_id);

// Stores `e` as `row` (its state, body and update time `now`).
absl::Status SaveEntitlement(store::WriteTransaction& tx,
                             const v1::VoucherEntitlement& e,
                             store::VoucherEntitlementRow& row, int64_t now);

// The voucher entitlement `id` (named `name`), for an officer of its area:
// NOT_FOUND or PERMISSION_DENIED as MissingRecord says when there is none,
// PERMISSION_DENIED when the caller is not an officer there.
absl::StatusOr<store::VoucherEntitlementRow> FindVoucherForOfficer(
    store::ReadTransaction& tx, const Principal& caller, absl::string_view name,
    int64_t id);

class ProgrammeService {
 public:
  ProgrammeService(store::Store& store, policy::PolicyRegistry& policies,
                   const Clock& clock)
      : store_(store), policies_(policies), clock_(clock) {}

  // Participants: officers of any area create, read and change them;
  // participants read their own record; finance and auditors read.
  absl::StatusOr<v1::Participant> CreateParticipant(
      const Principal& caller, const v1::CreateParticipantRequest& request);
  absl::StatusOr<v1::Participant> GetParticipant(
      const Principal& caller, const v1::GetParticipantRequest& request);
  absl::StatusOr<v1::ListParticipantsResponse> ListParticipants(
      const Principal& caller, const v1::ListParticipantsRequest& request);
  absl::StatusOr<v1::Participant> UpdateParticipant(
      const Principal& caller, const v1::UpdateParticipantRequest& request);
  absl::StatusOr<v1::Participant> DeactivateParticipant(
      const Principal& caller, const v1::DeactivateParticipantRequest& request);

  // Sessions: officers of the project's area create them.
  absl::StatusOr<v1::Session> CreateSession(
      const Principal& caller, const v1::CreateSessionRequest& request);
  absl::StatusOr<v1::Session> GetSession(const Principal& caller,
                                         const v1::GetSessionRequest& request);
  absl::StatusOr<v1::ListSessionsResponse> ListSessions(
      const Principal& caller, const v1::ListSessionsRequest& request);

  // Agreements: officers of the session's (or project's) area record them.
  // One for a session, or a standing agreement for every session of a
  // project in a range of dates (standing_agreements.cc).
  absl::StatusOr<v1::Agreement> CreateAgreement(
      const Principal& caller, const v1::CreateAgreementRequest& request);
  absl::StatusOr<v1::ListAgreementsResponse> ListAgreements(
      const Principal& caller, const v1::ListAgreementsRequest& request);
  // Moves a standing agreement's last day earlier, never before today
  // (standing_agreements.cc).
  absl::StatusOr<v1::Agreement> EndAgreement(
      const Principal& caller, const v1::EndAgreementRequest& request);

  // Appointees who may act for a participant: officers of any area keep the
  // list, as they keep the register (programme_appointees.cc).
  absl::StatusOr<v1::Participant> AddAppointee(
      const Principal& caller, const v1::AddAppointeeRequest& request);
  absl::StatusOr<v1::Participant> RemoveAppointee(
      const Principal& caller, const v1::RemoveAppointeeRequest& request);

  // Attendance and vouchers (programme_attendance.cc).
  absl::StatusOr<v1::Attendance> RecordAttendance(
      const Principal& caller, const v1::RecordAttendanceRequest& request);
  absl::StatusOr<v1::ListVoucherEntitlementsResponse> ListVoucherEntitlements(
      const Principal& caller,
      const v1::ListVoucherEntitlementsRequest& request);
  absl::StatusOr<v1::VoucherEntitlement> IssueVoucher(
      const Principal& caller, const v1::IssueVoucherRequest& request);
  // A decision on a voucher flagged needs_decision: kept or taken back
  // (voucher_decisions.cc).
  absl::StatusOr<v1::VoucherEntitlement> DecideVoucher(
      const Principal& caller, const v1::DecideVoucherRequest& request);

  // Corrections, by officers of the session's area: a session changed or
  // cancelled (session_corrections.cc), an attendance corrected or removed
  // and its voucher judged again (attendance_corrections.cc).
  absl::StatusOr<v1::Session> UpdateSession(
      const Principal& caller, const v1::UpdateSessionRequest& request);
  absl::StatusOr<v1::Session> CancelSession(
      const Principal& caller, const v1::CancelSessionRequest& request);
  absl::StatusOr<v1::Attendance> UpdateAttendance(
      const Principal& caller, const v1::UpdateAttendanceRequest& request);
  absl::StatusOr<v1::Attendance> DeleteAttendance(
      const Principal& caller, const v1::DeleteAttendanceRequest& request);
  // Who is on a session's register, for an officer of its area.
  absl::StatusOr<v1::ListAttendancesResponse> ListAttendances(
      const Principal& caller, const v1::ListAttendancesRequest& request);

 private:
  absl::StatusOr<v1::Agreement> CreateStandingAgreement(
      const Principal& caller, const v1::CreateAgreementRequest& request);

  store::Store& store_;
  policy::PolicyRegistry& policies_;
  const Clock& clock_;
};

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_PROGRAMME_SERVICE_H_
