// Calendar helpers for rule files: strict "YYYY-MM-DD" dates, the UK tax
// and financial years, and finding the entry in force on a day.
#ifndef RECIPROCITY_POLICY_DATES_H_
#define RECIPROCITY_POLICY_DATES_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/civil_time.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace reciprocity::policy {

// Parses exactly "YYYY-MM-DD" naming a real day in the years 1900 to 2999.
// Anything else (other lengths, "2026-02-30", "2026-4-6") is nullopt.
std::optional<absl::CivilDay> ParseIsoDate(std::string_view text);

// "YYYY-MM-DD".
std::string FormatIsoDate(absl::CivilDay day);

// For people: "5 May 2026".
std::string FormatLongDate(absl::CivilDay day);

// The first day (6 April) of the UK tax year holding `day`, and its last
// day (5 April the year after).
absl::CivilDay TaxYearStart(absl::CivilDay day);
absl::CivilDay TaxYearEnd(absl::CivilDay day);

// The first day (1 April) of the council's financial year holding `day`, and
// its last day (31 March the year after).
absl::CivilDay FinancialYearStart(absl::CivilDay day);
absl::CivilDay FinancialYearEnd(absl::CivilDay day);

// The entry of `entries` in force on `day`: the one with the latest
// effective_from on or before it. nullptr when none is in force yet.
// The dates were parsed once, when the rule file was validated: each is a
// real day written YYYY-MM-DD and they are in order. Such text sorts as the
// days do, so it is compared as text, not parsed again.
template <typename Entry>
const Entry* InForce(const google::protobuf::RepeatedPtrField<Entry>& entries,
                     absl::CivilDay day) {
  const std::string on = FormatIsoDate(day);
  const Entry* found = nullptr;
  for (const Entry& entry : entries) {
    if (entry.effective_from() > on) break;
    found = &entry;
  }
  return found;
}

// The first entry of `entries` that takes effect after `day` (validated
// as for InForce); nullptr when none does.
template <typename Entry>
const Entry* NextChange(
    const google::protobuf::RepeatedPtrField<Entry>& entries,
    absl::CivilDay day) {
  const std::string on = FormatIsoDate(day);
  for (const Entry& entry : entries) {
    if (entry.effective_from() > on) return &entry;
  }
  return nullptr;
}

}  // namespace reciprocity::policy

#endif  // RECIPROCITY_POLICY_DATES_H_
