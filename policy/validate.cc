#include "policy/validate.h"

namespace reciprocity::policy {

absl::Status ValidateRuleFile(
    std::string_view file_name, const v1::RuleFile& rules,
    const google::protobuf::TextFormat::ParseInfoTree& tree) {
  return absl::OkStatus();
}

}  // namespace reciprocity::policy
