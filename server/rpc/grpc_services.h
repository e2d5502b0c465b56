// The gRPC face of Reciprocity: thin handlers that authenticate the caller,
// check the method against the access table, call one domain method and
// convert its status.
#ifndef RECIPROCITY_SERVER_RPC_GRPC_SERVICES_H_
#define RECIPROCITY_SERVER_RPC_GRPC_SERVICES_H_

#include <grpcpp/grpcpp.h>

#include "reciprocity/v1/audit.grpc.pb.h"
#include "reciprocity/v1/claims.grpc.pb.h"
#include "reciprocity/v1/policy_service.grpc.pb.h"
#include "reciprocity/v1/programme.grpc.pb.h"
#include "server/domain/audit.h"
#include "server/domain/claim_service.h"
#include "server/domain/policy_service.h"
#include "server/domain/privacy_service.h"
#include "server/domain/programme_service.h"
#include "server/rpc/call_runner.h"

namespace reciprocity {

// SubmitClaim uses the callback API: its handler queues the claim for the
// next group commit and returns, and a thread of the store's answers once
// the commit is durable, so no thread waits per claim in flight.
class ClaimGrpcService final
    : public v1::ClaimService::WithCallbackMethod_SubmitClaim<
          v1::ClaimService::Service> {
 public:
  ClaimGrpcService(const CallRunner& runner, ClaimService& claims)
      : runner_(runner), claims_(claims) {}

  grpc::Status PreviewClaim(grpc::ServerContext* context,
                            const v1::PreviewClaimRequest* request,
                            v1::PreviewClaimResponse* response) override;
  grpc::ServerUnaryReactor* SubmitClaim(grpc::CallbackServerContext* context,
                                        const v1::SubmitClaimRequest* request,
                                        v1::Claim* response) override;
  grpc::Status GetClaim(grpc::ServerContext* context,
                        const v1::GetClaimRequest* request,
                        v1::Claim* response) override;
  grpc::Status ListClaims(grpc::ServerContext* context,
                          const v1::ListClaimsRequest* request,
                          v1::ListClaimsResponse* response) override;
  grpc::Status ReviewClaimLine(grpc::ServerContext* context,
                               const v1::ReviewClaimLineRequest* request,
                               v1::Claim* response) override;
  grpc::Status WithdrawClaim(grpc::ServerContext* context,
                             const v1::WithdrawClaimRequest* request,
                             v1::Claim* response) override;
  grpc::Status AppealClaimLine(grpc::ServerContext* context,
                               const v1::AppealClaimLineRequest* request,
                               v1::Claim* response) override;
  // Corrections (corrections_grpc.cc).
  grpc::Status AmendClaim(grpc::ServerContext* context,
                          const v1::AmendClaimRequest* request,
                          v1::Claim* response) override;

 private:
  const CallRunner& runner_;
  ClaimService& claims_;
};

class PolicyGrpcService final : public v1::PolicyService::Service {
 public:
  PolicyGrpcService(const CallRunner& runner, PolicyService& policies)
      : runner_(runner), policies_(policies) {}

  grpc::Status ListServiceAreas(
      grpc::ServerContext* context, const v1::ListServiceAreasRequest* request,
      v1::ListServiceAreasResponse* response) override;
  grpc::Status ListProjects(grpc::ServerContext* context,
                            const v1::ListProjectsRequest* request,
                            v1::ListProjectsResponse* response) override;
  grpc::Status ExplainPolicy(grpc::ServerContext* context,
                             const v1::ExplainPolicyRequest* request,
                             v1::ExplainPolicyResponse* response) override;
  grpc::Status ReloadPolicies(grpc::ServerContext* context,
                              const v1::ReloadPoliciesRequest* request,
                              v1::ReloadPoliciesResponse* response) override;
  grpc::Status WhatIfPolicy(grpc::ServerContext* context,
                            const v1::WhatIfPolicyRequest* request,
                            v1::WhatIfReport* response) override;

 private:
  const CallRunner& runner_;
  PolicyService& policies_;
};

class AuditGrpcService final : public v1::AuditService::Service {
 public:
  AuditGrpcService(const CallRunner& runner, AuditService& audit)
      : runner_(runner), audit_(audit) {}

  grpc::Status ListAuditEvents(grpc::ServerContext* context,
                               const v1::ListAuditEventsRequest* request,
                               v1::ListAuditEventsResponse* response) override;
  grpc::Status VerifyAuditLog(grpc::ServerContext* context,
                              const v1::VerifyAuditLogRequest* request,
                              v1::VerifyAuditLogResponse* response) override;

