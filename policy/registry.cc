#include "policy/registry.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "policy/plain_text.h"

namespace reciprocity::policy {

absl::StatusOr<std::vector<std::string>> ListRuleFiles(const std::string& dir) {
  std::error_code error;
  std::filesystem::directory_iterator it(dir, error);
  if (error) {
    return absl::NotFoundError(absl::StrCat(
        dir, ": cannot read the rule directory: ", error.message()));
  }
  std::vector<std::string> paths;
  for (const auto& entry : it) {
    if (entry.path().extension() == ".textproto" &&
        entry.is_regular_file(error)) {
      paths.push_back(entry.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

absl::StatusOr<std::unique_ptr<PolicyRegistry>> PolicyRegistry::LoadDirectory(
    const std::string& dir) {
  absl::StatusOr<std::vector<std::string>> paths = ListRuleFiles(dir);
  if (!paths.ok()) return paths.status();
  if (paths->empty()) {
    return absl::NotFoundError(
        absl::StrCat(dir, ": no rule files (*.textproto) found"));
  }
  std::unique_ptr<PolicyRegistry> registry(new PolicyRegistry(dir));
  absl::MutexLock lock(&registry->mu_);
  for (const std::string& path : *paths) {
    absl::StatusOr<std::shared_ptr<const AreaPolicy>> policy =
        LoadRuleFile(path);
    if (!policy.ok()) return policy.status();
    registry->areas_[(*policy)->area_id()] = *std::move(policy);
  }
  return registry;
}

std::shared_ptr<const AreaPolicy> PolicyRegistry::Find(
    std::string_view area_id) const {
  absl::MutexLock lock(&mu_);
  auto it = areas_.find(AsAbsl(area_id));
  return it == areas_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const AreaPolicy>> PolicyRegistry::All() const {
  std::vector<std::shared_ptr<const AreaPolicy>> all;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, policy] : areas_) all.push_back(policy);
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a->area_id() < b->area_id();
  });
  return all;
}

ReloadResult PolicyRegistry::Reload() {
  ReloadResult result;
  absl::StatusOr<std::vector<std::string>> paths = ListRuleFiles(dir_);
  if (!paths.ok()) {
    result.errors.push_back(std::string(paths.status().message()));
    return result;
  }
  // Parse outside the lock: readers are never kept waiting on file I/O.
  std::vector<std::shared_ptr<const AreaPolicy>> parsed;
  for (const std::string& path : *paths) {
    absl::StatusOr<std::shared_ptr<const AreaPolicy>> policy =
        LoadRuleFile(path);
    if (policy.ok()) {
      parsed.push_back(*std::move(policy));
    } else {
      result.errors.push_back(std::string(policy.status().message()));
    }
  }
  absl::MutexLock lock(&mu_);
  for (std::shared_ptr<const AreaPolicy>& policy : parsed) {
    auto& slot = areas_[policy->area_id()];
    if (slot != nullptr && slot->version() == policy->version()) {
      result.unchanged_versions.push_back(policy->version());
    } else {
      result.loaded_versions.push_back(policy->version());
      slot = std::move(policy);
    }
  }
  return result;
}

}  // namespace reciprocity::policy
