// Checks the meaning of a parsed rule file: what protobuf's parser cannot
// know (dates, caps, rates, projects, participant types).
#ifndef RECIPROCITY_POLICY_VALIDATE_H_
#define RECIPROCITY_POLICY_VALIDATE_H_

#include <string_view>

#include "absl/status/status.h"
#include "google/protobuf/text_format.h"
#include "reciprocity/v1/policy.pb.h"

namespace reciprocity::policy {

// Limits on what a rule file may say; beyond them a figure is a mistake.
inline constexpr int64_t kMaxPencePerMile = 500;             // £5 a mile
inline constexpr int64_t kMaxPencePerHour = 10'000;          // £100 an hour
inline constexpr int64_t kMaxCapPence = 10'000'000;          // £100,000
inline constexpr int64_t kMaxBudgetPence = 100'000'000'000;  // £1 billion
inline constexpr int64_t kMaxTierMiles = 1'000'000;
inline constexpr int32_t kMaxDeadlineDays = 366;
// A payment promise longer than a quarter is no promise.
inline constexpr int32_t kMaxPaymentPromiseDays = 90;
// The promise when a rule file names none: good practice pays within two
// weeks.
inline constexpr int32_t kDefaultPaymentPromiseDays = 14;
inline constexpr int32_t kMaxAttendanceMinutes = 24 * 60;
// Limits on text, which the server hands to every client (area and project
// names, the leaflet): a rule file is small, and each string is a name or a
// code.
inline constexpr size_t kMaxRuleFileBytes = 256 * 1024;
inline constexpr size_t kMaxRuleTextCharacters = 200;

// Ids of areas and projects, as they appear in resource names: 1 to 63
// lower-case letters, digits and hyphens, not starting or ending with a
// hyphen ("ld-user-voice").
bool IsResourceId(std::string_view id);

// OK, or INVALID_ARGUMENT "file:line:column: field.path: reason" for the
// first mistake, positioned by `tree` (1-based line and column). Every
// string is checked first (UTF-8, at most kMaxRuleTextCharacters, no control
// characters), so no later message repeats text a client could not read.
absl::Status ValidateRuleFile(
    std::string_view file_name, const v1::RuleFile& rules,
    const google::protobuf::TextFormat::ParseInfoTree& tree);

}  // namespace reciprocity::policy

#endif  // RECIPROCITY_POLICY_VALIDATE_H_
