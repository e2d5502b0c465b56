// Exact conversions between what people type and integer pence.
#ifndef RECIPROCITY_CLIENT_MONEY_H_
#define RECIPROCITY_CLIENT_MONEY_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace reciprocity::client {

// "3.20" -> 320, "3.2" -> 320, "3" -> 300, "£1,234.50" -> 123450, "0.05" -> 5.
// Never uses floating point. INVALID_ARGUMENT for negatives, more than two
// decimals, a comma that is not a thousands separator before a point ("3,20",
// "1,0,0", "12,500": the message says to use a point), or anything that is
// not a plain amount.
absl::StatusOr<int64_t> ParsePounds(absl::string_view text);

// "12.3" -> 123 tenths of a mile; at most one decimal place.
absl::StatusOr<int64_t> ParseTenths(absl::string_view text);

// "2.5" hours -> 150 minutes, "1.25" -> 75; must come to whole minutes.
absl::StatusOr<int32_t> ParseHoursToMinutes(absl::string_view text);

// 320 -> "3.20" (no currency sign), -5 -> "-0.05".
std::string PenceToPounds(int64_t pence);

}  // namespace reciprocity::client

#endif  // RECIPROCITY_CLIENT_MONEY_H_
