// Administration: online database backups (and, later, other operator
// actions that go through the API rather than the command line). Its gRPC
// face is server/rpc/admin_grpc_service.h.
#ifndef RECIPROCITY_SERVER_DOMAIN_ADMIN_SERVICE_H_
#define RECIPROCITY_SERVER_DOMAIN_ADMIN_SERVICE_H_

#include <string>

#include "absl/status/statusor.h"
#include "base/clock.h"
#include "reciprocity/v1/admin.pb.h"
#include "server/domain/principal.h"
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

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_ADMIN_SERVICE_H_
