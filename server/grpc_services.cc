#include "server/grpc_services.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/access.h"
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

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

absl::StatusOr<Principal> CallRunner::Authenticate(
    grpc::ServerContext* context) const {
  const auto& metadata = context->client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return absl::UnauthenticatedError(
        "no credentials: send 'authorization: Bearer <token>' (recip --token "
        "or RECIP_TOKEN)");
  }
  auto token =
      BearerToken(absl::string_view(it->second.data(), it->second.size()));
  if (!token.ok()) return token.status();
  return principals_.FindByToken(*token);
}

grpc::Status CallRunner::Run(
    grpc::ServerContext* context, absl::string_view method,
    absl::string_view request_id,
    const std::function<absl::Status(const Principal&)>& fn) const {
  const absl::Time start = absl::Now();
  std::string principal_id = "-";
  absl::Status status = [&]() -> absl::Status {
    auto principal = Authenticate(context);
    if (!principal.ok()) return principal.status();
    principal_id = principal->id;
    if (absl::Status s = AuthorizeMethod(*principal, method); !s.ok()) return s;
    if (context->IsCancelled()) {
      return absl::CancelledError("the caller gave up before the call ran");
    }
    return fn(*principal);
  }();
  const absl::Duration latency = absl::Now() - start;
  if (metrics_ != nullptr) metrics_->RecordRpc(method, status.code(), latency);
  LogFields fields = {
      {"method", std::string(method)},
      {"principal", principal_id},
      {"code", absl::StatusCodeToString(status.code())},
      {"ms", absl::StrCat(absl::ToDoubleMilliseconds(latency))},
  };
  if (!request_id.empty())
    fields.emplace_back("request_id", std::string(request_id));
  if (status.code() == absl::StatusCode::kInternal ||
      status.code() == absl::StatusCode::kUnknown) {
    // Internal messages come from our own code and storage, never from
    // request fields, so they carry no personal data.
    fields.emplace_back("error", std::string(status.message()));
    LogError("rpc", fields);
  } else {
    LogInfo("rpc", fields);
  }
  return ToGrpcStatus(status);
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
grpc::Status ClaimGrpcService::SubmitClaim(
    grpc::ServerContext* context, const v1::SubmitClaimRequest* request,
    v1::Claim* response) {
  return RECIP_HANDLE(kClaims, SubmitClaim, request->request_id(),
                      Assign(claims_.Submit(caller, *request), response));
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

#undef RECIP_HANDLE

}  // namespace reciprocity
