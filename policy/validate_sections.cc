// Meaning checks for the four sections of rules: travel, vouchers,
// childcare and general.
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "policy/validate.h"
#include "policy/validator.h"

namespace reciprocity::policy::validation {

absl::Status CheckRange(const Validator& v, const Node& node, const char* field,
                        int index, int64_t value, int64_t max,
                        std::string_view too_much) {
  if (value < 0) return v.Error(node, field, index, "must not be negative");
  if (value > max) return v.Error(node, field, index, too_much);
  return absl::OkStatus();
}

absl::Status CheckPence(const Validator& v, const Node& parent,
                        const RepeatedPtrField<v1::DatedPence>& entries,
                        const char* field, int64_t max) {
  RECIP_VALIDATE(CheckDated(v, parent, entries, field));
  for (int i = 0; i < entries.size(); ++i) {
    RECIP_VALIDATE(CheckRange(
        v, v.Child(parent, entries[i], field, i), "pence", -1,
        entries[i].pence(), max,
        absl::StrCat("more than ", FormatMoney(max), " is not plausible")));
  }
  return absl::OkStatus();
}

namespace {

absl::Status CheckReceipts(const Validator& v, const Node& node,
                           const v1::ReceiptRule& receipts) {
  RECIP_VALIDATE(CheckPence(v, node, receipts.required_above(),
                            "required_above", kMaxCapPence));
  if (!receipts.required_above().empty() &&
      receipts.without_receipt() == v1::UNMET_CONDITION_ACTION_UNSPECIFIED) {
    return v.Error(node, "without_receipt", -1,
                   "say what happens without a receipt: "
                   "UNMET_CONDITION_ACTION_REFUSE or "
                   "UNMET_CONDITION_ACTION_NEEDS_REVIEW");
  }
  return absl::OkStatus();
}

absl::Status CheckFares(const Validator& v, const Node& node,
                        const v1::FareRules& fares) {
  RECIP_VALIDATE(CheckReceipts(v, v.Child(node, fares.receipts(), "receipts"),
                               fares.receipts()));
  return CheckPence(v, node, fares.cap_per_journey(), "cap_per_journey",
                    kMaxCapPence);
}

absl::Status CheckMileageRates(const Validator& v, const Node& parent,
                               const RepeatedPtrField<v1::MileageRate>& rates,
                               const char* vehicle) {
  RECIP_VALIDATE(CheckDated(v, parent, rates, vehicle));
  const std::string too_much = absl::StrCat(
      "more than ", FormatMoney(kMaxPencePerMile), " a mile is not plausible");
  const bool is_car = std::string_view(vehicle) == "car";
  for (int i = 0; i < rates.size(); ++i) {
    const v1::MileageRate& rate = rates[i];
    const Node node = v.Child(parent, rate, vehicle, i);
    RECIP_VALIDATE(CheckRange(v, node, "pence_per_mile", -1,
                              rate.pence_per_mile(), kMaxPencePerMile,
                              too_much));
    RECIP_VALIDATE(CheckRange(v, node, "passenger_pence_per_mile", -1,
                              rate.passenger_pence_per_mile(), kMaxPencePerMile,
                              too_much));
    RECIP_VALIDATE(CheckRange(v, node, "tier_miles_per_tax_year", -1,
                              rate.tier_miles_per_tax_year(), kMaxTierMiles,
                              "more miles than anyone drives in a year"));
    RECIP_VALIDATE(CheckRange(v, node, "pence_per_mile_above_tier", -1,
                              rate.pence_per_mile_above_tier(),
                              rate.pence_per_mile(),
                              "must not be more than pence_per_mile"));
    if (!is_car && (rate.tier_miles_per_tax_year() != 0 ||
                    rate.pence_per_mile_above_tier() != 0)) {
      return v.Error(node, "tier_miles_per_tax_year", -1,
                     "only cars have a mileage tier");
    }
    if (rate.tier_miles_per_tax_year() == 0 &&
        rate.pence_per_mile_above_tier() != 0) {
      return v.Error(node, "pence_per_mile_above_tier", -1,
                     "set tier_miles_per_tax_year too");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckTravel(const Validator& v, const Node& node,
                         const v1::TravelRules& travel) {
  if (travel.has_public_transport()) {
    RECIP_VALIDATE(CheckFares(
        v, v.Child(node, travel.public_transport(), "public_transport"),
        travel.public_transport()));
  }
  if (travel.has_parking()) {
    RECIP_VALIDATE(CheckFares(v, v.Child(node, travel.parking(), "parking"),
                              travel.parking()));
  }
  if (travel.has_taxi()) {
    const Node taxi = v.Child(node, travel.taxi(), "taxi");
    if (travel.taxi().without_agreement() ==
        v1::UNMET_CONDITION_ACTION_UNSPECIFIED) {
      return v.Error(taxi, "without_agreement", -1,
                     "say what happens to a taxi nobody agreed in advance: "
                     "UNMET_CONDITION_ACTION_REFUSE or "
                     "UNMET_CONDITION_ACTION_NEEDS_REVIEW");
    }
    RECIP_VALIDATE(
        CheckReceipts(v, v.Child(taxi, travel.taxi().receipts(), "receipts"),
                      travel.taxi().receipts()));
    RECIP_VALIDATE(CheckPence(v, taxi, travel.taxi().cap_per_journey(),
                              "cap_per_journey", kMaxCapPence));
  }
  if (travel.has_mileage()) {
    const v1::MileageRules& mileage = travel.mileage();
    const Node node_mileage = v.Child(node, mileage, "mileage");
    RECIP_VALIDATE(CheckMileageRates(v, node_mileage, mileage.car(), "car"));
    RECIP_VALIDATE(
        CheckMileageRates(v, node_mileage, mileage.motorcycle(), "motorcycle"));
    RECIP_VALIDATE(
        CheckMileageRates(v, node_mileage, mileage.bicycle(), "bicycle"));
    RECIP_VALIDATE(CheckPence(v, node_mileage, mileage.cap_per_journey(),
                              "cap_per_journey", kMaxCapPence));
  }
  return CheckPence(v, node, travel.cap_per_session(), "cap_per_session",
                    kMaxCapPence);
}

// Every participant type is in exactly one of the two lists, so the file
// answers "who?" for everyone.
absl::Status CheckWho(const Validator& v, const Node& node,
                      const RepeatedField<int>& eligible,
                      const RepeatedField<int>& not_eligible,
                      std::string_view what) {
  std::set<int> seen;
  const auto check_list = [&](const RepeatedField<int>& list,
                              const char* field) -> absl::Status {
    for (int i = 0; i < list.size(); ++i) {
      if (list[i] == v1::PARTICIPANT_TYPE_UNSPECIFIED) {
        return v.Error(node, field, i,
                       "PARTICIPANT_TYPE_UNSPECIFIED is not a participant "
                       "type");
      }
      if (!seen.insert(list[i]).second) {
        return v.Error(node, field, i,
                       absl::StrCat(v1::ParticipantType_Name(list[i]),
                                    " is listed twice"));
      }
    }
    return absl::OkStatus();
  };
  RECIP_VALIDATE(check_list(eligible, "eligible_participant_types"));
  RECIP_VALIDATE(check_list(not_eligible, "not_eligible_participant_types"));
  const auto* types = v1::ParticipantType_descriptor();
  for (int i = 0; i < types->value_count(); ++i) {
    const int number = types->value(i)->number();
    if (number != v1::PARTICIPANT_TYPE_UNSPECIFIED && !seen.contains(number)) {
      return v.Error(
          node, nullptr, -1,
          absl::StrCat(
              "does not say whether ",
              ParticipantTypePlural(static_cast<v1::ParticipantType>(number)),
              " ", AsAbsl(what), ": list ", types->value(i)->name(),
              " in eligible_participant_types or "
              "not_eligible_participant_types"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckVouchers(const Validator& v, const Node& node,
                           const v1::VoucherRules& vouchers) {
  RECIP_VALIDATE(CheckPence(v, node, vouchers.value_per_session(),
                            "value_per_session", kMaxCapPence));
  RECIP_VALIDATE(CheckPence(v, node, vouchers.yearly_cap_per_participant(),
                            "yearly_cap_per_participant", kMaxCapPence));
  RECIP_VALIDATE(CheckWho(v, node, vouchers.eligible_participant_types(),
                          vouchers.not_eligible_participant_types(),
                          "get vouchers"));
  RECIP_VALIDATE(CheckRange(v, node, "minimum_attendance_minutes", -1,
                            vouchers.minimum_attendance_minutes(),
                            kMaxAttendanceMinutes, "is longer than a day"));
  if (vouchers.provider().empty()) {
    return v.Error(node, "provider", -1,
                   "say whose vouchers they are, e.g. \"Tesco\"");
  }
  return absl::OkStatus();
}

absl::Status CheckChildcare(const Validator& v, const Node& node,
                            const v1::ChildcareRules& care) {
  RECIP_VALIDATE(CheckPence(v, node, care.pence_per_hour_per_child(),
                            "pence_per_hour_per_child", kMaxPencePerHour));
  RECIP_VALIDATE(CheckPence(v, node, care.cap_per_session(), "cap_per_session",
                            kMaxCapPence));
  if (!care.has_replacement_care()) return absl::OkStatus();
  const Node replacement =
      v.Child(node, care.replacement_care(), "replacement_care");
  RECIP_VALIDATE(CheckPence(v, replacement,
                            care.replacement_care().pence_per_hour(),
                            "pence_per_hour", kMaxPencePerHour));
  return CheckPence(v, replacement, care.replacement_care().cap_per_session(),
                    "cap_per_session", kMaxCapPence);
}

absl::Status CheckGeneral(const Validator& v, const Node& node,
                          const v1::GeneralRules& general) {
  if (general.claim_deadline_days() < 1 ||
      general.claim_deadline_days() > kMaxDeadlineDays) {
    return v.Error(node, "claim_deadline_days", -1,
                   absl::StrCat("must be 1 to ", kMaxDeadlineDays, " days"));
  }
  return CheckWho(v, node, general.eligible_participant_types(),
                  general.not_eligible_participant_types(), "can claim");
}

// The sections of a RuleSet or a ProjectOverride (same field names).
template <typename Sections>
absl::Status CheckSectionsOf(const Validator& v, const Node& node,
                             const Sections& sections) {
  if (sections.has_travel()) {
    RECIP_VALIDATE(CheckTravel(v, v.Child(node, sections.travel(), "travel"),
                               sections.travel()));
  }
  if (sections.has_vouchers()) {
    RECIP_VALIDATE(CheckVouchers(v,
                                 v.Child(node, sections.vouchers(), "vouchers"),
                                 sections.vouchers()));
  }
  if (sections.has_childcare()) {
    RECIP_VALIDATE(
        CheckChildcare(v, v.Child(node, sections.childcare(), "childcare"),
                       sections.childcare()));
  }
  if (sections.has_general()) {
    RECIP_VALIDATE(CheckGeneral(v, v.Child(node, sections.general(), "general"),
                                sections.general()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckSections(const Validator& v, const Node& node,
                           const v1::RuleSet& sections) {
  return CheckSectionsOf(v, node, sections);
}

absl::Status CheckSections(const Validator& v, const Node& node,
                           const v1::ProjectOverride& sections) {
  return CheckSectionsOf(v, node, sections);
}

}  // namespace reciprocity::policy::validation
