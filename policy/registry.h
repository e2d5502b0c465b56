// The set of service-area policies in force, loaded from one directory of
// rule files and reloadable at run time. Thread-safe.
#ifndef RECIPROCITY_POLICY_REGISTRY_H_
#define RECIPROCITY_POLICY_REGISTRY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "policy/policy.h"

namespace reciprocity::policy {

// What one reload did, file by file.
struct ReloadResult {
  // Versions now in force that were not before (new or changed files).
  std::vector<std::string> loaded_versions;
  // Versions in force and unchanged.
  std::vector<std::string> unchanged_versions;
  // "file:line:column: reason" for each refused file; its previous version
  // (if any) stays in force.
  std::vector<std::string> errors;
};

// The "*.textproto" rule files in `dir`, sorted by name so loading is
// deterministic. NOT_FOUND when the directory cannot be read.
absl::StatusOr<std::vector<std::string>> ListRuleFiles(const std::string& dir);

class PolicyRegistry {
 public:
  // Loads every "*.textproto" file in `dir`. Fails with the first invalid
  // file's "file:line:column: reason", or when the directory holds no rule
  // files.
  static absl::StatusOr<std::unique_ptr<PolicyRegistry>> LoadDirectory(
      const std::string& dir);

  PolicyRegistry(const PolicyRegistry&) = delete;
  PolicyRegistry& operator=(const PolicyRegistry&) = delete;

  // nullptr when no such area is loaded.
  std::shared_ptr<const AreaPolicy> Find(std::string_view area_id) const;
  // All areas in force, ordered by id.
  std::vector<std::shared_ptr<const AreaPolicy>> All() const;
  // Re-reads the directory. A file that fails validation is refused and the
  // area's old version stays in force. Areas whose files disappeared stay in
  // force too (removing a service area is a deliberate act, not a reload).
  ReloadResult Reload();
  const std::string& directory() const { return dir_; }

 private:
  explicit PolicyRegistry(std::string dir) : dir_(std::move(dir)) {}
  const std::string dir_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<const AreaPolicy>> areas_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace reciprocity::policy

#endif  // RECIPROCITY_POLICY_REGISTRY_H_
