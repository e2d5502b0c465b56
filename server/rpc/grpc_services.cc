#include "server/rpc/grpc_services.h"

#include "absl/strings/str_cat.h"
#include "server/domain/access.h"

namespace reciprocity {
namespace {

constexpr absl::string_view kClaims = "/reciprocity.v1.ClaimService/";
constexpr absl::string_view kPolicy = "/reciprocity.v1.PolicyService/";
constexpr absl::string_view kAudit = "/reciprocity.v1.AuditService/";
constexpr absl::string_view kProgramme = "/reciprocity.v1.ProgrammeService/";

}  // namespace

grpc::Status ClaimGrpcService::PreviewClaim(
    grpc::ServerContext* context, const v1::PreviewClaimRequest* request,
    v1::PreviewClaimResponse* response) {
  return RECIP_HANDLE(kClaims, PreviewClaim, "",
                      Assign(claims_.Preview(caller, *request), response));
}
grpc::ServerUnaryReactor* ClaimGrpcService::SubmitClaim(
    grpc::CallbackServerContext* context, const v1::SubmitClaimRequest* request,
    v1::Claim* response) {
  return runner_.RunAsync(
      context, absl::StrCat(kClaims, "SubmitClaim"), request->request_id(),
      [&](const Principal& caller, CallRunner::Finish finish) {
        claims_.SubmitAsync(caller, *request,
                            [response, finish = std::move(finish)](
                                absl::StatusOr<v1::Claim> claim) {
                              finish(Assign(std::move(claim), response));
                            });
      });
}
grpc::Status ClaimGrpcService::GetClaim(grpc::ServerContext* context,
                                        const v1::GetClaimRequest* request,
                                        v1::Claim* response) {
  return RECIP_HANDLE(kClaims, GetClaim, "",
                      Assign(claims_.Get(caller, *request), response));
}
grpc::Status ClaimGrpcService::ListClaims(grpc::ServerContext* context,
                                          const v1::ListClaimsRequest* request,
                                          v1::ListClaimsResponse* response) {
  return RECIP_HANDLE(kClaims, ListClaims, "",
                      Assign(claims_.List(caller, *request), response));
}
grpc::Status ClaimGrpcService::ReviewClaimLine(
    grpc::ServerContext* context, const v1::ReviewClaimLineRequest* request,
    v1::Claim* response) {
  return RECIP_HANDLE(kClaims, ReviewClaimLine, request->request_id(),
                      Assign(claims_.ReviewLine(caller, *request), response));
}
grpc::Status ClaimGrpcService::WithdrawClaim(
    grpc::ServerContext* context, const v1::WithdrawClaimRequest* request,
    v1::Claim* response) {
  return RECIP_HANDLE(kClaims, WithdrawClaim, request->request_id(),
                      Assign(claims_.Withdraw(caller, *request), response));
}
grpc::Status ClaimGrpcService::AppealClaimLine(
    grpc::ServerContext* context, const v1::AppealClaimLineRequest* request,
    v1::Claim* response) {
  return RECIP_HANDLE(kClaims, AppealClaimLine, request->request_id(),
                      Assign(claims_.AppealLine(caller, *request), response));
}

grpc::Status PolicyGrpcService::ListServiceAreas(
    grpc::ServerContext* context, const v1::ListServiceAreasRequest* request,
    v1::ListServiceAreasResponse* response) {
  return RECIP_HANDLE(
      kPolicy, ListServiceAreas, "",
      Assign(policies_.ListServiceAreas(caller, *request), response));
}
grpc::Status PolicyGrpcService::ListProjects(
    grpc::ServerContext* context, const v1::ListProjectsRequest* request,
    v1::ListProjectsResponse* response) {
  return RECIP_HANDLE(
      kPolicy, ListProjects, "",
      Assign(policies_.ListProjects(caller, *request), response));
}
grpc::Status PolicyGrpcService::ExplainPolicy(
    grpc::ServerContext* context, const v1::ExplainPolicyRequest* request,
    v1::ExplainPolicyResponse* response) {
  return RECIP_HANDLE(kPolicy, ExplainPolicy, "",
                      Assign(policies_.Explain(caller, *request), response));
}
grpc::Status PolicyGrpcService::ReloadPolicies(
    grpc::ServerContext* context, const v1::ReloadPoliciesRequest* request,
    v1::ReloadPoliciesResponse* response) {
  return RECIP_HANDLE(kPolicy, ReloadPolicies, request->request_id(),
                      Assign(policies_.Reload(caller, *request), response));
}
grpc::Status PolicyGrpcService::WhatIfPolicy(
    grpc::ServerContext* context, const v1::WhatIfPolicyRequest* request,
    v1::WhatIfReport* response) {
  return RECIP_HANDLE(kPolicy, WhatIfPolicy, "",
                      Assign(policies_.WhatIf(caller, *request), response));
}

grpc::Status AuditGrpcService::ListAuditEvents(
    grpc::ServerContext* context, const v1::ListAuditEventsRequest* request,
    v1::ListAuditEventsResponse* response) {
  return RECIP_HANDLE(kAudit, ListAuditEvents, "",
                      Assign(audit_.List(caller, *request), response));
}
grpc::Status AuditGrpcService::VerifyAuditLog(
    grpc::ServerContext* context, const v1::VerifyAuditLogRequest* request,
    v1::VerifyAuditLogResponse* response) {
  return RECIP_HANDLE(kAudit, VerifyAuditLog, "",
                      Assign(audit_.Verify(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::CreateParticipant(
    grpc::ServerContext* context, const v1::CreateParticipantRequest* request,
    v1::Participant* response) {
  return RECIP_HANDLE(
      kProgramme, CreateParticipant, request->request_id(),
      Assign(programme_.CreateParticipant(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::GetParticipant(
    grpc::ServerContext* context, const v1::GetParticipantRequest* request,
    v1::Participant* response) {
  return RECIP_HANDLE(
      kProgramme, GetParticipant, "",
      Assign(programme_.GetParticipant(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::ListParticipants(
    grpc::ServerContext* context, const v1::ListParticipantsRequest* request,
    v1::ListParticipantsResponse* response) {
  return RECIP_HANDLE(
      kProgramme, ListParticipants, "",
      Assign(programme_.ListParticipants(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::UpdateParticipant(
    grpc::ServerContext* context, const v1::UpdateParticipantRequest* request,
    v1::Participant* response) {
  return RECIP_HANDLE(
      kProgramme, UpdateParticipant, request->request_id(),
      Assign(programme_.UpdateParticipant(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::DeactivateParticipant(
    grpc::ServerContext* context,
    const v1::DeactivateParticipantRequest* request,
    v1::Participant* response) {
  return RECIP_HANDLE(
      kProgramme, DeactivateParticipant, request->request_id(),
      Assign(programme_.DeactivateParticipant(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::CreateSession(
    grpc::ServerContext* context, const v1::CreateSessionRequest* request,
    v1::Session* response) {
  return RECIP_HANDLE(
      kProgramme, CreateSession, request->request_id(),
      Assign(programme_.CreateSession(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::GetSession(
    grpc::ServerContext* context, const v1::GetSessionRequest* request,
    v1::Session* response) {
  return RECIP_HANDLE(
      kProgramme, GetSession, "",
      Assign(programme_.GetSession(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::ListSessions(
    grpc::ServerContext* context, const v1::ListSessionsRequest* request,
    v1::ListSessionsResponse* response) {
  return RECIP_HANDLE(
      kProgramme, ListSessions, "",
      Assign(programme_.ListSessions(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::CreateAgreement(
    grpc::ServerContext* context, const v1::CreateAgreementRequest* request,
    v1::Agreement* response) {
  return RECIP_HANDLE(
      kProgramme, CreateAgreement, request->request_id(),
      Assign(programme_.CreateAgreement(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::ListAgreements(
    grpc::ServerContext* context, const v1::ListAgreementsRequest* request,
    v1::ListAgreementsResponse* response) {
  return RECIP_HANDLE(
      kProgramme, ListAgreements, "",
      Assign(programme_.ListAgreements(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::EndAgreement(
    grpc::ServerContext* context, const v1::EndAgreementRequest* request,
    v1::Agreement* response) {
  return RECIP_HANDLE(
      kProgramme, EndAgreement, request->request_id(),
      Assign(programme_.EndAgreement(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::AddAppointee(
    grpc::ServerContext* context, const v1::AddAppointeeRequest* request,
    v1::Participant* response) {
  return RECIP_HANDLE(
      kProgramme, AddAppointee, request->request_id(),
      Assign(programme_.AddAppointee(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::RemoveAppointee(
    grpc::ServerContext* context, const v1::RemoveAppointeeRequest* request,
    v1::Participant* response) {
  return RECIP_HANDLE(
      kProgramme, RemoveAppointee, request->request_id(),
      Assign(programme_.RemoveAppointee(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::RecordAttendance(
    grpc::ServerContext* context, const v1::RecordAttendanceRequest* request,
    v1::Attendance* response) {
  return RECIP_HANDLE(
      kProgramme, RecordAttendance, request->request_id(),
      Assign(programme_.RecordAttendance(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::ListVoucherEntitlements(
    grpc::ServerContext* context,
    const v1::ListVoucherEntitlementsRequest* request,
    v1::ListVoucherEntitlementsResponse* response) {
  return RECIP_HANDLE(
      kProgramme, ListVoucherEntitlements, "",
      Assign(programme_.ListVoucherEntitlements(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::IssueVoucher(
    grpc::ServerContext* context, const v1::IssueVoucherRequest* request,
    v1::VoucherEntitlement* response) {
  return RECIP_HANDLE(
      kProgramme, IssueVoucher, request->request_id(),
      Assign(programme_.IssueVoucher(caller, *request), response));
}

grpc::Status ProgrammeGrpcService::ExportParticipantData(
    grpc::ServerContext* context,
    const v1::ExportParticipantDataRequest* request,
    v1::ExportParticipantDataResponse* response) {
  return RECIP_HANDLE(
      kProgramme, ExportParticipantData, "",
      Assign(privacy_.ExportParticipantData(caller, *request), response));
}
grpc::Status ProgrammeGrpcService::AnonymiseParticipant(
    grpc::ServerContext* context,
    const v1::AnonymiseParticipantRequest* request, v1::Participant* response) {
  return RECIP_HANDLE(
      kProgramme, AnonymiseParticipant, request->request_id(),
      Assign(privacy_.AnonymiseParticipant(caller, *request), response));
}

#undef RECIP_HANDLE

}  // namespace reciprocity
