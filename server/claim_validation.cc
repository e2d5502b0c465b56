#include "server/claim_validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/names.h"
#include "server/status_macros.h"

namespace reciprocity {
namespace {

absl::Status Invalid(absl::string_view path, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", reason));
}

// A finance-system reference: [A-Za-z0-9][A-Za-z0-9._/-]*.
bool IsPayeeReference(absl::string_view reference) {
  if (reference.empty() || !absl::ascii_isalnum(reference[0])) return false;
  for (char c : reference) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_' && c != '.' &&
        c != '/') {
      return false;
    }
  }
  return true;
}

absl::Status ValidateLine(const std::string& path, const v1::ClaimLine& line) {
  if (line.category() == v1::EXPENSE_CATEGORY_UNSPECIFIED ||
      !v1::ExpenseCategory_IsValid(line.category())) {
    return Invalid(path + ".category",
                   "say what the line is for (e.g. PUBLIC_TRANSPORT, MILEAGE)");
  }
  if (line.amount_pence() < 0) {
    return Invalid(path + ".amount_pence", "must not be negative");
  }
  if (line.amount_pence() > kMaxLineAmountPence) {
    return Invalid(path + ".amount_pence", "must be at most £100,000.00");
  }
  if (line.distance_tenths_of_mile() < 0) {
    return Invalid(path + ".distance_tenths_of_mile", "must not be negative");
  }
  if (line.distance_tenths_of_mile() > kMaxLineDistanceTenths) {
    return Invalid(path + ".distance_tenths_of_mile",
                   "must be at most 10,000 miles");
  }
  if (line.passengers() < 0 || line.passengers() > kMaxPassengers) {
    return Invalid(path + ".passengers",
                   absl::StrCat("must be between 0 and ", kMaxPassengers));
  }
  if (line.care_minutes() < 0 || line.care_minutes() > kMaxCareMinutes) {
    return Invalid(path + ".care_minutes",
                   "must be between 0 and 1440 (a day)");
  }
  if (line.children() < 0 || line.children() > kMaxChildren) {
    return Invalid(path + ".children",
                   absl::StrCat("must be between 0 and ", kMaxChildren));
  }
  if (line.description().size() > kMaxDescriptionBytes) {
    return Invalid(path + ".description", "must be at most 500 characters");
  }
  if (line.payee_reference().size() > 64) {
    return Invalid(path + ".payee_reference", "must be at most 64 characters");
  }
  if (!line.payee_reference().empty() &&
      !IsPayeeReference(line.payee_reference())) {
    // The reference goes into the payment file, which people open in
    // spreadsheets: no formulas, quotes or line breaks.
    return Invalid(path + ".payee_reference",
                   "use letters, digits and - _ . / only, starting with a "
                   "letter or digit (e.g. childminder-77)");
  }
  switch (line.category()) {
    case v1::EXPENSE_CATEGORY_MILEAGE:
      if (line.vehicle() == v1::VEHICLE_TYPE_UNSPECIFIED ||
          !v1::VehicleType_IsValid(line.vehicle())) {
        return Invalid(path + ".vehicle", "say CAR, MOTORCYCLE or BICYCLE");
      }
      if (line.distance_tenths_of_mile() == 0) {
        return Invalid(path + ".distance_tenths_of_mile",
                       "a mileage line needs the distance");
      }
      if (line.amount_pence() != 0) {
        return Invalid(path + ".amount_pence",
                       "leave empty for mileage: the rate sets the amount");
      }
      break;
    case v1::EXPENSE_CATEGORY_CHILDCARE:
      if (line.children() == 0) {
        return Invalid(path + ".children",
                       "say how many children were cared for");
      }
      [[fallthrough]];
    case v1::EXPENSE_CATEGORY_CARER:
      if (line.care_minutes() == 0) {
        return Invalid(path + ".care_minutes", "say how long care was needed");
      }
      break;
    default:
      if (line.distance_tenths_of_mile() != 0) {
        return Invalid(path + ".distance_tenths_of_mile",
                       "only mileage lines have a distance");
      }
      break;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateClaim(absl::string_view field, const v1::Claim& claim) {
  const std::string f(field);
  RECIP_RETURN_IF_ERROR(
      ParseParticipantName(f + ".participant", claim.participant()).status());
  if (claim.project().empty()) {
    return Invalid(f + ".project",
                   "required, e.g. serviceAreas/adult-social-care/projects/"
                   "ld-user-voice");
  }
  RECIP_RETURN_IF_ERROR(
      ParseProjectName(f + ".project", claim.project()).status());
  if (!claim.session().empty()) {
    RECIP_RETURN_IF_ERROR(
        ParseSessionName(f + ".session", claim.session()).status());
  }
  if (claim.session().empty() || !claim.session_date().empty()) {
    RECIP_RETURN_IF_ERROR(
        ParseDate(f + ".session_date", claim.session_date()).status());
  }
  if (claim.lines().empty()) {
    return Invalid(f + ".lines", "a claim needs at least one line");
  }
  if (claim.lines_size() > kMaxLines) {
    return Invalid(f + ".lines", absl::StrCat("at most ", kMaxLines, " lines"));
  }
  for (int i = 0; i < claim.lines_size(); ++i) {
    RECIP_RETURN_IF_ERROR(
        ValidateLine(absl::StrCat(f, ".lines[", i, "]"), claim.lines(i)));
  }
  return absl::OkStatus();
}

}  // namespace reciprocity
