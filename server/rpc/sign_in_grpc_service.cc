#include "server/rpc/sign_in_grpc_service.h"

#include "absl/strings/str_cat.h"
#include "base/logging.h"

namespace reciprocity {
namespace {

constexpr absl::string_view kSignIn = "/reciprocity.v1.SignInService/";

// The bearer token the call carries; empty when none.
std::string CallToken(const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return "";
  auto token =
      BearerToken(absl::string_view(it->second.data(), it->second.size()));
  return token.ok() ? *token : "";
}

}  // namespace

grpc::Status SignInGrpcService::IssueSignInCode(
    grpc::ServerContext* context, const v1::IssueSignInCodeRequest* request,
    v1::SignInCode* response) {
  return RECIP_HANDLE(kSignIn, IssueSignInCode, "",
                      Assign(sign_in_.IssueCode(caller, *request), response));
}

grpc::Status SignInGrpcService::RedeemSignInCode(
    grpc::ServerContext* context, const v1::RedeemSignInCodeRequest* request,
    v1::SignInSession* response) {
  absl::Status s = Assign(sign_in_.RedeemCode(*request), response);
  LogInfo("call", {{"method", absl::StrCat(kSignIn, "RedeemSignInCode")},
                   {"principal", s.ok() ? response->principal() : ""},
                   {"code", absl::StatusCodeToString(s.code())}});
  return ToGrpcStatus(s);
}

grpc::Status SignInGrpcService::CreateSignInSession(
    grpc::ServerContext* context, const v1::CreateSignInSessionRequest* request,
    v1::SignInSession* response) {
  return RECIP_HANDLE(kSignIn, CreateSignInSession, "",
                      Assign(sign_in_.CreateSession(caller), response));
}

grpc::Status SignInGrpcService::EndSignInSession(
    grpc::ServerContext* context, const v1::EndSignInSessionRequest* request,
    v1::EndSignInSessionResponse* response) {
  const std::string token = CallToken(*context);
  return RECIP_HANDLE(kSignIn, EndSignInSession, "",
                      SignInService::IsSessionToken(token)
                          ? sign_in_.EndSession(token)
                          : absl::OkStatus());
}

}  // namespace reciprocity
