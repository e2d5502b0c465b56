// Exact conversions from what people write to integer pence, shared by the
// client (typed amounts) and the server (amounts in imported files). Never
// floating point.
#ifndef RECIPROCITY_POLICY_MONEY_TEXT_H_
#define RECIPROCITY_POLICY_MONEY_TEXT_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace reciprocity::policy {

// Parses "W[.F]" where W has at most 9 digits and F at most `max_decimals`
// digits; returns the value scaled by 10^max_decimals ("12.5" with 1 ->
// 125). INVALID_ARGUMENT "'text' is not <what> (e.g. ...)" otherwise.
absl::StatusOr<int64_t> ParseFixedPoint(absl::string_view text,
                                        int max_decimals,
                                        absl::string_view what);

// "3.20" -> 320, "3.2" -> 320, "3" -> 300, "£1,234.50" -> 123450, "0.05" -> 5.
// INVALID_ARGUMENT for negatives, more than two decimals, a comma that is
// not a thousands separator before a point ("3,20", "1,0,0", "12,500": the
// message says to use a point), or anything that is not a plain amount.
absl::StatusOr<int64_t> ParsePounds(absl::string_view text);

}  // namespace reciprocity::policy

#endif  // RECIPROCITY_POLICY_MONEY_TEXT_H_