 private:
  const CallRunner& runner_;
  AuditService& audit_;
};

class ProgrammeGrpcService final : public v1::ProgrammeService::Service {
 public:
  ProgrammeGrpcService(const CallRunner& runner, ProgrammeService& programme,
                       PrivacyService& privacy)
      : runner_(runner), programme_(programme), privacy_(privacy) {}

  grpc::Status CreateParticipant(grpc::ServerContext* context,
                                 const v1::CreateParticipantRequest* request,
                                 v1::Participant* response) override;
  grpc::Status GetParticipant(grpc::ServerContext* context,
                              const v1::GetParticipantRequest* request,
                              v1::Participant* response) override;
  grpc::Status ListParticipants(
      grpc::ServerContext* context, const v1::ListParticipantsRequest* request,
      v1::ListParticipantsResponse* response) override;
  grpc::Status UpdateParticipant(grpc::ServerContext* context,
                                 const v1::UpdateParticipantRequest* request,
                                 v1::Participant* response) override;
  grpc::Status DeactivateParticipant(
      grpc::ServerContext* context,
      const v1::DeactivateParticipantRequest* request,
      v1::Participant* response) override;
  grpc::Status CreateSession(grpc::ServerContext* context,
                             const v1::CreateSessionRequest* request,
                             v1::Session* response) override;
  grpc::Status GetSession(grpc::ServerContext* context,
                          const v1::GetSessionRequest* request,
                          v1::Session* response) override;
  grpc::Status ListSessions(grpc::ServerContext* context,
                            const v1::ListSessionsRequest* request,
                            v1::ListSessionsResponse* response) override;
  grpc::Status CreateAgreement(grpc::ServerContext* context,
                               const v1::CreateAgreementRequest* request,
                               v1::Agreement* response) override;
  grpc::Status ListAgreements(grpc::ServerContext* context,
                              const v1::ListAgreementsRequest* request,
                              v1::ListAgreementsResponse* response) override;
  grpc::Status EndAgreement(grpc::ServerContext* context,
                            const v1::EndAgreementRequest* request,
                            v1::Agreement* response) override;
  grpc::Status AddAppointee(grpc::ServerContext* context,
                            const v1::AddAppointeeRequest* request,
                            v1::Participant* response) override;
  grpc::Status RemoveAppointee(grpc::ServerContext* context,
                               const v1::RemoveAppointeeRequest* request,
                               v1::Participant* response) override;
  grpc::Status RecordAttendance(grpc::ServerContext* context,
                                const v1::RecordAttendanceRequest* request,
                                v1::Attendance* response) override;
  grpc::Status ListVoucherEntitlements(
      grpc::ServerContext* context,
      const v1::ListVoucherEntitlementsRequest* request,
      v1::ListVoucherEntitlementsResponse* response) override;
  grpc::Status IssueVoucher(grpc::ServerContext* context,
                            const v1::IssueVoucherRequest* request,
                            v1::VoucherEntitlement* response) override;
  // Corrections (corrections_grpc.cc).
  grpc::Status UpdateSession(grpc::ServerContext* context,
                             const v1::UpdateSessionRequest* request,
                             v1::Session* response) override;
  grpc::Status CancelSession(grpc::ServerContext* context,
                             const v1::CancelSessionRequest* request,
                             v1::Session* response) override;
  grpc::Status UpdateAttendance(grpc::ServerContext* context,
                                const v1::UpdateAttendanceRequest* request,
                                v1::Attendance* response) override;
  grpc::Status DeleteAttendance(grpc::ServerContext* context,
                                const v1::DeleteAttendanceRequest* request,
                                v1::Attendance* response) override;
  grpc::Status ListAttendances(grpc::ServerContext* context,
                               const v1::ListAttendancesRequest* request,
                               v1::ListAttendancesResponse* response) override;
  grpc::Status DecideVoucher(grpc::ServerContext* context,
                             const v1::DecideVoucherRequest* request,
                             v1::VoucherEntitlement* response) override;
  // Personal data (privacy_service.h).
  grpc::Status ExportParticipantData(
      grpc::ServerContext* context,
      const v1::ExportParticipantDataRequest* request,
      v1::ExportParticipantDataResponse* response) override;
  grpc::Status AnonymiseParticipant(
      grpc::ServerContext* context,
      const v1::AnonymiseParticipantRequest* request,
      v1::Participant* response) override;

 private:
  const CallRunner& runner_;
  ProgrammeService& programme_;
  PrivacyService& privacy_;
};

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_RPC_GRPC_SERVICES_H_
