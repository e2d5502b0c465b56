#include "policy/explain.h"

#include "absl/strings/str_cat.h"

namespace reciprocity::policy {

std::string ExplainPolicy(const AreaPolicy& policy,
                          std::optional<std::string_view> project_id,
                          absl::CivilDay as_of) {
  return absl::StrCat(policy.display_name(), ".\n");
}

}  // namespace reciprocity::policy
