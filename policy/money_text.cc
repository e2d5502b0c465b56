#include "policy/money_text.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace reciprocity::policy {
namespace {

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

absl::StatusOr<int64_t> ParseFixedPoint(absl::string_view text,
                                        int max_decimals,
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
  return ParseFixedPoint(cleaned, 2, "an amount in pounds and pence");
}

}  // namespace reciprocity::policy
