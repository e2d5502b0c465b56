#include "client/money.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace reciprocity::client {
namespace {

// Parses "W[.F]" where W has at most 9 digits and F at most `max_decimals`
// digits; returns the value scaled by 10^max_decimals.
absl::StatusOr<int64_t> ParseFixed(absl::string_view text, int max_decimals,
                                   absl::string_view what) {
  auto bad = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not ", what, " (e.g. ",
                     max_decimals == 2 ? "3.20" : "12.5", ")"));
  };
  absl::string_view whole = text, frac;
  if (size_t dot = text.find('.'); dot != absl::string_view::npos) {
    whole = text.substr(0, dot);
    frac = text.substr(dot + 1);
    if (frac.empty()) return bad();
  }
  if (whole.empty() || whole.size() > 9 ||
      static_cast<int>(frac.size()) > max_decimals) {
    return bad();
  }
  int64_t value = 0;
  for (char c : whole) {
    if (!absl::ascii_isdigit(c)) return bad();
    value = value * 10 + (c - '0');
  }
  for (int i = 0; i < max_decimals; ++i) {
    const char c = i < static_cast<int>(frac.size()) ? frac[i] : '0';
    if (!absl::ascii_isdigit(c)) return bad();
    value = value * 10 + (c - '0');
  }
  return value;
}

// True when every comma in `amount` separates thousands in a number that
// also has a decimal point: "1,234.50". Many people write a decimal comma
// ("3,20" for £3.20, "12,500" for £12.50), so any other comma could be
// misread by a factor of a hundred or a thousand.
bool CommasAreThousandsOnly(absl::string_view amount) {
  const size_t point = amount.find('.');
  if (point == absl::string_view::npos) return false;
  if (amount.substr(point).find(',') != absl::string_view::npos) return false;
  const std::vector<absl::string_view> groups =
      absl::StrSplit(amount.substr(0, point), ',');
  if (groups[0].empty() || groups[0].size() > 3) return false;
  for (size_t i = 1; i < groups.size(); ++i) {
    if (groups[i].size() != 3) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<int64_t> ParsePounds(absl::string_view text) {
  std::string cleaned =
      absl::StrReplaceAll(absl::StripAsciiWhitespace(text), {{"£", ""}});
  if (!cleaned.empty() && cleaned[0] == '-') {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "': an amount cannot be negative"));
  }
  if (absl::StrContains(cleaned, ',')) {
    if (!CommasAreThousandsOnly(cleaned)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "'", text, "': use a point for pence, not a comma (e.g. 3.20)"));
    }
    absl::StrReplaceAll({{",", ""}}, &cleaned);
  }
  return ParseFixed(cleaned, 2, "an amount in pounds and pence");
}

absl::StatusOr<int64_t> ParseTenths(absl::string_view text) {
  return ParseFixed(absl::StripAsciiWhitespace(text), 1, "a distance in miles");
}

absl::StatusOr<int32_t> ParseHoursToMinutes(absl::string_view text) {
  auto hundredths =
      ParseFixed(absl::StripAsciiWhitespace(text), 2, "a number of hours");
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
