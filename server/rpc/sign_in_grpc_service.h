// SignInService over gRPC. RedeemSignInCode runs without credentials (the
// code is the credential); the rest go through the CallRunner as usual.
#ifndef RECIPROCITY_SERVER_RPC_SIGN_IN_GRPC_SERVICE_H_
#define RECIPROCITY_SERVER_RPC_SIGN_IN_GRPC_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include "reciprocity/v1/sign_in.grpc.pb.h"
#include "server/domain/sign_in_service.h"
#include "server/rpc/call_runner.h"

namespace reciprocity {

class SignInGrpcService final : public v1::SignInService::Service {
 public:
  SignInGrpcService(const CallRunner& runner, SignInService& sign_in)
      : runner_(runner), sign_in_(sign_in) {}

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
};

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_RPC_SIGN_IN_GRPC_SERVICE_H_
