#include "server/domain/names.h"

#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "policy/dates.h"
#include "policy/text.h"

namespace reciprocity {
namespace {

absl::Status Bad(absl::string_view field, absl::string_view name,
                 absl::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": '", name.substr(0, 80),
                   "' is not a valid name; expected ", expected));
}

absl::StatusOr<int64_t> ParseNumericId(absl::string_view field,
                                       absl::string_view name,
                                       absl::string_view collection) {
  absl::string_view rest = name;
  int64_t id = 0;
  if (!absl::ConsumePrefix(&rest, collection) ||
      !absl::ConsumePrefix(&rest, "/") || rest.empty() || rest.size() > 18 ||
      !std::all_of(rest.begin(), rest.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(rest, &id) || id <= 0) {
    return Bad(field, name, absl::StrCat(collection, "/{number}"));
  }
  return id;
}

}  // namespace

absl::Status CheckFreeText(absl::string_view field, absl::string_view text,
                           TextLines lines) {
  const bool many = lines == TextLines::kMany;
  if (!policy::FindControlCharacter(std::string_view(text.data(), text.size()),
                                    /*allow_line_breaks=*/many)
           .has_value()) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      field,
      many ? ": must not contain control characters (tabs, escape codes); "
             "line breaks are fine"
           : ": must not contain control characters (line breaks, tabs, "
             "escape codes)"));
}

bool IsValidId(absl::string_view id) {
  if (id.empty() || id.size() > 63 || id.front() == '-' || id.back() == '-') {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-';
  });
}

absl::StatusOr<int64_t> ParseClaimName(absl::string_view field,
                                       absl::string_view name) {
  return ParseNumericId(field, name, "claims");
}

absl::StatusOr<int64_t> ParseSessionName(absl::string_view field,
                                         absl::string_view name) {
  return ParseNumericId(field, name, "sessions");
}

absl::StatusOr<int64_t> ParseAgreementName(absl::string_view field,
                                           absl::string_view name) {
  return ParseNumericId(field, name, "agreements");
}

absl::StatusOr<int64_t> ParseVoucherEntitlementName(absl::string_view field,
                                                    absl::string_view name) {
  return ParseNumericId(field, name, "voucherEntitlements");
}

absl::StatusOr<int> ParseTimeOfDay(absl::string_view field,
                                   absl::string_view text) {
  int h = 0, m = 0;
  if (text.size() == 5 && text[2] == ':' &&
      absl::ascii_isdigit(static_cast<unsigned char>(text[0])) &&
      absl::ascii_isdigit(static_cast<unsigned char>(text[1])) &&
      absl::ascii_isdigit(static_cast<unsigned char>(text[3])) &&
      absl::ascii_isdigit(static_cast<unsigned char>(text[4])) &&
      absl::SimpleAtoi(text.substr(0, 2), &h) &&
      absl::SimpleAtoi(text.substr(3, 2), &m) && h < 24 && m < 60) {
    return h * 60 + m;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": '", text.substr(0, 20), "' is not a time; use HH:MM"));
}

absl::StatusOr<ProjectName> ParseProjectName(absl::string_view field,
                                             absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "serviceAreas" ||
      parts[2] != "projects" || !IsValidId(parts[1]) || !IsValidId(parts[3])) {
    return Bad(field, name, "serviceAreas/{area}/projects/{project}");
  }
  return ProjectName{std::string(parts[1]), std::string(parts[3])};
}

absl::StatusOr<std::string> ParseServiceAreaName(absl::string_view field,
                                                 absl::string_view name) {
  absl::string_view rest = name;
  if (!absl::ConsumePrefix(&rest, "serviceAreas/") || !IsValidId(rest)) {
    return Bad(field, name, "serviceAreas/{area}");
  }
  return std::string(rest);
}

absl::StatusOr<std::string> ParseParticipantName(absl::string_view field,
                                                 absl::string_view name) {
  if (name.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": required, e.g. participants/p-0001"));
  }
  absl::string_view rest = name;
  if (!absl::ConsumePrefix(&rest, "participants/") || !IsValidId(rest)) {
    return Bad(field, name, "participants/{participant}");
  }
  return std::string(rest);
}

absl::StatusOr<absl::CivilDay> ParseDateField(absl::string_view field,
                                              absl::string_view text) {
  std::optional<absl::CivilDay> day =
      policy::ParseIsoDate(std::string_view(text.data(), text.size()));
  // The API takes this century's dates only, a narrower range than the
  // rule files'.
  if (day.has_value() && day->year() >= 2000 && day->year() <= 2100) {
    return *day;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": '", text.substr(0, 40), "' is not a date; use YYYY-MM-DD"));
}

std::string ClaimName(int64_t id) { return absl::StrCat("claims/", id); }
std::string SessionName(int64_t id) { return absl::StrCat("sessions/", id); }
std::string AgreementName(int64_t id) {
  return absl::StrCat("agreements/", id);
}
std::string VoucherEntitlementName(int64_t id) {
  return absl::StrCat("voucherEntitlements/", id);
}
std::string AttendanceName(int64_t session_id, absl::string_view participant) {
  return absl::StrCat("sessions/", session_id, "/attendances/", participant);
}
std::string ProjectResourceName(absl::string_view area,
                                absl::string_view project) {
  return absl::StrCat("serviceAreas/", area, "/projects/", project);
}
std::string ParticipantName(absl::string_view id) {
  return absl::StrCat("participants/", id);
}

bool IsPlainFileName(absl::string_view name) {
  if (name.empty() || name.size() > 128 || name[0] == '.') return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' &&
        c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

}  // namespace reciprocity
