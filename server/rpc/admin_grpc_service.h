// The gRPC face of AdminService: backups (AdminService) and the retention
// policy (PrivacyService).
#ifndef RECIPROCITY_SERVER_RPC_ADMIN_GRPC_SERVICE_H_
#define RECIPROCITY_SERVER_RPC_ADMIN_GRPC_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include "reciprocity/v1/admin.grpc.pb.h"
#include "server/domain/admin_service.h"
#include "server/domain/privacy_service.h"
#include "server/rpc/call_runner.h"

namespace reciprocity {

class AdminGrpcService final : public v1::AdminService::Service {
 public:
  AdminGrpcService(const CallRunner& runner, AdminService& admin,
                   PrivacyService& privacy)
      : runner_(runner), admin_(admin), privacy_(privacy) {}

  grpc::Status BackupDatabase(grpc::ServerContext* context,
                              const v1::BackupDatabaseRequest* request,
                              v1::BackupDatabaseResponse* response) override;
  grpc::Status GetRetentionPolicy(grpc::ServerContext* context,
                                  const v1::GetRetentionPolicyRequest* request,
                                  v1::RetentionPolicy* response) override;
  grpc::Status UpdateRetentionPolicy(
      grpc::ServerContext* context,
      const v1::UpdateRetentionPolicyRequest* request,
      v1::RetentionPolicy* response) override;

 private:
  const CallRunner& runner_;
  AdminService& admin_;
  PrivacyService& privacy_;
};

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_RPC_ADMIN_GRPC_SERVICE_H_
