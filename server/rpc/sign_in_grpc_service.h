// SignInService over gRPC. RedeemSignInCode runs without credentials (the
// code is the credential); the rest go through the CallRunner as usual.
#ifndef RECIPROCITY_SERVER_RPC_SIGN_IN_GRPC_SERVICE_H_
#define RECIPROCITY_SERVER_RPC_SIGN_IN_GRPC_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "reciprocity/v1/sign_in.grpc.pb.h"
#include "server/domain/sign_in_service.h"
#include "server/rpc/call_runner.h"

namespace reciprocity {

class SignInGrpcService final : public v1::SignInService::Service {
 public:
  // `sign_in_proxies`: IP addresses of front ends (reciprocity-web) trusted
  // to name the address of the browser a code comes from.
  SignInGrpcService(const CallRunner& runner, SignInService& sign_in,
                    std::vector<std::string> sign_in_proxies = {})
      : runner_(runner),
        sign_in_(sign_in),
        sign_in_proxies_(std::move(sign_in_proxies)) {}

  grpc::Status IssueSignInCode(grpc::ServerContext* context,
                               const v1::IssueSignInCodeRequest* request,
                               v1::SignInCode* response) override;
  grpc::Status RedeemSignInCode(grpc::ServerContext* context,
                                const v1::RedeemSignInCodeRequest* request,
                                v1::SignInSession* response) override;
  grpc::Status CreateSignInSession(
      grpc::ServerContext* context,
      const v1::CreateSignInSessionRequest* request,
      v1::SignInSession* response) override;
  grpc::Status EndSignInSession(
      grpc::ServerContext* context, const v1::EndSignInSessionRequest* request,
      v1::EndSignInSessionResponse* response) override;

 private:
  const CallRunner& runner_;
  SignInService& sign_in_;
  const std::vector<std::string> sign_in_proxies_;
};

// "127.0.0.1" from gRPC's peer "ipv4:127.0.0.1:5432", "::1" from
// "ipv6:[::1]:5432"; anything else whole.
std::string PeerHost(absl::string_view peer);

// The metadata key a trusted front end names its client's address under.
inline constexpr char kForwardedForKey[] = "x-forwarded-for";

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_RPC_SIGN_IN_GRPC_SERVICE_H_
