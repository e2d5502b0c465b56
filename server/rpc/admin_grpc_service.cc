#include "server/rpc/admin_grpc_service.h"

namespace reciprocity {
namespace {

constexpr absl::string_view kAdmin = "/reciprocity.v1.AdminService/";

}  // namespace

grpc::Status AdminGrpcService::BackupDatabase(
    grpc::ServerContext* context, const v1::BackupDatabaseRequest* request,
    v1::BackupDatabaseResponse* response) {
  return RECIP_HANDLE(kAdmin, BackupDatabase, request->request_id(),
                      Assign(admin_.Backup(caller, *request), response));
}

grpc::Status AdminGrpcService::GetRetentionPolicy(
    grpc::ServerContext* context, const v1::GetRetentionPolicyRequest* request,
    v1::RetentionPolicy* response) {
  return RECIP_HANDLE(
      kAdmin, GetRetentionPolicy, "",
      Assign(privacy_.GetRetentionPolicy(caller, *request), response));
}

grpc::Status AdminGrpcService::UpdateRetentionPolicy(
    grpc::ServerContext* context,
    const v1::UpdateRetentionPolicyRequest* request,
    v1::RetentionPolicy* response) {
  return RECIP_HANDLE(
      kAdmin, UpdateRetentionPolicy, request->request_id(),
      Assign(privacy_.UpdateRetentionPolicy(caller, *request), response));
}

}  // namespace reciprocity
