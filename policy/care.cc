// Childcare and replacement-care lines.
#include <string>

#include "absl/strings/str_cat.h"
#include "policy/dates.h"
#include "policy/plain_text.h"
#include "policy/rules.h"

namespace reciprocity::policy {
namespace {

// Care paid per hour, pro rata by the minute, up to what was paid.
// `units` is the number of children (1 for replacement care).
LineResult JudgeHourly(const v1::DatedPence& rate, const v1::ClaimLine& line,
                       int64_t units, std::string rule, std::string reason,
                       AgreedAllowance* agreement) {
  LineResult result;
  result.claimed_pence = line.amount_pence();
  if (line.amount_pence() <= 0) {
    return Refusal(std::move(rule), "You did not say how much you paid.");
  }
  if (line.care_minutes() <= 0) {
    return Refusal(std::move(rule), "You did not say how long the care was.");
  }
  const int64_t at_rate =
      MulDivRoundHalfUp(line.care_minutes() * units, rate.pence(), 60);
  absl::StrAppend(&reason, " ", FormatDuration(line.care_minutes()));
  if (line.category() == v1::EXPENSE_CATEGORY_CHILDCARE) {
    absl::StrAppend(&reason, " for ", CountOf(units, "child", "children"));
  }
  absl::StrAppend(&reason, " is ", FormatMoney(at_rate), ". You paid ",
                  FormatMoney(line.amount_pence()), ".");
  int64_t allowed = std::min(at_rate, line.amount_pence());
  if (agreement != nullptr && !agreement->unlimited()) {
    const int64_t agreed = agreement->Spend(allowed);
    if (agreed < allowed) {
      allowed = agreed;
      rule = absl::StrCat(rule, ".agreement");
      absl::StrAppend(&reason, " An officer agreed up to ",
                      FormatMoney(agreement->agreed_total_pence()), ".");
    }
  }
  if (allowed < line.amount_pence()) {
    absl::StrAppend(&reason, " So we pay ", FormatMoney(allowed), ".");
  }
  result.decision.set_allowed_pence(allowed);
  result.decision.set_outcome(OutcomeFor(result.claimed_pence, allowed, false));
  result.decision.set_rule(std::move(rule));
  result.decision.set_reason(std::move(reason));
  return result;
}

LineResult JudgeChildcare(const v1::ChildcareRules& care,
                          const v1::ClaimLine& line, CareState* state) {
  const v1::DatedPence* rate =
      InForce(care.pence_per_hour_per_child(), state->session_date);
  if (rate == nullptr) {
    return Refusal("childcare.not_covered",
                   "This project does not pay for childcare.");
  }
  if (line.children() <= 0) {
    return Refusal("childcare.per_child",
                   "You did not say how many children were looked after.");
  }
  std::string reason;
  AgreedAllowance* agreement = nullptr;
  if (state->creche_provided) {
    // An officer's agreement still counts when the register says a child
    // used the crèche: it may be for another child the crèche could not
    // take. Without one, the register makes the reason exact.
    if (!state->childcare.agreed() && state->creche_used) {
      return Refusal("childcare.creche_used",
                     "Your child was in the crèche at this meeting. So we "
                     "do not pay for other care for your child.");
    }
    if (!state->childcare.agreed()) {
      return Refusal("childcare.creche",
                     "There was a crèche at this session. So we only pay for "
                     "other childcare if an officer agreed it before the "
                     "session. We have no record of that.");
    }
    agreement = &state->childcare;
    reason = "There was a crèche, but an officer agreed this childcare. ";
  }
  absl::StrAppend(&reason, "We pay ", FormatMoney(rate->pence()),
                  " an hour for each child.");
  return JudgeHourly(*rate, line, line.children(), "childcare.per_child",
                     std::move(reason), agreement);
}

LineResult JudgeReplacementCare(const v1::ChildcareRules& care,
                                const v1::ClaimLine& line, CareState* state) {
  const v1::DatedPence* rate =
      care.has_replacement_care()
          ? InForce(care.replacement_care().pence_per_hour(),
                    state->session_date)
          : nullptr;
  if (rate == nullptr) {
    return Refusal("childcare.replacement_care.not_covered",
                   "This project does not pay for care for someone you look "
                   "after.");
  }
  std::string reason =
      absl::StrCat("We pay ", FormatMoney(rate->pence()),
                   " an hour for care for someone you look after.");
  return JudgeHourly(*rate, line, 1, "childcare.replacement_care",
                     std::move(reason), nullptr);
}

}  // namespace

LineResult JudgeCareLine(const v1::ChildcareRules& care,
                         const v1::ClaimLine& line, CareState* state) {
  if (line.category() == v1::EXPENSE_CATEGORY_CHILDCARE) {
    return JudgeChildcare(care, line, state);
  }
  return JudgeReplacementCare(care, line, state);
}

}  // namespace reciprocity::policy
