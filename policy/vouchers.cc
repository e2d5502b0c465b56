// EvaluateVoucher: whether attending a session earns a voucher.
#include <string>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "policy/dates.h"
#include "policy/plain_text.h"
#include "policy/policy.h"
#include "policy/rules.h"

namespace reciprocity::policy {
namespace {

VoucherDecision NoVoucher(std::string rule, std::string reason) {
  VoucherDecision decision;
  decision.rule = std::move(rule);
  decision.reason = std::move(reason);
  return decision;
}

}  // namespace

VoucherDecision EvaluateVoucher(const AreaPolicy& policy,
                                const VoucherFacts& facts) {
  const ProjectRules rules = RulesForProject(policy.rules(), facts.project_id);
  if (rules.vouchers == nullptr) {
    return NoVoucher("vouchers.not_covered",
                     "This project does not give vouchers.");
  }
  const v1::VoucherRules& vouchers = *rules.vouchers;
  if (facts.participant_declined) {
    return NoVoucher("vouchers.declined",
                     "You told us you do not want a voucher. That is fine. "
                     "We will not send one.");
  }
  if (!absl::c_linear_search(vouchers.eligible_participant_types(),
                             static_cast<int>(facts.participant_type))) {
    return NoVoucher(
        "vouchers.eligibility",
        absl::StrCat("This project does not give vouchers to ",
                     ParticipantTypePlural(facts.participant_type), "."));
  }
  const v1::DatedPence* value =
      InForce(vouchers.value_per_session(), facts.session_date);
  if (value == nullptr || value->pence() <= 0) {
    return NoVoucher("vouchers.value",
                     "This project did not give vouchers on the day of the "
                     "session.");
  }
  if (facts.minutes_attended < vouchers.minimum_attendance_minutes()) {
    return NoVoucher(
        "vouchers.minimum_attendance",
        absl::StrCat("You get a voucher when you take part for at least ",
                     FormatDuration(vouchers.minimum_attendance_minutes()),
                     ". You took part for ",
                     FormatDuration(std::max(facts.minutes_attended, 0)), "."));
  }
  const v1::DatedPence* cap =
      InForce(vouchers.yearly_cap_per_participant(), facts.session_date);
  const int64_t earned =
      std::max<int64_t>(facts.earned_earlier_in_year_pence, 0);
  if (cap != nullptr && earned > cap->pence() - value->pence()) {
    return NoVoucher(
        "vouchers.yearly_cap",
        absl::StrCat("The most we give one person in vouchers in a year is ",
                     FormatMoney(cap->pence()), ". You have had ",
                     FormatMoney(earned),
                     " this year. So we cannot give another voucher until "
                     "6 April."));
  }
  VoucherDecision decision;
  decision.value_pence = value->pence();
  decision.provider = vouchers.provider();
  decision.rule = "vouchers.per_session";
  decision.reason = absl::StrCat("Thank you for taking part. You get a ",
                                 FormatMoney(value->pence()), " ",
                                 vouchers.provider(), " voucher.");
  return decision;
}

std::string VoucherProvider(const AreaPolicy& policy,
                            std::string_view project_id) {
  const ProjectRules rules =
      RulesForProject(policy.rules(), AsAbsl(project_id));
  return rules.vouchers == nullptr ? std::string() : rules.vouchers->provider();
}

}  // namespace reciprocity::policy
