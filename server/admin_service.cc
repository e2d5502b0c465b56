#include "server/admin_service.h"

#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "server/logging.h"

namespace reciprocity {
namespace {

bool IsPlainFileName(const std::string& name) {
  if (name.empty() || name.size() > 128 || name[0] == '.') return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' &&
        c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<v1::BackupDatabaseResponse> AdminService::Backup(
    const Principal& caller, const v1::BackupDatabaseRequest& request) {
  if (backup_dir_.empty()) {
    return absl::FailedPreconditionError(
        "backups are off: start reciprocityd with --backup-dir DIR");
  }
  const absl::Time now = clock_.Now();
  std::string name = request.file_name();
  if (name.empty()) {
    name = absl::StrCat(
        "reciprocity-",
        absl::FormatTime("%Y%m%dT%H%M%SZ", now, absl::UTCTimeZone()), ".db");
  }
  if (!IsPlainFileName(name)) {
    return absl::InvalidArgumentError(
        "file_name: use letters, digits, '.', '-' and '_' only, not starting "
        "with '.'");
  }
  const std::string path = (std::filesystem::path(backup_dir_) / name).string();
  absl::StatusOr<store::DatabaseInfo> info = store_.Backup(path);
  if (!info.ok()) return info.status();
  LogInfo("backup_written", {{"path", path},
                             {"bytes", absl::StrCat(info->size_bytes)},
                             {"claims", absl::StrCat(info->claim_count)},
                             {"schema", absl::StrCat(info->schema_version)},
                             {"principal", caller.id}});
  v1::BackupDatabaseResponse response;
  response.set_path(path);
  response.set_size_bytes(info->size_bytes);
  response.set_claim_count(info->claim_count);
  response.set_schema_version(info->schema_version);
  const int64_t micros = absl::ToUnixMicros(now);
  response.mutable_create_time()->set_seconds(micros / 1000000);
  response.mutable_create_time()->set_nanos(
      static_cast<int32_t>(micros % 1000000) * 1000);
  return response;
}

grpc::Status AdminGrpcService::BackupDatabase(
    grpc::ServerContext* context, const v1::BackupDatabaseRequest* request,
    v1::BackupDatabaseResponse* response) {
  return runner_.Run(context, "/reciprocity.v1.AdminService/BackupDatabase",
                     request->request_id(),
                     [&](const Principal& caller) -> absl::Status {
                       absl::StatusOr<v1::BackupDatabaseResponse> result =
                           admin_.Backup(caller, *request);
                       if (!result.ok()) return result.status();
                       *response = *std::move(result);
                       return absl::OkStatus();
                     });
}

namespace {
// Runs one call and stores its result in `response`.
template <typename Response>
grpc::Status RunInto(
    const CallRunner& runner, grpc::ServerContext* context,
    absl::string_view method, absl::string_view request_id, Response* response,
    const std::function<absl::StatusOr<Response>(const Principal&)>& call) {
  return runner.Run(context, method, request_id,
                    [&](const Principal& caller) -> absl::Status {
                      absl::StatusOr<Response> result = call(caller);
                      if (!result.ok()) return result.status();
                      *response = *std::move(result);
                      return absl::OkStatus();
                    });
}
}  // namespace

grpc::Status AdminGrpcService::GetRetentionPolicy(
    grpc::ServerContext* context, const v1::GetRetentionPolicyRequest* request,
    v1::RetentionPolicy* response) {
  return RunInto<v1::RetentionPolicy>(
      runner_, context, "/reciprocity.v1.AdminService/GetRetentionPolicy", "",
      response, [&](const Principal& caller) {
        return privacy_.GetRetentionPolicy(caller, *request);
      });
}

grpc::Status AdminGrpcService::UpdateRetentionPolicy(
    grpc::ServerContext* context,
    const v1::UpdateRetentionPolicyRequest* request,
    v1::RetentionPolicy* response) {
  return RunInto<v1::RetentionPolicy>(
      runner_, context, "/reciprocity.v1.AdminService/UpdateRetentionPolicy",
      request->request_id(), response, [&](const Principal& caller) {
        return privacy_.UpdateRetentionPolicy(caller, *request);
      });
}

}  // namespace reciprocity
