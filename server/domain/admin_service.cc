#include "server/domain/admin_service.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/logging.h"
#include "server/domain/names.h"

namespace reciprocity {

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

}  // namespace reciprocity
