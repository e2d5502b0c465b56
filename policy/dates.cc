#include "policy/dates.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace reciprocity::policy {
namespace {

// Reads `count` ASCII digits; -1 if any is not a digit.
int ReadDigits(std::string_view text, size_t pos, size_t count) {
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::optional<absl::CivilDay> ParseIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  const int year = ReadDigits(text, 0, 4);
  const int month = ReadDigits(text, 5, 2);
  const int day = ReadDigits(text, 8, 2);
  if (year < 1900 || year > 2999 || month < 1 || day < 1) return std::nullopt;
  const absl::CivilDay parsed(year, month, day);
  // CivilDay normalises 30 February to 2 March: a real day survives intact.
  if (parsed.month() != month || parsed.day() != day) return std::nullopt;
  return parsed;
}

std::string FormatIsoDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

std::string FormatLongDate(absl::CivilDay day) {
  static constexpr std::array<const char*, 12> kMonths = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  return absl::StrCat(day.day(), " ", kMonths[day.month() - 1], " ",
                      day.year());
}

absl::CivilDay TaxYearStart(absl::CivilDay day) {
  const absl::CivilDay this_year(day.year(), 4, 6);
  return day >= this_year ? this_year : absl::CivilDay(day.year() - 1, 4, 6);
}

absl::CivilDay FinancialYearStart(absl::CivilDay day) {
  const absl::CivilDay this_year(day.year(), 4, 1);
  return day >= this_year ? this_year : absl::CivilDay(day.year() - 1, 4, 1);
}

absl::CivilDay TaxYearEnd(absl::CivilDay day) {
  return absl::CivilDay(TaxYearStart(day).year() + 1, 4, 5);
}

absl::CivilDay FinancialYearEnd(absl::CivilDay day) {
  return absl::CivilDay(FinancialYearStart(day).year() + 1, 3, 31);
}

}  // namespace reciprocity::policy
