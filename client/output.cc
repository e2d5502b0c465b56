#include "client/output.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "client/money.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"

namespace reciprocity::client {

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

std::string Pounds(int64_t pence) { return "£" + PenceToPounds(pence); }

std::string CategoryLabel(v1::ExpenseCategory category) {
  switch (category) {
    case v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT:
      return "Bus or train fare";
    case v1::EXPENSE_CATEGORY_MILEAGE:
      return "Mileage";
    case v1::EXPENSE_CATEGORY_TAXI:
      return "Taxi";
    case v1::EXPENSE_CATEGORY_PARKING:
      return "Parking";
    case v1::EXPENSE_CATEGORY_CHILDCARE:
      return "Childcare";
    case v1::EXPENSE_CATEGORY_CARER:
      return "Replacement care";
    default:
      return "Other";
  }
}

std::string OutcomeLabel(v1::LineOutcome outcome) {
  switch (outcome) {
    case v1::LINE_OUTCOME_PAID_IN_FULL:
      return "Paid in full";
    case v1::LINE_OUTCOME_REDUCED:
      return "Reduced";
    case v1::LINE_OUTCOME_REFUSED:
      return "Not paid";
    case v1::LINE_OUTCOME_NEEDS_REVIEW:
      return "To be checked";
    default:
      return "-";
  }
}

std::string StateLabel(v1::ClaimState state) {
  switch (state) {
    case v1::CLAIM_STATE_SUBMITTED:
      return "submitted";
    case v1::CLAIM_STATE_NEEDS_REVIEW:
      return "needs review";
    case v1::CLAIM_STATE_APPROVED:
      return "approved";
    case v1::CLAIM_STATE_REJECTED:
      return "rejected";
    case v1::CLAIM_STATE_WITHDRAWN:
      return "withdrawn";
    case v1::CLAIM_STATE_BATCHED:
      return "in a payment batch";
    case v1::CLAIM_STATE_PAID:
      return "paid";
    case v1::CLAIM_STATE_DECLINED:
      return "not paid (payment declined)";
    default:
      return "-";
  }
}

std::string PreviewVerdict(v1::ClaimState state) {
  switch (state) {
    case v1::CLAIM_STATE_NEEDS_REVIEW:
      return "a person would check it before we pay";
    case v1::CLAIM_STATE_REJECTED:
      return "we could not pay any of it";
    case v1::CLAIM_STATE_DECLINED:
      return "we would keep it as a record and not pay it, as you chose not "
             "to be paid";
    default:
      return "would be " + StateLabel(state);
  }
}

void PrintDecision(std::ostream& out, const v1::Claim& claim,
                   const v1::Decision& decision) {
  for (int i = 0; i < decision.lines_size(); ++i) {
    const auto& d = decision.lines(i);
    const v1::ClaimLine line =
        i < claim.lines_size() ? claim.lines(i) : v1::ClaimLine();
    std::string what = CategoryLabel(line.category());
    if (line.category() == v1::EXPENSE_CATEGORY_MILEAGE) {
      absl::StrAppendFormat(&what, " (%d.%d miles)",
                            line.distance_tenths_of_mile() / 10,
                            line.distance_tenths_of_mile() % 10);
    }
    out << absl::StrFormat("  %d. %-28s", i + 1, what);
    if (line.category() != v1::EXPENSE_CATEGORY_MILEAGE) {
      out << absl::StrFormat(" claimed %-10s", Pounds(line.amount_pence()));
    } else {
      out << absl::StrFormat(" %18s", "");
    }
    out << absl::StrFormat(" allowed %-10s %s\n", Pounds(d.allowed_pence()),
                           OutcomeLabel(d.outcome()));
    if (!d.reason().empty()) out << "     " << d.reason() << "\n";
    if (!d.appeal_comment().empty()) {
      out << "     You asked us to look again: " << d.appeal_comment() << "\n";
    }
  }
  out << "  Total allowed: " << Pounds(decision.allowed_total_pence()) << "\n";
  if (!decision.summary().empty()) out << "  " << decision.summary() << "\n";
  out << "  Rules used: " << decision.policy_version() << "\n";
}

void PrintClaim(std::ostream& out, const v1::Claim& claim) {
  out << (claim.name().empty() ? "Claim" : claim.name()) << " ("
      << StateLabel(claim.state()) << ")\n";
  out << "  Participant: " << claim.participant() << "\n";
  out << "  Project:     " << claim.project() << "\n";
  out << "  Session:     " << claim.session_date()
      << (claim.session().empty() ? "" : " (" + claim.session() + ")") << "\n";
  if (claim.payment_method() != v1::PAYMENT_METHOD_UNSPECIFIED) {
    out << "  Paid by:     " << PaymentLabel(claim.payment_method()) << "\n";
  }
  PrintDecision(out, claim, claim.decision());
  for (const auto& e : claim.history()) {
    out << "  " << google::protobuf::util::TimeUtil::ToString(e.time()) << "  "
        << e.action() << " by " << e.actor()
        << (e.on_behalf_of().empty() ? "" : " for " + e.on_behalf_of())
        << "\n";
  }
  for (const auto& v : claim.earlier_versions()) {
    out << "  Version " << v.version() << " (replaced by " << v.replaced_by()
        << "): claimed " << Pounds(v.claimed_total_pence()) << ", allowed "
        << Pounds(v.decision().allowed_total_pence()) << ", "
        << StateLabel(v.state())
        << (v.reason().empty() ? "" : absl::StrCat("; why: ", v.reason()))
        << "\n";
  }
}

void PrintClaimTable(std::ostream& out,
                     const v1::ListClaimsResponse& response) {
  if (response.claims().empty()) {
    out << "No claims found.\n";
    return;
  }
  out << absl::StrFormat("%-12s %-12s %-16s %-44s %10s  %s\n", "CLAIM",
                         "SESSION", "PARTICIPANT", "PROJECT", "ALLOWED",
                         "STATE");
  for (const auto& c : response.claims()) {
    out << absl::StrFormat(
        "%-12s %-12s %-16s %-44s %10s  %s\n", c.name(), c.session_date(),
        std::string(absl::StripPrefix(c.participant(), "participants/")),
        c.project(), Pounds(c.decision().allowed_total_pence()),
        StateLabel(c.state()));
  }
  if (!response.next_page_token().empty()) {
    out << "More: --page-token " << response.next_page_token() << "\n";
  }
}

std::string EnumLabel(const google::protobuf::EnumDescriptor* descriptor,
                      int number, absl::string_view prefix) {
  const auto* value = descriptor->FindValueByNumber(number);
  if (value == nullptr) return "-";
  std::string name = value->name();
  if (absl::StartsWith(name, prefix)) name = name.substr(prefix.size());
  return absl::AsciiStrToLower(absl::StrReplaceAll(name, {{"_", " "}}));
}

std::string PaymentLabel(v1::PaymentMethod method) {
  return EnumLabel(v1::PaymentMethod_descriptor(), method, "PAYMENT_METHOD_");
}

}  // namespace reciprocity::client
