#include "server/domain/claim_validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "server/domain/names.h"

namespace reciprocity {
namespace {

absl::Status Invalid(absl::string_view path, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", reason));
}

bool IsReferenceSeparator(char c) {
  return c == '-' || c == '_' || c == '.' || c == '/';
}

// A finance-system reference: [A-Za-z0-9][A-Za-z0-9._/-]*.
bool IsPayeeReference(absl::string_view reference) {
  if (reference.empty() || !absl::ascii_isalnum(reference[0])) return false;
  for (char c : reference) {
    if (!absl::ascii_isalnum(c) && !IsReferenceSeparator(c)) return false;
  }
  return true;
}

// An IBAN: country code, two check digits and 11 to 30 letters and digits,
// whose ISO 7064 mod-97 checksum holds. The checksum keeps references that
// merely start like one ("CA12TAXIFIRMACCOUNT") out.
bool IsIban(absl::string_view reference) {
  std::string iban;
  for (char c : reference) {
    if (!IsReferenceSeparator(c)) iban.push_back(absl::ascii_toupper(c));
  }
  if (iban.size() < 15 || iban.size() > 34 || !absl::ascii_isalpha(iban[0]) ||
      !absl::ascii_isalpha(iban[1]) || !absl::ascii_isdigit(iban[2]) ||
      !absl::ascii_isdigit(iban[3])) {
    return false;
  }
  int remainder = 0;
  for (size_t i = 0; i < iban.size(); ++i) {
    const char c = iban[(i + 4) % iban.size()];  // the first four go last
    if (absl::ascii_isdigit(c)) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else if (absl::ascii_isupper(c)) {
      remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
    } else {
      return false;
    }
  }
  return remainder == 1;
}

// "Never bank details": six or more digits in a row (a sort code or an
// account number), a sort code written in pairs (12-34-56), or an IBAN.
bool LooksLikeBankDetails(absl::string_view reference) {
  int digits = 0;  // in the current run
  int pairs = 0;   // two-digit runs in a row, joined by one separator
  for (size_t i = 0; i <= reference.size(); ++i) {
    const char c = i < reference.size() ? reference[i] : '\0';
    if (absl::ascii_isdigit(c)) {
      if (++digits >= 6) return true;
      continue;
    }
    if (digits > 0) {
      pairs = digits == 2 ? pairs + 1 : 0;
      if (pairs >= 3) return true;
      const bool joined = IsReferenceSeparator(c) && i + 1 < reference.size() &&
                          absl::ascii_isdigit(reference[i + 1]);
      if (!joined) pairs = 0;
    }
    digits = 0;
  }
  return IsIban(reference);
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
  RECIP_RETURN_IF_ERROR(CheckFreeText(path + ".description", line.description(),
                                      TextLines::kOne));
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
  if (LooksLikeBankDetails(line.payee_reference())) {
    // Bank details live in the finance system, never in claims.
    return Invalid(path + ".payee_reference",
                   "looks like bank details (an account number, sort code "
                   "or IBAN); give the finance system's reference for the "
                   "payee instead (e.g. childminder-77)");
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

absl::StatusOr<ClaimReferences> ValidateClaim(absl::string_view field,
                                              const v1::Claim& claim) {
  const std::string f(field);
  ClaimReferences references;
  RECIP_ASSIGN_OR_RETURN(
      references.participant_id,
      ParseParticipantName(f + ".participant", claim.participant()));
  if (claim.project().empty()) {
    return Invalid(f + ".project",
                   "required, e.g. serviceAreas/adult-social-care/projects/"
                   "ld-user-voice");
  }
  RECIP_ASSIGN_OR_RETURN(references.project,
                         ParseProjectName(f + ".project", claim.project()));
  if (!claim.session().empty()) {
    RECIP_ASSIGN_OR_RETURN(references.session_id,
                           ParseSessionName(f + ".session", claim.session()));
  }
  if (claim.session().empty() || !claim.session_date().empty()) {
    RECIP_ASSIGN_OR_RETURN(
        references.session_date,
        ParseDateField(f + ".session_date", claim.session_date()));
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
  return references;
}

}  // namespace reciprocity
