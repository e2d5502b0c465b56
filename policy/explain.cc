// The leaflet: the area's rules in force on a day, told in plain English.
// Sentences stay short and use everyday words; money is in pounds.
#include "policy/explain.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "policy/dates.h"
#include "policy/plain_text.h"
#include "policy/rules.h"

namespace reciprocity::policy {
namespace {

using google::protobuf::RepeatedField;
using google::protobuf::RepeatedPtrField;

// Collects the leaflet: headings, sentences and bullet lists.
class Leaflet {
 public:
  void Heading(std::string_view text) {
    if (!out_.empty()) out_ += "\n";
    absl::StrAppend(&out_, AsAbsl(text), "\n");
  }
  void Say(std::string_view sentence) {
    absl::StrAppend(&out_, AsAbsl(sentence), "\n");
  }
  void List(std::string_view intro, const std::vector<std::string>& items) {
    if (items.empty()) return;
    Say(intro);
    for (const std::string& item : items)
      absl::StrAppend(&out_, "- ", item, "\n");
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string Money(const RepeatedPtrField<v1::DatedPence>& entries,
                  absl::CivilDay day) {
  const v1::DatedPence* entry = InForce(entries, day);
  return entry == nullptr ? "" : FormatMoney(entry->pence());
}

std::vector<std::string> Types(const RepeatedField<int>& types) {
  std::vector<std::string> names;
  for (int type : types) {
    names.push_back(
        ParticipantTypePlural(static_cast<v1::ParticipantType>(type)));
  }
  return names;
}

void ExplainReceipts(const v1::ReceiptRule& receipts, absl::CivilDay day,
                     Leaflet* out) {
  const v1::DatedPence* above = InForce(receipts.required_above(), day);
  if (above == nullptr) return;
  if (above->pence() == 0) {
    out->Say("Keep the receipt. We need it.");
  } else {
    out->Say(
        absl::StrCat("Keep the ticket or receipt. We need it if you paid "
                     "more than ",
                     FormatMoney(above->pence()), "."));
  }
}

void ExplainMileage(const v1::MileageRules& mileage, absl::CivilDay day,
                    Leaflet* out) {
  if (const v1::MileageRate* car = InForce(mileage.car(), day)) {
    out->Say(absl::StrCat("If you drive, we pay ",
                          FormatMoney(car->pence_per_mile()), " a mile."));
    if (car->tier_miles_per_tax_year() > 0) {
      out->Say(absl::StrCat(
          "After ", FormatMiles(car->tier_miles_per_tax_year() * 10),
          " in a year, we pay ", FormatMoney(car->pence_per_mile_above_tier()),
          " a mile. The year starts on 6 April."));
    }
    if (car->passenger_pence_per_mile() > 0) {
      out->Say(absl::StrCat("We pay ",
                            FormatMoney(car->passenger_pence_per_mile()),
                            " a mile more for each person you bring who is "
                            "taking part too."));
    }
  }
  if (const v1::MileageRate* next = NextChange(mileage.car(), day)) {
    out->Say(absl::StrCat(
        "From ", FormatLongDate(ParseIsoDate(next->effective_from()).value()),
        " we will pay ", FormatMoney(next->pence_per_mile()),
        " a mile for a car."));
  }
  if (const v1::MileageRate* motorbike = InForce(mileage.motorcycle(), day)) {
    out->Say(absl::StrCat("For a motorbike we pay ",
                          FormatMoney(motorbike->pence_per_mile()),
                          " a mile."));
  }
  if (const v1::MileageRate* bike = InForce(mileage.bicycle(), day)) {
    out->Say(absl::StrCat("For a bike we pay ",
                          FormatMoney(bike->pence_per_mile()), " a mile."));
  }
  const std::string cap = Money(mileage.cap_per_journey(), day);
  if (!cap.empty()) {
    out->Say(absl::StrCat("The most we pay for one trip you drive or ride is ",
                          cap, "."));
  }
}

void ExplainTravel(const v1::TravelRules* travel, absl::CivilDay day,
                   Leaflet* out) {
  out->Heading("Getting here");
  if (travel == nullptr ||
      (!travel->has_public_transport() && !travel->has_mileage() &&
       !travel->has_taxi() && !travel->has_parking())) {
    out->Say("We do not pay for travel for this group.");
    return;
  }
  if (travel->has_public_transport()) {
    out->Say("We pay your bus or train fare.");
    ExplainReceipts(travel->public_transport().receipts(), day, out);
    const std::string cap =
        Money(travel->public_transport().cap_per_journey(), day);
    if (!cap.empty()) {
      out->Say(absl::StrCat("The most we pay for one fare is ", cap, "."));
    }
  }
  if (travel->has_mileage()) ExplainMileage(travel->mileage(), day, out);
  if (travel->has_parking()) {
    const std::string cap = Money(travel->parking().cap_per_journey(), day);
    out->Say(cap.empty()
                 ? "We pay for parking."
                 : absl::StrCat("We pay for parking, up to ", cap, "."));
    ExplainReceipts(travel->parking().receipts(), day, out);
  }
  if (travel->has_taxi()) {
    out->Say("We only pay for a taxi if we agree it before the day.");
    out->Say(travel->taxi().without_agreement() ==
                     v1::UNMET_CONDITION_ACTION_REFUSE
                 ? "If we did not agree it, we will not pay."
                 : "If we did not agree it, a person will look at it.");
  } else {
    out->Say("We do not pay for taxis.");
  }
  const std::string cap = Money(travel->cap_per_session(), day);
  if (!cap.empty()) {
    out->Say(
        absl::StrCat("The most we pay for all your travel to one meeting "
                     "is ",
                     cap, "."));
  }
  if (travel->pay_provider_directly()) {
    out->Say("We can pay the taxi or travel firm for you.");
  }
}

void ExplainVouchers(const v1::VoucherRules* vouchers, absl::CivilDay day,
                     Leaflet* out) {
  out->Heading("Vouchers");
  const v1::DatedPence* value =
      vouchers == nullptr ? nullptr
                          : InForce(vouchers->value_per_session(), day);
  if (value == nullptr || value->pence() == 0) {
    out->Say("This group does not give vouchers.");
    return;
  }
  std::string when = "each time you come";
  if (vouchers->minimum_attendance_minutes() > 0) {
    when = absl::StrCat("when you take part for ",
                        FormatDuration(vouchers->minimum_attendance_minutes()),
                        " or more");
  }
  out->Say(absl::StrCat("You get a ", FormatMoney(value->pence()), " ",
                        vouchers->provider(), " voucher ", when, "."));
  out->List("Who gets a voucher:",
            Types(vouchers->eligible_participant_types()));
  out->List("Who does not get a voucher:",
            Types(vouchers->not_eligible_participant_types()));
  const std::string cap = Money(vouchers->yearly_cap_per_participant(), day);
  if (!cap.empty()) {
    out->Say(absl::StrCat("You can get up to ", cap,
                          " in vouchers in a year. The year starts on 6 "
                          "April."));
  }
  out->Say("You can say no to a voucher. Just tell us.");
}

void ExplainCare(const v1::ChildcareRules* care, bool creche,
                 absl::CivilDay day, Leaflet* out) {
  out->Heading("Care for your children");
  if (creche) out->Say("There is a crèche at our meetings. It is free.");
  const std::string rate =
      care == nullptr ? "" : Money(care->pence_per_hour_per_child(), day);
  if (rate.empty()) {
    out->Say("We do not pay for other childcare.");
  } else {
    if (creche) {
      out->Say(
          "We only pay for other childcare if we agree it before the "
          "day.");
    }
    out->Say(absl::StrCat("We pay ", rate, " an hour for each child."));
    const std::string cap = Money(care->cap_per_session(), day);
    if (!cap.empty()) {
      out->Say(absl::StrCat("The most we pay for one meeting is ", cap, "."));
    }
    if (care->pay_provider_directly()) {
      out->Say("We can pay your childminder for you, so you do not pay first.");
    }
  }
  const std::string carer =
      care == nullptr || !care->has_replacement_care()
          ? ""
          : Money(care->replacement_care().pence_per_hour(), day);
  if (carer.empty()) return;
  out->Heading("Care for someone you look after");
  out->Say(absl::StrCat("Do you care for someone? We pay ", carer,
                        " an hour for care while you are with us."));
  const std::string cap =
      Money(care->replacement_care().cap_per_session(), day);
  if (!cap.empty()) {
    out->Say(absl::StrCat("The most we pay for one meeting is ", cap, "."));
  }
  if (care->pay_provider_directly()) {
    out->Say("We can pay the care worker for you, so you do not pay first.");
  }
}

void ExplainGeneral(const v1::GeneralRules* general, Leaflet* out) {
  out->Heading("How to claim");
  if (general == nullptr) return;
  out->List("Who can claim:", Types(general->eligible_participant_types()));
  out->List("Who cannot claim:",
            Types(general->not_eligible_participant_types()));
  out->Say(absl::StrCat("Send us your claim within ",
                        general->claim_deadline_days(),
                        " days of the meeting."));
  out->Say("Tell us what you paid. Keep your tickets and receipts.");
  out->Say("We tell you what we will pay, and why.");
}

void ExplainProject(const AreaPolicy& policy, const ProjectInfo& project,
                    absl::CivilDay day, Leaflet* out) {
  const ProjectRules rules = RulesForProject(policy.rules(), project.id);
  ExplainTravel(rules.travel, day, out);
  ExplainVouchers(rules.vouchers, day, out);
  ExplainCare(rules.childcare, project.creche_by_default, day, out);
  ExplainGeneral(rules.general, out);
  std::vector<std::string> ask_first;
  if (rules.travel != nullptr && rules.travel->has_taxi()) {
    ask_first.push_back("a taxi");
  }
  if (project.creche_by_default && rules.childcare != nullptr &&
      !rules.childcare->pence_per_hour_per_child().empty()) {
    ask_first.push_back("other childcare");
  }
  out->Heading("Ask us first");
  if (ask_first.empty()) {
    out->Say("You do not need to ask us before you come.");
  } else {
    out->Say(absl::StrCat("Ask us before the day if you need ",
                          JoinWithAnd(ask_first), "."));
  }
}

}  // namespace

std::string ExplainPolicy(const AreaPolicy& policy,
                          std::optional<std::string_view> project_id,
                          absl::CivilDay as_of) {
  Leaflet out;
  out.Heading(absl::StrCat(policy.display_name(), ": what we pay"));
  out.Say("Thank you for helping us. You should not be out of pocket.");
  out.Say("This is what we pay back, and who we pay.");
  out.Say(absl::StrCat("These are the rules on ", FormatLongDate(as_of), "."));
  bool found = false;
  for (const ProjectInfo& project : policy.projects()) {
    if (project_id.has_value() && project.id != *project_id) continue;
    found = true;
    out.Heading(absl::StrCat("## ", project.display_name));
    ExplainProject(policy, project, as_of, &out);
  }
  if (!found) out.Say("We do not know that group.");
  return out.Take();
}

}  // namespace reciprocity::policy
