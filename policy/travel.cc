// Travel lines: fares, parking, taxis and mileage.
#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "policy/dates.h"
#include "policy/plain_text.h"
#include "policy/rules.h"

namespace reciprocity::policy {
namespace {

// Checks the receipt rule. Returns false when the line must be refused;
// sets *review when it must be checked by a person. Appends the reason.
bool CheckReceipt(const v1::ReceiptRule& receipts, const v1::ClaimLine& line,
                  absl::CivilDay day, absl::string_view rule_prefix,
                  std::string* rule, bool* review, std::string* reason) {
  const v1::DatedPence* threshold = InForce(receipts.required_above(), day);
  if (threshold == nullptr || line.amount_pence() <= threshold->pence() ||
      line.receipt_provided()) {
    return true;
  }
  *rule = absl::StrCat(rule_prefix, ".receipt");
  if (threshold->pence() == 0) {
    absl::StrAppend(reason, " We need a receipt or ticket for this.");
  } else {
    absl::StrAppend(reason, " We need a receipt or ticket for more than ",
                    FormatMoney(threshold->pence()), ".");
  }
  absl::StrAppend(reason, " You did not say you have one.");
  if (receipts.without_receipt() == v1::UNMET_CONDITION_ACTION_NEEDS_REVIEW) {
    *review = true;
    absl::StrAppend(reason, " A person will check it before we pay.");
    return true;
  }
  absl::StrAppend(reason, " So we cannot pay it.");
  return false;
}

// Fares, parking and taxis: paid as claimed, within caps.
LineResult JudgePaidAsClaimed(
    const v1::ReceiptRule& receipts,
    const google::protobuf::RepeatedPtrField<v1::DatedPence>& cap_per_journey,
    const v1::ClaimLine& line, absl::CivilDay day,
    absl::string_view rule_prefix, std::string opening, TravelState* state) {
  LineResult result;
  result.claimed_pence = line.amount_pence();
  if (line.amount_pence() <= 0) {
    return Refusal(std::string(rule_prefix),
                   "You did not say how much you paid.");
  }
  std::string rule(rule_prefix);
  std::string reason = std::move(opening);
  absl::StrAppend(&reason, " You paid ", FormatMoney(line.amount_pence()), ".");
  bool review = false;
  if (!CheckReceipt(receipts, line, day, rule_prefix, &rule, &review,
                    &reason)) {
    return Refusal(std::move(rule), std::move(reason).substr(1));
  }
  int64_t allowed = line.amount_pence();
  bool reduced = ApplyCap(cap_per_journey, day, "one journey",
                          absl::StrCat(rule_prefix, ".cap_per_journey"),
                          &allowed, &rule, &reason);
  if (line.category() == v1::EXPENSE_CATEGORY_TAXI && state->taxi.agreed() &&
      !state->taxi.unlimited()) {
    const int64_t agreed = state->taxi.Spend(allowed);
    if (agreed < allowed) {
      allowed = agreed;
      reduced = true;
      rule = "travel.taxi.agreement";
      absl::StrAppend(&reason, " An officer agreed up to ",
                      FormatMoney(state->taxi.agreed_total_pence()),
                      " for taxis.");
    }
  }
  if (reduced)
    absl::StrAppend(&reason, " So we pay ", FormatMoney(allowed), ".");
  result.decision.set_allowed_pence(allowed);
  result.decision.set_outcome(
      OutcomeFor(result.claimed_pence, allowed, review));
  result.decision.set_rule(std::move(rule));
  result.decision.set_reason(reason.substr(1));
  return result;
}

LineResult JudgeTaxi(const v1::TaxiRules& taxi, const v1::ClaimLine& line,
                     TravelState* state) {
  if (!state->taxi.agreed()) {
    const std::string reason =
        "We only pay for a taxi if an officer agreed it before the "
        "session. We have no record of that.";
    if (taxi.without_agreement() == v1::UNMET_CONDITION_ACTION_NEEDS_REVIEW) {
      LineResult result = JudgePaidAsClaimed(
          taxi.receipts(), taxi.cap_per_journey(), line, state->session_date,
          "travel.taxi", " " + reason, state);
      if (result.decision.outcome() == v1::LINE_OUTCOME_REFUSED) return result;
      result.decision.set_outcome(v1::LINE_OUTCOME_NEEDS_REVIEW);
      result.decision.set_rule("travel.taxi.agreement");
      if (result.decision.reason().find("A person will check") ==
          std::string::npos) {
        result.decision.mutable_reason()->append(
            " A person will check it before we pay.");
      }
      return result;
    }
    return Refusal("travel.taxi.agreement", reason + " So we cannot pay it.");
  }
  return JudgePaidAsClaimed(
      taxi.receipts(), taxi.cap_per_journey(), line, state->session_date,
      "travel.taxi",
      state->taxi.only_after_the_session()
          ? " An officer agreed this taxi after the session."
          : " An officer agreed a taxi before the session.",
      state);
}

const google::protobuf::RepeatedPtrField<v1::MileageRate>* RatesFor(
    const v1::MileageRules& mileage, v1::VehicleType vehicle) {
  switch (vehicle) {
    case v1::VEHICLE_TYPE_CAR:
      return &mileage.car();
    case v1::VEHICLE_TYPE_MOTORCYCLE:
      return &mileage.motorcycle();
    case v1::VEHICLE_TYPE_BICYCLE:
      return &mileage.bicycle();
    default:
      return nullptr;
  }
}

LineResult JudgeMileage(const v1::MileageRules& mileage,
                        const v1::ClaimLine& line, TravelState* state) {
  const auto* rates = RatesFor(mileage, line.vehicle());
  if (rates == nullptr || rates->empty()) {
    return Refusal("travel.mileage", "We do not pay mileage for " +
                                         VehicleWithArticle(line.vehicle()) +
                                         " on this project.");
  }
  const std::string rule = line.vehicle() == v1::VEHICLE_TYPE_CAR
                               ? "travel.mileage.car"
                           : line.vehicle() == v1::VEHICLE_TYPE_MOTORCYCLE
                               ? "travel.mileage.motorcycle"
                               : "travel.mileage.bicycle";
  const v1::MileageRate* rate = InForce(*rates, state->session_date);
  if (rate == nullptr) {
    return Refusal(rule, "We had no mileage rate for " +
                             VehicleWithArticle(line.vehicle()) +
                             " on the day of the session.");
  }
  const int64_t tenths = line.distance_tenths_of_mile();
  if (tenths <= 0) return Refusal(rule, "You did not say how far you went.");

  // Tenths of a penny: tenths of a mile times pence a mile.
  int64_t value_tenth_pence = 0;
  std::string reason;
  const bool tiered = line.vehicle() == v1::VEHICLE_TYPE_CAR &&
                      rate->tier_miles_per_tax_year() > 0;
  if (tiered) {
    const int64_t tier_tenths = rate->tier_miles_per_tax_year() * 10;
    const int64_t below =
        std::clamp<int64_t>(tier_tenths - state->car_tenths_so_far, 0, tenths);
    const int64_t above = tenths - below;
    value_tenth_pence = below * rate->pence_per_mile() +
                        above * rate->pence_per_mile_above_tier();
    const std::string tier_miles =
        FormatMiles(rate->tier_miles_per_tax_year() * 10);
    if (above == 0) {
      absl::StrAppend(&reason, "We pay ", FormatMoney(rate->pence_per_mile()),
                      " a mile for a car.");
    } else {
      absl::StrAppend(&reason, "We pay ", FormatMoney(rate->pence_per_mile()),
                      " a mile for a car for the first ", tier_miles,
                      " in a tax year. After that we pay ",
                      FormatMoney(rate->pence_per_mile_above_tier()),
                      " a mile.");
      if (below > 0) {
        absl::StrAppend(&reason, " This trip took you past ", tier_miles, ". ",
                        FormatMiles(below), " at ",
                        FormatMoney(rate->pence_per_mile()), " and ",
                        FormatMiles(above), " at ",
                        FormatMoney(rate->pence_per_mile_above_tier()), ".");
      }
    }
    state->car_tenths_so_far += tenths;
  } else {
    value_tenth_pence = tenths * rate->pence_per_mile();
    absl::StrAppend(&reason, "We pay ", FormatMoney(rate->pence_per_mile()),
                    " a mile for ", VehicleWithArticle(line.vehicle()), ".");
  }
  if (line.passengers() > 0 && rate->passenger_pence_per_mile() > 0) {
    value_tenth_pence +=
        tenths * line.passengers() * rate->passenger_pence_per_mile();
    absl::StrAppend(&reason, " We pay ",
                    FormatMoney(rate->passenger_pence_per_mile()),
                    " a mile more for each passenger.");
  }
  LineResult result;
  // Rounded once per line, halves up.
  result.claimed_pence = MulDivRoundHalfUp(value_tenth_pence, 1, 10);
  absl::StrAppend(&reason, " ", FormatMiles(tenths));
  if (line.passengers() > 0 && rate->passenger_pence_per_mile() > 0) {
    absl::StrAppend(&reason, " with ",
                    CountOf(line.passengers(), "passenger", "passengers"));
  }
  absl::StrAppend(&reason, " is ", FormatMoney(result.claimed_pence), ".");
  std::string decided_by = rule;
  int64_t allowed = result.claimed_pence;
  if (ApplyCap(mileage.cap_per_journey(), state->session_date, "one journey",
               "travel.mileage.cap_per_journey", &allowed, &decided_by,
               &reason)) {
    absl::StrAppend(&reason, " So we pay ", FormatMoney(allowed), ".");
  }
  result.decision.set_allowed_pence(allowed);
  result.decision.set_outcome(OutcomeFor(result.claimed_pence, allowed, false));
  result.decision.set_rule(std::move(decided_by));
  result.decision.set_reason(std::move(reason));
  return result;
}

}  // namespace

LineResult JudgeTravelLine(const v1::TravelRules& travel,
                           const v1::ClaimLine& line, TravelState* state) {
  switch (line.category()) {
    case v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT:
      if (!travel.has_public_transport()) break;
      return JudgePaidAsClaimed(travel.public_transport().receipts(),
                                travel.public_transport().cap_per_journey(),
                                line, state->session_date,
                                "travel.public_transport",
                                " We pay bus and train fares.", state);
    case v1::EXPENSE_CATEGORY_PARKING:
      if (!travel.has_parking()) break;
      return JudgePaidAsClaimed(
          travel.parking().receipts(), travel.parking().cap_per_journey(), line,
          state->session_date, "travel.parking", " We pay for parking.", state);
    case v1::EXPENSE_CATEGORY_TAXI:
      if (!travel.has_taxi()) break;
      return JudgeTaxi(travel.taxi(), line, state);
    case v1::EXPENSE_CATEGORY_MILEAGE:
      if (!travel.has_mileage()) break;
      return JudgeMileage(travel.mileage(), line, state);
    default:
      break;
  }
  return Refusal(
      "travel.not_covered",
      "This project does not pay for " + CategoryPlural(line.category()) + ".");
}

}  // namespace reciprocity::policy
