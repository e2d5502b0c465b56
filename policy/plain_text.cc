#include "policy/plain_text.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "policy/policy.h"

namespace reciprocity::policy {
namespace {

// 1234567 -> "1,234,567".
std::string WithThousands(uint64_t value) {
  std::string digits = absl::StrCat(value);
  if (digits.size() <= 3) return digits;
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

}  // namespace

std::string FormatMoney(int64_t pence) {
  // Work on the magnitude as unsigned so that INT64_MIN formats too.
  const uint64_t magnitude = pence < 0 ? 0 - static_cast<uint64_t>(pence)
                                       : static_cast<uint64_t>(pence);
  const std::string sign = pence < 0 ? "-" : "";
  if (magnitude < 100) return absl::StrCat(sign, magnitude, "p");
  const uint64_t rest = magnitude % 100;
  std::string out = absl::StrCat(sign, "£", WithThousands(magnitude / 100));
  if (rest != 0) absl::StrAppend(&out, ".", rest < 10 ? "0" : "", rest);
  return out;
}

std::string FormatMiles(int64_t tenths) {
  // Distances are validated non-negative before they reach here.
  const uint64_t magnitude = tenths < 0 ? 0 : static_cast<uint64_t>(tenths);
  const std::string number =
      magnitude % 10 == 0
          ? WithThousands(magnitude / 10)
          : absl::StrCat(WithThousands(magnitude / 10), ".", magnitude % 10);
  return absl::StrCat(number, tenths == 10 ? " mile" : " miles");
}

std::string FormatDuration(int64_t minutes) {
  const int64_t hours = minutes / 60;
  const int64_t rest = minutes % 60;
  if (hours == 0) return CountOf(rest, "minute", "minutes");
  std::string out = CountOf(hours, "hour", "hours");
  if (rest != 0) absl::StrAppend(&out, " ", CountOf(rest, "minute", "minutes"));
  return out;
}

std::string CountOf(int64_t count, const char* one, const char* many) {
  return absl::StrCat(count, " ", count == 1 ? one : many);
}

std::string VehicleWithArticle(v1::VehicleType vehicle) {
  switch (vehicle) {
    case v1::VEHICLE_TYPE_CAR:
      return "a car";
    case v1::VEHICLE_TYPE_MOTORCYCLE:
      return "a motorbike";
    case v1::VEHICLE_TYPE_BICYCLE:
      return "a bike";
    default:
      return "this vehicle";
  }
}

std::string ParticipantTypePlural(v1::ParticipantType type) {
  switch (type) {
    case v1::PARTICIPANT_TYPE_RESIDENT:
      return "residents";
    case v1::PARTICIPANT_TYPE_PARENT_OR_CARER:
      return "parents and carers";
    case v1::PARTICIPANT_TYPE_ORGANISATION_REPRESENTATIVE:
      return "people who come for a group or charity";
    case v1::PARTICIPANT_TYPE_STAFF:
      return "staff";
    case v1::PARTICIPANT_TYPE_YOUNG_PERSON:
      return "young people";
    default:
      return "people we do not know the type of";
  }
}

std::string CategoryPlural(v1::ExpenseCategory category) {
  switch (category) {
    case v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT:
      return "bus and train fares";
    case v1::EXPENSE_CATEGORY_MILEAGE:
      return "miles you drive or ride";
    case v1::EXPENSE_CATEGORY_TAXI:
      return "taxis";
    case v1::EXPENSE_CATEGORY_PARKING:
      return "parking";
    case v1::EXPENSE_CATEGORY_CHILDCARE:
      return "childcare";
    case v1::EXPENSE_CATEGORY_CARER:
      return "care for someone you look after";
    default:
      return "this kind of cost";
  }
}

std::string JoinWithAnd(const std::vector<std::string>& items) {
  if (items.empty()) return "";
  if (items.size() == 1) return items[0];
  std::vector<std::string> head(items.begin(), items.end() - 1);
  return absl::StrCat(absl::StrJoin(head, ", "), " and ", items.back());
}

}  // namespace reciprocity::policy
