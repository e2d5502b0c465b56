#include "server/rpc/sign_in_grpc_service.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
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

// Who is trying a code, for the throttle. Browsers reach us through
// reciprocity-web, which is one peer for all of them: were its address the
// source, one person guessing would lock every browser user out. So a peer
// listed as a sign-in proxy may name its client's address (kForwardedForKey),
// and the source is then both addresses. A peer not listed may not: anyone
// could otherwise name a new address with each guess and never reach the
// per-source limit. The overall limit holds whatever the source.
std::string ThrottleSource(const grpc::ServerContext& context,
                           const std::vector<std::string>& proxies) {
  const std::string peer = PeerHost(context.peer());
  if (std::find(proxies.begin(), proxies.end(), peer) == proxies.end()) {
    return peer;
  }
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(kForwardedForKey);
  if (it == metadata.end()) return peer;
  return absl::StrCat(
      peer, " for ",
      absl::string_view(it->second.data(),
                        std::min<size_t>(it->second.size(), 64)));
}

}  // namespace

std::string PeerHost(absl::string_view peer) {
  absl::string_view host = peer;
  if (absl::ConsumePrefix(&host, "ipv4:")) {
    return std::string(host.substr(0, host.rfind(':')));
  }
  if (absl::ConsumePrefix(&host, "ipv6:") && absl::ConsumePrefix(&host, "[")) {
    return std::string(host.substr(0, host.find(']')));
  }
  return std::string(peer);
}

grpc::Status SignInGrpcService::IssueSignInCode(
    grpc::ServerContext* context, const v1::IssueSignInCodeRequest* request,
    v1::SignInCode* response) {
  return RECIP_HANDLE(kSignIn, IssueSignInCode, "",
                      Assign(sign_in_.IssueCode(caller, *request), response));
}

grpc::Status SignInGrpcService::RedeemSignInCode(
    grpc::ServerContext* context, const v1::RedeemSignInCodeRequest* request,
    v1::SignInSession* response) {
  absl::Status s = Assign(
      sign_in_.RedeemCode(*request, ThrottleSource(*context, sign_in_proxies_)),
      response);
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
