// Resource names (AIP-122) and the small value formats of the API.
#ifndef RECIPROCITY_SERVER_DOMAIN_NAMES_H_
#define RECIPROCITY_SERVER_DOMAIN_NAMES_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "policy/dates.h"  // FormatIsoDate, the tax and financial years

namespace reciprocity {

struct ProjectName {
  std::string area_id;
  std::string project_id;
};

// Each returns INVALID_ARGUMENT naming `field` when the value is malformed.
absl::StatusOr<int64_t> ParseClaimName(absl::string_view field,
                                       absl::string_view name);
absl::StatusOr<ProjectName> ParseProjectName(absl::string_view field,
                                             absl::string_view name);
absl::StatusOr<std::string> ParseServiceAreaName(absl::string_view field,
                                                 absl::string_view name);
absl::StatusOr<std::string> ParseParticipantName(absl::string_view field,
                                                 absl::string_view name);
absl::StatusOr<int64_t> ParseSessionName(absl::string_view field,
                                         absl::string_view name);
absl::StatusOr<int64_t> ParseAgreementName(absl::string_view field,
                                           absl::string_view name);
absl::StatusOr<int64_t> ParseVoucherEntitlementName(absl::string_view field,
                                                    absl::string_view name);
// HH:MM on the 24-hour clock; returns minutes since midnight.
absl::StatusOr<int> ParseTimeOfDay(absl::string_view field,
                                   absl::string_view text);
// YYYY-MM-DD, a real calendar date in the years 2000 to 2100; the error
// names `field`. (policy::FormatIsoDate writes one.)
absl::StatusOr<absl::CivilDay> ParseDateField(absl::string_view field,
                                              absl::string_view text);

std::string ClaimName(int64_t id);
std::string ProjectResourceName(absl::string_view area,
                                absl::string_view project);
std::string ParticipantName(absl::string_view id);
std::string SessionName(int64_t id);
std::string AgreementName(int64_t id);
std::string VoucherEntitlementName(int64_t id);
// "sessions/{session}/attendances/{participant}".
std::string AttendanceName(int64_t session_id, absl::string_view participant);

// Free text people type and other people read (names, places, notes).
enum class TextLines { kOne, kMany };
// INVALID_ARGUMENT naming `field` when `text` holds a control character
// (Unicode Cc: NUL, ESC, tab, carriage return, DEL, U+0080-U+009F ...),
// which could drive the terminal of whoever reads it; a line break is
// allowed with TextLines::kMany. The message never repeats the text.
absl::Status CheckFreeText(absl::string_view field, absl::string_view text,
                           TextLines lines);

// An id segment: 1-63 characters of a-z, 0-9 and '-', starting with a letter
// or digit (AIP-122).
bool IsValidId(absl::string_view id);

// A file name a caller may give (a backup, a draft rule file): 1-128
// letters, digits, '.', '-' and '_', not starting with '.', so never a path.
bool IsPlainFileName(absl::string_view name);

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_NAMES_H_
