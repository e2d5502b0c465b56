#include "server/grpc_services.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/access.h"
#include "server/idempotency.h"
#include "server/logging.h"

namespace reciprocity {
namespace {

// Stores a domain result into the gRPC response.
template <typename T>
absl::Status Assign(absl::StatusOr<T> result, T* out) {
  if (!result.ok()) return result.status();
  *out = *std::move(result);
  return absl::OkStatus();
}

constexpr absl::string_view kClaims = "/reciprocity.v1.ClaimService/";
constexpr absl::string_view kPolicy = "/reciprocity.v1.PolicyService/";
constexpr absl::string_view kAudit = "/reciprocity.v1.AuditService/";
constexpr absl::string_view kProgramme = "/reciprocity.v1.ProgrammeService/";

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

absl::StatusOr<Principal> CallRunner::Authenticate(
    grpc::ServerContextBase* context) const {
  const auto& metadata = context->client_metadata();
  auto it = metadata.find("authorization");
  if (it != metadata.end()) {
    auto token =
        BearerToken(absl::string_view(it->second.data(), it->second.size()));
    if (!token.ok()) return token.status();
    return principals_.FindByToken(*token);
  }
  // Under mutual TLS the verified client certificate can name the caller.
  const auto auth = context->auth_context();
  if (auth != nullptr && auth->IsPeerAuthenticated()) {
    for (const auto& subject : auth->FindPropertyValues("x509_subject")) {
      return principals_.FindByCertificateSubject(
          absl::string_view(subject.data(), subject.size()));
    }
  }
  return absl::UnauthenticatedError(
      "no credentials: send 'authorization: Bearer <token>' (recip --token "
      "or RECIP_TOKEN)");
}

absl::StatusOr<Principal> CallRunner::Admit(grpc::ServerContextBase* context,
                                            absl::string_view method) const {
  auto principal = Authenticate(context);
  if (!principal.ok()) return principal.status();
  if (absl::Status s = AuthorizeMethod(*principal, method); !s.ok()) return s;
  if (context->IsCancelled()) {
    return absl::CancelledError("the caller gave up before the call ran");
  }
  return principal;
}

grpc::Status CallRunner::Run(
    grpc::ServerContext* context, absl::string_view method,
    absl::string_view request_id,
    const std::function<absl::Status(const Principal&)>& fn) const {
  const absl::Time start = absl::Now();
  std::optional<std::string> principal_id;
  absl::Status status = [&]() -> absl::Status {
    auto principal = Admit(context, method);
    if (!principal.ok()) return principal.status();
    principal_id = principal->id;
    return fn(*principal);
  }();
  Record(method, principal_id, request_id, status, absl::Now() - start);
  return ToGrpcStatus(status);
}

grpc::ServerUnaryReactor* CallRunner::RunAsync(
    grpc::CallbackServerContext* context, absl::string_view method,
    absl::string_view request_id,
    const std::function<void(const Principal&, Finish)>& start) const {
  const absl::Time start_time = absl::Now();
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto principal = Admit(context, method);
  Finish finish = [this, reactor, start_time, method = std::string(method),
                   principal_id = principal.ok() ? std::optional<std::string>(
                                                       principal->id)
                                                 : std::nullopt,
                   request_id = std::string(request_id)](absl::Status status) {
    Record(method, principal_id, request_id, status, absl::Now() - start_time);
    reactor->Finish(ToGrpcStatus(status));
  };
  if (!principal.ok()) {
    finish(principal.status());
  } else {
    start(*principal, std::move(finish));
  }
  return reactor;
}

void CallRunner::Record(absl::string_view method,
                        const std::optional<std::string>& principal_id,
                        absl::string_view request_id,
                        const absl::Status& status,
                        absl::Duration latency) const {
  if (metrics_ != nullptr) metrics_->RecordRpc(method, status.code(), latency);
  LogFields fields = {
      {"method", std::string(method)},
      {"principal", principal_id.value_or("-")},
      {"code", absl::StatusCodeToString(status.code())},
      {"ms", absl::StrCat(absl::ToDoubleMilliseconds(latency))},
  };
  if (!request_id.empty()) {
    // As sent only from a caller who authenticated, and only an id the
    // service accepts (short, printable, no spaces); otherwise a hash, to
    // match a report against, so that no text a caller without credentials
    // chose, nor any text of any length, reaches the log.
    if (principal_id.has_value() &&
        ValidateRequestId("request_id", request_id).ok()) {
      fields.emplace_back("request_id", std::string(request_id));
    } else {
      fields.emplace_back("request_id_sha256",
                          Sha256Hex(request_id).substr(0, 16));
    }
  }
  if (status.code() == absl::StatusCode::kInternal ||
      status.code() == absl::StatusCode::kUnknown) {
    // Internal messages come from our own code and storage, never from
    // request fields, so they carry no personal data.
    fields.emplace_back("error", std::string(status.message()));
    LogError("rpc", fields);
  } else {
    LogInfo("rpc", fields);
  }
}

#define RECIP_HANDLE(service_prefix, Method, request_id, call)            \
  runner_.Run(context, absl::StrCat(service_prefix, #Method), request_id, \
              [&](const Principal& caller) { return call; })

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
