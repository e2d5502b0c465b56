// The gRPC face of Reciprocity: thin handlers that authenticate the caller,
// check the method against the access table, call one domain method and
// convert its status.
#ifndef RECIPROCITY_SERVER_GRPC_SERVICES_H_
#define RECIPROCITY_SERVER_GRPC_SERVICES_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "reciprocity/v1/audit.grpc.pb.h"
#include "reciprocity/v1/claims.grpc.pb.h"
#include "reciprocity/v1/policy_service.grpc.pb.h"
#include "reciprocity/v1/programme.grpc.pb.h"
#include "server/audit.h"
#include "server/auth.h"
#include "server/claim_service.h"
#include "server/metrics.h"
#include "server/policy_service.h"
#include "server/privacy_service.h"
#include "server/programme_service.h"

namespace reciprocity {

// absl and gRPC share their codes; this keeps the message too.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Authenticates each call and runs it, logging one line per call.
class CallRunner {
 public:
  // `metrics`, when not null, counts every call and its latency.
  explicit CallRunner(const PrincipalDirectory& principals,
                      Metrics* metrics = nullptr)
      : principals_(principals), metrics_(metrics) {}

  // Authenticates the caller from the "authorization" metadata, authorizes
  // `method`, runs `fn` and logs the outcome.
  grpc::Status Run(
      grpc::ServerContext* context, absl::string_view method,
      absl::string_view request_id,
      const std::function<absl::Status(const Principal&)>& fn) const;

  // Run for the callback API, for work that finishes later (a write waiting
  // for its group commit) without holding a thread: `start` gets the caller
  // and a `finish` to call exactly once with the outcome, from any thread.
  using Finish = std::function<void(absl::Status)>;
  grpc::ServerUnaryReactor* RunAsync(
      grpc::CallbackServerContext* context, absl::string_view method,
      absl::string_view request_id,
      const std::function<void(const Principal&, Finish)>& start) const;

 private:
  // The caller, allowed to call `method`.
  absl::StatusOr<Principal> Admit(grpc::ServerContextBase* context,
                                  absl::string_view method) const;
  absl::StatusOr<Principal> Authenticate(
      grpc::ServerContextBase* context) const;
  // Counts and logs one finished call.
  // `principal_id` is empty when the caller did not authenticate.
  void Record(absl::string_view method,
              const std::optional<std::string>& principal_id,
              absl::string_view request_id, const absl::Status& status,
              absl::Duration latency) const;
  const PrincipalDirectory& principals_;
  Metrics* const metrics_;
};

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

#endif  // RECIPROCITY_SERVER_GRPC_SERVICES_H_
