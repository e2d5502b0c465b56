#include "client/money.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "policy/money_text.h"

namespace reciprocity::client {

absl::StatusOr<int64_t> ParsePounds(absl::string_view text) {
  return policy::ParsePounds(text);
}

absl::StatusOr<int64_t> ParseTenths(absl::string_view text) {
  return policy::ParseFixedPoint(absl::StripAsciiWhitespace(text), 1,
                                 "a distance in miles");
}

absl::StatusOr<int32_t> ParseHoursToMinutes(absl::string_view text) {
  auto hundredths = policy::ParseFixedPoint(absl::StripAsciiWhitespace(text), 2,
                                            "a number of hours");
  if (!hundredths.ok()) return hundredths.status();
  // hours * 60 = hundredths * 60 / 100 = hundredths * 3 / 5.
  if ((*hundredths * 3) % 5 != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' hours is not a whole number of minutes"));
  }
  const int64_t minutes = *hundredths * 3 / 5;
  if (minutes > 24 * 60) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' hours is more than a day"));
  }
  return static_cast<int32_t>(minutes);
}

std::string PenceToPounds(int64_t pence) {
  const bool negative = pence < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(pence)
                                      : static_cast<uint64_t>(pence);
  return absl::StrFormat("%s%d.%02d", negative ? "-" : "", magnitude / 100,
                         magnitude % 100);
}

}  // namespace reciprocity::client
