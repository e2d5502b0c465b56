// The gRPC face of Reciprocity: thin handlers that authenticate the caller,
// check the method against the access table, call one domain method and
// convert its status.
#ifndef RECIPROCITY_SERVER_GRPC_SERVICES_H_
#define RECIPROCITY_SERVER_GRPC_SERVICES_H_

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "reciprocity/v1/claims.grpc.pb.h"
#include "reciprocity/v1/policy_service.grpc.pb.h"
#include "server/auth.h"
#include "server/claim_service.h"
#include "server/metrics.h"
#include "server/policy_service.h"

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

 private:
  absl::StatusOr<Principal> Authenticate(grpc::ServerContext* context) const;
  const PrincipalDirectory& principals_;
  Metrics* const metrics_;
};

class ClaimGrpcService final : public v1::ClaimService::Service {
 public:
  ClaimGrpcService(const CallRunner& runner, ClaimService& claims)
      : runner_(runner), claims_(claims) {}

  grpc::Status PreviewClaim(grpc::ServerContext* context,
                            const v1::PreviewClaimRequest* request,
                            v1::PreviewClaimResponse* response) override;
  grpc::Status SubmitClaim(grpc::ServerContext* context,
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

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_GRPC_SERVICES_H_
