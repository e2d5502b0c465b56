// Administration: online database backups (and, later, other operator
// actions that go through the API rather than the command line).
#ifndef RECIPROCITY_SERVER_ADMIN_SERVICE_H_
#define RECIPROCITY_SERVER_ADMIN_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <string>

#include "absl/status/statusor.h"
#include "reciprocity/v1/admin.grpc.pb.h"
#include "server/auth.h"
#include "server/clock.h"
#include "server/grpc_services.h"
#include "server/privacy_service.h"
#include "server/store/store.h"

namespace reciprocity {

class AdminService {
 public:
  // `backup_dir` empty: backups are refused (FAILED_PRECONDITION).
  AdminService(store::Store& store, const Clock& clock, std::string backup_dir)
      : store_(store), clock_(clock), backup_dir_(std::move(backup_dir)) {}

  // Copies the database into the backup directory. INVALID_ARGUMENT for a
  // file name that is not a plain name, ALREADY_EXISTS when it is taken.
  absl::StatusOr<v1::BackupDatabaseResponse> Backup(
      const Principal& caller, const v1::BackupDatabaseRequest& request);

 private:
  store::Store& store_;
  const Clock& clock_;
  const std::string backup_dir_;
};

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

#endif  // RECIPROCITY_SERVER_ADMIN_SERVICE_H_
